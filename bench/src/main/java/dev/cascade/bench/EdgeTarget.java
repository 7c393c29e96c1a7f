package dev.cascade.bench;

import dev.cascade.client.WebRtcPeer;
import dev.cascade.client.WhepSignaling;
import java.net.URI;

/** A Cascade edge under viewer load: the measured process, and viewers joining one stream over WHEP. */
abstract class EdgeTarget implements ViewersBench.Target {
    final CascadeNode edge;
    final URI endpoint;
    private final WhepSignaling whep = new WhepSignaling();

    EdgeTarget(CascadeNode edge, String streamKey) {
        this.edge = edge;
        this.endpoint = URI.create("http://127.0.0.1:" + edge.httpPort + "/whep/" + streamKey);
    }

    @Override
    public long serverPid() {
        return edge.pid();
    }

    @Override
    public void connect(WebRtcPeer peer) throws Exception {
        WhepSignaling.Session s = whep.offer(endpoint, peer.offer(true));
        peer.connect(s.answer(), 15_000);
    }
}
