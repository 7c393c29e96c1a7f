package dev.cascade.cloud;

/**
 * One node as Terraform reports it after an apply (the module's {@code nodes} output).
 *
 * @param address where the node answers (public IP or host name; {@code 127.0.0.1} for {@code local}); what
 *                the stream manager matches the node's registration with
 */
public record NodeInstance(String id, String role, String region, String address) {
}
