package dev.cascade.node.stream;

import dev.cascade.node.config.NodeConfig;
import dev.cascade.node.metrics.NodeMetrics;
import dev.cascade.node.srt.SrtLoop;
import java.util.Map;

/** A stream host for socket-free tests: shipped default config, an unstarted loop (timers are recorded, never run). */
final class TestHost implements StreamHost {
    private final NodeConfig config = NodeConfig.loader().load(null, Map.of(), Map.of());
    private final NodeMetrics metrics = new NodeMetrics(config);
    private final SrtLoop loop = new SrtLoop("test", 1000);

    @Override
    public SrtLoop loop() {
        return loop;
    }

    @Override
    public NodeConfig config() {
        return config;
    }

    @Override
    public NodeMetrics metrics() {
        return metrics;
    }

    @Override
    public void streamEnded(Stream stream, String reason) {}
}
