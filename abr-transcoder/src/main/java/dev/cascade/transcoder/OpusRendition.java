package dev.cascade.transcoder;

import java.util.List;

/**
 * The ffmpeg command for a stream's Opus rendition: pull {@code app/name} from the origin over SRT,
 * copy the video, encode the audio to Opus at 48 kHz stereo once, publish {@code app/name.opus}.
 * Timestamps are kept ({@code -copyts}) so the rendition's audio lines up with the source's video.
 */
public final class OpusRendition {
    public static final String SUFFIX = ".opus";

    private OpusRendition() {}

    public static String renditionName(String name) {
        return name + SUFFIX;
    }

    public static boolean isRendition(String name) {
        return name.endsWith(SUFFIX);
    }

    /**
     * @param host origin address the transcoder reaches (SRT)
     * @param latencyMs SRT latency for both legs (an in-cluster hop)
     */
    public static List<String> command(String host, int srtPort, String app, String name, int latencyMs) {
        String in = "srt://" + host + ":" + srtPort + "?latency=" + latencyMs * 1000
                + "&streamid=#!::r=" + app + "/" + name + ",m=request,hop=transcoder";
        String out = "srt://" + host + ":" + srtPort + "?latency=" + latencyMs * 1000
                + "&streamid=#!::r=" + app + "/" + renditionName(name) + ",m=publish";
        return List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "warning",
                "-fflags", "+nobuffer", "-i", in,
                "-map", "0:v:0?", "-map", "0:a:0", "-c:v", "copy",
                "-c:a", "libopus", "-b:a", "96k", "-ar", "48000", "-ac", "2", "-application", "lowdelay",
                "-copyts", "-muxdelay", "0", "-muxpreload", "0", "-f", "mpegts", out);
    }
}
