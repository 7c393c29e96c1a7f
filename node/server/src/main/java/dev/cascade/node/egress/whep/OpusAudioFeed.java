package dev.cascade.node.egress.whep;

import dev.cascade.node.stream.Subscription;
import dev.cascade.protocol.mpegts.Pat;
import dev.cascade.protocol.mpegts.Pmt;
import dev.cascade.protocol.mpegts.StreamType;
import dev.cascade.protocol.mpegts.TsDemuxer;
import dev.cascade.protocol.mpegts.TsError;
import java.nio.ByteBuffer;

/**
 * A subscription of a stream's Opus rendition ({@code live/NAME.opus}) that hands its Opus PES to
 * the WebRTC output of the source stream: video keeps coming straight from the source, audio from
 * the one transcode per stream.
 */
public final class OpusAudioFeed extends Subscription implements TsDemuxer.Listener {
    private final WebRtcStreamOut out;
    private final TsDemuxer demuxer = new TsDemuxer(this);
    private int opusPid = -1;
    private ByteBuffer lastSource;
    private ByteBuffer view;

    public OpusAudioFeed(WebRtcStreamOut out) {
        this.out = out;
    }

    @Override
    protected int write(ByteBuffer buf, int offset, long address, int length) {
        if (buf != lastSource) {
            lastSource = buf;
            view = buf.duplicate();
        }
        view.clear().position(offset).limit(offset + length);
        demuxer.feed(view);
        return SENT;
    }

    @Override
    public String kind() {
        return "webrtc-audio";
    }

    @Override
    protected void closeTransport() {}

    @Override
    public void onPat(Pat pat) {}

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

    @Override
    public void onError(TsError error, int pid) {}
}
