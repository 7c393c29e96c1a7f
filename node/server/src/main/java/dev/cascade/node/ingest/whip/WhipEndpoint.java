package dev.cascade.node.ingest.whip;

import dev.cascade.node.MediaNode;
import dev.cascade.node.stream.Stream;
import dev.cascade.node.webrtc.WebRtcHttpEndpoint;
import dev.cascade.node.webrtc.WebRtcPort;
import dev.cascade.protocol.ParseException;
import dev.cascade.protocol.sdp.SessionDescription;
import dev.cascade.protocol.streamid.StreamId;
import dev.cascade.protocol.streamid.StreamIdParseException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * WHIP (RFC 9725) at an origin: {@code POST /whip/{app}/{name}} with an SDP offer publishes the
 * stream (409 if it already has a live publisher, the same rule as SRT's 1409), {@code DELETE} of
 * the returned Location unpublishes it.
 */
public final class WhipEndpoint implements WebRtcHttpEndpoint {
    private final MediaNode node;
    private final WebRtcPort port;
    private final String candidateIp;
    private final Map<String, WhipPublisher> publishers = new ConcurrentHashMap<>();

    public WhipEndpoint(MediaNode node, WebRtcPort port, String candidateIp) {
        this.node = node;
        this.port = port;
        this.candidateIp = candidateIp;
    }

    @Override
    public String prefix() {
        return "whip";
    }

    public Map<String, WhipPublisher> publishers() {
        return publishers;
    }

    @Override
    public CompletableFuture<Result> offer(String app, String name, String sdp) {
        StreamId id;
        WhipOffer whip;
        try {
            id = StreamId.parse(app + "/" + name);
            whip = WhipOffer.check(SessionDescription.parse(sdp));
        } catch (StreamIdParseException e) {
            node.metrics().rejected("whip_bad_stream");
            return CompletableFuture.completedFuture(Result.refused(400, "bad_stream", e.getMessage()));
        } catch (ParseException e) {
            node.metrics().rejected("whip_bad_sdp");
            return CompletableFuture.completedFuture(Result.refused(400, "bad_sdp", e.getMessage()));
        } catch (dev.cascade.node.webrtc.OfferCheck.Refusal r) {
            node.metrics().rejected("whip_" + r.reason());
            return CompletableFuture.completedFuture(r.result());
        }
        return node.loop().submit(() -> {
            Stream stream = node.streamForPublisher(id.key());
            if (stream == null) {
                node.metrics().rejected("conflict");
                return Result.refused(409, "conflict", "live/" + id.name() + " already has a live publisher");
            }
            WhipPublisher publisher = new WhipPublisher(node, stream, whip, port);
            stream.attachSource(publisher);
            String sessionId = publisher.session().id();
            publishers.put(sessionId, publisher);
            publisher.session().onEnd(() -> publishers.remove(sessionId));
            String answer = whip.answer(publisher.session(), port.identity().fingerprint(), candidateIp, port.port());
            return new Result(201, null, null, answer, "/whip/" + id.app() + "/" + id.name() + "/" + sessionId);
        });
    }

    @Override
    public boolean delete(String sessionId) {
        WhipPublisher p = publishers.get(sessionId);
        if (p == null) {
            return false;
        }
        p.session().close("deleted");
        return true;
    }
}
