package dev.cascade.client;

import dev.cascade.protocol.ParseException;
import dev.cascade.protocol.rtcp.Nack;
import dev.cascade.protocol.rtcp.NtpTime;
import dev.cascade.protocol.rtcp.Pli;
import dev.cascade.protocol.rtcp.ReceiverReport;
import dev.cascade.protocol.rtcp.Remb;
import dev.cascade.protocol.rtcp.ReportBlock;
import dev.cascade.protocol.rtcp.Rtcp;
import dev.cascade.protocol.rtcp.RtcpPacket;
import dev.cascade.protocol.rtcp.SenderReport;
import dev.cascade.protocol.stun.StunAttribute;
import dev.cascade.protocol.stun.StunMessage;
import dev.cascade.webrtc.DtlsCertificate;
import dev.cascade.webrtc.DtlsSrtpClient;
import dev.cascade.webrtc.PacketBuffer;
import dev.cascade.webrtc.SrtpSession;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;

/**
 * One receive-only WebRTC peer connection, doing what a browser's does on the wire: ICE as the
 * controlling agent (a Binding request with USE-CANDIDATE, MESSAGE-INTEGRITY and FINGERPRINT, RFC
 * 8445; consent checks every 2 s, RFC 7675), DTLS 1.2 as the client with {@code use_srtp} (RFC
 * 5764), SRTP/SRTCP, and RTCP feedback: a receiver report and a REMB every second (RFC 3550, the
 * REMB draft), a generic NACK for each gap (RFC 4585 section 6.2.1), PLI on demand.
 *
 * <p>{@link #connect} runs ICE and DTLS blocking on the caller's thread; then a {@link PeerLoop}
 * owns the peer and feeds it datagrams. Media is authenticated and decrypted for one packet in
 * {@code verifyEvery} (1: all, as tests want; more for a load tool, whose loss and delay figures
 * need only the RTP header, which SRTP leaves in the clear).
 */
public final class WebRtcPeer implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    /** Chromium sends a consent check every 2-3 s (RFC 7675 section 5.1 says 4-6 s on average). */
    static final long CONSENT_INTERVAL_NANOS = 2_000_000_000L;
    static final long REPORT_INTERVAL_NANOS = 1_000_000_000L;
    /** Binding requests while ICE and DTLS are under way (Chromium: every 50 ms at first, then slower). */
    static final long CHECK_INTERVAL_MILLIS = 200;

    final DatagramChannel channel;
    private final InetSocketAddress local;
    private final String localUfrag = randomIce(8);
    private final String localPwd = randomIce(24);
    private final DtlsCertificate identity;
    private final BcTlsCrypto crypto;
    private final int localSsrc = ThreadLocalRandom.current().nextInt();
    private final long tieBreaker = ThreadLocalRandom.current().nextLong();
    private RemoteDescription remote;
    private byte[] remoteKey;
    private SrtpSession srtp;
    private SrtpCryptoContext videoRx;
    private SrtpCryptoContext audioRx;
    /** SRTCP contexts per sender SSRC (the server reports on video and audio separately). */
    private final java.util.Map<Integer, SrtcpCryptoContext> rtcpRx = new java.util.HashMap<>(4);
    private SrtcpCryptoContext rtcpTx;
    private final PacketBuffer rtcpOut = new PacketBuffer(1500);
    private final PacketBuffer plain = new PacketBuffer(2048);

    public final TrackReceiver video = new TrackReceiver(90_000);
    public final TrackReceiver audio = new TrackReceiver(48_000);
    private volatile java.util.function.IntPredicate videoLoss;
    /** Video packets {@link #injectVideoLoss} threw away. */
    public long injectedLosses;
    private int verifyEvery = 1;
    private int verifyCountdown;
    private boolean nackEnabled = true;
    private boolean consentEnabled = true;
    private long rembBps = 10_000_000;

    // Counters, written by the loop thread.
    public long authFailures;
    /** Of {@link #authFailures}: SRTCP that failed (the rest is SRTP). */
    public long rtcpAuthFailures;
    public long decrypted;
    public long senderReports;
    public long rtcpReceived;
    public long nacksSent;
    public long nackedPackets;
    public long consentResponses;
    /** Video frames received: new video packets with the RTP marker bit (the last of an access unit). */
    public long videoFrames;
    /**
     * H.264 keyframes whose start was received and decrypted: an IDR slice (NAL type 5) as a single
     * NAL unit, in a STAP-A, or as the start of an FU-A (RFC 6184), counted once per RTP timestamp.
     * Only packets that are decrypted count ({@link #verifyEvery}).
     */
    public long keyframes;
    private int lastKeyframeTs;
    private boolean anyKeyframe;
    /** The last SRTP/SRTCP failure seen, for diagnosis (null if none). */
    public SrtpErrorStatus lastRtpFailure;
    public SrtpErrorStatus lastRtcpFailure;
    private long lastSrCompact;
    private long lastSrArrivalNanos;
    private long lastRtcpNanos;
    private long lastConsentNanos;
    private long lastVideoExpected;
    private long lastVideoUnique;
    private volatile boolean closed;

    private WebRtcPeer(DatagramChannel channel, BcTlsCrypto crypto, DtlsCertificate identity) throws IOException {
        this.channel = channel;
        this.local = (InetSocketAddress) channel.getLocalAddress();
        this.crypto = crypto;
        this.identity = identity;
    }

    /** A peer with its own UDP socket on {@code bind} (port 0: any), not yet connected. */
    public static WebRtcPeer open(InetAddress bind, BcTlsCrypto crypto, DtlsCertificate identity) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 1 << 20);
        ch.bind(new InetSocketAddress(bind, 0));
        return new WebRtcPeer(ch, crypto, identity);
    }

    public InetSocketAddress localAddress() {
        return local;
    }

    public RemoteDescription remote() {
        return remote;
    }

    /** Authenticate and decrypt one media packet in {@code n} (default 1: all). */
    public WebRtcPeer verifyEvery(int n) {
        this.verifyEvery = Math.max(1, n);
        return this;
    }

    /** Whether gaps are NACKed (default yes). */
    public WebRtcPeer nack(boolean on) {
        this.nackEnabled = on;
        return this;
    }

    /** Whether consent checks go out every 2 s (default yes); off, the server should expire the session. */
    public WebRtcPeer consent(boolean on) {
        this.consentEnabled = on;
        return this;
    }

    /** The bandwidth estimate each REMB announces. */
    public WebRtcPeer remb(long bps) {
        this.rembBps = bps;
        return this;
    }

    /**
     * Loss on the receiving side, for tests of NACK: a video packet whose sequence number the
     * predicate accepts is thrown away as if the network had lost it (the predicate decides whether a
     * retransmission of it is lost again). Runs on the loop thread.
     */
    public WebRtcPeer injectVideoLoss(java.util.function.IntPredicate lose) {
        this.videoLoss = lose;
        return this;
    }

    /** The SDP offer for a WHEP POST. */
    public String offer(boolean withAudio) {
        return LocalDescription.offer(localUfrag, localPwd, identity.fingerprint(), local, withAudio);
    }

    /** The SDP answer to a server's offer (Janus); the offer becomes the remote description. */
    public String answer(String serverOffer) {
        this.remote = RemoteDescription.parse(serverOffer);
        return LocalDescription.answer(remote, localUfrag, localPwd, identity.fingerprint(), local);
    }

    /**
     * Runs ICE, then the DTLS handshake, against the server's SDP (its answer to our offer, or null
     * when {@link #answer} already took its offer). Blocking; throws if either does not finish in time.
     */
    public void connect(String serverAnswer, long timeoutMillis) throws IOException {
        if (serverAnswer != null) {
            remote = RemoteDescription.parse(serverAnswer);
        }
        remoteKey = StunMessage.shortTermKey(remote.pwd());
        channel.connect(remote.candidate());
        channel.configureBlocking(true);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        iceCheck(deadline);
        DtlsSrtpClient client = new DtlsSrtpClient(crypto, identity, remote.fingerprint());
        DTLSClientProtocol protocol = new DTLSClientProtocol();
        // The DTLSTransport it returns would read post-handshake records; the loop ignores those.
        protocol.connect(client, new HandshakeTransport(deadline));
        srtp = new SrtpSession(client.srtpKeys(), false);
        try {
            rtcpTx = srtp.rtcpSender(localSsrc);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
        channel.configureBlocking(false);
        lastRtcpNanos = System.nanoTime();
        lastConsentNanos = lastRtcpNanos;
    }

    private void iceCheck(long deadline) throws IOException {
        byte[] txid = new byte[12];
        RANDOM.nextBytes(txid);
        byte[] request = bindingRequest(txid, true);
        DatagramPacket in = new DatagramPacket(new byte[1500], 1500);
        var socket = channel.socket();
        while (System.nanoTime() < deadline) {
            channel.write(ByteBuffer.wrap(request));
            socket.setSoTimeout(100);
            long until = System.nanoTime() + 100_000_000L;
            while (System.nanoTime() < until) {
                try {
                    socket.receive(in);
                } catch (SocketTimeoutException e) {
                    break;
                } catch (java.net.PortUnreachableException e) {
                    break; // nothing listening yet, or ICMP from an earlier attempt: try again
                }
                StunMessage m = stun(in.getData(), in.getLength());
                if (m != null && !m.isBindingRequest() && Arrays.equals(m.transactionId(), txid)) {
                    if (m.type() == StunMessage.BINDING_ERROR) {
                        int code = m.attribute(StunAttribute.ErrorCode.class).map(StunAttribute.ErrorCode::code).orElse(0);
                        throw new IOException("ICE check refused with STUN error " + code);
                    }
                    if (!StunMessage.verifyIntegrity(Arrays.copyOf(in.getData(), in.getLength()), remoteKey)) {
                        throw new IOException("ICE check answered without valid MESSAGE-INTEGRITY");
                    }
                    return;
                }
            }
        }
        throw new IOException("ICE: no answer to our Binding request from " + remote.candidate());
    }

    /**
     * Parses a STUN message and answers it if it is the server's own check: full ICE servers check
     * us, and so does Janus's libnice in its lite mode (triggered checks), whose pair fails without
     * our answer. Returns the message, or null if it is not STUN.
     */
    private StunMessage stun(byte[] data, int length) {
        StunMessage m;
        try {
            m = StunMessage.parse(ByteBuffer.wrap(data, 0, length));
        } catch (ParseException e) {
            return null;
        }
        if (m.isBindingRequest()) {
            try {
                answerCheck(m, remote.candidate());
            } catch (IOException e) {
                // the server checks again
            }
        }
        return m;
    }

    /** A full ICE server (not lite) checks us too: answer with our password (RFC 8445 section 7.3). */
    private void answerCheck(StunMessage request, InetSocketAddress from) throws IOException {
        byte[] key = StunMessage.shortTermKey(localPwd);
        channel.write(ByteBuffer.wrap(StunMessage.bindingSuccessResponse(request.transactionId(), from, key)));
    }

    private byte[] bindingRequest(byte[] txid, boolean nominate) {
        List<StunAttribute> attrs = new ArrayList<>(4);
        attrs.add(new StunAttribute.Username(remote.ufrag() + ":" + localUfrag));
        attrs.add(new StunAttribute.Priority(1_853_824_767));
        attrs.add(new StunAttribute.IceControlling(tieBreaker));
        if (nominate) {
            attrs.add(new StunAttribute.UseCandidate());
        }
        return new StunMessage(StunMessage.BINDING_REQUEST, txid, attrs).encode(remoteKey, true);
    }

    /** DTLS records over the connected channel during the handshake; STUN in between is answered or skipped. */
    private final class HandshakeTransport implements DatagramTransport {
        private final long deadline;
        private final DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
        private long lastCheckNanos = System.nanoTime();

        HandshakeTransport(long deadline) {
            this.deadline = deadline;
        }

        @Override
        public int getReceiveLimit() {
            return 1500;
        }

        @Override
        public int getSendLimit() {
            return 1200;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            long until = Math.min(deadline, System.nanoTime() + waitMillis * 1_000_000L);
            while (true) {
                recheck();
                long left = (until - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    if (System.nanoTime() >= deadline) {
                        throw new IOException("DTLS handshake did not finish in time");
                    }
                    return -1;
                }
                channel.socket().setSoTimeout((int) Math.max(1, Math.min(left, CHECK_INTERVAL_MILLIS)));
                try {
                    channel.socket().receive(in);
                } catch (SocketTimeoutException e) {
                    if (System.nanoTime() >= until) {
                        return -1;
                    }
                    continue;
                } catch (java.net.PortUnreachableException e) {
                    throw new IOException("DTLS: the server's port is unreachable", e);
                }
                int first = in.getData()[0] & 0xFF;
                if (first >= 20 && first <= 63) {
                    int n = Math.min(len, in.getLength());
                    System.arraycopy(in.getData(), 0, buf, off, n);
                    return n;
                }
                if (first <= 3) {
                    stun(in.getData(), in.getLength()); // a late answer to our check, or the server's check
                }
                // else early SRTP: not for the handshake
            }
        }

        /**
         * Keeps checking while DTLS runs, as browsers do: a server may take our first check before
         * it has our answer (an early check, RFC 8445 section 7.3.1.4) and need another to see the
         * pair through (Janus's libnice marks ICE failed otherwise).
         */
        private void recheck() throws IOException {
            long now = System.nanoTime();
            if (now - lastCheckNanos >= CHECK_INTERVAL_MILLIS * 1_000_000L) {
                lastCheckNanos = now;
                byte[] txid = new byte[12];
                RANDOM.nextBytes(txid);
                channel.write(ByteBuffer.wrap(bindingRequest(txid, true)));
            }
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            channel.write(ByteBuffer.wrap(buf, off, len));
        }

        @Override
        public void close() {}
    }

    // ---------------------------------------------------------------- loop thread

    /** One datagram from the server, in {@code buf[0..length)}. */
    void onDatagram(byte[] buf, int length, long nowNanos) {
        int first = buf[0] & 0xFF;
        if (first >= 128 && first <= 191 && length >= 12) {
            int pt = buf[1] & 0xFF;
            if (pt >= 192 && pt <= 223) {
                onRtcp(buf, length);
            } else {
                onRtp(buf, length, nowNanos);
            }
        } else if (first <= 3) {
            onStun(buf, length);
        }
        // else DTLS after the handshake (a retransmitted Finished, a close_notify), or not WebRTC: ignored
    }

    private void onRtp(byte[] buf, int length, long nowNanos) {
        int pt = buf[1] & 0x7F;
        int seq = ((buf[2] & 0xFF) << 8) | (buf[3] & 0xFF);
        int ts = ((buf[4] & 0xFF) << 24) | ((buf[5] & 0xFF) << 16) | ((buf[6] & 0xFF) << 8) | (buf[7] & 0xFF);
        int ssrc = ((buf[8] & 0xFF) << 24) | ((buf[9] & 0xFF) << 16) | ((buf[10] & 0xFF) << 8) | (buf[11] & 0xFF);
        boolean isVideo = pt == remote.videoPayloadType();
        if (!isVideo && pt != remote.audioPayloadType()) {
            return;
        }
        java.util.function.IntPredicate lose = videoLoss;
        if (isVideo && lose != null && lose.test(seq)) {
            injectedLosses++;
            return;
        }
        TrackReceiver track = isVideo ? video : audio;
        int gap = track.onPacket(ssrc, seq, ts, length, nowNanos);
        if (gap > 0 && isVideo && nackEnabled) {
            sendNack(ssrc, seq, gap);
        }
        if (isVideo && gap >= 0 && (buf[1] & 0x80) != 0) {
            videoFrames++;
        }
        SrtpCryptoContext ctx = isVideo ? videoRx : audioRx;
        // Sampling starts after each track's first packet: the receiver's rollover counter is set by
        // the first packet it sees (RFC 3711 section 3.3.1), so that one must be the sender's first,
        // or a sequence wrap in between would leave the two a ROC apart.
        if (--verifyCountdown > 0 && ctx != null) {
            return;
        }
        verifyCountdown = verifyEvery;
        try {
            if (ctx == null) {
                ctx = srtp.receiver(ssrc);
                if (isVideo) {
                    videoRx = ctx;
                } else {
                    audioRx = ctx;
                }
            }
            System.arraycopy(buf, 0, plain.getBuffer(), 0, length);
            SrtpErrorStatus status = ctx.reverseTransformPacket(plain.set(length), false);
            if (status == SrtpErrorStatus.OK) {
                decrypted++;
                if (isVideo && startsIdr(plain.getBuffer(), plain.getLength()) && (!anyKeyframe || ts != lastKeyframeTs)) {
                    anyKeyframe = true;
                    lastKeyframeTs = ts;
                    keyframes++;
                }
            } else if (status != SrtpErrorStatus.REPLAY_FAIL && status != SrtpErrorStatus.REPLAY_OLD) {
                authFailures++;
                lastRtpFailure = status;
            }
        } catch (GeneralSecurityException e) {
            authFailures++;
        }
    }

    /**
     * Whether a decrypted H.264 RTP packet (RFC 6184) starts an IDR slice: a single NAL unit of type 5,
     * a STAP-A (24) holding one, or an FU-A (28) whose start bit is set over type 5.
     */
    static boolean startsIdr(byte[] p, int length) {
        if (length < 13) {
            return false;
        }
        int offset = 12 + 4 * (p[0] & 0x0F);
        if ((p[0] & 0x10) != 0) {
            if (offset + 4 > length) {
                return false;
            }
            offset += 4 + 4 * (((p[offset + 2] & 0xFF) << 8) | (p[offset + 3] & 0xFF));
        }
        if (offset >= length) {
            return false;
        }
        int type = p[offset] & 0x1F;
        if (type == 5) {
            return true;
        }
        if (type == 28) {
            return offset + 1 < length && (p[offset + 1] & 0x80) != 0 && (p[offset + 1] & 0x1F) == 5;
        }
        if (type == 24) {
            int i = offset + 1;
            while (i + 2 < length) {
                int size = ((p[i] & 0xFF) << 8) | (p[i + 1] & 0xFF);
                if (size == 0 || i + 2 + size > length) {
                    return false;
                }
                if ((p[i + 2] & 0x1F) == 5) {
                    return true;
                }
                i += 2 + size;
            }
        }
        return false;
    }

    private void onRtcp(byte[] buf, int length) {
        rtcpReceived++;
        try {
            int senderSsrc = ((buf[4] & 0xFF) << 24) | ((buf[5] & 0xFF) << 16) | ((buf[6] & 0xFF) << 8) | (buf[7] & 0xFF);
            SrtcpCryptoContext ctx = rtcpRx.get(senderSsrc);
            boolean fresh = ctx == null;
            if (fresh) {
                ctx = srtp.rtcpReceiver(senderSsrc);
            }
            System.arraycopy(buf, 0, plain.getBuffer(), 0, length);
            SrtpErrorStatus status = ctx.reverseTransformPacket(plain.set(length));
            if (status != SrtpErrorStatus.OK) {
                authFailures++;
                rtcpAuthFailures++;
                lastRtcpFailure = status;
                return;
            }
            if (fresh && rtcpRx.size() < 4) {
                rtcpRx.put(senderSsrc, ctx);
            }
            for (RtcpPacket p : Rtcp.parseCompound(ByteBuffer.wrap(plain.getBuffer(), 0, plain.getLength()))) {
                if (p instanceof SenderReport sr && sr.ssrc() == video.ssrc()) {
                    senderReports++;
                    lastSrCompact = NtpTime.compact(sr.ntpTimestamp());
                    lastSrArrivalNanos = System.nanoTime();
                } else if (p instanceof SenderReport) {
                    senderReports++;
                }
            }
        } catch (ParseException | GeneralSecurityException e) {
            // malformed RTCP from the server: nothing to learn from it
        }
    }

    private void onStun(byte[] buf, int length) {
        StunMessage m = stun(buf, length);
        if (m != null && m.type() == StunMessage.BINDING_SUCCESS) {
            consentResponses++;
        }
    }

    /** Periodic work: consent checks, and a receiver report with a REMB each second. */
    void tick(long nowNanos) {
        if (closed) {
            return;
        }
        if (consentEnabled && nowNanos - lastConsentNanos >= CONSENT_INTERVAL_NANOS) {
            lastConsentNanos = nowNanos;
            byte[] txid = new byte[12];
            ThreadLocalRandom.current().nextBytes(txid);
            write(ByteBuffer.wrap(bindingRequest(txid, false)));
        }
        if (nowNanos - lastRtcpNanos >= REPORT_INTERVAL_NANOS) {
            lastRtcpNanos = nowNanos;
            sendReports(nowNanos);
        }
    }

    private void sendReports(long nowNanos) {
        if (video.packets == 0) {
            return;
        }
        long expected = video.expected();
        long expectedInterval = expected - lastVideoExpected;
        long receivedInterval = video.unique - lastVideoUnique;
        lastVideoExpected = expected;
        lastVideoUnique = video.unique;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval <= 0 || lostInterval <= 0 ? 0 : (int) Math.min(255, (lostInterval << 8) / expectedInterval);
        long dlsr = lastSrArrivalNanos == 0 ? 0 : (nowNanos - lastSrArrivalNanos) * 65_536L / 1_000_000_000L;
        List<ReportBlock> blocks = new ArrayList<>(2);
        blocks.add(new ReportBlock(video.ssrc(), fraction, (int) Math.min(video.lost(), (1 << 23) - 1),
                video.extendedHighest() & 0xFFFFFFFFL, (long) video.jitter & 0xFFFFFFFFL,
                (int) lastSrCompact, dlsr & 0xFFFFFFFFL));
        if (audio.packets > 0) {
            blocks.add(new ReportBlock(audio.ssrc(), 0, (int) Math.min(audio.lost(), (1 << 23) - 1),
                    audio.extendedHighest() & 0xFFFFFFFFL, (long) audio.jitter & 0xFFFFFFFFL, 0, 0));
        }
        sendRtcp(List.of(new ReceiverReport(localSsrc, blocks), Remb.of(localSsrc, rembBps, List.of(video.ssrc()))));
    }

    private void sendNack(int ssrc, int seq, int gap) {
        List<Integer> lost = new ArrayList<>(Math.min(gap, 64));
        for (int i = Math.min(gap, 64); i >= 1; i--) {
            lost.add((seq - i) & 0xFFFF);
        }
        nacksSent++;
        nackedPackets += lost.size();
        sendRtcp(List.of(Nack.of(localSsrc, ssrc, lost)));
    }

    /** Sends RTCP now. Loop thread (or before the peer joins a loop). */
    public void sendRtcp(List<? extends RtcpPacket> packets) {
        byte[] plainRtcp = Rtcp.encode(packets);
        sendRawRtcp(plainRtcp, plainRtcp.length);
    }

    /** Protects and sends an RTCP packet whose bytes we write ourselves (a malformed one, in tests). */
    public void sendRawRtcp(byte[] bytes, int length) {
        System.arraycopy(bytes, 0, rtcpOut.getBuffer(), 0, length);
        try {
            if (rtcpTx.transformPacket(rtcpOut.set(length)) == SrtpErrorStatus.OK) {
                write(ByteBuffer.wrap(rtcpOut.getBuffer(), 0, rtcpOut.getLength()));
            }
        } catch (GeneralSecurityException e) {
            // nothing sent
        }
    }

    /** Asks for a keyframe (RFC 4585 section 6.3.1). Loop thread. */
    public void sendPli() {
        sendRtcp(List.of(new Pli(localSsrc, video.ssrc())));
    }

    /** Sends a datagram as is (garbage, in tests). */
    public void sendRaw(byte[] datagram) {
        write(ByteBuffer.wrap(datagram));
    }

    private void write(ByteBuffer b) {
        try {
            channel.write(b);
        } catch (IOException e) {
            // UDP: an ICMP error from an earlier datagram; the next one goes
        }
    }

    public int localSsrc() {
        return localSsrc;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        if (srtp != null) {
            srtp.close();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing
        }
    }

    static String randomIce(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(ICE_CHARS.charAt(RANDOM.nextInt(ICE_CHARS.length())));
        }
        return sb.toString();
    }
}
