package dev.cascade.manager.api;

import com.hazelcast.ringbuffer.ReadResultSet;
import dev.cascade.manager.StreamManager;
import dev.cascade.manager.state.DeploymentRecord;
import dev.cascade.manager.state.NodeGroup;
import dev.cascade.manager.state.NodeGroupRule;
import dev.cascade.manager.state.Processors;
import dev.cascade.manager.state.ScaleDecision;
import dev.cascade.manager.state.ScheduledEvent;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Scheduled events (CRUD), the autoscaler's decisions, and the deployments it keeps. */
final class ScaleHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(ScaleHandlers.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final StreamManager m;

    ScaleHandlers(StreamManager m) {
        this.m = m;
    }

    // ------------------------------------------------------------------ scheduled events

    void events(RoutingContext ctx) {
        Api.Page page = Api.page(ctx, m);
        String group = ctx.request().getParam("group");
        Api.reply(ctx, Api.cluster(ctx, m, CompletableFuture.supplyAsync(() -> new ArrayList<>(m.state.events.values()))),
                events -> {
                    List<ScheduledEvent> all = new ArrayList<>();
                    for (ScheduledEvent e : events) {
                        if (group == null || group.equals(e.group())) {
                            all.add(e);
                        }
                    }
                    all.sort(Comparator.comparing(ScheduledEvent::id));
                    Api.send(ctx, 200, Api.paged(all, page, ScheduledEvent::id));
                });
    }

    void event(RoutingContext ctx) {
        String id = eventId(ctx);
        Api.reply(ctx, Api.cluster(ctx, m, m.state.events.getAsync(id)), e -> {
            if (e == null) {
                throw ApiException.notFound("scheduled-event-not-found", "no scheduled event " + id);
            }
            Api.send(ctx, 200, e);
        });
    }

    void createEvent(RoutingContext ctx) {
        ScheduledEvent body = Json.read(ctx.body().buffer(), ScheduledEvent.class);
        Instant now = Instant.now();
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        ScheduledEvent ev = body.stamped("ev_" + HexFormat.of().formatHex(b), now, now);
        Api.reply(ctx, Api.cluster(ctx, m, m.state.groups.getAsync(ev.group())).compose(g -> {
            checkGroup(g, ev);
            return Api.cluster(ctx, m, m.state.events.submitToKey(ev.id(), new Processors.CreateEvent(ev)));
        }), stored -> {
            if (stored == null) {
                throw ApiException.conflict("event id collision; retry");
            }
            LOG.info("scheduled event {} ({}) for node group {}: {} to {}{}", ev.id(), ev.name(), ev.group(), ev.start(),
                    ev.end(), ev.recurrence() == null ? "" : ", again at " + ev.recurrence());
            ctx.response().putHeader("Location", Api.PREFIX + "/scheduledevents/" + ev.id());
            Api.send(ctx, 201, stored);
        });
    }

    void replaceEvent(RoutingContext ctx) {
        String id = eventId(ctx);
        ScheduledEvent body = Json.read(ctx.body().buffer(), ScheduledEvent.class);
        Api.reply(ctx, Api.cluster(ctx, m, m.state.groups.getAsync(body.group())).compose(g -> {
            checkGroup(g, body);
            return Api.cluster(ctx, m, m.state.events.submitToKey(id, new Processors.ReplaceEvent(body, Instant.now())));
        }),
                ev -> {
                    if (ev == null) {
                        throw ApiException.notFound("scheduled-event-not-found", "no scheduled event " + id
                                + " (POST /scheduledevents creates one)");
                    }
                    LOG.info("scheduled event {} replaced", id);
                    Api.send(ctx, 200, ev);
                });
    }

    void deleteEvent(RoutingContext ctx) {
        String id = eventId(ctx);
        Api.reply(ctx, Api.cluster(ctx, m, m.state.events.removeAsync(id)), old -> {
            if (old == null) {
                throw ApiException.notFound("scheduled-event-not-found", "no scheduled event " + id);
            }
            LOG.info("scheduled event {} deleted", id);
            Api.send(ctx, 204, null);
        });
    }

    /** The event's group must exist, and its region (if any) must be one of the group's regions. */
    private static void checkGroup(NodeGroup g, ScheduledEvent ev) {
        if (g == null) {
            throw ApiException.invalidValue("group: no node group '" + ev.group() + "' (POST /nodegroups creates one)");
        }
        if (ev.region() != null && g.rules().stream().map(NodeGroupRule::region).noneMatch(ev.region()::equals)) {
            throw ApiException.invalidValue("region: node group " + g.name() + " has no rule in region '" + ev.region() + "'");
        }
    }

    private static String eventId(RoutingContext ctx) {
        String id = ctx.pathParam("eventId");
        if (id == null || !id.matches("ev_[0-9a-f]{12}")) {
            throw ApiException.badParameter("eventId: '" + id + "' is not a scheduled event id (ev_ and 12 hex digits)");
        }
        return id;
    }

    // ------------------------------------------------------------------ decisions and deployments

    /** The latest decisions, newest first: {@code ?group=} filters, {@code ?limit=} bounds (default page size). */
    void decisions(RoutingContext ctx) {
        Api.Page page = Api.page(ctx, m);
        String group = ctx.request().getParam("group");
        var ring = m.state.decisions;
        long tail = ring.tailSequence();
        long head = Math.max(ring.headSequence(), tail - m.config.autoscaler().decisionsKept() + 1);
        int count = (int) Math.max(0, tail - head + 1);
        if (count == 0) {
            Api.send(ctx, 200, Map.of("items", List.of()));
            return;
        }
        Api.reply(ctx, Api.cluster(ctx, m, ring.readManyAsync(head, 0, Math.min(count, 1000), null)),
                (ReadResultSet<ScaleDecision> rs) -> {
                    List<ScaleDecision> items = new ArrayList<>();
                    for (ScaleDecision d : rs) {
                        if (group == null || group.equals(d.group())) {
                            items.add(d);
                        }
                    }
                    java.util.Collections.reverse(items);
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("items", items.size() > page.limit() ? items.subList(0, page.limit()) : items);
                    Api.send(ctx, 200, out);
                });
    }

    void deployments(RoutingContext ctx) {
        Api.reply(ctx, Api.cluster(ctx, m, CompletableFuture.supplyAsync(() -> {
            List<DeploymentRecord> all = new ArrayList<>(m.state.deployments.values());
            all.sort(Comparator.comparing(DeploymentRecord::key));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("items", all);
            out.put("clouds", new ArrayList<>(m.state.clouds.values()));
            return out;
        })), out -> Api.send(ctx, 200, out));
    }
}
