package dev.cascade.cloud;

import java.time.Duration;
import java.util.List;

/**
 * What an apply left running.
 *
 * @param nodes    every node of the deployment after the apply, sorted by id
 * @param took     the whole call: lock wait, synthesis, init, apply and output, retries included
 * @param attempts how many attempts it took (1 when the first one succeeded)
 */
public record ApplyResult(String name, String cloud, List<NodeInstance> nodes, Duration took, int attempts) {
    public ApplyResult {
        nodes = List.copyOf(nodes);
    }
}
