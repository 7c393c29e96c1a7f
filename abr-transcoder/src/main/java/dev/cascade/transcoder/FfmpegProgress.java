package dev.cascade.transcoder;

/**
 * Reads ffmpeg's {@code -progress} output: blocks of {@code key=value} lines, each ended by
 * {@code progress=continue} (or {@code progress=end} when ffmpeg finishes). One instance per ffmpeg
 * process, fed line by line from its stdout; {@link #latest()} is the last complete block, so a
 * reader never sees half a block. With several outputs, ffmpeg reports the first output's frame
 * count and the total bitrate; {@code speed} is the real-time factor (1.0 = keeping up with a live
 * source; below 1 the transcoder falls behind).
 */
public final class FfmpegProgress {
    /** One block: frames encoded, their rate, the output time, bytes written, and the real-time factor. */
    public record Stats(long frames, double fps, long outTimeMicros, long totalBytes, double speed, boolean ended) {
        public static final Stats NONE = new Stats(0, 0, 0, 0, 0, false);
    }

    private long frames;
    private double fps;
    private long outTimeMicros;
    private long totalBytes;
    private double speed;
    private volatile Stats latest = Stats.NONE;
    private long malformed;

    /** One line of the progress output; unknown keys are ignored, unparsable values counted. */
    public void line(String line) {
        int eq = line.indexOf('=');
        if (eq <= 0) {
            malformed++;
            return;
        }
        String key = line.substring(0, eq).trim();
        String value = line.substring(eq + 1).trim();
        try {
            switch (key) {
                case "frame" -> frames = Long.parseLong(value);
                case "fps" -> fps = Double.parseDouble(value);
                case "out_time_us" -> outTimeMicros = "N/A".equals(value) ? outTimeMicros : Long.parseLong(value);
                case "total_size" -> totalBytes = "N/A".equals(value) ? totalBytes : Long.parseLong(value);
                // "1.01x", or "N/A" before the first frame
                case "speed" -> speed = value.endsWith("x") ? Double.parseDouble(value.substring(0, value.length() - 1)) : 0;
                case "progress" -> latest = new Stats(frames, fps, outTimeMicros, totalBytes, speed, "end".equals(value));
                default -> { }
            }
        } catch (NumberFormatException e) {
            malformed++;
        }
    }

    public Stats latest() {
        return latest;
    }

    /** Lines that were not {@code key=value} or whose number did not parse. */
    public long malformed() {
        return malformed;
    }
}
