package dev.cascade.cloud;

import dev.cascade.cloud.synth.ModuleSpec;
import dev.cascade.cloud.synth.Platform;
import dev.cascade.cloud.synth.RootSpec;
import dev.cascade.cloud.synth.RootSynthesizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks a deployment against the settings and lays it out as module blocks: one per (role, region).
 * Every check throws {@link IllegalArgumentException} naming what is wrong, before anything is written or run.
 * The patterns are the modules' own variable validations, so a deployment that passes here is not refused by
 * Terraform for its names.
 */
final class DeploymentLayout {
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,64}");
    static final Set<String> ROLES = Set.of("origin", "relay", "edge", "transcoder");
    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    static final Pattern NODE_CONFIG_KEY = Pattern.compile("CASCADE_[A-Z0-9_]+");
    static final Pattern MANAGER_URL = Pattern.compile("https?://[^\\s,]+");
    /** The module inputs the controller sets; platform moduleVariables may not. */
    static final Set<String> COMMON_VARIABLES = Set.of("name", "role", "region", "nodes", "size", "image",
            "manager_urls", "join_token", "group", "node_config");

    private DeploymentLayout() {
    }

    static Platform platform(String cloud) {
        return Platform.of(cloud).filter(p -> p.cloud().equals(cloud)).orElseThrow(() -> new IllegalArgumentException(
                "unknown cloud '" + cloud + "' (one of " + Platform.names() + ")"));
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("deployment name '" + name + "' must match " + NAME.pattern()
                    + " (it names the node group and the working directory)");
        }
    }

    /** The platform's module folder, which must hold a Terraform module. */
    static Path moduleDir(CloudSettings s, Platform p) {
        if (s.modulesDir() == null) {
            throw new IllegalArgumentException("modulesDir is not set (the terraform/modules folder)");
        }
        Path dir = s.modulesDir().toAbsolutePath().normalize().resolve(p.cloud());
        boolean hasTf;
        try (Stream<Path> files = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
            hasTf = files.anyMatch(f -> f.toString().endsWith(".tf") || f.toString().endsWith(".tf.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!hasTf) {
            throw new IllegalArgumentException("missing module dir for cloud '" + p.cloud() + "': " + dir
                    + " holds no .tf file (modulesDir must be the terraform/modules folder)");
        }
        return dir;
    }

    static PlatformSettings platformSettings(CloudSettings s, Platform p) {
        PlatformSettings ps = s.platforms().get(p.cloud());
        if (ps == null || ps.image() == null || ps.image().isBlank()) {
            throw new IllegalArgumentException("missing image for platform '" + p.cloud() + "': set platforms."
                    + p.cloud() + ".image" + (p == Platform.LOCAL ? " (the command line that starts a node)" : ""));
        }
        for (String k : ps.moduleVariables().keySet()) {
            if (COMMON_VARIABLES.contains(k)) {
                throw new IllegalArgumentException("platforms." + p.cloud() + ".moduleVariables must not set '" + k
                        + "': the controller sets it");
            }
            if (!IDENTIFIER.matcher(k).matches()) {
                throw new IllegalArgumentException("platforms." + p.cloud() + ".moduleVariables key '" + k
                        + "' is not a Terraform identifier");
            }
        }
        for (String k : ps.providerConfig().keySet()) {
            if (!IDENTIFIER.matcher(k).matches()) {
                throw new IllegalArgumentException("platforms." + p.cloud() + ".providerConfig key '" + k
                        + "' is not a Terraform identifier");
            }
            if (k.equals("alias") || (p.providerPerRegion() && k.equals("region"))) {
                throw new IllegalArgumentException("platforms." + p.cloud() + ".providerConfig must not set '" + k
                        + "': the controller sets it per region");
            }
        }
        if (p == Platform.LOCAL && !ps.providerConfig().isEmpty()) {
            throw new IllegalArgumentException("platforms.local.providerConfig must be empty: local uses no provider");
        }
        ps.nodeConfig().forEach((k, v) -> {
            if (!NODE_CONFIG_KEY.matcher(k).matches() || v == null || v.contains("\n")) {
                throw new IllegalArgumentException("platforms." + p.cloud() + ".nodeConfig: '" + k
                        + "' must match CASCADE_[A-Z0-9_]+ with a one-line value");
            }
        });
        return ps;
    }

    static void checkSettings(CloudSettings s) {
        Objects.requireNonNull(s, "settings");
        if (s.workRoot() == null) {
            throw new IllegalArgumentException("workRoot is not set");
        }
        if (s.attempts() < 1) {
            throw new IllegalArgumentException("attempts must be >= 1, was " + s.attempts());
        }
        if (s.firstBackoff().isNegative() || s.maxBackoff().isNegative()) {
            throw new IllegalArgumentException("firstBackoff and maxBackoff must not be negative");
        }
        if (s.applyTimeout().isNegative() || s.applyTimeout().isZero()) {
            throw new IllegalArgumentException("applyTimeout must be > 0");
        }
        for (String u : s.managerUrls()) {
            if (u == null || !MANAGER_URL.matcher(u).matches()) {
                throw new IllegalArgumentException("manager URL '" + u + "' must be an http:// or https:// base URL");
            }
        }
    }

    /**
     * Validates the deployment and lays out its module blocks, plus (with no nodes) the blocks of groups the state
     * still holds.
     */
    static RootSpec layout(Deployment d, CloudSettings s, Path workDir, Map<String, ModuleSpec> inState) {
        Objects.requireNonNull(d, "deployment");
        checkName(d.name());
        Platform platform = platform(d.cloud());
        Path source = moduleDir(s, platform);
        PlatformSettings ps = platformSettings(s, platform);

        Set<String> ids = new HashSet<>();
        Map<String, List<NodeSpec>> groups = new TreeMap<>();
        for (NodeSpec n : d.nodes()) {
            if (n == null) {
                throw new IllegalArgumentException("deployment " + d.name() + " has a null node");
            }
            if (n.id() == null || !NODE_ID.matcher(n.id()).matches()) {
                throw new IllegalArgumentException("bad node id '" + n.id() + "': must match " + NODE_ID.pattern());
            }
            if (!ids.add(n.id())) {
                throw new IllegalArgumentException("duplicate node id '" + n.id() + "' in deployment " + d.name());
            }
            if (!ROLES.contains(n.role())) {
                throw new IllegalArgumentException("node " + n.id() + ": role '" + n.role()
                        + "' must be origin, relay, edge or transcoder");
            }
            if (n.region() == null || !REGION.matcher(n.region()).matches()) {
                throw new IllegalArgumentException("node " + n.id() + ": region '" + n.region() + "' must match "
                        + REGION.pattern());
            }
            groups.computeIfAbsent(ModuleSpec.nameFor(n.role(), n.region()), k -> new ArrayList<>()).add(n);
        }

        Map<String, ModuleSpec> modules = new TreeMap<>();
        groups.forEach((module, nodes) -> {
            Set<String> sizes = new HashSet<>();
            nodes.forEach(n -> sizes.add(n.size() == null || n.size().isBlank() ? "" : n.size()));
            if (sizes.size() > 1) {
                throw new IllegalArgumentException("nodes of role " + nodes.get(0).role() + " in "
                        + nodes.get(0).region() + " ask for different sizes " + new java.util.TreeSet<>(sizes)
                        + ": one (role, region) has one size");
            }
            String size = sizes.iterator().next();
            Set<Map<String, String>> configs = new HashSet<>();
            nodes.forEach(n -> configs.add(n.nodeConfig()));
            if (configs.size() > 1) {
                throw new IllegalArgumentException("nodes of role " + nodes.get(0).role() + " in "
                        + nodes.get(0).region() + " ask for different node settings: one (role, region) has one node_config");
            }
            modules.put(module, new ModuleSpec(module, nodes.get(0).role(), nodes.get(0).region(),
                    size.isEmpty() ? null : size, nodes.stream().map(NodeSpec::id).sorted().toList(),
                    configs.iterator().next()));
        });
        inState.forEach((module, kept) -> {
            if (!modules.containsKey(module) && ROLES.contains(kept.role()) && REGION.matcher(kept.region()).matches()) {
                modules.put(module, kept);
            }
        });

        Map<String, String> moduleVariables = new HashMap<>(ps.moduleVariables());
        if (platform == Platform.LOCAL) {
            // Where node.sh keeps each node's pid, ports and log: next to the state that knows the nodes.
            moduleVariables.putIfAbsent("state_dir", workDir.toAbsolutePath().normalize().toString());
        }
        // Relative to the working directory: Terraform uses a "./" or "../" module in place, where an
        // absolute path is a package it copies into .terraform/modules (once per module block, the
        // later copies made from the first, which breaks the cloud modules' link to ../../cloud-init).
        Path relative = workDir.toAbsolutePath().normalize().relativize(source.toAbsolutePath().normalize());
        return new RootSpec(d.name(), platform, source, RootSynthesizer.sourceText(relative), ps.image(), s.managerUrls(), ps.providerConfig(),
                moduleVariables, ps.nodeConfig(), List.copyOf(modules.values()));
    }
}
