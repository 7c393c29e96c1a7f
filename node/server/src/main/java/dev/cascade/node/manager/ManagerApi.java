package dev.cascade.node.manager;

import java.nio.charset.StandardCharsets;

import java.net.URLEncoder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.node.metrics.NodeMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The node's HTTP link to the stream managers. Any manager of a cluster answers any call (they share
 * one Hazelcast cluster), so a call that meets a connection error, a timeout or a 5xx moves on to the
 * next configured URL at once, and the URL that last answered is where the next call starts.
 * A call fails only when every URL failed once; the caller decides when to go round again.
 *
 * <p>Every call runs on one Vert.x context ({@link #context()}), which owns the current URL, so
 * heartbeats and route asks see the same failover without locks. Everything is bounded: one call to
 * one URL takes at most {@code manager.requestTimeoutMs} (connect, queue and answer included), an
 * answer at most {@link #MAX_ANSWER_BYTES}, and the connection pool and its wait queue are capped.
 */
public final class ManagerApi {
    static final String PROBLEM_TYPE_PREFIX = "https://cascade.dev/problems/";
    /** The manager's answers to a node are a few hundred bytes; anything this large is not one of them. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The node's calls, named as in {@code cascade_manager_client_requests_total{call}}. SUBSCRIBE is
     * a draining edge asking where its viewers should go (the public subscribe placement).
     */
    public enum Call {
        REGISTER, HEARTBEAT, DEREGISTER, ROUTE, SUBSCRIBE, ABR;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * An answer below 500 from one manager.
     *
     * @param url     the manager's base URL
     * @param problem the slug of an RFC 9457 problem's {@code type} (https://cascade.dev/problems/SLUG), or null
     * @param body    the parsed JSON body, or null when there was none or it was not JSON
     */
    public record Reply(String url, int status, String problem, String detail, JsonNode body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public boolean is(int status, String problem) {
            return this.status == status && problem.equals(this.problem);
        }

        /** E.g. {@code HTTP 403 join-token-invalid: the join token is not the cluster's}. */
        public String describe() {
            return "HTTP " + status + (problem == null ? "" : " " + problem) + (detail == null ? "" : ": " + detail);
        }
    }

    /** Every URL failed: connection error, timeout or 5xx. The message names what each one did. */
    public static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message, null, false, false);
        }
    }

    private final Vertx vertx;
    private final Context context;
    private final HttpClientAgent http;
    private final List<String> urls;
    private final String authorization;
    private final long timeoutMs;
    private final NodeMetrics metrics;
    /** Index of the URL the next call starts at. Context thread only. */
    private int current;
    /** Read by /healthz from other threads. */
    private volatile String currentUrl;
    private Runnable notRegistered = () -> {};

    /**
     * @param urls      base URLs without a trailing slash (validated by NodeConfig)
     * @param timeoutMs the bound on one call to one URL
     */
    public ManagerApi(Vertx vertx, List<String> urls, String joinToken, long timeoutMs, NodeMetrics metrics) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("no stream manager URL");
        }
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.urls = List.copyOf(urls);
        this.currentUrl = this.urls.get(0);
        this.authorization = "Bearer " + joinToken;
        this.timeoutMs = timeoutMs;
        this.metrics = metrics;
        this.http = vertx.createHttpClient(new HttpClientOptions()
                        .setConnectTimeout((int) timeoutMs)
                        .setKeepAlive(true)
                        .setKeepAliveTimeout(30)
                        .setMaxRedirects(0),
                // Heartbeats are one at a time; route asks come in bursts when many streams start at once.
                new PoolOptions().setHttp1MaxSize(8).setMaxWaitQueueSize(1024));
    }

    /** The context every call must be made on, and where their answers arrive. */
    public Context context() {
        return context;
    }

    public String currentUrl() {
        return currentUrl;
    }

    public long timeoutMs() {
        return timeoutMs;
    }

    /** What to do when a manager says it does not know this node (the manager client re-registers). */
    public void onNotRegistered(Runnable r) {
        this.notRegistered = r;
    }

    /** A call other than the manager client's own learned that the manager does not know this node. Context thread. */
    void nodeNotRegistered() {
        notRegistered.run();
    }

    /** A call with no deadline beyond the per-URL timeout. Context thread. */
    public Future<Reply> call(Call call, HttpMethod method, String path, Object body) {
        return call(call, method, path, body, Long.MAX_VALUE);
    }

    /**
     * Sends {@code body} (as JSON; null for none) to {@code path} at the current URL, then at the next
     * ones after a connection error, a timeout or a 5xx ({@link #isAnswer}), each URL at most once,
     * and never past {@code deadlineNanos} ({@link System#nanoTime()}). Fails with {@link Unreachable}
     * when none answered. Context thread.
     */
    public Future<Reply> call(Call call, HttpMethod method, String path, Object body, long deadlineNanos) {
        if (Vertx.currentContext() != context) {
            // The failover index has one owner; a call from elsewhere would race with it.
            throw new IllegalStateException("manager calls must run on the manager link's context");
        }
        Buffer payload;
        try {
            payload = body == null ? null : Buffer.buffer(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            return Future.failedFuture(e);
        }
        Promise<Reply> result = Promise.promise();
        attempt(call, method, path, payload, urls.size(), deadlineNanos, new StringBuilder(), result);
        return result.future();
    }

    private void attempt(Call call, HttpMethod method, String path, Buffer payload, int triesLeft, long deadlineNanos,
                         StringBuilder failures, Promise<Reply> result) {
        int index = current;
        String base = urls.get(index);
        long leftMs = deadlineNanos == Long.MAX_VALUE ? timeoutMs
                : Math.min(timeoutMs, (deadlineNanos - System.nanoTime() + 999_999) / 1_000_000); // rounded up
        if (leftMs <= 0) {
            result.fail(new Unreachable(failures.length() == 0 ? "no time left to ask " + base : failures.toString()));
            return;
        }
        send(method, base, path, payload, leftMs).onComplete(ar -> {
            if (ar.succeeded() && isAnswer(call, ar.result())) {
                Reply reply = ar.result();
                metrics.managerRequest(call.label(), outcome(reply));
                result.complete(reply);
                return;
            }
            metrics.managerRequest(call.label(), ar.succeeded() ? "server_error"
                    : ar.cause() instanceof TimeoutException ? "timeout" : "unreachable");
            if (failures.length() > 0) {
                failures.append("; ");
            }
            failures.append(base).append(": ").append(ar.succeeded() ? ar.result().describe() : describe(ar.cause()));
            // Another call may have moved on from this URL already; do not skip the one it moved to.
            if (current == index && urls.size() > 1) {
                current = (index + 1) % urls.size();
                currentUrl = urls.get(current);
                metrics.managerFailover();
            }
            if (triesLeft > 1) {
                attempt(call, method, path, payload, triesLeft - 1, deadlineNanos, failures, result);
            } else {
                result.fail(new Unreachable(failures.toString()));
            }
        });
    }

    /**
     * Whether a reply ends the call. Below 500 always. A subscribe placement's {@code 503
     * no-capacity} too: every manager reads the same cluster state, so asking the next one would
     * only get the same answer (a route ask keeps going round, as it always did: its caller treats
     * every failure alike).
     */
    static boolean isAnswer(Call call, Reply r) {
        return r.status() < 500 || (call == Call.SUBSCRIBE && r.is(503, "no-capacity"));
    }

    /** The {@code outcome} label of an answer ({@link #isAnswer}). */
    static String outcome(Reply r) {
        if (r.ok()) {
            return "ok";
        }
        if (r.is(503, "no-capacity")) {
            return "no_capacity";
        }
        if (r.status() == 401 || r.status() == 403) {
            return "refused";
        }
        if (r.status() == 404) {
            return "node-not-registered".equals(r.problem()) ? "not_registered" : "not_found";
        }
        return "rejected";
    }

    /** One request to one manager ({@code base}), failed with a TimeoutException if it has not fully answered within {@code timeoutMs}. */
    private Future<Reply> send(HttpMethod method, String base, String path, Buffer payload, long timeoutMs) {
        Promise<Reply> answer = Promise.promise();
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setAbsoluteURI(base + path)
                .setConnectTimeout(timeoutMs)
                .setIdleTimeout(timeoutMs)
                .putHeader("authorization", authorization)
                .putHeader("accept", "application/json, application/problem+json");
        if (payload != null) {
            options.putHeader("content-type", "application/json");
        }
        HttpClientRequest[] sent = new HttpClientRequest[1];
        // One deadline over connect, pool queue, request and answer: Vert.x's own timeouts are per phase.
        long timer = vertx.setTimer(timeoutMs, t -> {
            if (answer.tryFail(new TimeoutException("no answer within " + timeoutMs + " ms")) && sent[0] != null) {
                sent[0].reset();
            }
        });
        http.request(options)
                .compose(request -> {
                    if (answer.future().isComplete()) {
                        // Timed out while connecting: do not send a call whose outcome nobody waits for.
                        request.reset();
                        return Future.failedFuture("timed out");
                    }
                    sent[0] = request;
                    return payload == null ? request.send() : request.send(payload);
                })
                .compose(response -> read(base, response))
                .onComplete(ar -> {
                    vertx.cancelTimer(timer);
                    if (ar.succeeded()) {
                        answer.tryComplete(ar.result());
                    } else {
                        answer.tryFail(ar.cause());
                    }
                });
        return answer.future();
    }

    private static Future<Reply> read(String base, HttpClientResponse response) {
        Promise<Reply> p = Promise.promise();
        Buffer body = Buffer.buffer();
        response.exceptionHandler(p::tryFail);
        response.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_ANSWER_BYTES) {
                if (p.tryFail(new IOException("answer larger than " + MAX_ANSWER_BYTES + " bytes"))) {
                    response.request().reset();
                }
            } else {
                body.appendBuffer(chunk);
            }
        });
        response.endHandler(v -> p.tryComplete(reply(base, response.statusCode(), response.getHeader("content-type"), body)));
        return p.future();
    }

    /** Parses an answer; a body that is not JSON leaves {@code body} null (callers say what they missed). */
    static Reply reply(String base, int status, String contentType, Buffer raw) {
        JsonNode body = null;
        if (raw.length() > 0 && contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json")) {
            try {
                body = JSON.readTree(raw.getBytes());
            } catch (IOException e) {
                body = null;
            }
        }
        String problem = null;
        String detail = null;
        if (body != null && body.isObject() && status >= 300) {
            String type = body.path("type").asText("");
            if (type.startsWith(PROBLEM_TYPE_PREFIX)) {
                problem = type.substring(PROBLEM_TYPE_PREFIX.length());
            }
            detail = body.hasNonNull("detail") ? body.get("detail").asText()
                    : body.hasNonNull("title") ? body.get("title").asText() : null;
        }
        return new Reply(base, status, problem, detail, body);
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    // ---------------------------------------------------------------- helpers of the answer readers

    /** A JSON field's text, or null when absent, not a string, or blank. */
    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() || v.asText().isBlank() ? null : v.asText();
    }

    /** An answer body cut for an error message. */
    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /** One URL path or query segment. */
    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
