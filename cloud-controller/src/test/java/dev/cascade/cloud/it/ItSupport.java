package dev.cascade.cloud.it;

import dev.cascade.cloud.CloudSettings;
import dev.cascade.cloud.PlatformSettings;
import dev.cascade.cloud.Progress;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** What the integration tests share: where terraform, the modules and the node are, and small helpers. */
public final class ItSupport {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ItSupport() {
    }

    public static String terraform() {
        String t = System.getProperty("cascade.terraform", "terraform");
        return t.isBlank() ? "terraform" : t;
    }

    /** The real terraform/modules (set by the pom). */
    public static Path modulesDir() {
        return Path.of(System.getProperty("cascade.modules.dir", "../terraform/modules")).toAbsolutePath().normalize();
    }

    /** src/test/resources/failing-modules: a "local" module whose nodes are files, and chosen ids fail or hang. */
    public static Path failingModulesDir() {
        return Path.of(System.getProperty("cascade.failing.modules.dir", "src/test/resources/failing-modules"))
                .toAbsolutePath().normalize();
    }

    /** The command the local module runs per node: the media node from node/server's build output. */
    public static String nodeCommand() {
        String cp = System.getProperty("cascade.node.classpath",
                "../node/server/target/classes:../node/server/target/lib/*");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return "'" + java + "' -Xmx128m -cp '" + cp + "' dev.cascade.node.Main";
    }

    public static CloudSettings settings(Path workRoot, Path modulesDir, PlatformSettings local, int attempts,
                                         Duration timeout) {
        return new CloudSettings(workRoot, modulesDir, terraform(), List.of(), "", Map.of("local", local), attempts,
                Duration.ofMillis(20), Duration.ofMillis(80), timeout);
    }

    /** Records every progress event as "phase | message". */
    public static final class Recorder implements Progress {
        public final List<String> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void event(String name, String cloud, String phase, String message) {
            events.add(phase + " | " + message);
        }

        public List<String> phase(String phase) {
            synchronized (events) {
                return events.stream().filter(e -> e.startsWith(phase + " | ")).toList();
            }
        }
    }

    /** The node's HTTP port from the local module's state_dir/nodes/<id>.ports ("srt=", "http=", "webrtc=" lines). */
    public static Optional<Integer> httpPort(Path stateDir, String id) throws IOException {
        Path ports = stateDir.resolve("nodes").resolve(id + ".ports");
        if (!Files.isRegularFile(ports)) {
            return Optional.empty();
        }
        return Files.readAllLines(ports).stream().filter(l -> l.startsWith("http="))
                .map(l -> Integer.parseInt(l.substring(5).strip())).findFirst();
    }

    /** The node's pid from state_dir/nodes/<id>.pid ("pid starttime"). */
    public static Optional<Long> pid(Path stateDir, String id) throws IOException {
        Path f = stateDir.resolve("nodes").resolve(id + ".pid");
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(Files.readString(f).strip().split("\\s+")[0]));
    }

    /** GET /healthz: the status code, or -1 when nothing answers. */
    public static int healthz(int port) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Polls until the condition holds or the bound passes (a bound against hanging, not a timing assertion). */
    public static boolean eventually(Duration bound, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() - end < 0) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }
}
