package dev.cascade.cloud.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.AppConfig;
import com.hashicorp.cdktf.LocalBackend;
import com.hashicorp.cdktf.LocalBackendConfig;
import com.hashicorp.cdktf.TerraformHclModule;
import com.hashicorp.cdktf.TerraformOutput;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.TerraformVariable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Builds a deployment's Terraform root configuration with the Terraform CDK and returns it as JSON.
 *
 * <p>A thin layer on purpose (HashiCorp deprecated CDKTF in December 2025): the nodes are made by the HCL modules
 * in {@code terraform/modules}; this only writes the root that calls them. One {@code TerraformHclModule} per
 * {@link ModuleSpec}, a root {@code variable "join_token"} (sensitive, set by the environment as
 * {@code TF_VAR_join_token}), one output per module, a local backend that keeps {@code terraform.tfstate} in the
 * working directory, and the provider blocks as escape hatches ({@code addOverride}) since no prebuilt provider
 * classes are used.
 *
 * <p>cdktf runs its JavaScript through jsii in one Node process per JVM, which is not safe to drive from two
 * threads at once: syntheses are serialized on one lock. The first one in a JVM pays for starting Node.
 */
public final class RootSynthesizer {
    /** The stack's name: it shows only in the {@code //} metadata. */
    public static final String STACK = "cascade";
    /** The file name the root configuration is written to in the working directory. */
    public static final String CONFIG_FILE = "cdk.tf.json";
    /** The state file, relative to the working directory. */
    public static final String STATE_FILE = "terraform.tfstate";

    private static final ReentrantLock JSII = new ReentrantLock();
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private RootSynthesizer() {
    }

    /**
     * The root configuration as pretty-printed JSON with sorted keys (the same input always gives the same text).
     *
     * @throws IllegalStateException when cdktf fails (its JavaScript error is the message)
     */
    public static String synthesize(RootSpec spec) {
        Path out;
        try {
            out = Files.createTempDirectory("cascade-synth-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JSII.lock();
        try {
            App app = new App(AppConfig.builder().outdir(out.toString()).stackTraces(false).build());
            TerraformStack stack = new TerraformStack(app, STACK);
            build(stack, spec);
            app.synth();
            Path file = Path.of(app.getOutdir(), "stacks", STACK, CONFIG_FILE);
            Object root = JSON.readValue(file.toFile(), Object.class);
            return JSON.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cdktf synthesis failed: " + e.getMessage(), e);
        } finally {
            JSII.unlock();
            deleteTree(out);
        }
    }

    private static void build(TerraformStack stack, RootSpec spec) {
        // Relative to the working directory terraform runs in: the state stays next to .terraform/, and the
        // directory can be moved as a whole.
        new LocalBackend(stack, LocalBackendConfig.builder().path(STATE_FILE).build());

        TerraformVariable joinToken = TerraformVariable.Builder.create(stack, "join_token")
                .type("string")
                .sensitive(true)
                .defaultValue("")
                .description("Cluster join token the nodes register with; set through TF_VAR_join_token, never in a file.")
                .build();

        Platform platform = spec.platform();
        providers(stack, spec);

        for (ModuleSpec m : spec.modules()) {
            Map<String, Object> vars = new LinkedHashMap<>();
            vars.put("name", spec.name());
            vars.put("group", spec.name());
            vars.put("role", m.role());
            vars.put("region", m.region());
            vars.put("nodes", m.nodeIds());
            if (m.size() != null && !m.size().isBlank()) {
                vars.put("size", m.size());
            }
            vars.put("image", spec.image());
            vars.put("manager_urls", spec.managerUrls());
            vars.put("join_token", joinToken.getStringValue());
            Map<String, String> nodeConfig = new TreeMap<>(spec.nodeConfig());
            nodeConfig.putAll(m.nodeConfig());
            vars.put("node_config", nodeConfig);
            vars.putAll(new TreeMap<>(spec.moduleVariables()));
            TerraformHclModule module = TerraformHclModule.Builder.create(stack, m.moduleName())
                    .source(spec.moduleSource().toString())
                    .variables(vars)
                    .build();
            // cdktf would copy a relative local source as an asset; the JSON gets it as Terraform
            // should read it: relative, used in place (an absolute path is a package Terraform copies
            // into .terraform/modules once per block, which breaks the modules' ../../cloud-init link).
            module.addOverride("source", spec.sourceInConfig());
            if (platform.providerPerRegion()) {
                String p = platform.provider().orElseThrow();
                module.addOverride("providers", Map.of(p, p + "." + ModuleSpec.aliasFor(m.region())));
            }
            TerraformOutput.Builder.create(stack, m.outputName())
                    .value(module.get("nodes"))
                    .sensitive(false)
                    .description("Nodes of " + m.role() + " in " + m.region() + ": id -> {id, role, region, address}.")
                    .build();
        }
    }

    /** Provider blocks and required_providers, only when some module needs the provider. */
    /** A module source Terraform reads in place: absolute, or relative starting with ./ or ../. */
    public static String sourceText(Path source) {
        String s = source.toString();
        return source.isAbsolute() || s.startsWith("../") || s.equals("..") ? s : "./" + s;
    }

    private static void providers(TerraformStack stack, RootSpec spec) {
        Platform platform = spec.platform();
        if (platform.provider().isEmpty() || spec.modules().isEmpty()) {
            return;
        }
        String p = platform.provider().get();
        stack.addOverride("terraform.required_providers." + p, Map.of("source", platform.providerSource()));
        List<Map<String, Object>> blocks = new ArrayList<>();
        if (platform.providerPerRegion()) {
            for (String region : new TreeSet<>(spec.modules().stream().map(ModuleSpec::region).toList())) {
                Map<String, Object> block = new TreeMap<>(spec.providerConfig());
                block.put("alias", ModuleSpec.aliasFor(region));
                block.put("region", region);
                blocks.add(block);
            }
        } else {
            Map<String, Object> block = new TreeMap<>(spec.providerConfig());
            if (platform == Platform.AZURE) {
                block.put("features", Map.of()); // azurerm refuses to configure without an (empty) features block
            }
            blocks.add(block);
        }
        stack.addOverride("provider." + p, blocks);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
