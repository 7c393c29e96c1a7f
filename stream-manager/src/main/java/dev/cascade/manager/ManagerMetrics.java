package dev.cascade.manager;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** The stream manager's Prometheus metrics, named like the nodes' ({@code cascade_...}). */
public final class ManagerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer placementTimer;

    public ManagerMetrics() {
        placementTimer = Timer.builder("cascade_manager_placement_duration")
                .description("Time to choose a node for a placement or route")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    /** An answered API request, by endpoint (the OpenAPI path) and status. */
    public void request(String endpoint, int status) {
        count("cascade_manager_requests", "endpoint", endpoint, "status", Integer.toString(status));
    }

    /** A rejected request, by problem type (the same word as the problem's type slug). */
    public void rejected(String reason) {
        count("cascade_manager_rejections", "reason", reason, null, null);
    }

    /** A placement, by action (publish, subscribe, route) and result (ok, no_capacity, not_found). */
    public void placement(String action, String result) {
        count("cascade_manager_placements", "action", action, "result", result);
    }

    public void heartbeat() {
        count("cascade_manager_heartbeats", null, null, null, null);
    }

    /** A change to a stream's transcode job, by action (assign, move, update, wait, drop). */
    public void transcodeChange(String action) {
        count("cascade_manager_transcode_changes", "action", action, null, null);
    }

    public void nodeFailed() {
        count("cascade_manager_nodes_failed", null, null, null, null);
    }

    /** An autoscaler decision, by action (scale_out, drain, terminate, replace, applied, apply_failed, ...). */
    public void decision(String action, String cloud) {
        count("cascade_manager_scale_decisions", "action", action, "cloud", cloud);
    }

    /** A Terraform apply finished, by cloud and result (ok, failed). */
    public void apply(String cloud, String result, long millis) {
        count("cascade_manager_applies", "cloud", cloud, "result", result);
        applyTimer.record(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    public Timer placementTimer() {
        return placementTimer;
    }

    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    public void gauge(String name, String tag, String tagValue, Supplier<Number> value) {
        Gauge.builder(name, value).tag(tag, tagValue).register(registry);
    }

    private void count(String name, String k1, String v1, String k2, String v2) {
        String key = name + '|' + v1 + '|' + v2;
        counters.computeIfAbsent(key, k -> {
            Counter.Builder b = Counter.builder(name);
            if (k1 != null) {
                b.tag(k1, v1);
            }
            if (k2 != null) {
                b.tag(k2, v2);
            }
            return b.register(registry);
        }).increment();
    }

    private final Timer applyTimer = Timer.builder("cascade_manager_apply_duration")
            .description("Terraform applies, from synthesis to outputs read (all attempts)").register(registry);

    public String scrape() {
        return registry.scrape();
    }
}
