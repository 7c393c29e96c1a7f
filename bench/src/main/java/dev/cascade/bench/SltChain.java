package dev.cascade.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A chain of {@code srt-live-transmit} processes (Debian srt-tools), the bare-SRT baseline:
 * <pre>
 *   publisher -> slt1 [listener A, latency in] -> [listener B, 20] -> slt2 [caller B] -> [listener C, 20]
 *             -> slt3 [caller C] -> [listener D, latency out] -> receiver
 * </pre>
 * with {@code hops} processes. Each SRT leg has the same latency as the matching Cascade leg:
 * publisher-facing and viewer-facing legs the publisher/viewer latency, node-to-node legs the
 * inter-node latency.
 */
final class SltChain implements AutoCloseable {
    final int inputPort;
    final int outputPort;
    final List<String> commands = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    private SltChain(int inputPort, int outputPort) {
        this.inputPort = inputPort;
        this.outputPort = outputPort;
    }

    /**
     * @param sourceTime srt-live-transmit's {@code -sourcetime} (its default is yes): pass each
     *     packet's source time on to the next SRT leg, so TSBPD delays do not add up along the chain
     */
    static SltChain start(int hops, int edgeLatencyMs, int interLatencyMs, boolean sourceTime, String tag)
            throws IOException {
        int[] ports = new int[hops + 1];
        for (int i = 0; i <= hops; i++) {
            ports[i] = Ports.free();
        }
        SltChain chain = new SltChain(ports[0], ports[hops]);
        try {
            for (int i = 0; i < hops; i++) {
                int inLatency = i == 0 ? edgeLatencyMs : interLatencyMs;
                int outLatency = i == hops - 1 ? edgeLatencyMs : interLatencyMs;
                String in = i == 0
                        ? "srt://127.0.0.1:" + ports[0] + "?mode=listener&latency=" + inLatency
                        : "srt://127.0.0.1:" + ports[i] + "?mode=caller&latency=" + inLatency;
                String out = "srt://127.0.0.1:" + ports[i + 1] + "?mode=listener&latency=" + outLatency;
                List<String> cmd = List.of("srt-live-transmit", "-q", "-a:yes", "-st:" + (sourceTime ? "yes" : "no"),
                        "-chunk:1456", in, out);
                chain.commands.add(String.join(" ", cmd));
                chain.processes.add(Bench.start(cmd, Bench.logs().resolve(tag + "-slt" + (i + 1) + ".log")));
                Bench.sleep(150); // let it bind before the next one calls it
            }
            for (Process p : chain.processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("srt-live-transmit exited at once (" + p.exitValue() + "); see "
                            + Bench.logs());
                }
            }
        } catch (RuntimeException | IOException e) {
            chain.close();
            throw e;
        }
        return chain;
    }

    boolean alive() {
        return processes.stream().allMatch(Process::isAlive);
    }

    @Override
    public void close() {
        for (Process p : processes) {
            Bench.stop(p);
        }
    }
}
