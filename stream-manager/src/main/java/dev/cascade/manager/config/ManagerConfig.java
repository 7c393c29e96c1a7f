package dev.cascade.manager.config;

import dev.cascade.config.ConfigException;
import dev.cascade.config.ConfigLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * The stream manager's whole configuration. Every value comes from {@code cascade-manager.yaml} (the
 * documented defaults) merged with overrides; {@link #validate} names the first bad key.
 */
public record ManagerConfig(Http http, Cluster cluster, Nodes nodes, Streams streams, Placement placement,
                            Security security, Api api, Autoscaler autoscaler, Cloud cloud) {

    public record Http(String bindAddress, int port, int maxBodyBytes, int eventLoops) {}

    public record Cluster(String name, int port, String publicAddress, String members, int backupCount,
                          int memberTimeoutMs, int operationTimeoutMs) {
        /** The member list as {@code host:port} strings. */
        public List<String> memberList() {
            List<String> out = new ArrayList<>();
            for (String m : members.split(",")) {
                if (!m.isBlank()) {
                    out.add(m.trim());
                }
            }
            return out;
        }
    }

    public record Nodes(int heartbeatIntervalMs, int heartbeatTimeoutMs, long retentionMs) {}

    public record Streams(long idleRetentionMs) {}

    public record Placement(double balanceFactor, int pointsPerNode, int pendingWindowMs, String defaultRegion,
                            String regionTable, boolean crossRegion, int retryAfterSeconds) {}

    public record Security(String joinToken, String adminKey) {}

    public record Api(int defaultPageSize, int maxPageSize) {}

    public record Autoscaler(boolean enabled, int intervalMs, long sustainMs, long drainTimeoutMs, long bootTimeoutMs,
                             long cloudRetryMs, double leadSafetyFactor, long localBootMs, long defaultBootMs,
                             int decisionsKept) {}

    public record Cloud(String workDir, String modulesDir, String terraform, String managerUrls, String nodeCommand,
                        String platformsFile, int attempts, long firstBackoffMs, long maxBackoffMs, long applyTimeoutMs) {}

    /** {@code cascade-manager.yaml}, then {@code CASCADE_SM_*} variables, then {@code --set}. */
    public static ConfigLoader<ManagerConfig> loader() {
        return new ConfigLoader<>(ManagerConfig.class, "/cascade-manager.yaml", "CASCADE_SM_", ManagerConfig::validate);
    }

    public ManagerConfig validate() {
        require(!http.bindAddress().isBlank(), "http.bindAddress", "must not be empty");
        range("http.port", http.port(), 1, 65_535);
        range("http.maxBodyBytes", http.maxBodyBytes(), 1024, 16 * 1024 * 1024);
        range("http.eventLoops", http.eventLoops(), 1, 64);
        require(cluster.name().matches("[A-Za-z0-9_.-]{1,64}"), "cluster.name", "must be 1-64 of A-Z a-z 0-9 _ . -");
        range("cluster.port", cluster.port(), 1, 65_535);
        require(!cluster.publicAddress().isBlank(), "cluster.publicAddress", "must not be empty");
        require(!cluster.memberList().isEmpty(), "cluster.members", "must list at least one host:port");
        for (String m : cluster.memberList()) {
            require(m.matches("[^:\\s]+:\\d{1,5}"), "cluster.members", "'" + m + "' is not host:port");
        }
        range("cluster.backupCount", cluster.backupCount(), 0, 6);
        range("cluster.memberTimeoutMs", cluster.memberTimeoutMs(), 1_000, 600_000);
        range("cluster.operationTimeoutMs", cluster.operationTimeoutMs(), 100, 120_000);
        range("nodes.heartbeatIntervalMs", nodes.heartbeatIntervalMs(), 100, 60_000);
        range("nodes.heartbeatTimeoutMs", nodes.heartbeatTimeoutMs(), 2L * nodes.heartbeatIntervalMs(), 600_000);
        range("nodes.retentionMs", nodes.retentionMs(), 0, 30L * 24 * 3600 * 1000);
        range("streams.idleRetentionMs", streams.idleRetentionMs(), 0, 24L * 3600 * 1000);
        require(placement.balanceFactor() > 1.0 && placement.balanceFactor() <= 10.0, "placement.balanceFactor",
                "must be above 1 and at most 10 (got " + placement.balanceFactor() + ")");
        range("placement.pointsPerNode", placement.pointsPerNode(), 1, 1024);
        range("placement.pendingWindowMs", placement.pendingWindowMs(), 1_000, 600_000);
        require(placement.defaultRegion().matches("[a-z0-9-]{1,64}"), "placement.defaultRegion",
                "must be 1-64 of a-z 0-9 -");
        range("placement.retryAfterSeconds", placement.retryAfterSeconds(), 1, 3600);
        require(security.joinToken().length() >= 16, "security.joinToken",
                "must be set, 16 characters or more (CASCADE_SM_SECURITY_JOIN_TOKEN)");
        require(security.adminKey().length() >= 16, "security.adminKey",
                "must be set, 16 characters or more (CASCADE_SM_SECURITY_ADMIN_KEY)");
        range("api.defaultPageSize", api.defaultPageSize(), 1, api.maxPageSize());
        range("api.maxPageSize", api.maxPageSize(), 1, 100_000);
        range("autoscaler.intervalMs", autoscaler.intervalMs(), 100, 600_000);
        range("autoscaler.sustainMs", autoscaler.sustainMs(), 0, 3_600_000);
        range("autoscaler.drainTimeoutMs", autoscaler.drainTimeoutMs(), 0, 24L * 3600 * 1000);
        range("autoscaler.bootTimeoutMs", autoscaler.bootTimeoutMs(), 1_000, 24L * 3600 * 1000);
        range("autoscaler.cloudRetryMs", autoscaler.cloudRetryMs(), 0, 24L * 3600 * 1000);
        require(autoscaler.leadSafetyFactor() >= 1 && autoscaler.leadSafetyFactor() <= 10, "autoscaler.leadSafetyFactor",
                "must be between 1 and 10 (got " + autoscaler.leadSafetyFactor() + ")");
        range("autoscaler.localBootMs", autoscaler.localBootMs(), 0, 3_600_000);
        range("autoscaler.defaultBootMs", autoscaler.defaultBootMs(), 0, 3_600_000);
        range("autoscaler.decisionsKept", autoscaler.decisionsKept(), 10, 100_000);
        require(!cloud.terraform().isBlank(), "cloud.terraform", "must name the terraform binary");
        range("cloud.attempts", cloud.attempts(), 1, 20);
        range("cloud.firstBackoffMs", cloud.firstBackoffMs(), 0, 600_000);
        range("cloud.maxBackoffMs", cloud.maxBackoffMs(), cloud.firstBackoffMs(), 3_600_000);
        range("cloud.applyTimeoutMs", cloud.applyTimeoutMs(), 1_000, 24L * 3600 * 1000);
        return this;
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new ConfigException(key, message);
        }
    }

    private static void range(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ConfigException(key, "must be between " + min + " and " + max + " (got " + value + ")");
        }
    }
}
