package dev.cascade.node.egress.whep;

import dev.cascade.protocol.mpegts.Pmt;
import dev.cascade.protocol.mpegts.StreamType;
import java.nio.ByteBuffer;

/**
 * A subscription of a stream's Opus rendition ({@code live/NAME.opus}) that hands its Opus PES to
 * the WebRTC output of the source stream: video keeps coming straight from the source, audio from
 * the one transcode per stream.
 */
public final class OpusAudioFeed extends DemuxingSubscription {
    private final WebRtcStreamOut out;
    private int opusPid = -1;

    public OpusAudioFeed(WebRtcStreamOut out) {
        this.out = out;
    }

    @Override
    public String kind() {
        return "webrtc-audio";
    }

    @Override
    protected void closeTransport() {}

    @Override
    public void onPmt(int pid, Pmt pmt) {
        opusPid = -1;
        for (Pmt.ElementaryStream es : pmt.streams()) {
            if (StreamType.isOpus(es.streamType(), es.descriptors())) {
                opusPid = es.pid();
                return;
            }
        }
    }

    @Override
    public void onPes(int pid, int streamType, long pts, long dts, boolean randomAccess, ByteBuffer payload) {
        if (pid == opusPid) {
            out.renditionAudio(pts, payload);
        }
    }
}
