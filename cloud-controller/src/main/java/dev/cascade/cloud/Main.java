package dev.cascade.cloud;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cloud-controller synth|apply|destroy --file desired.json}: the cloud controller on the command line.
 * Progress goes to stderr as {@code [phase] message}; the result goes to stdout as JSON. Exit codes: 0 done,
 * 1 Terraform failed ({@link ApplyException}), 2 bad input (usage, file, validation).
 */
@Command(name = "cloud-controller", mixinStandardHelpOptions = true, version = "cloud-controller 0.1.0",
        description = "Applies a desired set of nodes on one platform with Terraform (root configuration built with the"
                + " Terraform CDK; modules from terraform/modules).",
        footer = {"", "The join token comes from $" + DesiredFile.TOKEN_ENV + " unless the file sets settings.joinToken.",
                "Cloud credentials come from the environment (AWS_*, GOOGLE_*, ARM_*, DIGITALOCEAN_TOKEN, LINODE_TOKEN, OS_*)."})
public final class Main implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "COMMAND", description = "synth (write the root configuration only), apply, or destroy")
    String command;

    @Option(names = {"-f", "--file"}, required = true, description = "desired.json: name, cloud, nodes and settings")
    Path file;

    @Option(names = "--work-root", description = "Working directories' root (default: settings.workRoot, else ~/.cascade/cloud)")
    Path workRoot;

    @Option(names = "--modules", description = "The terraform/modules folder (default: settings.modulesDir, else terraform/modules)")
    Path modules;

    @Option(names = "--terraform", description = "The terraform executable (default: settings.terraform, else terraform from PATH)")
    String terraform;

    @Option(names = {"-q", "--quiet"}, description = "No progress lines")
    boolean quiet;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    public Main() {
        this(System.out, System.err, System.getenv());
    }

    Main(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "cloud-controller-logback.xml");
        }
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Progress progress = quiet ? Progress.NONE : (name, cloud, phase, message) -> err.println("[" + phase + "] " + message);
        DesiredFile desired;
        CloudController controller;
        try {
            desired = DesiredFile.read(file);
            controller = new CloudController(desired.cloudSettings(workRoot, modules, terraform, env));
        } catch (IOException e) {
            err.println("cloud-controller: cannot read " + file + ": " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("cloud-controller: " + e.getMessage());
            return 2;
        }
        try {
            ObjectNode result = json.createObjectNode().put("name", desired.name()).put("cloud", desired.cloud());
            switch (command) {
                case "synth" -> {
                    Path dir = controller.synthesize(desired.deployment());
                    result.put("directory", dir.toString()).put("config", dir.resolve("cdk.tf.json").toString());
                }
                case "apply" -> {
                    ApplyResult r = controller.apply(desired.deployment(), progress);
                    ArrayNode nodes = result.putArray("nodes");
                    r.nodes().forEach(n -> nodes.addPOJO(n));
                    result.put("tookMs", r.took().toMillis()).put("attempts", r.attempts());
                }
                case "destroy" -> {
                    controller.destroy(desired.name(), desired.cloud(), progress);
                    result.put("destroyed", true);
                }
                default -> {
                    err.println("cloud-controller: unknown command '" + command + "' (synth, apply or destroy)");
                    return 2;
                }
            }
            out.println(json.writeValueAsString(result));
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("cloud-controller: " + e.getMessage());
            return 2;
        } catch (ApplyException e) {
            err.println("cloud-controller: " + e.getMessage());
            if (!e.output().isEmpty()) {
                err.println(e.output());
            }
            return 1;
        } catch (IOException e) {
            err.println("cloud-controller: " + e.getMessage());
            return 1;
        }
    }
}
