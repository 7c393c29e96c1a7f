package dev.cascade.manager.state;

import java.io.Serializable;

/**
 * One stream as a node reports it in its heartbeat.
 *
 * @param publishing a publisher is on the stream at this node (origins)
 * @param subscribers viewers and downstream pulls of the stream at this node
 * @param kbps the stream's bitrate arriving at this node
 * @param upstream the node this one pulls the stream from (null at the origin)
 */
public record NodeStream(String key, boolean publishing, int subscribers, int kbps, String upstream)
        implements Serializable {
    public NodeStream {
        Validation.streamKey("streams[].key", key);
        Validation.atLeast("streams[].subscribers", subscribers, 0);
        Validation.atLeast("streams[].kbps", kbps, 0);
        if (upstream != null) {
            Validation.id("streams[].upstream", upstream);
        }
    }
}
