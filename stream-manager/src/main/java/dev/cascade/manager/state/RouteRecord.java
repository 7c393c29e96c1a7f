package dev.cascade.manager.state;

import java.io.Serializable;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stream's route tree: for each node that asked for an upstream, the node it was given. An edge's
 * link points at a relay, a relay's at the origin.
 */
public record RouteRecord(String key, Map<String, Link> links) implements Serializable {
    public record Link(String to, Instant since) implements Serializable {}

    public RouteRecord {
        links = Map.copyOf(links);
    }

    public RouteRecord with(String from, String to, Instant now) {
        Map<String, Link> next = new TreeMap<>(links);
        Link old = next.get(from);
        next.put(from, old != null && old.to().equals(to) ? old : new Link(to, now));
        return new RouteRecord(key, next);
    }

    public RouteRecord without(String from) {
        Map<String, Link> next = new TreeMap<>(links);
        next.remove(from);
        return new RouteRecord(key, next);
    }
}
