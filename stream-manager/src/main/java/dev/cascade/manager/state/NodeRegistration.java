package dev.cascade.manager.state;

import java.io.Serializable;

/**
 * What a node says about itself when it registers (POST /api/v1/nodes/register). A transcoder has no
 * SRT port of its own ({@code srtPort} 0) and says how many ladders it runs at once in
 * {@code capacity.maxJobs}.
 */
public record NodeRegistration(String id, NodeRole role, String region, String cloud, String group, String host,
                               Integer srtPort, Integer httpPort, Integer webrtcPort, Capacity capacity)
        implements Serializable {
    public NodeRegistration {
        Validation.id("id", id);
        if (role == null) {
            throw new InvalidValueException("role", "is required (origin, relay, edge or transcoder)");
        }
        Validation.region("region", region);
        cloud = cloud == null ? "local" : Validation.id("cloud", cloud);
        group = group == null ? "" : group;
        if (!group.isEmpty()) {
            Validation.id("group", group);
        }
        Validation.required("host", host);
        if (host.isBlank() || host.length() > 253 || !host.matches("[A-Za-z0-9.:\\[\\]-]+")) {
            throw new InvalidValueException("host", "must be a host name or an IP address (got " + Validation.quote(host) + ")");
        }
        // A transcoder listens on no SRT port (its ffmpeg calls the origin): it registers 0.
        Validation.between("srtPort", required("srtPort", srtPort), role == NodeRole.TRANSCODER ? 0 : 1, 65_535);
        Validation.between("httpPort", required("httpPort", httpPort), 1, 65_535);
        webrtcPort = webrtcPort == null ? 0 : webrtcPort;
        Validation.between("webrtcPort", webrtcPort, 0, 65_535);
        capacity = capacity == null ? Capacity.UNLIMITED : capacity.checkedFor(role);
    }

    private static int required(String field, Integer v) {
        if (v == null) {
            throw new InvalidValueException(field, "is required");
        }
        return v;
    }
}
