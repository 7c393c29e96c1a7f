package dev.cascade.node.manager;

import dev.cascade.node.manager.ManagerApi.Call;
import dev.cascade.node.manager.ManagerApi.Reply;
import dev.cascade.node.manager.ManagerMessages.Heartbeat;
import dev.cascade.node.manager.ManagerMessages.Load;
import dev.cascade.node.manager.ManagerMessages.NodeRegistration;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's membership at the stream manager (openapi.yaml, the node calls):
 *
 * <pre>
 *   start ──> register ──200──> REGISTERED ──> heartbeat every heartbeatIntervalMs (the manager's)
 *               │  ^                              │
 *               │  └──── 404 node-not-registered ─┘  (the manager marked us FAILED, or forgot us)
 *               ├─ every URL failed ──> UNREACHABLE: register again after retryMs, doubling to 16 x
 *               ├─ 401/403 ──────────> REFUSED (join token): register again every 16 x retryMs
 *               └─ other 4xx ────────> REJECTED (our registration): register again every 16 x retryMs
 *   stop ──> deregister, bounded to one second
 * </pre>
 *
 * A heartbeat that finds no manager keeps its interval (the next one tries every URL again, and a
 * manager that has meanwhile marked us FAILED answers 404, which re-registers). Logs are written
 * when the state changes, never per heartbeat; every call is counted in
 * {@code cascade_manager_client_requests_total}.
 *
 * <p>All of this runs on the manager link's Vert.x context, which owns the fields below. The
 * heartbeat's node figures are sampled on the SRT loop thread (the {@code reports} supplier) and
 * arrive here as an immutable {@link NodeReport}.
 */
public final class ManagerClient {
    private static final Logger LOG = LoggerFactory.getLogger(ManagerClient.class);
    /** A refused token or registration needs a person, not a storm of retries: retryMs times this. */
    static final int SLOW_RETRY_FACTOR = 16;
    /** Cap of the unreachable backoff, as a multiple of retryMs (1, 2, 4, 8, 16). */
    static final int MAX_BACKOFF_FACTOR = 16;
    /** How long shutdown waits for the deregistration. */
    public static final long DEREGISTER_BUDGET_MS = 1000;
    /** Bounds on the manager's heartbeatIntervalMs, so a wrong answer cannot make us spin or go silent. */
    static final long MIN_HEARTBEAT_MS = 100;
    static final long MAX_HEARTBEAT_MS = 600_000;

    public enum State {
        STARTING, REGISTERED, UNREACHABLE, REFUSED, REJECTED, STOPPED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What {@code /healthz} shows.
     *
     * @param url       the manager last talked to, or the one the next call goes to when none answers
     * @param detail    why, when not registered
     * @param nodeState this node's state as the manager last said it (STARTING, INSERVICE, DRAINING, ...)
     */
    public record Status(State state, String url, String detail, String nodeState, Instant since) {}

    private final ManagerApi api;
    private final NodeRegistration registration;
    private final Supplier<CompletionStage<NodeReport>> reports;
    private final DoubleSupplier cpu;
    private final long retryMs;
    private final String heartbeatPath;
    private final String deregisterPath;

    // Context thread only.
    private State state = State.STARTING;
    private long timer = -1;
    private long heartbeatMs;
    /** Rounds in a row in which no manager answered a registration. */
    private int unreachableRounds;
    private boolean everRegistered;
    private boolean registering;
    /**
     * Bumped by every registration: answers to calls made before it (a heartbeat still out when the
     * manager's 404 made us register again) are dropped, so only one heartbeat chain ever runs.
     */
    private int epoch;
    private long lastRegisterNanos;
    private boolean reportFailing;
    private boolean truncationLogged;

    private volatile Status status;
    private java.util.function.Consumer<String> nodeStates = state -> {};
    private java.util.function.Consumer<com.fasterxml.jackson.databind.JsonNode> heartbeatAnswers = body -> {};

    /**
     * @param reports samples the node on its loop thread (e.g. {@code loop.submit(reporter::sample)})
     * @param cpu     the process's CPU use, 0..1 of the machine; negative when unknown
     */
    public ManagerClient(ManagerApi api, NodeRegistration registration, Supplier<CompletionStage<NodeReport>> reports,
                         DoubleSupplier cpu, long retryMs) {
        this.api = api;
        this.registration = registration;
        this.reports = reports;
        this.cpu = cpu;
        this.retryMs = retryMs;
        this.heartbeatPath = "/api/v1/nodes/" + registration.id() + "/heartbeat";
        this.deregisterPath = "/api/v1/nodes/" + registration.id() + "/deregister";
        this.status = new Status(State.STARTING, api.currentUrl(), "not registered yet", null, Instant.now());
        api.onNotRegistered(() -> {
            if (state == State.REGISTERED && !registering) {
                forgotten("a route ask answered 404 node-not-registered");
            }
        });
    }

    /** The JVM's own measure of this process's CPU use (what {@code process_cpu_usage} exports). */
    public static double processCpuLoad() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuLoad() : -1;
    }

    public Status status() {
        return status;
    }

    /**
     * Hears this node's state as the manager gives it in every successful registration and heartbeat
     * answer (STARTING, INSERVICE, DRAINING, ...), once per answer, not only on changes, so whoever acts
     * on DRAINING can retry at the heartbeat's pace. Runs on the manager link's context. Set before
     * {@link #start}.
     */
    public void onNodeState(java.util.function.Consumer<String> listener) {
        this.nodeStates = Objects.requireNonNull(listener);
    }

    /**
     * Hears the body of every successful heartbeat answer (a transcoder's jobs are in it), once per
     * answer. Runs on the manager link's context. Set before {@link #start}.
     */
    public void onHeartbeatAnswer(java.util.function.Consumer<com.fasterxml.jackson.databind.JsonNode> listener) {
        this.heartbeatAnswers = Objects.requireNonNull(listener);
    }

    public boolean registered() {
        return status.state() == State.REGISTERED;
    }

    /** Registers (call once the node accepts SRT and HTTP), then heartbeats until {@link #stop}. */
    public void start() {
        api.context().runOnContext(v -> register());
    }

    // ---------------------------------------------------------------- registration

    private void register() {
        if (state == State.STOPPED) {
            return;
        }
        cancelTimer();
        int mine = ++epoch;
        registering = true;
        lastRegisterNanos = System.nanoTime();
        api.call(Call.REGISTER, HttpMethod.POST, "/api/v1/nodes/register", registration).onComplete(ar -> {
            if (mine == epoch) {
                registering = false;
                if (state != State.STOPPED) {
                    registered(ar);
                }
            }
        });
    }

    private void registered(AsyncResult<Reply> ar) {
        if (ar.failed()) {
            unreachableRounds++;
            enter(State.UNREACHABLE, api.currentUrl(), ar.cause().getMessage(), null);
            long factor = 1L << Math.min(unreachableRounds - 1, Integer.numberOfTrailingZeros(MAX_BACKOFF_FACTOR));
            schedule(retryMs * factor, this::register);
            return;
        }
        unreachableRounds = 0;
        Reply r = ar.result();
        if (r.ok()) {
            long interval = r.body() == null ? 0 : r.body().path("heartbeatIntervalMs").asLong(0);
            if (interval <= 0) {
                enter(State.REJECTED, r.url(), "the registration answer has no heartbeatIntervalMs: "
                        + (r.body() == null ? "(no JSON body)" : r.body()), null);
                schedule(retryMs * SLOW_RETRY_FACTOR, this::register);
                return;
            }
            heartbeatMs = Math.max(MIN_HEARTBEAT_MS, Math.min(MAX_HEARTBEAT_MS, interval));
            everRegistered = true;
            enter(State.REGISTERED, r.url(), null, text(r, "state"));
            tellNodeState(r);
            heartbeat();
            return;
        }
        refused(r, "registration");
    }

    /** A 4xx that retrying soon cannot fix: say so once, retry the registration slowly. */
    private void refused(Reply r, String what) {
        if (r.status() == 401 || r.status() == 403) {
            enter(State.REFUSED, r.url(), r.describe(), null);
        } else {
            enter(State.REJECTED, r.url(), what + ": " + r.describe(), null);
        }
        schedule(retryMs * SLOW_RETRY_FACTOR, this::register);
    }

    /** The manager does not know us (any more): register again, at once unless we just did. */
    private void forgotten(String why) {
        enter(State.STARTING, api.currentUrl(), why, null);
        long sinceMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastRegisterNanos);
        if (sinceMs < retryMs) {
            schedule(retryMs - sinceMs, this::register);
        } else {
            register();
        }
    }

    // ---------------------------------------------------------------- heartbeats

    private void heartbeat() {
        if (state == State.STOPPED) {
            return;
        }
        timer = -1;
        int mine = epoch;
        long started = System.nanoTime();
        Future.fromCompletionStage(reports.get(), api.context())
                .timeout(api.timeoutMs(), TimeUnit.MILLISECONDS)
                .onComplete(report -> {
                    if (state == State.STOPPED || mine != epoch) {
                        return;
                    }
                    if (report.failed()) {
                        if (!reportFailing) {
                            reportFailing = true;
                            LOG.warn("the node did not report its load within {} ms ({}); heartbeats wait for it",
                                    api.timeoutMs(), report.cause().toString());
                        }
                        scheduleHeartbeat(started);
                        return;
                    }
                    if (reportFailing) {
                        reportFailing = false;
                        LOG.info("the node reports its load again");
                    }
                    api.call(Call.HEARTBEAT, HttpMethod.PUT, heartbeatPath, heartbeatOf(report.result())).onComplete(ar -> {
                        if (state != State.STOPPED && mine == epoch) {
                            answered(ar, started);
                        }
                    });
                });
    }

    private void answered(AsyncResult<Reply> ar, long started) {
        if (ar.failed()) {
            enter(State.UNREACHABLE, api.currentUrl(), ar.cause().getMessage(), null);
            scheduleHeartbeat(started);
            return;
        }
        Reply r = ar.result();
        if (r.ok()) {
            enter(State.REGISTERED, r.url(), null, text(r, "state"));
            tellNodeState(r);
            if (r.body() != null) {
                try {
                    heartbeatAnswers.accept(r.body());
                } catch (RuntimeException e) {
                    LOG.warn("acting on the heartbeat answer failed", e);
                }
            }
            scheduleHeartbeat(started);
        } else if (r.is(404, "node-not-registered")) {
            forgotten("the stream manager at " + r.url() + " no longer knows this node (" + r.describe() + ")");
        } else if (r.status() == 401 || r.status() == 403) {
            refused(r, "heartbeat");
        } else {
            // Our heartbeat is wrong in the manager's eyes; keep the membership and keep reporting.
            enter(State.REJECTED, r.url(), "heartbeat: " + r.describe(), null);
            scheduleHeartbeat(started);
        }
    }

    private Heartbeat heartbeatOf(NodeReport report) {
        if (report.truncated() && !truncationLogged) {
            truncationLogged = true;
            LOG.warn("{} streams on this node; heartbeats list the first {} (the schema's maximum)",
                    report.streamCount(), report.streams().size());
        }
        double c = cpu.getAsDouble();
        Double load = Double.isNaN(c) || c < 0 ? null : Math.min(1.0, Math.round(c * 1000) / 1000.0);
        return new Heartbeat(true, new Load(load, report.mbpsIn(), report.mbpsOut(), report.publishers(),
                report.subscribers(), report.streamCount()), report.streams());
    }

    /** Keeps the interval from one heartbeat's start to the next, however long the call took. */
    private void scheduleHeartbeat(long startedNanos) {
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        schedule(Math.max(0, heartbeatMs - elapsedMs), this::heartbeat);
    }

    // ---------------------------------------------------------------- stop

    /**
     * Deregisters (if this node ever registered) and stops; completes within about
     * {@link #DEREGISTER_BUDGET_MS} whatever the managers do. Any thread.
     */
    public CompletableFuture<Void> stop() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        api.context().runOnContext(v -> {
            cancelTimer();
            epoch++;
            String url = api.currentUrl();
            enter(State.STOPPED, url, null, null);
            if (!everRegistered) {
                done.complete(null);
                return;
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEREGISTER_BUDGET_MS);
            api.call(Call.DEREGISTER, HttpMethod.POST, deregisterPath, null, deadline).onComplete(ar -> {
                if (ar.succeeded() && (ar.result().ok() || ar.result().status() == 404)) {
                    LOG.info("deregistered from the stream manager at {}", ar.result().url());
                } else {
                    LOG.warn("could not deregister from the stream manager ({}); it will mark this node FAILED "
                            + "when the heartbeats stop", ar.succeeded() ? ar.result().describe() : ar.cause().getMessage());
                }
                done.complete(null);
            });
        });
        return done;
    }

    // ---------------------------------------------------------------- state

    /** Moves to a state; logs only when the state, the manager's view of us, or the manager URL changes. */
    private void enter(State next, String url, String detail, String nodeState) {
        Status before = status;
        state = next;
        boolean changed = before.state() != next;
        status = new Status(next, url, detail, nodeState, changed ? Instant.now() : before.since());
        if (changed) {
            logState(next, url, detail);
        } else if (next == State.REGISTERED && !Objects.equals(before.url(), url)) {
            LOG.info("now talking to the stream manager at {}", url);
        }
        if (next == State.REGISTERED && nodeState != null && !nodeState.equals(before.nodeState())) {
            LOG.info("the stream manager has this node {}", nodeState);
        }
    }

    private void logState(State next, String url, String detail) {
        switch (next) {
            case REGISTERED -> LOG.info("registered with the stream manager at {} as {} ({} in {}), heartbeat every {} ms",
                    url, registration.id(), registration.role(), registration.region(), heartbeatMs);
            case UNREACHABLE -> LOG.warn("no stream manager answered ({}); retrying (new pulls cannot get routes meanwhile)",
                    detail);
            case REFUSED -> LOG.error("the stream manager at {} refused this node's join token ({}); check manager.joinToken "
                    + "against the managers' security.joinToken. Retrying every {} ms", url, detail,
                    retryMs * SLOW_RETRY_FACTOR);
            case REJECTED -> LOG.error("the stream manager at {} rejected this node's {}; retrying every {} ms", url, detail,
                    retryMs * SLOW_RETRY_FACTOR);
            case STARTING -> LOG.warn("registering again: {}", detail);
            case STOPPED -> { }
        }
    }

    private void schedule(long delayMs, Runnable task) {
        cancelTimer();
        timer = api.context().owner().setTimer(Math.max(1, delayMs), id -> {
            timer = -1;
            task.run();
        });
    }

    private void cancelTimer() {
        if (timer >= 0) {
            api.context().owner().cancelTimer(timer);
            timer = -1;
        }
    }

    private void tellNodeState(Reply r) {
        String state = text(r, "state");
        if (state == null) {
            return;
        }
        try {
            nodeStates.accept(state);
        } catch (RuntimeException e) {
            LOG.warn("acting on node state {} failed", state, e);
        }
    }

    private static String text(Reply r, String field) {
        return r.body() != null && r.body().hasNonNull(field) ? r.body().get(field).asText() : null;
    }
}
