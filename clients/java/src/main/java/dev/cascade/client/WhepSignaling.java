package dev.cascade.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * WHEP signalling (draft-ietf-wish-whep): {@code POST} the offer as {@code application/sdp}, get
 * {@code 201 Created} with the answer and the session's {@code Location}; {@code DELETE} it to end.
 * The server-sent events extension (draft-ietf-wish-whep-02 section 4.9.1): the 201's {@code Link}
 * with rel {@value #EVENTS_REL} names where to {@link #subscribe} (POST a JSON list of event types,
 * 201 + Location), and {@link #listen} reads that event stream.
 */
public final class WhepSignaling {
    public static final String EVENTS_REL = "urn:ietf:params:whep:ext:core:server-sent-events";

    /**
     * A session the server created.
     *
     * @param events the server-sent events entry point from the 201's Link header, or null
     */
    public record Session(URI resource, String answer, URI events) {
        public Session(URI resource, String answer) {
            this(resource, answer, null);
        }
    }

    /** A refusal: the status and the problem body the server sent. */
    public static final class Refused extends IOException {
        public final int status;
        public final String body;
        /** The Retry-After header, or null. */
        public final String retryAfter;

        Refused(int status, String body, String retryAfter) {
            super("WHEP request refused with " + status + ": " + body);
            this.status = status;
            this.body = body;
            this.retryAfter = retryAfter;
        }
    }

    /** A listening event stream; {@link #close} stops it. */
    public interface EventStream extends AutoCloseable {
        @Override
        void close();

        /** Completes when the stream ends: normally (the server ended it) or with the error. */
        CompletableFuture<Integer> ended();
    }

    private final HttpClient http;

    public WhepSignaling() {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    public WhepSignaling(HttpClient http) {
        this.http = http;
    }

    public Session offer(URI endpoint, String sdp) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(15))
                .header("content-type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(sdp)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new Refused(r.statusCode(), r.body(), r.headers().firstValue("retry-after").orElse(null));
        }
        String location = r.headers().firstValue("location")
                .orElseThrow(() -> new IOException("201 without a Location header"));
        String events = links(r.headers().allValues("link")).get(EVENTS_REL);
        return new Session(endpoint.resolve(location), r.body(), events == null ? null : endpoint.resolve(events));
    }

    /** Ends the session; returns the status (200 when it existed). */
    public int delete(Session s) throws IOException, InterruptedException {
        return delete(s.resource());
    }

    public int delete(URI resource) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(resource).timeout(Duration.ofSeconds(10)).DELETE().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Creates an event stream for {@code types} at a session's events entry point; returns its URL. */
    public URI subscribe(URI entry, List<String> types) throws IOException, InterruptedException {
        String body = types.stream().map(t -> "\"" + t.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(",", "[", "]"));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(entry).timeout(Duration.ofSeconds(10))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new Refused(r.statusCode(), r.body(), r.headers().firstValue("retry-after").orElse(null));
        }
        return entry.resolve(r.headers().firstValue("location")
                .orElseThrow(() -> new IOException("201 without a Location header")));
    }

    /**
     * GETs the event stream at {@code stream} and hands each event to {@code onEvent} (on the HTTP
     * client's threads, in order). The returned stream's {@code ended()} completes with the HTTP
     * status when the server ends it (or refuses it: 404 once its session is gone).
     */
    public EventStream listen(URI stream, Consumer<ServerSentEvents.Event> onEvent) {
        CompletableFuture<Integer> ended = new CompletableFuture<>();
        ServerSentEvents parser = new ServerSentEvents(onEvent);
        Flow.Subscription[] held = new Flow.Subscription[1];
        boolean[] cancelled = {false};
        Flow.Subscriber<String> lines = new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                synchronized (held) {
                    held[0] = s;
                    if (cancelled[0]) {
                        s.cancel();
                        return;
                    }
                }
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(String line) {
                parser.line(line);
            }

            @Override
            public void onError(Throwable t) {
                ended.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                parser.line("");
            }
        };
        CompletableFuture<HttpResponse<Void>> response = http.sendAsync(HttpRequest.newBuilder(stream)
                .header("accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.fromLineSubscriber(lines));
        response.whenComplete((r, e) -> {
            if (e != null) {
                ended.completeExceptionally(e);
            } else {
                ended.complete(r.statusCode());
            }
        });
        return new EventStream() {
            @Override
            public void close() {
                synchronized (held) {
                    cancelled[0] = true;
                    if (held[0] != null) {
                        held[0].cancel();
                    }
                }
                response.cancel(true);
            }

            @Override
            public CompletableFuture<Integer> ended() {
                return ended;
            }
        };
    }

    /**
     * Link header values (RFC 8288) as rel to target, the first of each rel; targets as written (the
     * caller resolves relative ones). A value may hold several comma-separated links.
     */
    public static Map<String, String> links(List<String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String value : values) {
            for (String link : value.split(",\\s*(?=<)")) {
                int open = link.indexOf('<');
                int close = link.indexOf('>', open + 1);
                if (open < 0 || close < 0) {
                    continue;
                }
                String target = link.substring(open + 1, close).trim();
                for (String param : link.substring(close + 1).split(";")) {
                    int eq = param.indexOf('=');
                    if (eq < 0 || !param.substring(0, eq).trim().equalsIgnoreCase("rel")) {
                        continue;
                    }
                    String rels = param.substring(eq + 1).trim().replace("\"", "");
                    for (String rel : rels.split("\\s+")) {
                        out.putIfAbsent(rel, target);
                    }
                }
            }
        }
        return out;
    }
}
