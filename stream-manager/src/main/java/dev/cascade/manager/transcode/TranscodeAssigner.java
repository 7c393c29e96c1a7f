package dev.cascade.manager.transcode;

import dev.cascade.manager.StreamManager;
import dev.cascade.manager.state.NodeGroup;
import dev.cascade.manager.state.Processors;
import dev.cascade.manager.state.Provision;
import dev.cascade.manager.state.TranscodeRecord;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code cascade.transcodes} in step with the live streams, their provisions and the
 * transcoders: every second, on the oldest member only (like the janitor; the community edition has
 * no leader election), it plans from this member's views ({@link TranscodePlanner}) and writes each
 * change with an entry processor that applies it only to the record it was decided from. If the
 * oldest member dies, the next one carries on from its next tick; a change two members made at once
 * lands once, the other finds the record changed and decides again next time.
 *
 * <p>Transcoders learn their jobs from their heartbeat answers, so a change reaches the transcoder
 * within a heartbeat interval of being made.
 */
public final class TranscodeAssigner {
    private static final Logger LOG = LoggerFactory.getLogger(TranscodeAssigner.class);
    private final StreamManager m;

    public TranscodeAssigner(StreamManager m) {
        this.m = m;
    }

    public void run() {
        if (!m.state.isOldest()) {
            return;
        }
        List<TranscodePlanner.Change> changes = TranscodePlanner.plan(new TranscodePlanner.Inputs(m.streams.asMap(),
                m.nodes.asMap(), m.provisions.asMap(), groupDefaults(), m.transcodes.asMap()), Instant.now());
        for (TranscodePlanner.Change c : changes) {
            Boolean applied = m.state.transcodes.executeOnKey(c.stream(), new Processors.SetTranscode(c.before(), c.after()));
            if (!Boolean.TRUE.equals(applied)) {
                continue; // the record changed under us: decided again from the fresh one next time
            }
            m.transcodes.written(c.stream(), c.after());
            m.metrics.transcodeChange(c.action());
            log(c);
        }
    }

    /** Each node group's default ladder, by group name. */
    private Map<String, Provision> groupDefaults() {
        Map<String, Provision> out = new HashMap<>();
        for (NodeGroup g : m.groups.values()) {
            if (g.abr() != null) {
                out.put(g.name(), g.abr());
            }
        }
        return out;
    }

    private static void log(TranscodePlanner.Change c) {
        TranscodeRecord a = c.after();
        switch (c.action()) {
            case "wait" -> LOG.warn("stream {}: no transcoder for its {}-level ladder ({}); viewers get the source only "
                            + "until one has room",
                    c.stream(), a.ladder().size(), c.why());
            case "drop" -> LOG.info("stream {}: transcode job on {} ends ({})", c.stream(),
                    c.before().transcoder() == null ? "no transcoder" : c.before().transcoder(), c.why());
            default -> LOG.info("stream {}: {}-level ladder on transcoder {} from origin {} ({}: {})", c.stream(),
                    a.ladder().size(), a.transcoder(), a.origin(), c.action(), c.why());
        }
    }
}
