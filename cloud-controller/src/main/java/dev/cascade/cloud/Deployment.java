package dev.cascade.cloud;

import java.util.List;

/**
 * The desired state of one node group on one platform: exactly these nodes, no others.
 *
 * @param name  the node group's name; {@code [a-z0-9][a-z0-9-]{0,62}}. With {@code cloud} it names the
 *              working directory ({@code <workRoot>/<name>/<cloud>/}) and so the Terraform state.
 * @param cloud {@code local}, {@code aws}, {@code gcp}, {@code azure}, {@code digitalocean}, {@code linode} or
 *              {@code openstack}
 * @param nodes the nodes; empty: destroy every node of this deployment
 */
public record Deployment(String name, String cloud, List<NodeSpec> nodes) {
    public Deployment {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }
}
