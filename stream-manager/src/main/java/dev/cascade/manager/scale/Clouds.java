package dev.cascade.manager.scale;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cascade.cloud.CloudController;
import dev.cascade.cloud.CloudSettings;
import dev.cascade.cloud.PlatformSettings;
import dev.cascade.config.ConfigException;
import dev.cascade.manager.StreamManager;
import dev.cascade.manager.config.ManagerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds the cloud controller from the {@code cloud} section of the configuration. */
public final class Clouds {
    private Clouds() {}

    /** One cloud's entry in {@code cloud.platformsFile}. */
    record Platform(String image, Map<String, String> provider, Map<String, String> variables, Map<String, String> node) {}

    public static Provisioner provisioner(StreamManager m) {
        ManagerConfig.Cloud c = m.config.cloud();
        if (c.modulesDir().isBlank()) {
            return new Provisioner(m, null, "cloud.modulesDir is not set: this stream manager cannot start nodes "
                    + "(set CASCADE_SM_CLOUD_MODULES_DIR to the terraform/modules directory)");
        }
        Path modules = Path.of(c.modulesDir()).toAbsolutePath();
        if (!Files.isDirectory(modules)) {
            throw new ConfigException("cloud.modulesDir", modules + " is not a directory");
        }
        Path work = c.workDir().isBlank() ? Path.of(System.getProperty("user.home"), ".cascade", "terraform")
                : Path.of(c.workDir());
        work = work.toAbsolutePath();
        Map<String, PlatformSettings> platforms = new HashMap<>(platforms(c.platformsFile()));
        PlatformSettings local = platforms.get("local");
        Map<String, String> localVars = new HashMap<>(local == null ? Map.of() : local.moduleVariables());
        // The autoscaler watches nodes register (and replaces those that do not within its boot
        // timeout), so an apply need not wait for a JVM to listen: it stays well under a second.
        localVars.putIfAbsent("start_timeout", "0");
        String image = local != null && local.image() != null && !local.image().isBlank() ? local.image() : c.nodeCommand();
        platforms.put("local", new PlatformSettings(image, Map.of(), localVars,
                local == null ? Map.of() : local.nodeConfig()));
        String urls = c.managerUrls().isBlank()
                ? "http://" + m.config.cluster().publicAddress() + ":" + m.config.http().port() : c.managerUrls();
        List<String> managerUrls = Arrays.stream(urls.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        CloudSettings settings = new CloudSettings(work, modules, c.terraform(), managerUrls, m.config.security().joinToken(),
                platforms, c.attempts(), Duration.ofMillis(c.firstBackoffMs()), Duration.ofMillis(c.maxBackoffMs()),
                Duration.ofMillis(c.applyTimeoutMs()));
        return new Provisioner(m, new CloudController(settings), null);
    }

    private static Map<String, PlatformSettings> platforms(String file) {
        if (file.isBlank()) {
            return Map.of();
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        Map<String, PlatformSettings> out = new HashMap<>();
        try {
            Map<String, Platform> raw = yaml.readValue(Path.of(file).toFile(),
                    yaml.getTypeFactory().constructMapType(Map.class, String.class, Platform.class));
            raw.forEach((cloud, p) -> out.put(cloud, new PlatformSettings(p.image() == null ? "" : p.image(),
                    p.provider() == null ? Map.of() : p.provider(), p.variables() == null ? Map.of() : p.variables(),
                    p.node() == null ? Map.of() : p.node())));
        } catch (IOException e) {
            throw new ConfigException("cloud.platformsFile", file + ": " + e.getMessage());
        }
        return out;
    }
}
