package dev.cascade.node.egress.whep;

import dev.cascade.node.stream.Subscription;
import dev.cascade.protocol.mpegts.Pat;
import dev.cascade.protocol.mpegts.TsDemuxer;
import dev.cascade.protocol.mpegts.TsError;
import java.nio.ByteBuffer;

/**
 * A subscription that turns the stream's TS back into PES for a consumer that needs access units
 * (WebRTC): one demuxer per subscription, fed from the stream's own buffers without copying. The
 * stream hands over a handful of distinct buffers (receive buffer, realignment buffer, GOP cache,
 * PSI copies), so one reusable view per buffer switch replaces a duplicate per message.
 */
abstract class DemuxingSubscription extends Subscription implements TsDemuxer.Listener {
    private final TsDemuxer demuxer = new TsDemuxer(this);
    private ByteBuffer lastSource;
    private ByteBuffer view;

    @Override
    protected int write(ByteBuffer buf, int offset, long address, int length) {
        if (buf != lastSource) {
            lastSource = buf;
            view = buf.duplicate();
        }
        view.clear().position(offset).limit(offset + length);
        demuxer.feed(view);
        afterFeed();
        return SENT;
    }

    /** Runs after each fed message, outside the demuxer's callbacks. */
    protected void afterFeed() {}

    @Override
    public void onPat(Pat pat) {}

    @Override
    public void onError(TsError error, int pid) {}
}
