package dev.cascade.manager.state;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * A stream's transcode job ({@code cascade.transcodes}): which transcoder runs its ABR ladder, pulling
 * from which origin and publishing the variants back there. Written only by the transcode assigner on
 * the oldest member; the heartbeat answer to a transcoder lists the records naming it.
 *
 * @param stream     the source stream, {@code app/name}
 * @param transcoder the transcoder node's id; null while no transcoder in service has room (the
 *                   stream plays without variants meanwhile)
 * @param origin     the origin node holding the stream
 * @param ladder     the effective ladder, level 1 first
 * @param from       {@code stream} (the stream's own provision) or {@code group} (its origin's node
 *                   group's default)
 * @param since      when this transcoder got the job (or when the job started waiting for one)
 */
public record TranscodeRecord(String stream, String transcoder, String origin, List<Provision.Level> ladder, String from,
                              Instant since) implements Serializable {
    public static final String FROM_STREAM = "stream";
    public static final String FROM_GROUP = "group";

    public TranscodeRecord {
        ladder = List.copyOf(ladder);
    }

    /** Whether the record asks the same of its transcoder as {@code other} (the {@code since} aside). */
    public boolean sameJob(TranscodeRecord other) {
        return other != null && java.util.Objects.equals(transcoder, other.transcoder) && origin.equals(other.origin)
                && ladder.equals(other.ladder) && from.equals(other.from);
    }
}
