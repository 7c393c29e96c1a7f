package dev.cascade.node.egress.whep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The WHEP Server Sent Events extension (draft-ietf-wish-whep-02 section 4.9.1, "Server Sent Events
 * extension"; since -03 it lives in the WHEP core-extensions draft with the same wire format):
 *
 * <pre>
 *   POST /whep/live/x                      offer
 *   &lt;- 201  Location: /whep/live/x/{session}
 *           Link: &lt;/whep/live/x/{session}/sse&gt;; rel="urn:ietf:params:whep:ext:core:server-sent-events";
 *                 events="reconnect,viewercount,variant"
 *   POST /whep/live/x/{session}/sse        Content-Type: application/json   ["reconnect","viewercount","variant"]
 *   &lt;- 201  Location: /whep/live/x/{session}/sse/{stream}
 *   GET  /whep/live/x/{session}/sse/{stream}                 (EventSource; long-lived)
 *   &lt;- 200  Content-Type: text/event-stream
 *           event: reconnect            data: {"url":"http://edge-2:8180/whep/live/x"}   (4.9.1.4)
 *           event: viewercount          data: {"viewercount":3}                           (4.9.1.5)
 *           event: variant              data: {"level":3,"levels":3,"width":640,"height":360,
 *                                              "bitrateKbps":400,"reason":"down_remb","rembKbps":780,"switches":4}
 *                                       (Cascade's own: an ABR switch took effect, docs/abr.md)
 *           : keep-alive                (a comment every 15 s, so proxies keep the stream open)
 *   DELETE /whep/live/x/{session}/sse/{stream}   ends it; a later GET is 404 (4.9.1)
 * </pre>
 *
 * One event stream per session: a second POST replaces the first. Events are queued (at most
 * {@link #MAX_QUEUED}) while no GET is attached, "for delivering when an active long pull request is
 * available" (4.9.1). The session's end ends its event stream (4.9.1: "All the event streams
 * associated with a WHEP Resource MUST be destroyed when the WHEP Resource is terminated").
 * {@code viewercount} counts this edge's WHEP viewers of the stream, sampled once a second and sent
 * when it changes (4.9.1.5 allows an approximate, periodic count).
 *
 * <p>The registry is concurrent (the drain reads it from the manager link's context); each stream's
 * connection, queue and last count belong to this object's Vert.x context.
 */
public final class WhepEvents implements WhepDrain.Events {
    public static final String REL = "urn:ietf:params:whep:ext:core:server-sent-events";
    /** The events this edge sends. */
    public static final Set<String> SENT = Set.of("reconnect", "viewercount", "variant");
    /** The Link header's {@code events} attribute. */
    public static final String ANNOUNCED = "reconnect,viewercount,variant";
    static final long KEEP_ALIVE_MS = 15_000;
    static final int MAX_QUEUED = 16;
    static final int MAX_EVENT_TYPES = 16;
    /** The largest event-list body read; a real one is under 100 bytes. */
    public static final int MAX_BODY_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A malformed event list: the 400's detail. */
    public static final class BadEventList extends Exception {
        BadEventList(String message) {
            super(message, null, false, false);
        }
    }

    /** One event stream: the events it wants, and (context thread) its connection and backlog. */
    final class EventStream {
        final String id;
        final String sessionId;
        final String streamKey;
        final Set<String> events;
        HttpServerResponse response;
        final ArrayDeque<String> queue = new ArrayDeque<>();
        int lastViewerCount = -1;
        boolean closed;

        EventStream(String id, String sessionId, String streamKey, Set<String> events) {
            this.id = id;
            this.sessionId = sessionId;
            this.streamKey = streamKey;
            this.events = events;
        }

        /** Context thread. */
        void deliver(String frame) {
            if (closed) {
                return;
            }
            if (response != null && !response.closed()) {
                response.write(frame);
                return;
            }
            if (queue.size() == MAX_QUEUED) {
                queue.removeFirst();
            }
            queue.addLast(frame);
        }

        /** Context thread. */
        void close() {
            closed = true;
            queue.clear();
            if (response != null && !response.closed() && !response.ended()) {
                response.end();
            }
            response = null;
        }
    }

    private final Context context;
    private final Supplier<Map<String, Integer>> viewerCounts;
    private final Map<String, EventStream> bySession = new ConcurrentHashMap<>();
    private final Map<String, EventStream> byId = new ConcurrentHashMap<>();
    private final long timer;
    private long ticks;

    /**
     * @param viewerCounts this edge's WHEP viewers per stream key (read once a second, only while an
     *                     event stream wants {@code viewercount})
     */
    public WhepEvents(Vertx vertx, Supplier<Map<String, Integer>> viewerCounts) {
        this.context = vertx.getOrCreateContext();
        this.viewerCounts = viewerCounts;
        this.timer = vertx.setPeriodic(1000, id -> context.runOnContext(v -> tick()));
    }

    /**
     * Parses the body of the POST that creates an event stream: a JSON array of event type strings
     * (4.9.1). An empty body asks for every event we send. Event types the draft defines that we do
     * not send (active, layers, ...) are accepted and never sent, so a player asking for the draft's
     * whole list still gets ours.
     */
    public static Set<String> parseEventList(String body) throws BadEventList {
        if (body == null || body.isBlank()) {
            return SENT;
        }
        JsonNode list;
        try {
            list = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadEventList("the event list is not JSON: " + e.getOriginalMessage());
        }
        if (list == null || !list.isArray()) {
            throw new BadEventList("the event list must be a JSON array of event types, e.g. [\"reconnect\",\"viewercount\"]");
        }
        if (list.size() > MAX_EVENT_TYPES) {
            throw new BadEventList("the event list has " + list.size() + " entries; at most " + MAX_EVENT_TYPES);
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            if (!e.isTextual() || e.asText().isEmpty() || e.asText().length() > 64) {
                throw new BadEventList("event list entry " + i + " is not an event type (a string): " + e);
            }
            wanted.add(e.asText());
        }
        return Collections.unmodifiableSet(wanted);
    }

    /** The Link header value of a 201 for the session at {@code location}. */
    public static String link(String location) {
        return "<" + location + "/sse>; rel=\"" + REL + "\"; events=\"" + ANNOUNCED + "\"";
    }

    /**
     * Creates the session's event stream (replacing any earlier one) and returns its id, which the
     * caller turns into the Location. Any thread.
     */
    public String create(String sessionId, String streamKey, Set<String> events) {
        byte[] raw = new byte[12];
        RANDOM.nextBytes(raw);
        EventStream s = new EventStream(HexFormat.of().formatHex(raw), sessionId, streamKey, events);
        byId.put(s.id, s);
        EventStream before = bySession.put(sessionId, s);
        if (before != null) {
            byId.remove(before.id, before);
            context.runOnContext(v -> before.close());
        }
        return s.id;
    }

    /**
     * A GET on the event stream {@code id} of session {@code sessionId}: answers 200 text/event-stream
     * and keeps the response, or runs {@code notFound} on the request's side. Any thread.
     */
    public void attach(String sessionId, String id, HttpServerResponse response, Runnable notFound) {
        context.runOnContext(v -> {
            EventStream s = byId.get(id);
            if (s == null || s.closed || !s.sessionId.equals(sessionId)) {
                notFound.run();
                return;
            }
            if (s.response != null && !s.response.closed() && !s.response.ended()) {
                s.response.end(); // a new long pull replaces the old one (EventSource reconnecting)
            }
            s.response = response;
            response.setChunked(true).setStatusCode(200)
                    .putHeader("content-type", "text/event-stream")
                    .putHeader("cache-control", "no-cache")
                    .putHeader("x-accel-buffering", "no");
            response.closeHandler(x -> context.runOnContext(y -> {
                if (s.response == response) {
                    s.response = null;
                }
            }));
            // The first write sends the headers, so the player knows the stream is open.
            response.write(": cascade " + s.streamKey + "\n\n");
            while (!s.queue.isEmpty()) {
                response.write(s.queue.removeFirst());
            }
            if (s.events.contains("viewercount")) {
                s.lastViewerCount = -1; // a fresh connection gets the current count at the next tick
            }
        });
    }

    /** DELETE of an event stream; false when there is no such stream. Any thread. */
    public boolean delete(String sessionId, String id) {
        EventStream s = byId.get(id);
        if (s == null || !s.sessionId.equals(sessionId)) {
            return false;
        }
        byId.remove(id, s);
        bySession.remove(sessionId, s);
        context.runOnContext(v -> s.close());
        return true;
    }

    /** The WHEP session ended: so does its event stream. Any thread. */
    public void sessionClosed(String sessionId) {
        EventStream s = bySession.remove(sessionId);
        if (s != null) {
            byId.remove(s.id, s);
            context.runOnContext(v -> s.close());
        }
    }

    /** Whether the session has an event stream that takes {@code event}. Any thread. */
    @Override
    public boolean wants(String sessionId, String event) {
        EventStream s = bySession.get(sessionId);
        return s != null && s.events.contains(event);
    }

    /** The event types the session's event stream takes, or null without one. Any thread. */
    public Set<String> events(String sessionId) {
        EventStream s = bySession.get(sessionId);
        return s == null ? null : s.events;
    }

    /** Whether a GET is attached to the session's event stream now. Any thread (a little stale). */
    public boolean connected(String sessionId) {
        EventStream s = bySession.get(sessionId);
        HttpServerResponse r = s == null ? null : s.response;
        return r != null && !r.closed();
    }

    /**
     * Sends {@code event} with {@code data} (one line of JSON, 4.9.1: "a single data line") to the
     * session's event stream if it asked for that type. Any thread.
     */
    @Override
    public void send(String sessionId, String event, String data) {
        if (data.indexOf('\n') >= 0 || data.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("event data must be one line");
        }
        EventStream s = bySession.get(sessionId);
        if (s == null || !s.events.contains(event)) {
            return;
        }
        String frame = "event: " + event + "\ndata: " + data + "\n\n";
        context.runOnContext(v -> s.deliver(frame));
    }

    /** The {@code reconnect} event's data (4.9.1.4): the WHEP endpoint to play from instead. */
    public static String reconnectData(String whepUrl) {
        return JSON.createObjectNode().put("url", whepUrl).toString();
    }

    public int size() {
        return bySession.size();
    }

    /** Context thread, once a second: viewer counts that changed; a keep-alive comment every 15 s. */
    private void tick() {
        ticks++;
        boolean keepAlive = ticks % (KEEP_ALIVE_MS / 1000) == 0;
        Map<String, Integer> counts = null;
        for (EventStream s : bySession.values()) {
            if (s.closed) {
                continue;
            }
            if (s.events.contains("viewercount")) {
                if (counts == null) {
                    counts = viewerCounts.get();
                }
                int n = counts.getOrDefault(s.streamKey, 0);
                if (n != s.lastViewerCount && s.response != null && !s.response.closed()) {
                    s.lastViewerCount = n;
                    s.deliver("event: viewercount\ndata: {\"viewercount\":" + n + "}\n\n");
                    continue;
                }
            }
            if (keepAlive && s.response != null && !s.response.closed()) {
                s.response.write(": keep-alive\n\n");
            }
        }
    }

    /** Ends every event stream (shutdown). */
    public void close(Vertx vertx) {
        vertx.cancelTimer(timer);
        context.runOnContext(v -> {
            bySession.values().forEach(EventStream::close);
            bySession.clear();
            byId.clear();
        });
    }
}
