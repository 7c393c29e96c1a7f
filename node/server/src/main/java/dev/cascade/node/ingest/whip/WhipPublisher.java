package dev.cascade.node.ingest.whip;

import dev.cascade.node.MediaNode;
import dev.cascade.node.srt.Srt;
import dev.cascade.node.srt.SrtLoop;
import dev.cascade.node.stream.PushedSource;
import dev.cascade.node.stream.Stream;
import dev.cascade.webrtc.PacketBuffer;
import dev.cascade.webrtc.SrtpSession;
import dev.cascade.node.webrtc.WebRtcSession;
import dev.cascade.protocol.ParseException;
import dev.cascade.protocol.h264.H264Depacketizer;
import dev.cascade.protocol.mpegts.StreamType;
import dev.cascade.protocol.mpegts.TsMuxer;
import dev.cascade.protocol.opus.OpusTs;
import dev.cascade.protocol.rtcp.Pli;
import dev.cascade.protocol.rtcp.Rtcp;
import dev.cascade.protocol.rtp.RtpPacket;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WHIP publisher: its SRTP is decrypted, H.264 reassembled from RTP (RFC 6184) and Opus packets
 * taken as they are (RFC 7587), and both are muxed into MPEG-TS (Opus per the ETSI TS mapping
 * ffmpeg implements) that enters the stream's packet path exactly as an SRT publisher's would.
 * From there, relays, edges, SRT pullers and WHEP viewers cannot tell the difference.
 *
 * <p>Browsers send a keyframe only when asked, so we ask (PLI, RFC 4585 section 6.3.1) every
 * {@link #KEYFRAME_INTERVAL_MS}: it bounds the GOP, hence how long a new viewer waits for a picture.
 * Packets arrive on the WebRTC port's receive thread and are handed to the stream's loop thread,
 * which does all of the work above, so the stream keeps one owner.
 */
public final class WhipPublisher implements PushedSource, WebRtcSession.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(WhipPublisher.class);
    static final long KEYFRAME_INTERVAL_MS = 2000;
    static final int VIDEO_PID = 0x100;
    static final int AUDIO_PID = 0x101;
    static final int PMT_PID = 0x1000;
    /** PTS of the first sample: keeps PTS and the PCR derived from it clear of zero. */
    static final long PTS_BASE = 90_000;
    /** Registration descriptor 'Opus' and the DVB extension descriptor for Opus, 2 channels. */
    static final byte[] OPUS_DESCRIPTORS = {0x05, 0x04, 'O', 'p', 'u', 's', 0x7F, 0x02, (byte) 0x80, 0x02};

    private final MediaNode node;
    private final Stream stream;
    private final WhipOffer offer;
    private final WebRtcSession session;
    private final SrtLoop loop;
    private final TsMuxer muxer;
    private final H264Depacketizer depacketizer;
    private final ByteBuffer ts = ByteBuffer.allocateDirect(8 << 20);
    private final long tsAddress = Srt.address(ts);
    private final ByteBuffer opusScratch = ByteBuffer.allocate(4096);
    private final Map<Integer, SrtpCryptoContext> srtpIn = new HashMap<>();
    /** Bounded single-producer (receive thread) single-consumer (loop thread) packet queue. */
    static final int QUEUE = 512;
    static final int SLOT = 1600;
    private final PacketBuffer[] queue = new PacketBuffer[QUEUE];
    /** One reusable view per slot, so reading a packet allocates nothing. */
    private final ByteBuffer[] views = new ByteBuffer[QUEUE];
    private final java.util.concurrent.atomic.AtomicLong head = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong tail = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean drainScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final int ourSsrc = new SecureRandom().nextInt();
    private final Clock videoClock = new Clock(90_000);
    private final Clock audioClock = new Clock(48_000);
    private long epochNanos = -1;
    private long lastPsiNanos;
    private int videoSsrc;
    private SrtLoop.Timer pliTimer;
    private SrtcpCryptoContext rtcpOut;
    private boolean closed;

    // Loop thread only; read, possibly a little stale, by the HTTP API.
    public long videoFrames;
    public long audioFrames;

    WhipPublisher(MediaNode node, Stream stream, WhipOffer offer, dev.cascade.node.webrtc.WebRtcPort sessions) {
        this.node = node;
        this.stream = stream;
        this.offer = offer;
        this.loop = node.loop();
        this.session = sessions.open(offer.remoteUfrag, offer.remoteFingerprint, this);
        TsMuxer.Track video = new TsMuxer.Track(VIDEO_PID, StreamType.H264, 0xE0, new byte[0]);
        this.muxer = offer.audio == null
                ? new TsMuxer(List.of(video), PMT_PID, VIDEO_PID)
                : new TsMuxer(List.of(video, new TsMuxer.Track(AUDIO_PID, StreamType.PRIVATE_PES, 0xBD, OPUS_DESCRIPTORS)),
                        PMT_PID, VIDEO_PID);
        this.depacketizer = new H264Depacketizer(4 << 20, this::onVideoAccessUnit);
        for (int i = 0; i < QUEUE; i++) {
            queue[i] = new PacketBuffer(SLOT);
            views[i] = ByteBuffer.wrap(queue[i].getBuffer());
        }
    }

    public String streamKey() {
        return stream.key();
    }

    public WebRtcSession session() {
        return session;
    }

    @Override
    public String kind() {
        return "publisher";
    }

    // ---------------------------------------------------------------- session events

    @Override
    public void onSecure(WebRtcSession s) {
        loop.execute(() -> {
            if (closed) {
                return;
            }
            try {
                rtcpOut = s.srtp().rtcpSender(ourSsrc);
            } catch (GeneralSecurityException e) {
                s.close("srtp_failed");
                return;
            }
            pliTimer = loop.schedule(KEYFRAME_INTERVAL_MS, this::requestKeyframe);
            LOG.info("WHIP publisher {} secure for {}", s.remote(), stream.key());
        });
    }

    /**
     * Receiver thread: copy the packet into the next free slot of the bounded queue (dropped and
     * counted when the loop has fallen {@link #QUEUE} packets behind) and wake the loop once per
     * burst, not once per packet.
     */
    @Override
    public void onRtp(WebRtcSession s, ByteBuffer data, int length) {
        long t = tail.get();
        if (t - head.get() >= QUEUE || length > SLOT - SrtpSession.RTP_OVERHEAD) {
            node.metrics().rejected("whip_queue_full");
            return;
        }
        PacketBuffer slot = queue[(int) (t % QUEUE)];
        data.get(0, slot.getBuffer(), 0, length);
        slot.set(length);
        tail.lazySet(t + 1);
        if (drainScheduled.compareAndSet(false, true)) {
            loop.execute(drainTask);
        }
    }

    /** Loop thread: everything queued so far, in order. */
    private void drain() {
        drainScheduled.set(false); // first, so a packet queued from here on schedules another drain
        long h = head.get();
        while (h < tail.get()) {
            int i = (int) (h % QUEUE);
            rtp(queue[i], views[i]);
            head.lazySet(++h);
        }
    }

    @Override
    public void onRtcp(WebRtcSession s, ByteBuffer data, int length) {
        // Sender reports would let us map RTP time to wall time exactly; arrival time serves for now.
    }

    @Override
    public void onClosed(WebRtcSession s, String reason) {
        loop.execute(() -> {
            if (!closed) {
                LOG.info("WHIP publisher of {} left: {}", stream.key(), reason);
                stop();
                stream.sourceLost(this);
            }
        });
    }

    // ---------------------------------------------------------------- media (loop thread)

    /** Decrypts in place in the queue slot, then depacketizes (video) or muxes (audio). */
    private void rtp(PacketBuffer packet, ByteBuffer b) {
        int length = packet.getLength();
        if (closed || length < 12) {
            return;
        }
        byte[] data = packet.getBuffer();
        int ssrc = ((data[8] & 0xFF) << 24) | ((data[9] & 0xFF) << 16) | ((data[10] & 0xFF) << 8) | (data[11] & 0xFF);
        try {
            SrtpCryptoContext ctx = srtpIn.get(ssrc);
            if (ctx == null) {
                ctx = session.srtp().receiver(ssrc);
                srtpIn.put(ssrc, ctx);
            }
            if (ctx.reverseTransformPacket(packet, false) != SrtpErrorStatus.OK) {
                node.metrics().rejected("srtp_auth");
                return;
            }
        } catch (GeneralSecurityException e) {
            node.metrics().rejected("srtp_auth");
            return;
        }
        int len = packet.getLength();
        b.clear().limit(len);
        int payloadOffset;
        int payloadLength;
        try {
            payloadOffset = RtpPacket.payloadOffset(b, 0, len);
            payloadLength = RtpPacket.payloadLength(b, 0, len);
        } catch (ParseException e) {
            node.metrics().rejected("whip_bad_rtp");
            return;
        }
        if (payloadOffset < 0 || payloadLength <= 0) {
            return;
        }
        int pt = RtpPacket.payloadType(b, 0);
        int timestamp = RtpPacket.timestamp(b, 0);
        int seq = RtpPacket.sequenceNumber(b, 0);
        boolean marker = RtpPacket.marker(b, 0);
        ByteBuffer payload = b.limit(payloadOffset + payloadLength).position(payloadOffset);
        long now = System.nanoTime();
        if (epochNanos < 0) {
            epochNanos = now;
        }
        try {
            if (pt == offer.videoPt) {
                videoSsrc = ssrc;
                videoClock.see(timestamp, now, epochNanos);
                depacketizer.push(payload, seq, timestamp, marker);
            } else if (pt == offer.audioPt) {
                audioClock.see(timestamp, now, epochNanos);
                onOpus(payload, audioClock.pts(timestamp));
            }
        } catch (ParseException e) {
            node.metrics().rejected("whip_bad_rtp");
        }
    }

    private void onVideoAccessUnit(ByteBuffer annexB, int rtpTimestamp, boolean idr) {
        videoFrames++;
        ts.clear();
        long now = System.nanoTime();
        if (idr || now - lastPsiNanos > 100_000_000L) {
            muxer.writePsi(ts);
            lastPsiNanos = now;
        }
        long pts = videoClock.pts(rtpTimestamp);
        if (ts.remaining() < muxer.maxBytesFor(annexB.remaining())) {
            return; // an access unit over 8 MB: not a live stream we can carry
        }
        muxer.writeAccessUnit(ts, VIDEO_PID, pts, pts, idr, annexB);
        deliver();
    }

    private void onOpus(ByteBuffer opus, long pts) {
        audioFrames++;
        int n = opus.remaining();
        opusScratch.clear();
        OpusTs.writeControlHeader(opusScratch, n);
        opusScratch.put(opus).flip();
        ts.clear();
        muxer.writeAccessUnit(ts, AUDIO_PID, pts, pts, true, opusScratch);
        deliver();
    }

    private void deliver() {
        int n = ts.position();
        if (n > 0 && !stream.onData(ts, tsAddress, 0, n)) {
            node.metrics().rejected("not_ts"); // cannot happen with our own muxer; kept for symmetry
        }
    }

    private void requestKeyframe() {
        pliTimer = null;
        if (closed) {
            return;
        }
        if (videoSsrc != 0 && rtcpOut != null) {
            byte[] pli = Rtcp.encode(List.of(new Pli(ourSsrc, videoSsrc)));
            PacketBuffer out = new PacketBuffer(pli.length + 32);
            System.arraycopy(pli, 0, out.getBuffer(), 0, pli.length);
            try {
                if (rtcpOut.transformPacket(out.set(pli.length)) == SrtpErrorStatus.OK) {
                    session.send(out.getBuffer(), 0, out.getLength());
                }
            } catch (GeneralSecurityException e) {
                // the next interval tries again
            }
        }
        pliTimer = loop.schedule(KEYFRAME_INTERVAL_MS, this::requestKeyframe);
    }

    private void stop() {
        closed = true;
        if (pliTimer != null) {
            pliTimer.cancel();
        }
    }

    /** A new source took over the stream, or the stream ended. Loop thread. */
    @Override
    public void close() {
        if (!closed) {
            stop();
            session.close("replaced");
        }
    }

    /**
     * RTP time to a 90 kHz PTS on a clock shared by both tracks: each track's first packet is placed
     * at its arrival time after the publisher's first packet, later ones by their RTP timestamps.
     */
    static final class Clock {
        private final int rate;
        private boolean started;
        private int first;
        private long offset90;

        Clock(int rate) {
            this.rate = rate;
        }

        void see(int rtpTimestamp, long arrivalNanos, long epochNanos) {
            if (!started) {
                started = true;
                first = rtpTimestamp;
                offset90 = (arrivalNanos - epochNanos) * 9 / 100_000;
            }
        }

        long pts(int rtpTimestamp) {
            long delta = rtpTimestamp - first; // int subtraction wraps the 32-bit RTP clock correctly
            if (delta < 0) {
                delta += 1L << 32;
            }
            return PTS_BASE + offset90 + delta * 90_000 / rate;
        }
    }
}
