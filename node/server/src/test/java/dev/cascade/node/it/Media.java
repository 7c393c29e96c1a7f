package dev.cascade.node.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** ffmpeg, ffprobe and srt-live-transmit as the real publishers and viewers of the integration tests. */
public final class Media {
    private Media() {}

    /** The reference publisher, flag for flag: 720p30 test pattern, x264 zerolatency, GOP 60, AAC. */
    public static Process publishTestPattern(String url, int seconds, Path log) throws IOException {
        return publishTestPattern(url, seconds, "1280x720", log);
    }

    /** The same publisher at another size. */
    public static Process publishTestPattern(String url, int seconds, String size, Path log) throws IOException {
        return new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "warning", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=30", "-f", "lavfi", "-i", "sine",
                "-t", Integer.toString(seconds), "-c:v", "libx264", "-tune", "zerolatency",
                "-g", "60", "-c:a", "aac", "-f", "mpegts", url)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** ffmpeg as the publisher of a ready-made TS file, in real time and without re-encoding. */
    public static Process publishFile(String url, Path file, Path log) throws IOException {
        return new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "warning", "-re",
                "-i", file.toString(), "-map", "0", "-c", "copy", "-f", "mpegts", url)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Records what an SRT pull delivers, without re-encoding, until the stream ends. */
    public static Process record(String url, Path out, Path log) throws IOException {
        return new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "warning", "-y",
                "-i", url, "-map", "0", "-c", "copy", "-f", "mpegts", out.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** A TS file made once per test run: 640x360 30 fps, keyframe every second, AAC audio. */
    public static Path testFile(Path dir, int seconds) throws IOException, InterruptedException {
        return testFile(dir, seconds, "640x360", 30);
    }

    /**
     * A TS file made ahead of time (so no test pays for real-time encoding on a 2-core machine):
     * {@code size} at 30 fps, a keyframe every {@code gop} frames, AAC audio.
     */
    public static Path testFile(Path dir, int seconds, String size, int gop) throws IOException, InterruptedException {
        Path f = dir.resolve("source-" + size + "-" + seconds + "s.ts");
        if (!Files.exists(f)) {
            Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=30", "-f", "lavfi", "-i", "sine",
                    "-t", Integer.toString(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-g", Integer.toString(gop),
                    "-c:a", "aac", "-f", "mpegts", f.toString()).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException("ffmpeg could not make " + f);
            }
        }
        return f;
    }

    /** Decoded frame counts of a recording: [video frames, audio frames]. */
    public static long[] countFrames(Path file) throws IOException, InterruptedException {
        return new long[] {framesOf(file, "v:0"), framesOf(file, "a:0")};
    }

    private static long framesOf(Path file, String stream) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-select_streams", stream, "-count_frames",
                "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file.toString())
                .redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor(60, TimeUnit.SECONDS);
        if (out.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(out.split("[,\\s]")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static boolean waitFor(Process p, long seconds) throws InterruptedException {
        return p.waitFor(seconds, TimeUnit.SECONDS);
    }

    /** Reads a TS file into 1316-byte messages (7 packets), the unit encoders send over SRT. */
    public static List<byte[]> messages(Path ts) throws IOException {
        byte[] all = Files.readAllBytes(ts);
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off + 1316 <= all.length; off += 1316) {
            byte[] m = new byte[1316];
            System.arraycopy(all, off, m, 0, 1316);
            out.add(m);
        }
        return out;
    }
}
