package dev.cascade.manager.scale;

import dev.cascade.manager.state.Capacity;
import dev.cascade.manager.state.Load;

/**
 * A node's load as one fraction of what it can carry: the highest of CPU and, where the node has a
 * limit, subscribers, publishers, outgoing bandwidth and (transcoders) transcode jobs over that limit.
 * The busiest resource is the one that runs out first, so it is the one scaling must follow. A
 * transcoder reports its jobs as its {@code streams}, and its CPU with its ffmpeg processes'.
 */
public final class Utilization {
    private Utilization() {}

    public static double of(Load load, Capacity cap) {
        double u = load.cpu();
        if (cap.maxSubscribers() > 0) {
            u = Math.max(u, (double) load.subscribers() / cap.maxSubscribers());
        }
        if (cap.maxPublishers() > 0) {
            u = Math.max(u, (double) load.publishers() / cap.maxPublishers());
        }
        if (cap.maxMbpsOut() > 0) {
            u = Math.max(u, load.mbpsOut() / cap.maxMbpsOut());
        }
        if (cap.maxJobs() > 0) {
            u = Math.max(u, (double) load.streams() / cap.maxJobs());
        }
        return u;
    }
}
