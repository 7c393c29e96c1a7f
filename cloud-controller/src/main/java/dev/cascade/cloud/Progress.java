package dev.cascade.cloud;

/**
 * Receives what an apply or destroy is doing, on the calling thread, as it happens.
 *
 * <p>Phases, in order: {@code lock} (waiting for / holding the working directory), {@code synth},
 * {@code init}, {@code plan}, {@code apply} (or {@code destroy}), {@code output}; {@code retry} between attempts.
 * The messages of {@code init}, {@code plan}, {@code apply} and {@code destroy} are Terraform's own
 * ({@code -json} UI messages, e.g. {@code module.edge_local.terraform_data.node["e1"]: Creating...}); errors
 * come as {@code "error: <summary>: <detail>"}. An implementation must be quick and must not throw.
 */
@FunctionalInterface
public interface Progress {
    /** Ignores everything. */
    Progress NONE = (name, cloud, phase, message) -> { };

    void event(String name, String cloud, String phase, String message);
}
