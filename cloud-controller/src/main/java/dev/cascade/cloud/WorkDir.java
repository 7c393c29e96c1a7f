package dev.cascade.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cascade.cloud.synth.ModuleSpec;
import dev.cascade.cloud.synth.RootSynthesizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The working directory of one deployment, {@code <workRoot>/<name>/<cloud>/}, and the files in it:
 *
 * <pre>
 * cdk.tf.json           the root configuration (rewritten only when it changes)
 * terraform.tfstate     the state (local backend); never touched by the controller
 * .terraform/           modules and providers installed by terraform init
 * .terraform.lock.hcl   the providers' lock file
 * .cascade.lock         the lock file (see WorkDirLock)
 * .cascade-init         fingerprint of the providers and modules the last successful init installed
 * .cascade-groups.json  role, region and size of every module block ever applied here (to keep emptied groups)
 * </pre>
 */
final class WorkDir {
    private static final Logger LOG = LoggerFactory.getLogger(WorkDir.class);
    static final String INIT_STAMP = ".cascade-init";
    static final String GROUPS = ".cascade-groups.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final Path dir;

    WorkDir(Path workRoot, String name, String cloud) {
        this.dir = workRoot.toAbsolutePath().normalize().resolve(name).resolve(cloud);
    }

    Path dir() {
        return dir;
    }

    Path config() {
        return dir.resolve(RootSynthesizer.CONFIG_FILE);
    }

    Path state() {
        return dir.resolve(RootSynthesizer.STATE_FILE);
    }

    /** Writes the configuration unless it is already there, atomically; true when it changed. */
    boolean writeConfig(String json) throws IOException {
        Files.createDirectories(dir);
        Path file = config();
        if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(json)) {
            return false;
        }
        // ".tmp" so that Terraform (which reads every *.tf.json here) never sees a half-written file.
        Path tmp = dir.resolve(RootSynthesizer.CONFIG_FILE + ".tmp");
        Files.writeString(tmp, json, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    /** The fingerprint of the last successful init, if any and if its .terraform folder is still there. */
    Optional<String> initStamp() {
        try {
            Path stamp = dir.resolve(INIT_STAMP);
            if (!Files.isDirectory(dir.resolve(".terraform")) || !Files.isRegularFile(stamp)) {
                return Optional.empty();
            }
            return Optional.of(Files.readString(stamp, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void writeInitStamp(String fingerprint) throws IOException {
        Files.writeString(dir.resolve(INIT_STAMP), fingerprint + "\n", StandardCharsets.UTF_8);
    }

    void clearInitStamp() {
        try {
            Files.deleteIfExists(dir.resolve(INIT_STAMP));
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", dir.resolve(INIT_STAMP), e.toString());
        }
    }

    /**
     * The module blocks that still own resources in the state, with the role, region and size they were applied
     * with. A group the deployment no longer has must stay in the configuration (with no nodes) until its
     * resources are gone: Terraform runs destroy-time provisioners (the local module's "stop the node") only for
     * resources whose configuration is still there, and needs the provider configuration (aws's per-region
     * alias) that made them.
     */
    Map<String, ModuleSpec> modulesInState() throws IOException {
        Map<String, ModuleSpec> out = new TreeMap<>();
        Set<String> names = new TreeSet<>();
        if (Files.isRegularFile(state())) {
            JsonNode root = JSON.readTree(state().toFile());
            for (JsonNode r : root.path("resources")) {
                String module = r.path("module").asText("");
                if (!"managed".equals(r.path("mode").asText()) || !module.startsWith("module.")
                        || r.path("instances").isEmpty()) {
                    continue;
                }
                String first = module.substring("module.".length());
                int dot = first.indexOf('.');
                names.add(dot < 0 ? first : first.substring(0, dot));
            }
        }
        if (names.isEmpty()) {
            return out;
        }
        JsonNode groups = readGroups();
        for (String name : names) {
            JsonNode g = groups.path(name);
            String role;
            String region;
            String size = null;
            if (g.isObject()) {
                role = g.path("role").asText();
                region = g.path("region").asText();
                size = g.hasNonNull("size") ? g.path("size").asText() : null;
            } else {
                // No record (written by hand, or the record was lost): the name is role_region, '-' written '_'.
                int u = name.indexOf('_');
                if (u < 0) {
                    LOG.warn("state of {} holds module {} that is not role_region; leaving it alone", dir, name);
                    continue;
                }
                role = name.substring(0, u);
                region = name.substring(u + 1).replace('_', '-');
            }
            out.put(name, new ModuleSpec(name, role, region, size, List.of(), java.util.Map.of()));
        }
        return out;
    }

    /** Records the module blocks of the configuration just written (and forgets the ones no longer in it). */
    void writeGroups(Iterable<ModuleSpec> modules) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        for (ModuleSpec m : modules) {
            ObjectNode g = root.putObject(m.moduleName());
            g.put("role", m.role());
            g.put("region", m.region());
            if (m.size() != null) {
                g.put("size", m.size());
            }
        }
        Files.createDirectories(dir);
        Path tmp = dir.resolve(GROUPS + ".tmp");
        Files.writeString(tmp, JSON.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(GROUPS), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private JsonNode readGroups() {
        Path f = dir.resolve(GROUPS);
        try {
            return Files.isRegularFile(f) ? JSON.readTree(f.toFile()) : JSON.createObjectNode();
        } catch (IOException e) {
            LOG.warn("could not read {}: {}", f, e.toString());
            return JSON.createObjectNode();
        }
    }
}
