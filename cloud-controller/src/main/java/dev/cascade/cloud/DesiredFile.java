package dev.cascade.cloud;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CLI's input file: a deployment plus the settings to apply it with. Unknown keys are refused.
 *
 * <pre>
 * {
 *   "name": "events", "cloud": "local",
 *   "nodes": [ {"id": "edge-1", "role": "edge", "region": "local"}, ... ],
 *   "settings": {
 *     "workRoot": "/var/lib/cascade/cloud", "modulesDir": "terraform/modules", "terraform": "terraform",
 *     "managerUrls": ["http://127.0.0.1:8080"],
 *     "platforms": { "local": { "image": "java -cp '/opt/cascade/lib/*' dev.cascade.node.Main",
 *                               "providerConfig": {}, "moduleVariables": {}, "nodeConfig": {} } },
 *     "attempts": 3, "firstBackoff": "5s", "maxBackoff": "2m", "applyTimeout": "30m"
 *   }
 * }
 * </pre>
 * The join token is read from the environment ({@code CASCADE_MANAGER_JOIN_TOKEN}) unless settings.joinToken is set.
 */
record DesiredFile(String name, String cloud, List<NodeSpec> nodes, Settings settings) {
    static final String TOKEN_ENV = "CASCADE_MANAGER_JOIN_TOKEN";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    @JsonCreator
    DesiredFile(@JsonProperty(value = "name", required = true) String name,
                @JsonProperty(value = "cloud", required = true) String cloud,
                @JsonProperty("nodes") List<NodeSpec> nodes,
                @JsonProperty("settings") Settings settings) {
        this.name = name;
        this.cloud = cloud;
        this.nodes = nodes == null ? List.of() : nodes;
        this.settings = settings == null ? new Settings(null, null, null, null, null, null, null, null, null, null)
                : settings;
    }

    record Settings(String workRoot, String modulesDir, String terraform, List<String> managerUrls, String joinToken,
                    Map<String, PlatformSettings> platforms, Integer attempts, String firstBackoff, String maxBackoff,
                    String applyTimeout) {
    }

    static DesiredFile read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), DesiredFile.class);
    }

    Deployment deployment() {
        return new Deployment(name, cloud, nodes);
    }

    /** The settings, command-line options winning over the file, the defaults of {@link CloudSettings#of} for the rest. */
    CloudSettings cloudSettings(Path workRootOption, Path modulesOption, String terraformOption, Map<String, String> env) {
        Settings s = settings;
        Path workRoot = workRootOption != null ? workRootOption
                : s.workRoot() != null ? Path.of(s.workRoot())
                : Path.of(System.getProperty("user.home"), ".cascade", "cloud");
        Path modules = modulesOption != null ? modulesOption
                : s.modulesDir() != null ? Path.of(s.modulesDir()) : Path.of("terraform", "modules");
        String terraform = terraformOption != null ? terraformOption : s.terraform();
        String token = s.joinToken() != null ? s.joinToken() : env.getOrDefault(TOKEN_ENV, "");
        CloudSettings d = CloudSettings.of(workRoot, modules, Map.of());
        return new CloudSettings(workRoot, modules, terraform, s.managerUrls(), token, s.platforms(),
                s.attempts() != null ? s.attempts() : d.attempts(),
                duration("firstBackoff", s.firstBackoff(), d.firstBackoff()),
                duration("maxBackoff", s.maxBackoff(), d.maxBackoff()),
                duration("applyTimeout", s.applyTimeout(), d.applyTimeout()));
    }

    /** {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, or ISO-8601 ({@code PT30S}). */
    static Duration duration(String key, String value, Duration dflt) {
        if (value == null) {
            return dflt;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        try {
            return Duration.parse(value.strip());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("settings." + key + " '" + value + "' is not a duration (250ms, 5s, 2m, 1h, PT30S)");
        }
    }
}
