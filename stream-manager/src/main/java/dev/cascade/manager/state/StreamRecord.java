package dev.cascade.manager.state;

import java.io.Serializable;
import java.time.Instant;

/**
 * Which origin holds a stream. Written when a publisher is placed (so a second publisher of the same
 * stream, or a relay's route, goes to the same origin before the first one connects) and when an
 * origin's heartbeat shows it publishing. Per-node numbers live in the nodes' heartbeats.
 *
 * @param live an origin reported a publisher on the stream at its last heartbeat
 * @param placedAt the last publish placement
 * @param seenAt the last time any node reported carrying the stream
 */
public record StreamRecord(String key, String origin, boolean live, Instant placedAt, Instant seenAt)
        implements Serializable {}
