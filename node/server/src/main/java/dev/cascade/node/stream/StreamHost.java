package dev.cascade.node.stream;

import dev.cascade.node.config.NodeConfig;
import dev.cascade.node.metrics.NodeMetrics;
import dev.cascade.node.srt.SrtLoop;

/** What a stream needs from its node: the loop that owns it, settings, metrics, and a way out. */
public interface StreamHost {
    SrtLoop loop();

    NodeConfig config();

    NodeMetrics metrics();

    /** The stream's PMT now lists these audio codecs (first PMT, or a change). Loop thread. */
    default void streamFormat(Stream stream, boolean aacAudio, boolean opusAudio) {}

    /** The stream has ended (its subscribers are closed) for {@code reason}; forget it. */
    void streamEnded(Stream stream, String reason);
}
