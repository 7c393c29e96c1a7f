package dev.cascade.transcoder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The ffmpeg command that turns one stream into its ABR ladder in one process: the source is decoded
 * once, split, scaled and encoded per level, each level with Opus audio, each published as its own
 * MPEG-TS output.
 *
 * <p>What makes variants switchable at the edge (ARCHITECTURE section 4):
 * <ul>
 *   <li>keyframes at the same instants in every level: forced on a time grid
 *       ({@code -force_key_frames expr:gte(t,n_forced*G)}), scene-cut keyframes off
 *       ({@code -sc_threshold 0}), and a GOP no longer than the grid;</li>
 *   <li>no B-frames and H.264 constrained baseline ({@code -profile:v baseline}): what every WebRTC
 *       browser decodes, and no reordering delay;</li>
 *   <li>the source's timestamps kept ({@code -copyts}), so a switch needs no timestamp guessing
 *       beyond the frame duration;</li>
 *   <li>CBR-like rate control ({@code -maxrate} = bitrate, a one-second buffer), so a level's
 *       bitrate is what the edge's REMB comparison assumes.</li>
 * </ul>
 */
public final class Ladder {
    private Ladder() {}

    /** One level of the ladder; level 1 is the highest. */
    public record Level(int level, int width, int height, int bitrateKbps, int fps) {
        public Level {
            if (level < 1 || width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0 || bitrateKbps < 50 || fps < 1) {
                throw new IllegalArgumentException("bad ladder level " + level + ": " + width + "x" + height + " "
                        + bitrateKbps + " kbps " + fps + " fps");
            }
        }
    }

    /** {@code live/NAME} level 2 is published as {@code live/NAME_2}. */
    public static String variantName(String name, int level) {
        return name + "_" + level;
    }

    /**
     * The ladder of stream {@code app/name} as a transcoder runs it: pull the stream from its origin
     * over SRT ({@code m=request,hop=transcoder}) and publish each level back to the same origin as
     * {@code app/name_LEVEL} ({@code m=publish,hop=transcoder}, so the origin gives both the
     * inter-node latency).
     *
     * @param latencyMs SRT latency of the pull and the publishes (an in-cluster hop)
     */
    public static List<String> srtCommand(String host, int srtPort, String app, String name, int latencyMs,
                                          List<Level> ladder, double gopSeconds, int audioKbps) {
        String base = "srt://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + srtPort
                + "?latency=" + latencyMs * 1000L + "&streamid=#!::r=" + app + "/";
        return command(base + name + ",m=request,hop=transcoder", ladder, gopSeconds, audioKbps,
                l -> base + variantName(name, l.level()) + ",m=publish,hop=transcoder");
    }

    /**
     * @param input       where the source is read (an SRT URL in production, a file in tests)
     * @param ladder      the levels, highest first
     * @param gopSeconds  the keyframe grid, shared by every level
     * @param audioKbps   Opus bitrate of every level
     * @param output      where each level goes (SRT URL or file)
     */
    public static List<String> command(String input, List<Level> ladder, double gopSeconds, int audioKbps,
                                       Function<Level, String> output) {
        if (ladder.isEmpty()) {
            throw new IllegalArgumentException("an empty ladder");
        }
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "warning",
                "-nostats", "-progress", "pipe:1", "-fflags", "+nobuffer+genpts", "-i", input));
        StringBuilder graph = new StringBuilder("[0:v:0]split=").append(ladder.size());
        for (Level l : ladder) {
            graph.append("[s").append(l.level()).append(']');
        }
        for (Level l : ladder) {
            graph.append(";[s").append(l.level()).append("]scale=").append(l.width()).append(':').append(l.height())
                    .append(":flags=bicubic,fps=").append(l.fps()).append(",format=yuv420p[v").append(l.level()).append(']');
        }
        cmd.addAll(List.of("-filter_complex", graph.toString()));
        String grid = "expr:gte(t,n_forced*" + String.format(Locale.ROOT, "%.3f", gopSeconds) + ")";
        for (Level l : ladder) {
            int gop = (int) Math.max(1, Math.round(gopSeconds * l.fps()));
            String rate = l.bitrateKbps() + "k";
            cmd.addAll(List.of("-map", "[v" + l.level() + "]", "-map", "0:a:0?",
                    "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-profile:v", "baseline",
                    "-bf", "0", "-g", Integer.toString(gop), "-keyint_min", Integer.toString(gop), "-sc_threshold", "0",
                    "-force_key_frames", grid,
                    "-b:v", rate, "-maxrate", rate, "-bufsize", rate,
                    "-c:a", "libopus", "-b:a", audioKbps + "k", "-ar", "48000", "-ac", "2", "-application", "lowdelay",
                    "-copyts", "-muxdelay", "0", "-muxpreload", "0", "-f", "mpegts", output.apply(l)));
        }
        return cmd;
    }
}
