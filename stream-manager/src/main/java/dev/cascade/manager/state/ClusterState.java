package dev.cascade.manager.state;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.cascade.manager.config.ManagerConfig;
import java.util.HashMap;

/**
 * This process's Hazelcast member and the cluster maps it shares with the other stream managers.
 *
 * <ul>
 *   <li>{@code cascade.nodes}: node id -> {@link NodeRecord}</li>
 *   <li>{@code cascade.streams}: stream key -> {@link StreamRecord} (which origin holds it)</li>
 *   <li>{@code cascade.routes}: stream key -> {@link RouteRecord}</li>
 *   <li>{@code cascade.nodegroups}: name -> {@link NodeGroup}</li>
 *   <li>{@code cascade.provisions}: stream key -> {@link Provision} (its ABR ladder and policy)</li>
 *   <li>{@code cascade.transcodes}: stream key -> {@link TranscodeRecord} (which transcoder runs its ladder)</li>
 *   <li>{@code cascade.apikeys}: key id -> {@link ApiKeyRecord}</li>
 *   <li>{@code cascade.scheduledevents}: id -> {@link ScheduledEvent}</li>
 *   <li>{@code cascade.deployments}: {@code group/cloud} -> {@link DeploymentRecord} (what Terraform should run)</li>
 *   <li>{@code cascade.scaling}: {@code group/role/region} -> {@link ScaleState} (the autoscaler's memory)</li>
 *   <li>{@code cascade.clouds}: cloud -> {@link CloudHealth} (failing clouds, measured boot times)</li>
 *   <li>{@code cascade.decisions}: a ring buffer of {@link ScaleDecision}s</li>
 *   <li>{@code cascade.pending}: member uuid -> that member's recent placements per node (with a
 *       time-to-live, so a dead member's count fades)</li>
 * </ul>
 *
 * Members find each other over TCP-IP from a fixed list (multicast and cloud auto-detection off) and
 * every map keeps {@code cluster.backupCount} synchronous backups, so the loss of a member loses
 * nothing. The community edition has no CP subsystem (no strongly consistent locks or leader
 * election), so work that must run once runs on the oldest member: every member computes the same
 * answer from the same member list.
 */
public final class ClusterState implements AutoCloseable {
    public static final String NODES = "cascade.nodes";
    public static final String STREAMS = "cascade.streams";
    public static final String ROUTES = "cascade.routes";
    public static final String GROUPS = "cascade.nodegroups";
    public static final String PROVISIONS = "cascade.provisions";
    public static final String TRANSCODES = "cascade.transcodes";
    public static final String API_KEYS = "cascade.apikeys";
    public static final String PENDING = "cascade.pending";
    public static final String EVENTS = "cascade.scheduledevents";
    public static final String DEPLOYMENTS = "cascade.deployments";
    public static final String SCALING = "cascade.scaling";
    public static final String CLOUDS = "cascade.clouds";
    public static final String DECISIONS = "cascade.decisions";

    private final HazelcastInstance hz;
    public final IMap<String, NodeRecord> nodes;
    public final IMap<String, StreamRecord> streams;
    public final IMap<String, RouteRecord> routes;
    public final IMap<String, NodeGroup> groups;
    public final IMap<String, Provision> provisions;
    public final IMap<String, TranscodeRecord> transcodes;
    public final IMap<String, ApiKeyRecord> apiKeys;
    public final IMap<String, HashMap<String, Long>> pending;
    public final IMap<String, ScheduledEvent> events;
    public final IMap<String, DeploymentRecord> deployments;
    public final IMap<String, ScaleState> scaling;
    public final IMap<String, CloudHealth> clouds;
    public final Ringbuffer<ScaleDecision> decisions;

    public ClusterState(ManagerConfig cfg) {
        this.hz = Hazelcast.newHazelcastInstance(hazelcastConfig(cfg));
        this.nodes = hz.getMap(NODES);
        this.streams = hz.getMap(STREAMS);
        this.routes = hz.getMap(ROUTES);
        this.groups = hz.getMap(GROUPS);
        this.provisions = hz.getMap(PROVISIONS);
        this.transcodes = hz.getMap(TRANSCODES);
        this.apiKeys = hz.getMap(API_KEYS);
        this.pending = hz.getMap(PENDING);
        this.events = hz.getMap(EVENTS);
        this.deployments = hz.getMap(DEPLOYMENTS);
        this.scaling = hz.getMap(SCALING);
        this.clouds = hz.getMap(CLOUDS);
        this.decisions = hz.getRingbuffer(DECISIONS);
    }

    static Config hazelcastConfig(ManagerConfig cfg) {
        ManagerConfig.Cluster c = cfg.cluster();
        Config config = new Config();
        config.setClusterName(c.name());
        config.setInstanceName("cascade-manager-" + c.port());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        // Failure detection: a member silent for memberTimeoutMs is removed and its partitions are
        // promoted from backups. A killed process's TCP connections fail at once, which Hazelcast
        // also treats as suspicion, so removal is usually faster than the timeout.
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds",
                Integer.toString(Math.max(2, c.memberTimeoutMs() / 1000)));
        config.setProperty("hazelcast.operation.call.timeout.millis", Integer.toString(c.operationTimeoutMs()));
        // Members started together may each form a cluster of one; merge them soon, not in 5 minutes.
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        NetworkConfig net = config.getNetworkConfig();
        net.setPort(c.port()).setPortAutoIncrement(false);
        net.setPublicAddress(c.publicAddress() + ":" + c.port());
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(c.memberList());
        MapConfig maps = new MapConfig("cascade.*").setBackupCount(c.backupCount()).setAsyncBackupCount(0);
        config.addMapConfig(maps);
        config.addRingBufferConfig(new RingbufferConfig(DECISIONS).setCapacity(cfg.autoscaler().decisionsKept())
                .setBackupCount(c.backupCount()).setAsyncBackupCount(0));
        return config;
    }

    public HazelcastInstance hazelcast() {
        return hz;
    }

    /** Whether this member is the oldest, the one that runs once-only work. */
    public boolean isOldest() {
        var members = hz.getCluster().getMembers();
        return !members.isEmpty() && members.iterator().next().localMember();
    }

    public Member localMember() {
        return hz.getCluster().getLocalMember();
    }

    @Override
    public void close() {
        hz.shutdown();
    }
}
