package dev.cascade.node.egress.whep;

import dev.cascade.node.stream.Subscription;
import dev.cascade.node.webrtc.UdpBatch;
import dev.cascade.protocol.ParseException;
import dev.cascade.protocol.rtcp.Nack;
import dev.cascade.protocol.h264.H264;
import dev.cascade.protocol.h264.H264Packetizer;
import dev.cascade.protocol.mpegts.Pmt;
import dev.cascade.protocol.mpegts.StreamType;
import dev.cascade.protocol.opus.OpusRtp;
import dev.cascade.protocol.opus.OpusTs;
import dev.cascade.protocol.rtp.AbsSendTime;
import dev.cascade.protocol.rtp.RtpPacket;
import dev.cascade.protocol.rtp.RtpWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A stream's WebRTC video, made once however many viewers watch: it is one {@link Subscription}
 * of the stream's TS, demuxes H.264 access units ({@link TsDemuxer}), packetizes them per RFC 6184
 * ({@link H264Packetizer}) into RTP with one SSRC, one sequence space and an abs-send-time header
 * extension, and keeps the packets in a history ring indexed by sequence number. The ring serves
 * NACK retransmissions and lets a new viewer start at once on the latest keyframe.
 *
 * <p>Keyframe requests (PLI, FIR) from a viewer are counted and not answered from the history. A
 * viewer that joins starts on the cached keyframe without asking. A viewer that is already playing
 * has received those packets: resent under their sequence numbers, SRTP replay protection drops
 * them (RFC 3711 section 3.3.2); resent under new ones, the keyframe is older than frames the
 * decoder has shown, and the frames after it would have to follow, a GOP of added delay. Only the
 * encoder can make a fresh keyframe, and SRT gives no way to ask it, so the encoder's keyframe
 * interval (1-2 s, docs/architecture.md) bounds how long a broken picture lasts; lost packets
 * themselves are repaired by NACK before it comes to that.
 *
 * <p>Per viewer, {@link WebRtcViewer#send} only copies a packet, sets the viewer's negotiated
 * payload type and extension id, and SRTP-protects it. Runs on the stream's loop thread.
 *
 * <p>ABR (docs/abr.md): a viewer with an {@link AbrViewer} takes its audio here like any viewer,
 * but its video through its splice: the packets of this output go to {@link AbrViewer#onVideo}
 * instead, and so do those of the variant outputs ({@code NAME_1}, {@code NAME_2}, ...) it
 * {@link #addTap taps}. A tap is not a viewer of the variant: it gets video only, no catch-up and no
 * sender reports from it.
 */
public final class WebRtcStreamOut extends DemuxingSubscription {
    /** Packets kept: a few seconds of video at a few Mbps, and every seq a NACK can name in practice. */
    static final int HISTORY = 4096;
    /** RTP payload per packet: 1200 bytes keeps the SRTP packet under common tunnel MTUs. */
    static final int MAX_PAYLOAD = 1200;
    static final int SLOT_SIZE = RtpTrack.SLOT_SIZE;
    /** Internal payload type and abs-send-time id; each viewer's own are written at send time. */
    static final int INTERNAL_PT = 96;
    static final int INTERNAL_ABS_SEND_TIME_ID = 3;

    static final int INTERNAL_AUDIO_PT = 111;

    private final String streamKey;
    private final H264Packetizer packetizer = new H264Packetizer(MAX_PAYLOAD);
    private final RtpWriter writer = new RtpWriter(RtpWriter.SRTP_TAIL_ROOM);
    final RtpTrack video = new RtpTrack(true, 90_000, HISTORY);
    final RtpTrack audio = new RtpTrack(false, 48_000, 1024);
    private final List<WebRtcViewer> viewers = new ArrayList<>();
    /** ABR viewers splicing this output's video into their track (this is one of their variants). */
    private final List<AbrViewer> taps = new ArrayList<>();
    /**
     * The newest PES timestamp of the stream (video or audio, 90 kHz, 33 bits) and when it came: the
     * stream's clock, which an ABR viewer's sender report maps its spliced video onto.
     */
    long lastPts = Long.MIN_VALUE;
    long lastPtsWallNanos;
    /**
     * A keyframe that comes within this of the output's first video is not where an ABR splice may
     * begin. A new output is a pull that has just started, and the node it pulls from sends its
     * cached GOP first (GopCache), all at once: a splice that began on that keyframe would pass the
     * whole burst to its viewer, up to a GOP of media into a link the viewer may barely have (in
     * the clean-clone AbrIT run, 28 packets lost and 4 freezes as the limited viewer started, and
     * the same burst at each up-switch to a level not yet pulled). The next keyframe comes live.
     */
    static final long CATCH_UP_NANOS = 500_000_000L;
    /** When the first video packet was made ({@link System#nanoTime}), 0 before. */
    private long firstVideoNanos;

    /** Extended sequence number of the first packet of the latest keyframe, or -1. */
    private long keyframeStart = -1;
    private int videoPid = -1;
    private int audioPid = -1;
    private boolean aacOnly;
    private boolean renditionRequested;
    private Runnable needsOpusRendition = () -> {};
    private final ArrayList<ByteBuffer> nalScratch = new ArrayList<>();

    /** This stream's fan-out to the kernel: a packet's copies for all viewers in few system calls. */
    private final UdpBatch batch;

    public WebRtcStreamOut(String streamKey, UdpBatch batch) {
        this.streamKey = streamKey;
        this.batch = batch;
    }

    public String streamKey() {
        return streamKey;
    }

    public int ssrc() {
        return video.ssrc;
    }

    public int audioSsrc() {
        return audio.ssrc;
    }

    public int viewerCount() {
        return viewers.size();
    }

    /** No viewer and no ABR tap: the output can leave its stream. */
    public boolean idle() {
        return viewers.isEmpty() && taps.isEmpty();
    }

    UdpBatch batch() {
        return batch;
    }

    @Override
    public String kind() {
        return "webrtc";
    }

    // ---------------------------------------------------------------- TS in

    @Override
    protected void afterFeed() {
        if (aacOnly && !renditionRequested) {
            renditionRequested = true;
            needsOpusRendition.run();
        }
    }

    private Runnable onClosed = () -> {};

    /** Runs when the stream drops this output (the stream ended, or the last viewer left); adds to earlier ones. */
    public void onClosed(Runnable r) {
        Runnable before = this.onClosed;
        this.onClosed = () -> {
            before.run();
            r.run();
        };
    }

    @Override
    protected void closeTransport() {
        List<WebRtcViewer> ending = new ArrayList<>(viewers);
        viewers.clear();
        for (WebRtcViewer v : ending) {
            v.streamEnded();
        }
        List<AbrViewer> tapping = new ArrayList<>(taps);
        taps.clear();
        for (AbrViewer t : tapping) {
            t.variantGone(this);
        }
        onClosed.run();
    }

    @Override
    public void onPmt(int pid, Pmt pmt) {
        videoPid = -1;
        audioPid = -1;
        boolean aac = false;
        for (Pmt.ElementaryStream es : pmt.streams()) {
            if (es.streamType() == StreamType.H264 && videoPid < 0) {
                videoPid = es.pid();
            } else if (StreamType.isOpus(es.streamType(), es.descriptors()) && audioPid < 0) {
                audioPid = es.pid();
            }
            aac |= es.streamType() == StreamType.AAC_ADTS || es.streamType() == StreamType.AAC_LATM;
        }
        aacOnly = aac && audioPid < 0;
    }

    /** Asked for once when the stream's audio is AAC: the node then feeds {@link #renditionAudio}. */
    public void onNeedsOpusRendition(Runnable r) {
        this.needsOpusRendition = r;
    }

    /** Opus from the stream's Opus rendition (same timeline, {@code -copyts}), for AAC sources. */
    public void renditionAudio(long pts, ByteBuffer payload) {
        if (audioPid < 0) {
            onOpus(pts, payload);
        }
    }

    @Override
    public void onPes(int pid, int streamType, long pts, long dts, boolean randomAccess, ByteBuffer payload) {
        if (pid == audioPid || pid == videoPid) {
            lastPts = pts;
            lastPtsWallNanos = System.nanoTime();
        }
        if (pid == audioPid) {
            onOpus(pts, payload);
            return;
        }
        if (pid != videoPid) {
            return; // AAC needs the Opus rendition of the transcoder, which is not built yet
        }
        nalScratch.clear();
        boolean keyframe = false;
        for (ByteBuffer nal : H264.splitAnnexB(payload)) {
            if (!nal.hasRemaining()) {
                continue;
            }
            int type = H264.nalType(nal.get(nal.position()));
            if (type == H264.NAL_AUD) {
                continue; // access unit delimiters mean nothing in RTP (RFC 6184 section 5.3)
            }
            keyframe |= type == H264.NAL_IDR;
            nalScratch.add(nal);
        }
        if (nalScratch.isEmpty()) {
            return;
        }
        long auStart = video.next;
        int timestamp = (int) pts; // 90 kHz both in TS and in RTP video (RFC 6184 section 5.1)
        long now = System.nanoTime();
        int sendTime = AbsSendTime.fromNanos(now);
        if (firstVideoNanos == 0) {
            firstVideoNanos = now;
        }
        boolean splicePoint = keyframe && now - firstVideoNanos >= CATCH_UP_NANOS;
        packetizer.begin(nalScratch);
        boolean first = true;
        while (packetizer.hasNext()) {
            ByteBuffer out = video.buffers[video.slot(video.next)];
            out.clear();
            writer.start(out, INTERNAL_PT, packetizer.nextIsLast(), video.seq16(video.next), timestamp, video.ssrc)
                    .absSendTime(INTERNAL_ABS_SEND_TIME_ID, sendTime)
                    .beginPayload();
            packetizer.writeNext(out);
            int slot = video.commit(writer.finish(), timestamp, now);
            sendToLive(video, slot, splicePoint && first);
            first = false;
        }
        if (keyframe) {
            keyframeStart = auStart;
            // Viewers waiting for a picture start on this keyframe, now complete in the history.
            for (int i = 0, n = viewers.size(); i < n; i++) {
                WebRtcViewer v = viewers.get(i);
                if (!v.isLive()) {
                    catchUp(v);
                }
            }
        }
    }

    /** Opus packets from a PES (ETSI TS Opus mapping), one RTP packet each (RFC 7587). */
    private void onOpus(long pts, ByteBuffer payload) {
        long ts48 = pts * 48_000 / 90_000;
        long now = System.nanoTime();
        for (ByteBuffer packet : OpusTs.splitAccessUnits(payload)) {
            int n = packet.remaining();
            if (n == 0 || n > RtpTrack.SLOT_SIZE - 40) {
                continue;
            }
            ByteBuffer out = audio.buffers[audio.slot(audio.next)];
            out.clear();
            writer.start(out, INTERNAL_AUDIO_PT, false, audio.seq16(audio.next), (int) ts48, audio.ssrc)
                    .payload(packet);
            int slot = audio.commit(writer.finish(), (int) ts48, now);
            sendToLive(audio, slot, false);
            try {
                ts48 += OpusRtp.timestampIncrement(packet);
            } catch (ParseException e) {
                ts48 += 960; // 20 ms, the usual frame
            }
        }
    }

    /** @param keyframeStart the packet is the first of a keyframe where an ABR splice may begin */
    private void sendToLive(RtpTrack track, int slot, boolean keyframeStart) {
        for (int i = 0, n = viewers.size(); i < n; i++) {
            WebRtcViewer v = viewers.get(i);
            if (!v.isLive()) {
                continue;
            }
            if (track.video && v.abr != null) {
                v.abr.onVideo(this, slot, keyframeStart, batch);
            } else {
                v.send(track, track.slots[slot], track.lengths[slot], batch);
            }
        }
        if (track.video) {
            for (int i = 0, n = taps.size(); i < n; i++) {
                taps.get(i).onVideo(this, slot, keyframeStart, batch);
            }
        }
        batch.flush();
    }

    /**
     * Hands an ABR viewer the cached GOP, from the latest keyframe on, so it can start (or fall back)
     * at once instead of waiting for the next keyframe, if that keyframe is at most {@code maxAge90k}
     * (90 kHz ticks) older than the newest packet; false when it is older or none is cached, and the
     * viewer starts on the next keyframe as it comes.
     *
     * <p>The bound is what keeps the start from flooding a weak link: the replay goes out at once,
     * so an old keyframe means the keyframe plus most of a GOP in one burst (50 KB for a second at
     * 400 kbps), more than the queue of an 800 kbit/s link holds, lost and NACKed just as the
     * viewer starts. A young one adds little to the keyframe that has to come anyway.
     */
    boolean replayKeyframe(AbrViewer v, int maxAge90k) {
        if (keyframeStart < 0 || !video.holds(keyframeStart)) {
            return false;
        }
        int age = video.lastTimestamp - RtpPacket.timestamp(video.buffers[video.slot(keyframeStart)], 0);
        if (age < 0 || age > maxAge90k) {
            return false;
        }
        for (long i = keyframeStart; i < video.next; i++) {
            v.onVideo(this, video.slot(i), i == keyframeStart, batch);
        }
        batch.flush();
        return true;
    }

    void addTap(AbrViewer v) {
        taps.add(v);
    }

    void removeTap(AbrViewer v) {
        taps.remove(v);
    }

    /** Sends a viewer everything from the latest keyframe and makes it live. */
    private void catchUp(WebRtcViewer v) {
        if (v.abr != null) {
            // Audio from here at once; the video comes through its splice, which starts itself.
            v.goLive();
            v.abr.start();
            return;
        }
        if (keyframeStart < 0 || !video.holds(keyframeStart)) {
            return;
        }
        for (long i = keyframeStart; i < video.next; i++) {
            int slot = video.slot(i);
            v.send(video, video.slots[slot], video.lengths[slot], batch);
        }
        batch.flush();
        v.goLive();
    }

    // ---------------------------------------------------------------- viewers (loop thread)

    public void addViewer(WebRtcViewer v) {
        viewers.add(v);
        catchUp(v);
    }

    public void removeViewer(WebRtcViewer v) {
        viewers.remove(v);
        if (v.abr != null) {
            v.abr.close();
        }
    }

    /** Resends the packets a viewer's NACK names that are still in the history (RFC 4585 section 6.2.1). */
    public void retransmit(WebRtcViewer v, Nack nack) {
        if (v.abr != null && nack.mediaSsrc() != audio.ssrc) {
            v.abr.retransmit(nack);
            return;
        }
        RtpTrack track = nack.mediaSsrc() == audio.ssrc ? audio : video;
        nack.forEachLost(seq16 -> {
            int slot = track.find(seq16);
            if (slot >= 0) {
                v.retransmit(track, slot, batch);
            }
        });
        batch.flush();
    }

    /** Once a second: sender reports to every live viewer. Loop thread. */
    public void tick() {
        long now = System.nanoTime();
        long unix = System.currentTimeMillis() * 1_000_000L;
        for (int i = 0, n = viewers.size(); i < n; i++) {
            WebRtcViewer v = viewers.get(i);
            v.sendReports(video, audio, now, unix);
            if (v.abr != null) {
                v.abr.tick(now);
            }
        }
    }

}
