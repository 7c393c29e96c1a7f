package dev.cascade.node.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prometheus text exposition, parsed just enough to sum series by name and labels. */
public final class Metrics {
    record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples;

    private Metrics(List<Sample> samples) {
        this.samples = samples;
    }

    static Metrics parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name;
            Map<String, String> labels = new LinkedHashMap<>();
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                String body = line.substring(brace + 1, line.lastIndexOf('}'));
                for (String kv : body.split("\",")) {
                    int eq = kv.indexOf('=');
                    if (eq > 0) {
                        labels.put(kv.substring(0, eq), kv.substring(eq + 2).replaceAll("\"$", ""));
                    }
                }
            } else {
                name = line.substring(0, space);
            }
            out.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
        }
        return new Metrics(out);
    }

    /** Sum of every series of {@code name} whose labels include all of {@code kv} (pairs). */
    public double sum(String name, String... kv) {
        double total = 0;
        outer:
        for (Sample s : samples) {
            if (!s.name().equals(name)) {
                continue;
            }
            for (int i = 0; i + 1 < kv.length; i += 2) {
                if (!kv[i + 1].equals(s.labels().get(kv[i]))) {
                    continue outer;
                }
            }
            total += s.value();
        }
        return total;
    }

    public boolean has(String name, String... kv) {
        for (Sample s : samples) {
            if (s.name().equals(name)) {
                boolean all = true;
                for (int i = 0; i + 1 < kv.length; i += 2) {
                    all &= kv[i + 1].equals(s.labels().get(kv[i]));
                }
                if (all) {
                    return true;
                }
            }
        }
        return false;
    }
}
