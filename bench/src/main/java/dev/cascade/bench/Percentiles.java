package dev.cascade.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Nearest-rank percentiles of latency samples held in nanoseconds; reported in milliseconds. */
final class Percentiles {
    private final long[] sorted;

    Percentiles(long[] samples, int count) {
        sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
    }

    int count() {
        return sorted.length;
    }

    /** The q-quantile (0..1) in ms, NaN without samples. */
    double ms(double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    double meanMs() {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (long v : sorted) {
            s += v;
        }
        return s / sorted.length / 1e6;
    }

    Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", sorted.length);
        m.put("minMs", round(ms(0)));
        m.put("p50Ms", round(ms(0.50)));
        m.put("p95Ms", round(ms(0.95)));
        m.put("p99Ms", round(ms(0.99)));
        m.put("maxMs", round(ms(1.0)));
        m.put("meanMs", round(meanMs()));
        return m;
    }

    static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 100) / 100.0;
    }
}
