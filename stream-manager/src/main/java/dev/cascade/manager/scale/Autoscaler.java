package dev.cascade.manager.scale;

import dev.cascade.manager.StreamManager;
import dev.cascade.manager.config.ManagerConfig;
import dev.cascade.manager.state.CloudChoice;
import dev.cascade.manager.state.CloudHealth;
import dev.cascade.manager.state.DeploymentRecord;
import dev.cascade.manager.state.DeploymentRecord.DeployedNode;
import dev.cascade.manager.state.NodeGroup;
import dev.cascade.manager.state.NodeGroupRule;
import dev.cascade.manager.state.NodeRecord;
import dev.cascade.manager.state.NodeState;
import dev.cascade.manager.state.Processors;
import dev.cascade.manager.state.ScaleDecision;
import dev.cascade.manager.state.ScaleDecision.Action;
import dev.cascade.manager.state.ScaleState;
import dev.cascade.manager.state.ScheduledEvent;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The autoscaler: every {@code autoscaler.intervalMs}, on the oldest member only, plans every rule of
 * every node group ({@link RulePlanner}, with the floor of {@link Schedule}) and carries the plan out:
 * REQUESTED node records and deployment changes for new nodes, DRAINING for nodes to retire, removal
 * from their deployment for drained and failed ones. The {@link Provisioner} then applies the changed
 * deployments with Terraform. Every decision goes to the {@code cascade.decisions} ring with its
 * reason, to the log, and to {@code cascade_manager_scale_decisions_total}.
 */
public final class Autoscaler {
    private static final Logger LOG = LoggerFactory.getLogger(Autoscaler.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StreamManager m;
    private final ManagerConfig.Autoscaler cfg;
    private final RulePlanner.Settings settings;
    private final Provisioner provisioner;
    private boolean idleLogged;

    public Autoscaler(StreamManager m, Provisioner provisioner) {
        this.m = m;
        this.cfg = m.config.autoscaler();
        this.settings = new RulePlanner.Settings(Duration.ofMillis(cfg.sustainMs()), Duration.ofMillis(cfg.drainTimeoutMs()),
                Duration.ofMillis(cfg.bootTimeoutMs()));
        this.provisioner = provisioner;
        provisioner.bind(this);
    }

    public void run() {
        if (!cfg.enabled() || !m.state.isOldest()) {
            return;
        }
        if (!provisioner.configured()) {
            if (!idleLogged && !m.state.groups.isEmpty()) {
                idleLogged = true;
                LOG.warn("node groups exist but the autoscaler is idle: {}", provisioner.notConfigured());
            }
            return;
        }
        Instant now = Instant.now();
        Map<String, CloudHealth> clouds = new HashMap<>(m.state.clouds);
        Set<String> failing = new HashSet<>();
        clouds.values().forEach(h -> {
            if (h.failing(now)) {
                failing.add(h.cloud());
            }
        });
        Collection<DeploymentRecord> deployments = m.state.deployments.values();
        Collection<ScheduledEvent> events = m.state.events.values();
        Set<String> planned = new HashSet<>();
        for (NodeGroup g : m.state.groups.values()) {
            for (NodeGroupRule rule : g.rules()) {
                List<RulePlanner.Member> members = members(g.name(), rule.role().wireName(), rule.region(), deployments,
                        planned, clouds, now);
                Duration lead = Schedule.lead(rule, clouds::get, Duration.ofMillis(cfg.localBootMs()),
                        Duration.ofMillis(cfg.defaultBootMs()), cfg.leadSafetyFactor(), Duration.ofMillis(cfg.intervalMs()));
                RulePlanner.Demand demand = Schedule.demand(g, rule, events, lead, now);
                String key = g.name() + "/" + rule.key();
                ScaleState before = m.state.scaling.get(key);
                RulePlanner.Plan plan = RulePlanner.plan(rule, members, before == null ? ScaleState.NONE : before, demand,
                        failing, settings, now);
                carryOut(g, rule, members, plan, now);
                if (!plan.next().equals(before)) {
                    m.state.scaling.set(key, plan.next());
                }
            }
        }
        // Nodes of deployments whose group or rule is gone: nothing wants them any more.
        for (DeploymentRecord d : deployments) {
            Set<String> orphans = new HashSet<>();
            for (DeployedNode n : d.nodes()) {
                if (!planned.contains(n.id())) {
                    orphans.add(n.id());
                }
            }
            if (!orphans.isEmpty()) {
                resize(d.group(), d.cloud(), List.of(), orphans, now);
                decide(now, d.group(), "", d.cloud(), Action.TERMINATE, d.nodes().size(), d.nodes().size() - orphans.size(),
                        List.copyOf(orphans), "no rule of node group " + d.group() + " wants these nodes any more");
            }
        }
        provisioner.reconcile(now);
    }

    /** The rule's nodes across the group's deployments; marks newly INSERVICE ones ready (boot time). */
    private List<RulePlanner.Member> members(String group, String role, String region, Collection<DeploymentRecord> all,
                                             Set<String> planned, Map<String, CloudHealth> clouds, Instant now) {
        List<RulePlanner.Member> out = new ArrayList<>();
        for (DeploymentRecord d : all) {
            if (!d.group().equals(group)) {
                continue;
            }
            for (DeployedNode n : d.nodes()) {
                if (!n.role().wireName().equals(role) || !n.region().equals(region)) {
                    continue;
                }
                NodeRecord rec = m.nodes.get(n.id());
                planned.add(n.id());
                out.add(new RulePlanner.Member(d.cloud(), n, rec));
                if (n.readyAt() == null && rec != null && rec.state() == NodeState.INSERVICE) {
                    long boot = Duration.between(n.requestedAt(), rec.stateSince()).toMillis();
                    m.state.deployments.executeOnKey(d.key(), new Processors.ChangeDeployment(d.group(), d.cloud(),
                            new DeploymentRecord.Ready(n.id(), rec.stateSince()), now));
                    m.state.clouds.executeOnKey(d.cloud(), new Processors.ChangeCloud(d.cloud(), boot, null, null, false));
                    LOG.info("node {} ({} on {}) in service {} ms after it was asked for", n.id(), role, d.cloud(), boot);
                }
            }
        }
        return out;
    }

    private void carryOut(NodeGroup g, NodeGroupRule rule, List<RulePlanner.Member> members, RulePlanner.Plan plan,
                          Instant now) {
        for (String id : plan.bootTimedOut()) {
            NodeRecord n = m.nodes.get(id);
            if (n != null) {
                m.state.nodes.executeOnKey(id, new Processors.BootTimedOut(n.stateSince(), now));
            }
        }
        Map<String, Set<String>> removeByCloud = new HashMap<>();
        for (String id : plan.remove()) {
            for (RulePlanner.Member mem : members) {
                if (mem.deployed().id().equals(id)) {
                    removeByCloud.computeIfAbsent(mem.cloud(), c -> new HashSet<>()).add(id);
                }
            }
        }
        for (String id : plan.drain()) {
            m.state.nodes.executeOnKey(id, new Processors.Drain(now));
        }
        Map<String, List<DeployedNode>> addByCloud = new HashMap<>();
        List<String> started = new ArrayList<>();
        for (RulePlanner.Start s : plan.start()) {
            CloudChoice choice = rule.choice(s.cloud());
            for (int i = 0; i < s.count(); i++) {
                String id = newId(g.name(), rule);
                m.state.nodes.executeOnKey(id, new Processors.Request(NodeRecord.requested(id, rule.role(), rule.region(),
                        s.cloud(), g.name(), rule.capacity(), now)));
                addByCloud.computeIfAbsent(s.cloud(), c -> new ArrayList<>()).add(new DeployedNode(id, rule.role(),
                        rule.region(), choice.regionOn(rule.region()), choice.instanceType(), rule.capacity(), now, null, null));
                started.add(id);
            }
        }
        Set<String> touched = new HashSet<>(removeByCloud.keySet());
        touched.addAll(addByCloud.keySet());
        for (String cloud : touched) {
            resize(g.name(), cloud, addByCloud.getOrDefault(cloud, List.of()), removeByCloud.getOrDefault(cloud, Set.of()), now);
        }
        Set<String> cloudSet = new java.util.TreeSet<>(addByCloud.keySet());
        cloudSet.addAll(removeByCloud.keySet());
        for (RulePlanner.Member mem : members) {
            if (plan.drain().contains(mem.deployed().id())) {
                cloudSet.add(mem.cloud());
            }
        }
        String clouds = String.join(",", cloudSet);
        boolean outStep = plan.steps().stream().anyMatch(st -> st.action() == Action.SCALE_OUT);
        int replaces = (int) plan.steps().stream().filter(st -> st.action() == Action.REPLACE).count();
        int replaced = 0;
        for (RulePlanner.Step st : plan.steps()) {
            List<String> ids = new ArrayList<>(st.nodes());
            if (st.action() == Action.SCALE_OUT) {
                ids.addAll(started);
            } else if (st.action() == Action.REPLACE && !outStep && ++replaced == replaces) {
                ids.addAll(started);
            }
            decide(now, g.name(), rule.key(), clouds, st.action(), plan.from(), plan.to(), ids, st.reason());
        }
    }

    void resize(String group, String cloud, List<DeployedNode> add, Set<String> remove, Instant now) {
        m.state.deployments.executeOnKey(DeploymentRecord.key(group, cloud), new Processors.ChangeDeployment(group, cloud,
                new DeploymentRecord.Resize(add, remove, now), now));
    }

    /**
     * A cloud's apply failed: its nodes that never came up go to the next cloud of their rule (by
     * priority and weight, skipping failing clouds); with no other cloud they are given up (the rule
     * asks again once the cloud's retry time has passed).
     */
    void failover(DeploymentRecord d, Set<String> failing, Instant now) {
        NodeGroup g = m.state.groups.get(d.group());
        Map<String, List<DeployedNode>> moves = new HashMap<>();
        Set<String> leaving = new HashSet<>();
        List<String> givenUp = new ArrayList<>();
        Map<String, Integer> perCloud = new HashMap<>();
        for (DeployedNode n : d.nodes()) {
            NodeRecord rec = m.nodes.get(n.id());
            if (rec == null || rec.state() != NodeState.REQUESTED) {
                continue;
            }
            leaving.add(n.id());
            NodeGroupRule rule = g == null ? null : rule(g, n);
            String next = rule == null ? null : RulePlanner.pickCloud(rule, perCloud, failing);
            if (next == null) {
                givenUp.add(n.id());
                m.state.nodes.executeOnKey(n.id(), new Processors.Terminated(now));
                continue;
            }
            perCloud.merge(next, 1, Integer::sum);
            CloudChoice c = rule.choice(next);
            m.state.nodes.executeOnKey(n.id(), new Processors.MoveRequested(next));
            moves.computeIfAbsent(next, k -> new ArrayList<>()).add(new DeployedNode(n.id(), n.role(), n.region(),
                    c.regionOn(n.region()), c.instanceType(), n.capacity(), n.requestedAt(), null, null));
        }
        if (leaving.isEmpty()) {
            return;
        }
        m.state.deployments.executeOnKey(d.key(), new Processors.ChangeDeployment(d.group(), d.cloud(),
                new DeploymentRecord.Resize(List.of(), leaving, true, now), now));
        for (Map.Entry<String, List<DeployedNode>> e : moves.entrySet()) {
            resize(d.group(), e.getKey(), e.getValue(), Set.of(), now);
            List<String> ids = e.getValue().stream().map(DeployedNode::id).toList();
            decide(now, d.group(), "", e.getKey(), Action.FAILOVER, ids.size(), ids.size(), ids, "cloud " + d.cloud()
                    + " could not start them (" + firstLine(d.message()) + "); asked of " + e.getKey() + " instead");
        }
        if (!givenUp.isEmpty()) {
            decide(now, d.group(), "", d.cloud(), Action.BLOCKED, givenUp.size(), 0, givenUp, "cloud " + d.cloud()
                    + " could not start them and their rule has no other cloud that is not failing");
        }
    }

    private static NodeGroupRule rule(NodeGroup g, DeployedNode n) {
        for (NodeGroupRule r : g.rules()) {
            if (r.role() == n.role() && r.region().equals(n.region())) {
                return r;
            }
        }
        return null;
    }

    void decide(Instant at, String group, String rule, String cloud, Action action, int from, int to, List<String> nodes,
                String reason) {
        ScaleDecision d = new ScaleDecision(at, group, rule, cloud, action, from, to, nodes, reason);
        m.state.decisions.add(d);
        m.metrics.decision(action.name().toLowerCase(Locale.ROOT), cloud.isEmpty() ? "none" : cloud);
        LOG.info("autoscaler: {} {} {} on {}: {} -> {} {}: {}", action, group, rule, cloud, from, to, nodes, reason);
    }

    /** {@code group-role-xxxxxxxx}: unique (32 random bits per group and role), and a valid node id. */
    private static String newId(String group, NodeGroupRule rule) {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        String g = group.length() > 40 ? group.substring(0, 40) : group;
        return g + "-" + rule.role().wireName() + "-" + HexFormat.of().formatHex(b);
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
