package dev.cascade.manager;

import dev.cascade.manager.api.Api;
import dev.cascade.manager.config.ManagerConfig;
import dev.cascade.manager.placement.Placer;
import dev.cascade.manager.placement.RegionTable;
import dev.cascade.manager.scale.Autoscaler;
import dev.cascade.manager.scale.Clouds;
import dev.cascade.manager.scale.Provisioner;
import dev.cascade.manager.scale.ScaleView;
import dev.cascade.manager.state.ApiKeyRecord;
import dev.cascade.manager.state.ClusterState;
import dev.cascade.manager.state.LocalView;
import dev.cascade.manager.state.NodeGroup;
import dev.cascade.manager.state.Provision;
import dev.cascade.manager.state.TranscodeRecord;
import dev.cascade.manager.transcode.TranscodeAssigner;
import dev.cascade.manager.state.NodeRecord;
import dev.cascade.manager.state.NodeState;
import dev.cascade.manager.state.RouteRecord;
import dev.cascade.manager.state.StreamRecord;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream-manager process: its Hazelcast member, this member's views of the cluster maps, the
 * placer, the once-only work (on the oldest member) and the HTTP API.
 */
public final class StreamManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamManager.class);

    public final ManagerConfig config;
    public final ManagerMetrics metrics = new ManagerMetrics();
    public final ClusterState state;
    public final LocalView<String, NodeRecord> nodes;
    public final LocalView<String, StreamRecord> streams;
    public final LocalView<String, RouteRecord> routes;
    public final LocalView<String, ApiKeyRecord> apiKeys;
    public final LocalView<String, Provision> provisions;
    public final LocalView<String, NodeGroup> groups;
    public final LocalView<String, TranscodeRecord> transcodes;
    public final Placer placer;
    public final RegionTable regionTable;
    public final Credentials credentials;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(3, r -> {
        Thread t = new Thread(r, "manager-scheduler");
        t.setDaemon(true);
        return t;
    });
    private final Janitor janitor;
    private final TranscodeAssigner transcodeAssigner;
    private final Provisioner provisioner;
    private final Autoscaler autoscaler;
    public final ScaleView scaleView;
    private volatile StreamIndex streamIndex;
    private volatile long streamIndexAt;
    private Vertx vertx;

    public StreamManager(ManagerConfig config) {
        this.config = config;
        this.regionTable = loadRegionTable(config.placement().regionTable());
        this.state = new ClusterState(config);
        this.placer = new Placer(config.placement().balanceFactor(), config.placement().pointsPerNode(),
                config.placement().pendingWindowMs());
        this.nodes = new LocalView<>(state.nodes, placer::nodeChanged);
        this.streams = new LocalView<>(state.streams, (old, now) -> { });
        this.routes = new LocalView<>(state.routes, (old, now) -> { });
        this.credentials = new Credentials(config.security());
        this.apiKeys = new LocalView<>(state.apiKeys, credentials::keyChanged);
        this.provisions = new LocalView<>(state.provisions, (old, now) -> { });
        this.groups = new LocalView<>(state.groups, (old, now) -> { });
        this.transcodes = new LocalView<>(state.transcodes, (old, now) -> { });
        this.janitor = new Janitor(this);
        this.transcodeAssigner = new TranscodeAssigner(this);
        this.provisioner = Clouds.provisioner(this);
        this.autoscaler = new Autoscaler(this, provisioner);
        this.scaleView = new ScaleView(state);
    }

    private static RegionTable loadRegionTable(String file) {
        if (file.isBlank()) {
            return RegionTable.parse("");
        }
        try {
            return RegionTable.parse(Files.readString(Path.of(file)));
        } catch (IOException e) {
            throw new dev.cascade.config.ConfigException("placement.regionTable", "cannot read " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new dev.cascade.config.ConfigException("placement.regionTable", file + ": " + e.getMessage());
        }
    }

    /** Starts the views, the periodic work and the HTTP server; completes when it listens. */
    public Future<String> start() {
        placer.bind(nodes.asMap());
        nodes.start();
        streams.start();
        routes.start();
        apiKeys.start();
        provisions.start();
        groups.start();
        transcodes.start();
        state.hazelcast().getCluster().addMembershipListener(new com.hazelcast.cluster.MembershipListener() {
            @Override
            public void memberAdded(com.hazelcast.cluster.MembershipEvent e) {
                LOG.info("stream manager joined: {} ({} members)", e.getMember().getAddress(), e.getMembers().size());
            }

            @Override
            public void memberRemoved(com.hazelcast.cluster.MembershipEvent e) {
                LOG.warn("stream manager left: {} ({} members); re-reading the cluster state", e.getMember().getAddress(),
                        e.getMembers().size());
                scheduler.execute(StreamManager.this::resync);
            }
        });
        scheduler.scheduleAtFixedRate(guard("pending exchange", this::exchangePending), 250, 250, TimeUnit.MILLISECONDS);
        scheduler.scheduleAtFixedRate(guard("janitor", janitor::run), 1000, 1000, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(guard("transcode assigner", transcodeAssigner::run), 1000, 1000,
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(guard("scale view", scaleView::refresh), 1000, 1000, TimeUnit.MILLISECONDS);
        int every = config.autoscaler().intervalMs();
        scheduler.scheduleWithFixedDelay(guard("autoscaler", autoscaler::run), every, every, TimeUnit.MILLISECONDS);
        // Events are only lost when a member dies (re-read at once, above); this is a slow safety net:
        // each re-read deserializes every record (100 k streams: a visible GC and CPU cost).
        scheduler.scheduleAtFixedRate(guard("resync", this::resync), 5, 5, TimeUnit.MINUTES);
        registerGauges();
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(config.http().eventLoops()).setPreferNativeTransport(true));
        return vertx.deployVerticle(() -> new Api.Verticle(this),
                new DeploymentOptions().setInstances(config.http().eventLoops()));
    }

    private void registerGauges() {
        for (NodeState s : NodeState.values()) {
            metrics.gauge("cascade_manager_nodes", "state", s.name(), () -> nodes.values().stream()
                    .filter(n -> n.state() == s).count());
        }
        metrics.gauge("cascade_manager_streams", "Streams with an origin (published or placed)", streams::size);
        metrics.gauge("cascade_manager_transcodes", "state", "assigned", () -> transcodes.values().stream()
                .filter(t -> t.transcoder() != null).count());
        metrics.gauge("cascade_manager_transcodes", "state", "waiting", () -> transcodes.values().stream()
                .filter(t -> t.transcoder() == null).count());
        metrics.gauge("cascade_manager_members", "Stream-manager members in the Hazelcast cluster",
                () -> state.hazelcast().getCluster().getMembers().size());
        metrics.gauge("cascade_manager_oldest", "1 on the member that runs once-only work", () -> state.isOldest() ? 1 : 0);
    }

    private void resync() {
        nodes.resync();
        streams.resync();
        routes.resync();
        apiKeys.resync();
        provisions.resync();
        groups.resync();
        transcodes.resync();
    }

    /** Shares this member's recent placements and reads the others' (see {@link Placer}). */
    private void exchangePending() {
        String me = state.localMember().getUuid().toString();
        state.pending.set(me, new HashMap<>(placer.ownPendingSnapshot()), 3, TimeUnit.SECONDS);
        Map<String, Long> sum = new HashMap<>();
        for (Map.Entry<String, HashMap<String, Long>> e : state.pending.entrySet()) {
            if (!e.getKey().equals(me)) {
                e.getValue().forEach((node, n) -> sum.merge(node, n, Long::sum));
            }
        }
        placer.othersPending(sum);
    }

    /** The stream index, rebuilt at most every 500 ms (it is read by lists, stats and the dashboard). */
    public StreamIndex streamIndex() {
        StreamIndex idx = streamIndex;
        long now = System.nanoTime();
        if (idx == null || now - streamIndexAt > 500_000_000L) {
            idx = StreamIndex.build(streams.values(), nodes.values(), routes.asMap(), transcodes.asMap());
            streamIndex = idx;
            streamIndexAt = now;
        }
        return idx;
    }

    private static Runnable guard(String what, Runnable r) {
        return () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("{} failed: {}", what, e.toString());
            }
        };
    }

    public Vertx vertx() {
        return vertx;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        provisioner.close();
        if (vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(3, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("closing HTTP: {}", e.toString());
            }
        }
        state.close();
    }
}
