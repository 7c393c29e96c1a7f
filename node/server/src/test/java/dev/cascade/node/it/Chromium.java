package dev.cascade.node.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Headless Debian Chromium playing a page, through clients/test/watch.mjs (playwright-core). */
public final class Chromium {
    private Chromium() {}

    /** Starts watching {@code url} for {@code seconds}; the result JSON lands in {@code out}. */
    public static Process watch(String url, int seconds, Path out, Path log) throws IOException {
        return watch(List.of(), url, seconds, out, log);
    }

    /**
     * As {@link #watch(String, int, Path, Path)}, with the command run through {@code commandPrefix},
     * e.g. {@code ["ip", "netns", "exec", NAME]} to play from inside a network namespace (the
     * system tests' {@code NetNs.prefix()}); an empty prefix runs it directly. The prefix must end in
     * something that execs the rest ({@code ip netns exec} does), so destroying the process stops
     * the harness itself. Each sample records {@code frameWidth}/{@code frameHeight} and the player's
     * ABR {@code variant}; the summary {@code variantsSeen} and {@code variant} (clients/README.md).
     */
    public static Process watch(List<String> commandPrefix, String url, int seconds, Path out, Path log) throws IOException {
        List<String> command = new ArrayList<>(commandPrefix);
        command.addAll(List.of("node", NodeProcess.CLIENTS.resolve("test/watch.mjs").toString(),
                "--url", url, "--seconds", Integer.toString(seconds), "--out", out.toString(),
                "--screenshot", out.resolveSibling(out.getFileName() + ".png").toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * Publishes the fake camera and microphone through the publish page (WHIP) for {@code seconds},
     * stamping each frame's capture time into an H.264 SEI (clients/README.md) so players can
     * measure glass-to-glass latency.
     */
    public static Process publish(String url, int seconds, Path out, Path log) throws IOException {
        return new ProcessBuilder("node", NodeProcess.CLIENTS.resolve("test/publish.mjs").toString(),
                "--url", url, "--seconds", Integer.toString(seconds), "--out", out.toString(), "--stamp")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The per-second samples of a finished watch. */
    public static JsonNode samples(Path out) throws IOException {
        return new ObjectMapper().readTree(out.toFile()).get("samples");
    }

    public static JsonNode result(Process p, Path out, Path log, int timeoutSeconds) throws Exception {
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium harness did not finish:\n" + Files.readString(log));
        }
        if (p.exitValue() != 0 || !Files.exists(out)) {
            throw new AssertionError("chromium harness failed (" + p.exitValue() + "):\n" + Files.readString(log));
        }
        return new ObjectMapper().readTree(out.toFile());
    }
}
