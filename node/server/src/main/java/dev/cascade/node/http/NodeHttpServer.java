package dev.cascade.node.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.node.MediaNode;
import dev.cascade.node.egress.whep.WhepEndpoint;
import dev.cascade.node.egress.whep.WhepEvents;
import dev.cascade.node.ingest.relay.RelayLink;
import dev.cascade.node.manager.ManagerClient;
import dev.cascade.node.stream.Stream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves the node's HTTP endpoints on a Vert.x event loop. Nothing here touches the SRT loop's state
 * except through volatile counters, so a slow scrape never delays a packet.
 */
public final class NodeHttpServer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MediaNode node;
    private final Vertx vertx;
    /** Null for a standalone node. */
    private final ManagerClient manager;
    /** The WHEP server-sent events extension; null on nodes without WHEP. */
    private final WhepEvents events;
    private HttpServer server;

    /**
     * @param manager the node's stream-manager membership, or null when standalone
     * @param events  the WHEP event streams (edges), or null
     */
    public NodeHttpServer(Vertx vertx, MediaNode node, ManagerClient manager, WhepEvents events) {
        this.vertx = vertx;
        this.node = node;
        this.manager = manager;
        this.events = events;
    }

    public Future<HttpServer> start() {
        var cfg = node.config();
        return vertx.createHttpServer()
                .requestHandler(this::handle)
                .listen(cfg.httpPort(), cfg.http().bindAddress())
                .onSuccess(s -> server = s);
    }

    /** Largest SDP offer we read; a real one is 3-8 KB. */
    static final int MAX_SDP_BYTES = 64 * 1024;

    private void handle(HttpServerRequest req) {
        String path = req.path();
        if (path.startsWith("/whep/")) {
            webrtc(req, path, node.whep());
            return;
        }
        if (path.startsWith("/whip/")) {
            webrtc(req, path, node.whip());
            return;
        }
        if (req.method().name().equals("GET") && page(req, path)) {
            return;
        }
        try {
            switch (path) {
                case "/metrics" -> req.response()
                        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(node.metrics().scrape());
                case "/healthz" -> json(req, 200, health());
                case "/api/v1/streams" -> json(req, 200, Map.of("streams", streams()));
                case "/api/v1/webrtc" -> json(req, 200, Map.of("sessions", webrtcSessions()));
                default -> problem(req, 404, "Not Found", "no such endpoint: " + path);
            }
        } catch (Exception e) {
            problem(req, 500, "Internal Server Error", e.getClass().getSimpleName());
        }
    }

    /**
     * WHEP resources (draft-ietf-wish-whep section 4): {@code POST /whep/{app}/{name}} creates a
     * session, {@code DELETE /whep/{app}/{name}/{id}} ends it. We are ICE-lite with no trickle, so
     * {@code PATCH} is answered 405 as the draft allows. A WHEP 201 also links the session's
     * server-sent events ({@code /whep/{app}/{name}/{id}/sse}, {@link WhepEvents}). WHIP
     * ({@code /whip/...}) is the same without the events.
     */
    private void webrtc(HttpServerRequest req, String path, dev.cascade.node.webrtc.WebRtcHttpEndpoint endpoint) {
        cors(req);
        String prefix = path.substring(1, 5);
        if (endpoint == null) {
            problem(req, 404, "Not Found", "this node (" + node.config().node().role().wireName() + ") serves no "
                    + prefix.toUpperCase(java.util.Locale.ROOT));
            return;
        }
        String[] parts = path.substring("/whep/".length()).split("/", -1);
        boolean whep = endpoint instanceof WhepEndpoint && events != null;
        if (req.method().name().equals("OPTIONS")) {
            // CORS preflight (draft section 4.3: endpoints MUST support OPTIONS for CORS).
            if (parts.length == 2) {
                req.response().putHeader("accept-post", "application/sdp");
            } else if (whep && parts.length == 4 && parts[3].equals("sse")) {
                req.response().putHeader("accept-post", "application/json");
            }
            req.response().setStatusCode(204).end();
            return;
        }
        if (whep && parts.length >= 4 && parts[3].equals("sse")) {
            serverSentEvents(req, parts);
            return;
        }
        switch (req.method().name()) {
            case "POST" -> {
                if (parts.length != 2) {
                    problem(req, 404, "Not Found", "POST to /" + prefix + "/{app}/{name}");
                    return;
                }
                String type = req.getHeader("content-type");
                if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/sdp")) {
                    node.metrics().rejected(prefix + "_content_type");
                    problem(req, 415, "Unsupported Media Type", "the offer must be sent as application/sdp");
                    return;
                }
                readBody(req, MAX_SDP_BYTES, prefix + "_too_large", "an SDP offer", body -> {
                    var ctx = vertx.getOrCreateContext();
                    endpoint.offer(parts[0], parts[1], body.toString(java.nio.charset.StandardCharsets.UTF_8))
                            .whenComplete((r, err) -> ctx.runOnContext(x -> {
                                if (err != null) {
                                    problem(req, 500, "Internal Server Error", err.getClass().getSimpleName());
                                } else if (r.status() != 201) {
                                    if (r.retryAfterSeconds() > 0) {
                                        req.response().putHeader("retry-after", Integer.toString(r.retryAfterSeconds()));
                                    }
                                    problem(req, r.status(), r.reason(), r.detail(), r.problemType());
                                } else {
                                    if (whep) {
                                        req.response().putHeader("link", WhepEvents.link(r.location()));
                                    }
                                    req.response().setStatusCode(201).putHeader("content-type", "application/sdp")
                                            .putHeader("location", r.location()).end(r.answer());
                                }
                            }));
                });
            }
            case "DELETE" -> {
                if (parts.length != 3) {
                    problem(req, 405, "Method Not Allowed", "DELETE the session URL from the Location header");
                    return;
                }
                if (endpoint.delete(parts[2])) {
                    req.response().setStatusCode(200).end();
                } else {
                    problem(req, 404, "Not Found", "no " + prefix.toUpperCase(java.util.Locale.ROOT) + " session " + parts[2]);
                }
            }
            default -> {
                req.response().putHeader("allow", parts.length == 3 ? "DELETE" : "POST, OPTIONS");
                problem(req, 405, "Method Not Allowed",
                        req.method().name() + " is not supported here (ICE-lite, no trickle: PATCH is not needed)");
            }
        }
    }

    /**
     * The WHEP server-sent events extension (draft-ietf-wish-whep-02 section 4.9.1):
     * {@code POST .../{session}/sse} with a JSON array of event types creates the session's event
     * stream (201 + Location); {@code GET .../{session}/sse/{stream}} is the text/event-stream;
     * {@code DELETE} of it ends it.
     */
    private void serverSentEvents(HttpServerRequest req, String[] parts) {
        String sessionId = parts[2];
        var viewer = node.whep().viewers().get(sessionId);
        String key = parts[0] + "/" + parts[1];
        if (viewer == null || !viewer.streamKey().equals(key)) {
            problem(req, 404, "Not Found", "no WHEP session " + sessionId + " of " + key);
            return;
        }
        String method = req.method().name();
        if (parts.length == 4) {
            if (!method.equals("POST")) {
                req.response().putHeader("allow", "POST, OPTIONS");
                problem(req, 405, "Method Not Allowed", "POST a JSON array of event types here; GET the Location it answers");
                return;
            }
            String type = req.getHeader("content-type");
            readBody(req, WhepEvents.MAX_BODY_BYTES, "whep_bad_events", "an event list", body -> {
                if (body.length() > 0 && (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json"))) {
                    node.metrics().rejected("whep_events_content_type");
                    problem(req, 415, "Unsupported Media Type", "the event list must be sent as application/json");
                    return;
                }
                java.util.Set<String> wanted;
                try {
                    wanted = WhepEvents.parseEventList(body.toString(java.nio.charset.StandardCharsets.UTF_8));
                } catch (WhepEvents.BadEventList e) {
                    node.metrics().rejected("whep_bad_events");
                    problem(req, 400, "Bad Request", e.getMessage());
                    return;
                }
                String id = events.create(sessionId, key, wanted);
                req.response().setStatusCode(201)
                        .putHeader("location", "/whep/" + key + "/" + sessionId + "/sse/" + id).end();
            });
            return;
        }
        if (parts.length != 5) {
            problem(req, 404, "Not Found", "no such event stream");
            return;
        }
        switch (method) {
            case "GET" -> events.attach(sessionId, parts[4], req.response(),
                    () -> problem(req, 404, "Not Found", "no event stream " + parts[4] + " of WHEP session " + sessionId));
            case "DELETE" -> {
                if (events.delete(sessionId, parts[4])) {
                    req.response().setStatusCode(200).end();
                } else {
                    problem(req, 404, "Not Found", "no event stream " + parts[4] + " of WHEP session " + sessionId);
                }
            }
            default -> {
                req.response().putHeader("allow", "GET, DELETE, OPTIONS");
                problem(req, 405, "Method Not Allowed", "GET the event stream, or DELETE it");
            }
        }
    }

    /** Reads a request body of at most {@code max} bytes; a larger one is answered 413 and counted. */
    private void readBody(HttpServerRequest req, int max, String tooLargeReason, String what,
                          java.util.function.Consumer<io.vertx.core.buffer.Buffer> then) {
        String length = req.getHeader("content-length");
        if (length != null && length.matches("\\d{1,12}") && Long.parseLong(length) > max) {
            node.metrics().rejected(tooLargeReason);
            problem(req, 413, "Content Too Large", what + " may be at most " + max + " bytes");
            return;
        }
        io.vertx.core.buffer.Buffer body = io.vertx.core.buffer.Buffer.buffer();
        boolean[] tooLarge = {false};
        req.handler(chunk -> {
            if (body.length() + chunk.length() > max) {
                tooLarge[0] = true;
            } else {
                body.appendBuffer(chunk);
            }
        });
        req.endHandler(v -> {
            if (tooLarge[0]) {
                node.metrics().rejected(tooLargeReason);
                problem(req, 413, "Content Too Large", what + " may be at most " + max + " bytes");
                return;
            }
            then.accept(body);
        });
    }

    /**
     * The web player at {@code /watch/{app}/{name}} (nodes that serve WHEP), the publish page at
     * {@code /publish/{app}/{name}} (origins), and their assets at {@code /web/}: the files of
     * {@code clients/web}, packaged into the node's jar.
     */
    private boolean page(HttpServerRequest req, String path) {
        String file;
        if (path.matches("/watch/[^/]+/[^/]+") && node.whep() != null) {
            file = "player.html";
        } else if (path.matches("/publish/[^/]+/[^/]+") && node.config().node().role() == dev.cascade.node.config.NodeRole.ORIGIN) {
            file = "publish.html";
        } else if (path.matches("/web/[A-Za-z0-9_-]+\\.(js|css|html)")) {
            file = path.substring("/web/".length());
        } else {
            return false;
        }
        byte[] body = STATIC.computeIfAbsent(file, f -> {
            try (var in = NodeHttpServer.class.getResourceAsStream("/web/" + f)) {
                return in == null ? new byte[0] : in.readAllBytes();
            } catch (java.io.IOException e) {
                return new byte[0];
            }
        });
        if (body.length == 0) {
            problem(req, 404, "Not Found", "no such file: " + file);
            return true;
        }
        String type = file.endsWith(".js") ? "text/javascript; charset=utf-8"
                : file.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
        req.response().putHeader("content-type", type).putHeader("cache-control", "no-cache")
                .end(io.vertx.core.buffer.Buffer.buffer(body));
        return true;
    }

    private static final Map<String, byte[]> STATIC = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * CORS for WHEP/WHIP and the event streams: a player served by one edge plays from another after
     * a move (POST offer, POST event list, GET the event stream, DELETE), so it must be allowed to
     * read Location, Link (the events extension) and Retry-After from any origin.
     */
    private static void cors(HttpServerRequest req) {
        req.response().putHeader("access-control-allow-origin", "*")
                .putHeader("access-control-allow-methods", "GET, POST, DELETE, OPTIONS")
                .putHeader("access-control-allow-headers", "content-type, authorization")
                .putHeader("access-control-expose-headers", "location, link, retry-after, accept-post")
                .putHeader("access-control-max-age", "600");
    }

    /**
     * The node is up (always 200: a node that cannot reach its manager still serves its sessions, and
     * restarting it would not help), and how it stands with the stream manager.
     */
    private Map<String, Object> health() {
        return health(node.config(), manager);
    }

    /** The {@code /healthz} body of any node (the transcoder's too): the node, its role, its membership. */
    public static Map<String, Object> health(dev.cascade.node.config.NodeConfig config, ManagerClient manager) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("node", config.nodeId());
        m.put("role", config.node().role().wireName());
        Map<String, Object> mgr = new LinkedHashMap<>();
        if (manager == null) {
            mgr.put("state", "standalone");
        } else {
            ManagerClient.Status st = manager.status();
            mgr.put("state", st.state().wireName());
            mgr.put("url", st.url());
            if (st.detail() != null) {
                mgr.put("detail", st.detail());
            }
            if (st.nodeState() != null) {
                mgr.put("nodeState", st.nodeState());
            }
            mgr.put("since", st.since().toString());
        }
        m.put("manager", mgr);
        return m;
    }

    /** WHEP viewers (edges) and WHIP publishers (origins) with their per-session figures. */
    private List<Map<String, Object>> webrtcSessions() {
        List<Map<String, Object>> out = new ArrayList<>();
        if (node.whep() != null) {
            node.whep().viewers().forEach((id, v) -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", id);
                m.put("kind", "whep");
                m.put("stream", v.streamKey());
                m.put("state", v.session().state().name());
                m.put("packetsSent", v.packetsSent);
                m.put("packetsDropped", v.packetsDropped);
                m.put("retransmissions", v.retransmissions);
                m.put("resendsSuppressed", v.resendsSuppressed);
                long rtt = v.rttNanos;
                m.put("rttMs", rtt < 0 ? null : rtt / 1e6);
                m.put("keyframeRequests", v.keyframeRequests);
                m.put("rembBps", v.rembBps);
                m.put("fractionLost", v.fractionLost);
                m.put("cumulativeLost", v.cumulativeLost);
                m.put("jitter", v.jitter);
                if (events != null) {
                    var wanted = events.events(id);
                    m.put("events", wanted == null ? null : List.copyOf(wanted));
                    m.put("eventStreamConnected", events.connected(id));
                }
                m.put("movedTo", v.movedTo);
                var abr = v.abr();
                if (abr != null) {
                    // The variant it receives (0: the source, -1: nothing yet), what the chooser wants,
                    // why the last switch happened, the REMB it decided on, and up-probe padding.
                    Map<String, Object> a = new LinkedHashMap<>();
                    a.put("level", abr.level());
                    a.put("targetLevel", abr.targetLevel());
                    a.put("levels", abr.ladder().size());
                    int level = abr.level();
                    if (level >= 1) {
                        var l = abr.ladder().level(level);
                        a.put("width", l.width());
                        a.put("height", l.height());
                        a.put("bitrateKbps", l.bitrateKbps());
                    }
                    a.put("reason", abr.reason());
                    a.put("switches", abr.switches());
                    a.put("lastRembBps", abr.lastRembBps());
                    a.put("estimateBps", abr.estimateBps());
                    a.put("probing", abr.probingNow());
                    a.put("probeBps", abr.probeTargetBps());
                    a.put("paddingPackets", v.paddingPackets);
                    m.put("abr", a);
                }
                out.add(m);
            });
        }
        if (node.whip() != null) {
            node.whip().publishers().forEach((id, p) -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", id);
                m.put("kind", "whip");
                m.put("stream", p.streamKey());
                m.put("state", p.session().state().name());
                m.put("videoFrames", p.videoFrames);
                m.put("audioFrames", p.audioFrames);
                out.add(m);
            });
        }
        return out;
    }

    private List<Map<String, Object>> streams() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Stream s : node.streams()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stream", s.key());
            m.put("state", s.state().name());
            m.put("source", s.source() == null ? null : s.source().kind());
            // The node the route named for this stream's pull (null: origin, or a standalone node).
            m.put("upstream", s.source() instanceof RelayLink link ? link.upstreamNode() : null);
            m.put("subscribers", s.subscriberCount);
            m.put("bytesIn", s.bytesIn);
            m.put("bytesOut", s.bytesOut);
            m.put("packetsDropped", s.packetsDropped);
            m.put("keyframes", s.keyframes());
            m.put("continuityErrors", s.continuityErrors());
            m.put("syncLossEvents", s.syncLossEvents());
            out.add(m);
        }
        return out;
    }

    private static void json(HttpServerRequest req, int status, Object body) throws Exception {
        req.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end(JSON.writeValueAsString(body));
    }

    /** RFC 9457 problem details. */
    private static void problem(HttpServerRequest req, int status, String title, String detail) {
        problem(req, status, title, detail, null);
    }

    /** RFC 9457 problem details of {@code type} (null: about:blank). */
    private static void problem(HttpServerRequest req, int status, String title, String detail, String type) {
        try {
            req.response().setStatusCode(status).putHeader("content-type", "application/problem+json")
                    .end(JSON.writeValueAsString(Map.of("type", type == null ? "about:blank" : type, "title", title,
                            "status", status, "detail", detail)));
        } catch (Exception e) {
            req.response().setStatusCode(status).end();
        }
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
