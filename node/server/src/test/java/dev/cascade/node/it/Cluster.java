package dev.cascade.node.it;

import java.io.IOException;
import java.util.Map;

/** Origin, relay and edge as three real processes on free loopback ports. */
public final class Cluster implements AutoCloseable {
    public final NodeProcess origin;
    public final NodeProcess relay;
    public final NodeProcess edge;

    private Cluster(NodeProcess origin, NodeProcess relay, NodeProcess edge) {
        this.origin = origin;
        this.relay = relay;
        this.edge = edge;
    }

    public static Cluster start(Map<String, String> sets) throws IOException {
        NodeProcess origin = NodeProcess.start("origin", Ports.free(), Ports.free(), 0, sets);
        NodeProcess relay = null;
        try {
            relay = NodeProcess.start("relay", Ports.free(), Ports.free(), origin.srtPort, sets);
            NodeProcess edge = NodeProcess.start("edge", Ports.free(), Ports.free(), relay.srtPort, sets);
            return new Cluster(origin, relay, edge);
        } catch (IOException | RuntimeException e) {
            origin.close();
            if (relay != null) {
                relay.close();
            }
            throw e;
        }
    }

    public String publishUrl(String name) {
        return "srt://127.0.0.1:" + origin.srtPort + "?streamid=#!::r=live/" + name + ",m=publish";
    }

    public String edgeUrl(String name) {
        return "srt://127.0.0.1:" + edge.srtPort + "?streamid=#!::r=live/" + name + ",m=request";
    }

    public boolean allAlive() {
        return origin.alive() && relay.alive() && edge.alive();
    }

    public String logs() {
        return "--- origin\n" + origin.logText() + "\n--- relay\n" + relay.logText() + "\n--- edge\n" + edge.logText();
    }

    @Override
    public void close() {
        edge.close();
        relay.close();
        origin.close();
    }
}
