package dev.cascade.node.stream;

import dev.cascade.protocol.ParseException;
import dev.cascade.protocol.h264.NalScanner;
import dev.cascade.protocol.mpegts.Pat;
import dev.cascade.protocol.mpegts.PesHeader;
import dev.cascade.protocol.mpegts.Pmt;
import dev.cascade.protocol.mpegts.PsiAssembler;
import dev.cascade.protocol.mpegts.StreamType;
import dev.cascade.protocol.mpegts.TsPacket;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Stage 2 of the packet path: looks at each aligned packet without changing it. It checks
 * continuity counters (ISO/IEC 13818-1 2.4.3.3), follows the PAT and PMT to learn the video PID,
 * keeps the latest PAT and PMT packets for new subscribers, and finds keyframes by scanning the
 * start of each video PES for its first VCL NAL unit (IDR = keyframe). Packets are forwarded
 * byte for byte whatever it finds: it only counts.
 */
final class TsObserver {
    /** {@link #observe} result bits. */
    static final int VIDEO_PES_START = 1;
    static final int KEYFRAME = 2;

    private static final int NO_CC = -1;
    private final byte[] lastCc = new byte[8192];
    private final PsiAssembler patAssembler = new PsiAssembler();
    private PsiAssembler pmtAssembler;
    private int pmtPid = -1;
    private int videoPid = -1;
    private int videoStreamType;
    private final NalScanner scanner = new NalScanner();
    private boolean scanning;
    private final PsiCopy patCopy = new PsiCopy();
    private final PsiCopy pmtCopy = new PsiCopy();

    /** Audio codecs the latest PMT lists; {@link #formatChanges} counts PMTs that changed them. */
    boolean aacAudio;
    boolean opusAudio;
    long formatChanges;
    long continuityErrors;
    long transportErrors;
    long psiErrors;
    long pesErrors;
    long keyframes;

    TsObserver() {
        reset();
    }

    void reset() {
        Arrays.fill(lastCc, (byte) NO_CC);
        pmtAssembler = null;
        pmtPid = -1;
        videoPid = -1;
        scanning = false;
        patCopy.clear();
        pmtCopy.clear();
        aacAudio = false;
        opusAudio = false;
        formatChanges = 0;
    }

    int videoPid() {
        return videoPid;
    }

    int videoStreamType() {
        return videoStreamType;
    }

    /**
     * Writes the latest PAT and PMT to a subscriber that is about to start on the GOP in
     * {@code gop}. Their continuity counters are set to run straight into the first PAT/PMT packet
     * inside the GOP, so the subscriber (often the next node) sees no continuity error.
     */
    int writePsi(Subscription s, ByteBuffer gop, int gopSize) {
        int r = patCopy.write(s, TsPacket.PID_PAT, gop, gopSize);
        if (r == Subscription.SENT && pmtPid >= 0) {
            r = pmtCopy.write(s, pmtPid, gop, gopSize);
        }
        return r;
    }

    int observe(ByteBuffer b, int off) {
        int pid = TsPacket.pid(b, off);
        if (TsPacket.transportError(b, off)) {
            transportErrors++;
            return 0;
        }
        if (pid == TsPacket.PID_NULL) {
            return 0;
        }
        checkContinuity(b, off, pid);
        int result = 0;
        if (pid == TsPacket.PID_PAT) {
            onPat(b, off);
        } else if (pid == pmtPid) {
            onPmt(b, off);
        } else if (pid == videoPid) {
            result = onVideo(b, off);
        }
        return result;
    }

    private void checkContinuity(ByteBuffer b, int off, int pid) {
        if (!TsPacket.hasPayload(b, off)) {
            return; // the counter only advances on packets with payload
        }
        int cc = TsPacket.continuityCounter(b, off);
        int last = lastCc[pid];
        lastCc[pid] = (byte) cc;
        if (last == NO_CC || TsPacket.discontinuity(b, off)) {
            return;
        }
        // One duplicate of the previous packet is allowed (2.4.3.3).
        if (cc != ((last + 1) & 0x0F) && cc != last) {
            continuityErrors++;
        }
    }

    private void onPat(ByteBuffer b, int off) {
        try {
            patCopy.collect(b, off);
            ByteBuffer section = patAssembler.feed(b, off);
            if (section == null) {
                return;
            }
            Pat pat = Pat.parse(section);
            patCopy.complete();
            int newPmtPid = pat.programs().stream().filter(p -> p.number() != 0)
                    .mapToInt(Pat.Program::pmtPid).findFirst().orElse(-1);
            if (newPmtPid != pmtPid) {
                pmtPid = newPmtPid;
                pmtAssembler = new PsiAssembler();
                videoPid = -1;
                pmtCopy.clear();
            }
        } catch (ParseException e) {
            psiErrors++;
        }
    }

    private void onPmt(ByteBuffer b, int off) {
        try {
            pmtCopy.collect(b, off);
            ByteBuffer section = pmtAssembler.feed(b, off);
            if (section == null) {
                return;
            }
            Pmt pmt = Pmt.parse(section);
            pmtCopy.complete();
            // The "video" PID drives keyframe detection; an audio-only stream uses its first
            // elementary stream, where every PES is a random access point.
            int newVideo = -1;
            int type = 0;
            for (Pmt.ElementaryStream es : pmt.streams()) {
                if (StreamType.isVideo(es.streamType())) {
                    newVideo = es.pid();
                    type = es.streamType();
                    break;
                }
            }
            boolean aac = false;
            boolean opus = false;
            for (Pmt.ElementaryStream es : pmt.streams()) {
                aac |= es.streamType() == StreamType.AAC_ADTS || es.streamType() == StreamType.AAC_LATM;
                opus |= StreamType.isOpus(es.streamType(), es.descriptors());
            }
            if (aac != aacAudio || opus != opusAudio || formatChanges == 0) {
                aacAudio = aac;
                opusAudio = opus;
                formatChanges++;
            }
            if (newVideo < 0 && !pmt.streams().isEmpty()) {
                newVideo = pmt.streams().get(0).pid();
                type = pmt.streams().get(0).streamType();
            }
            if (newVideo != videoPid) {
                videoPid = newVideo;
                videoStreamType = type;
                scanning = false;
            }
        } catch (ParseException e) {
            psiErrors++;
        }
    }

    private int onVideo(ByteBuffer b, int off) {
        int payload = TsPacket.payloadOffset(b, off);
        if (payload < 0) {
            return 0;
        }
        int end = off + TsPacket.SIZE;
        int result = 0;
        if (TsPacket.payloadUnitStart(b, off)) {
            result = VIDEO_PES_START;
            scanning = false;
            try {
                PesHeader pes = PesHeader.parse(b, payload, end - payload);
                payload += pes.headerLength();
                if (videoStreamType == StreamType.H264) {
                    if (TsPacket.randomAccess(b, off)) {
                        // The encoder marks a random access point that may have no IDR (intra
                        // refresh, recovery-point SEI): trust it.
                        keyframes++;
                        return result | KEYFRAME;
                    }
                    scanner.reset();
                    scanning = true;
                } else if (!StreamType.isVideo(videoStreamType)
                        || TsPacket.randomAccess(b, off)) {
                    // Other codecs: trust the encoder's random_access_indicator; audio: every PES.
                    keyframes++;
                    return result | KEYFRAME;
                }
            } catch (ParseException e) {
                pesErrors++;
                return result;
            }
        }
        if (scanning && payload < end) {
            int nalType = scanner.feed(b, payload, end);
            if (nalType >= 0) {
                scanning = false;
                if (nalType == dev.cascade.protocol.h264.H264.NAL_IDR) {
                    keyframes++;
                    result |= KEYFRAME;
                }
            }
        }
        return result;
    }

    /**
     * The packets of the latest complete PAT or PMT section (up to eight: a PMT with many tracks and
     * descriptors spans several), kept to start new subscribers.
     */
    private static final class PsiCopy {
        private static final int MAX_PACKETS = 8;
        private final ByteBuffer pending = ByteBuffer.allocateDirect(MAX_PACKETS * TsPacket.SIZE);
        private final ByteBuffer stored = ByteBuffer.allocateDirect(MAX_PACKETS * TsPacket.SIZE);
        private final long storedAddress = dev.cascade.node.srt.Srt.address(stored);
        private int pendingCount = -1;
        private int storedCount;

        void clear() {
            pendingCount = -1;
            storedCount = 0;
        }

        /** Every packet on the table's PID; a section starts on a payload_unit_start packet. */
        void collect(ByteBuffer b, int off) {
            if (TsPacket.payloadUnitStart(b, off)) {
                pendingCount = 0;
            }
            if (pendingCount < 0) {
                return;
            }
            if (pendingCount == MAX_PACKETS) {
                pendingCount = -1; // too large to keep: new subscribers get it from the stream
                return;
            }
            pending.put(pendingCount * TsPacket.SIZE, b, off, TsPacket.SIZE);
            pendingCount++;
        }

        /** The section collected since the last start is complete and valid. */
        void complete() {
            if (pendingCount > 0) {
                stored.put(0, pending, 0, pendingCount * TsPacket.SIZE);
                storedCount = pendingCount;
            }
            pendingCount = -1;
        }

        int write(Subscription s, int pid, ByteBuffer gop, int gopSize) {
            if (storedCount == 0) {
                return Subscription.SENT;
            }
            for (int p = 0; p < gopSize; p += TsPacket.SIZE) {
                if (TsPacket.pid(gop, p) == pid && TsPacket.hasPayload(gop, p)) {
                    int next = TsPacket.continuityCounter(gop, p);
                    for (int i = 0; i < storedCount; i++) {
                        int at = i * TsPacket.SIZE + 3;
                        int cc = (next - storedCount + i) & 0x0F;
                        stored.put(at, (byte) ((stored.get(at) & 0xF0) | cc));
                    }
                    break;
                }
            }
            return s.write(stored, 0, storedAddress, storedCount * TsPacket.SIZE);
        }
    }
}
