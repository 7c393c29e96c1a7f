package dev.cascade.node.egress.whep;

import dev.cascade.webrtc.PacketBuffer;
import dev.cascade.webrtc.SrtpSender;
import dev.cascade.webrtc.SrtpSession;
import dev.cascade.node.webrtc.UdpBatch;
import dev.cascade.node.webrtc.WebRtcSession;
import dev.cascade.protocol.rtp.RtpPacket;
import java.security.GeneralSecurityException;

/**
 * One WHEP viewer of a stream: what was negotiated for it (payload type, abs-send-time id) and its
 * SRTP context. Sending a packet is: copy it out of the stream's history, rewrite two header bytes,
 * protect in place, queue one datagram. Runs on the stream's loop thread; nothing here is
 * shared with other viewers. The datagram goes into the stream's {@link UdpBatch}, which hands the
 * whole fan-out of a packet to the kernel in one system call.
 */
public final class WebRtcViewer implements UdpBatch.DropListener {
    private static final int VIDEO = 0;
    private static final int AUDIO = 1;
    private static final int RETRANSMISSION = 2;
    private static final int PADDING = 3;

    private final WebRtcSession session;
    private final int payloadType;
    private final int absSendTimeId;
    private final int audioPayloadType;
    /** The viewer's copy of the packet being sent: rewritten, then protected in place. */
    private final byte[] out = new byte[WebRtcStreamOut.SLOT_SIZE + SrtpSender.TAG_LENGTH];
    private SrtpSender srtp;
    private SrtpSender audioSrtp;
    private org.jitsi.srtp.SrtcpCryptoContext videoRtcp;
    private org.jitsi.srtp.SrtcpCryptoContext audioRtcp;
    private final PacketBuffer rtcpBuffer = new PacketBuffer(256);
    private long videoPackets;
    private long videoOctets;
    private long audioPackets;
    private long audioOctets;
    /** From the browser's receiver reports (RFC 3550 section 6.4.2). */
    public volatile int fractionLost;
    public volatile long cumulativeLost;
    public volatile long jitter;
    /**
     * Round trip from the latest receiver report that named a sender report of ours (RFC 3550
     * section 6.4.1), nanoseconds; -1 before one. Written by the session's thread.
     */
    public volatile long rttNanos = -1;
    /** Made at the first NACK: most viewers never need it. Loop thread. */
    private ResendGuard resendGuard;
    private boolean live;
    /** The viewer's ABR splice when its stream has a ladder, else null. Set before it joins. */
    AbrViewer abr;
    private Runnable onStreamEnd;
    private final String streamKey;

    // Written by the stream's loop thread only (per packet: plain fields); read, possibly a little
    // stale, by the HTTP API.
    public long packetsSent;
    public long packetsDropped;
    public long retransmissions;
    /** NACKed packets not resent because they were resent less than a round trip ago ({@link ResendGuard}). */
    public long resendsSuppressed;
    public long keyframeRequests;
    /** Padding-only packets sent as ABR up-probes. */
    public long paddingPackets;
    /** Latest REMB estimate from the browser, bits per second (0 before the first). */
    public volatile long rembBps;
    /** The WHEP endpoint a draining edge told this viewer to move to (WhepDrain), or null. */
    public volatile String movedTo;
    /** When it was told ({@link System#nanoTime()}), 0 if never. */
    public volatile long toldToMoveAtNanos;

    /**
     * @param payloadType   the H.264 payload type the viewer's offer gave
     * @param absSendTimeId the offer's extmap id for abs-send-time, or -1 when it has none
     * @param audioPayloadType the offer's Opus payload type, or -1 when it takes no audio from us
     */
    public WebRtcViewer(String streamKey, WebRtcSession session, int payloadType, int absSendTimeId, int audioPayloadType) {
        this.streamKey = streamKey;
        this.session = session;
        this.payloadType = payloadType;
        this.absSendTimeId = absSendTimeId;
        this.audioPayloadType = audioPayloadType;
    }

    public WebRtcSession session() {
        return session;
    }

    /** Called when SRTP is keyed, before the viewer joins its stream. */
    public void secure(int videoSsrc, int audioSsrc) throws GeneralSecurityException {
        srtp = session.srtp().rtpSender(videoSsrc);
        videoRtcp = session.srtp().rtcpSender(videoSsrc);
        if (audioPayloadType >= 0) {
            audioSrtp = session.srtp().rtpSender(audioSsrc);
            audioRtcp = session.srtp().rtcpSender(audioSsrc);
        }
    }

    public void onStreamEnd(Runnable r) {
        this.onStreamEnd = r;
    }

    boolean isLive() {
        return live;
    }

    void goLive() {
        live = true;
    }

    public String streamKey() {
        return streamKey;
    }

    /** The viewer's ABR state, or null when it gets the stream as published. */
    public AbrViewer abr() {
        return abr;
    }

    /**
     * RTP payload bytes sent to this viewer (the sender report's octet count, RFC 3550 section
     * 6.4.1), retransmissions excluded. Loop thread: the node's load report reads it there.
     */
    public long octetsSent() {
        return videoOctets + audioOctets;
    }

    void streamEnded() {
        live = false;
        if (onStreamEnd != null) {
            onStreamEnd.run();
        }
    }

    /** Queues a packet of the stream for this viewer in {@code batch}; the caller flushes it. */
    void send(RtpTrack track, byte[] packet, int length, UdpBatch batch) {
        if (!track.video && audioSrtp == null) {
            return;
        }
        int tag = track.video ? VIDEO : AUDIO;
        counted(tag, length, transmit(track, packet, length, batch, tag));
    }

    /** The counters of one packet handed to {@link #queue} ({@code queued}) or not. */
    private void counted(int tag, int length, boolean queued) {
        if (tag == RETRANSMISSION) {
            if (queued) {
                retransmissions++;
            }
            return;
        }
        if (!queued) {
            packetsDropped++;
            return;
        }
        packetsSent++;
        if (tag == VIDEO) {
            videoPackets++;
            videoOctets += length - 12;
        } else {
            audioPackets++;
            audioOctets += length - 12;
        }
    }

    /**
     * Whether the video packet numbered {@code seq16} (as this viewer saw it) may be resent now:
     * not when it was resent less than a round trip ago ({@link ResendGuard}). Counts the refusals.
     */
    private boolean mayResend(int seq16) {
        ResendGuard g = resendGuard;
        if (g == null) {
            g = resendGuard = new ResendGuard();
        }
        if (g.allow(seq16, System.nanoTime(), rttNanos)) {
            return true;
        }
        resendsSuppressed++;
        return false;
    }

    /** Resends the packet in {@code slot} of the stream's track, as a NACK asked; video at most once per round trip. */
    void retransmit(RtpTrack track, int slot, UdpBatch batch) {
        if (track.video && !mayResend(RtpPacket.sequenceNumber(track.buffers[slot], 0))) {
            return;
        }
        int length = track.lengths[slot];
        counted(RETRANSMISSION, length, transmit(track, track.slots[slot], length, batch, RETRANSMISSION));
    }

    /**
     * Queues a video packet of one of the ladder's variants (or the source) under the splice's
     * sequence number, timestamp and SSRC ({@link dev.cascade.node.egress.whep.abr.Splicer}); a
     * retransmission at most once per round trip for each number.
     */
    void sendSpliced(RtpTrack track, int slot, int seq, int timestamp, int ssrc, UdpBatch batch, boolean retransmission) {
        if (retransmission && !mayResend(seq)) {
            return;
        }
        byte[] to = session.mediaSockaddr();
        int length = track.lengths[slot];
        int tag = retransmission ? RETRANSMISSION : VIDEO;
        boolean queued = false;
        if (srtp != null && to != null) {
            RtpRewrite.rewrite(out, track.slots[slot], length, true, payloadType, absSendTimeId);
            RtpRewrite.stamp(out, seq, timestamp, ssrc);
            queued = queue(srtp, length, batch, to, tag);
        }
        counted(tag, length, queued);
    }

    /**
     * Queues a padding-only video packet of {@code size} bytes (RFC 3550 section 5.1) under the
     * splice's numbering: an up-probe. It carries abs-send-time like media, which is what the
     * browser's estimate (REMB) is computed from; the decoder never sees it.
     */
    void sendPadding(int seq, int timestamp, int ssrc, int absSendTime, int size, UdpBatch batch) {
        byte[] to = session.mediaSockaddr();
        if (srtp == null || to == null) {
            return;
        }
        int length = RtpRewrite.padding(out, payloadType, seq, timestamp, ssrc, absSendTimeId, absSendTime, size);
        if (queue(srtp, length, batch, to, PADDING)) {
            paddingPackets++;
        }
    }

    private boolean transmit(RtpTrack track, byte[] packet, int length, UdpBatch batch, int tag) {
        SrtpSender ctx = track.video ? srtp : audioSrtp;
        byte[] to = session.mediaSockaddr();
        if (ctx == null || to == null) {
            return false;
        }
        RtpRewrite.rewrite(out, packet, length, track.video, track.video ? payloadType : audioPayloadType, absSendTimeId);
        return queue(ctx, length, batch, to, tag);
    }

    private boolean queue(SrtpSender ctx, int length, UdpBatch batch, byte[] to, int tag) {
        int protectedLength;
        try {
            protectedLength = ctx.protect(out, length);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
        batch.add(out, protectedLength, to, this, tag);
        return true;
    }

    /** The kernel did not take a queued packet (its send buffer was full): counted as dropped. */
    @Override
    public void dropped(int tag) {
        packetsDropped++;
        if (tag == RETRANSMISSION) {
            retransmissions--;
            return;
        }
        if (tag == PADDING) {
            paddingPackets--;
            return;
        }
        packetsSent--;
        if (tag == VIDEO) {
            videoPackets--;
        } else {
            audioPackets--;
        }
    }

    /**
     * Sends a sender report per track with a CNAME (RFC 3550 section 6.4.1): it maps each track's
     * RTP clock to wall-clock NTP time, which is how the browser lines audio up with video.
     */
    void sendReports(RtpTrack video, RtpTrack audio, long nowNanos, long unixNanos) {
        if (!live) {
            return;
        }
        if (abr == null) {
            report(video, videoRtcp, videoPackets, videoOctets, nowNanos, unixNanos);
        } else if (abr.started()) {
            report(video.ssrc, abr.videoRtpAt(nowNanos), videoRtcp, videoPackets, videoOctets, unixNanos);
        }
        if (audioRtcp != null && audio.packets > 0) {
            report(audio, audioRtcp, audioPackets, audioOctets, nowNanos, unixNanos);
        }
    }

    private void report(RtpTrack track, org.jitsi.srtp.SrtcpCryptoContext ctx, long packets, long octets,
                        long nowNanos, long unixNanos) {
        if (ctx == null || track.lastWallNanos == 0) {
            return;
        }
        int rtpNow = (int) (track.lastTimestamp + (nowNanos - track.lastWallNanos) * track.clockRate / 1_000_000_000L);
        report(track.ssrc, rtpNow, ctx, packets, octets, unixNanos);
    }

    private void report(int ssrc, int rtpNow, org.jitsi.srtp.SrtcpCryptoContext ctx, long packets, long octets,
                        long unixNanos) {
        if (ctx == null) {
            return;
        }
        byte[] sr = dev.cascade.protocol.rtcp.Rtcp.encode(java.util.List.of(
                new dev.cascade.protocol.rtcp.SenderReport(ssrc, dev.cascade.protocol.rtcp.NtpTime.fromUnixNanos(unixNanos),
                        rtpNow, packets & 0xFFFFFFFFL, octets & 0xFFFFFFFFL, java.util.List.of()),
                dev.cascade.protocol.rtcp.SourceDescription.cname(ssrc, "cascade")));
        System.arraycopy(sr, 0, rtcpBuffer.getBuffer(), 0, sr.length);
        try {
            if (ctx.transformPacket(rtcpBuffer.set(sr.length)) == org.jitsi.srtp.SrtpErrorStatus.OK) {
                session.send(rtcpBuffer.getBuffer(), 0, rtcpBuffer.getLength());
            }
        } catch (GeneralSecurityException e) {
            // next report
        }
    }

}
