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
    private final ByteBuffer patPacket = ByteBuffer.allocateDirect(TsPacket.SIZE);
    private final ByteBuffer pmtPacket = ByteBuffer.allocateDirect(TsPacket.SIZE);
    private final long patAddress = dev.cascade.node.srt.Srt.address(patPacket);
    private final long pmtAddress = dev.cascade.node.srt.Srt.address(pmtPacket);
    private boolean havePat;
    private boolean havePmt;

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
        havePat = false;
        havePmt = false;
    }

    int videoPid() {
        return videoPid;
    }

    int videoStreamType() {
        return videoStreamType;
    }

    /** The latest single-packet PAT, or null before one was seen. */
    ByteBuffer patPacket() {
        return havePat ? patPacket : null;
    }

    ByteBuffer pmtPacket() {
        return havePmt ? pmtPacket : null;
    }

    long patAddress() {
        return patAddress;
    }

    long pmtAddress() {
        return pmtAddress;
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
            ByteBuffer section = patAssembler.feed(b, off);
            if (section == null) {
                return;
            }
            Pat pat = Pat.parse(section);
            if (TsPacket.payloadUnitStart(b, off)) {
                patPacket.put(0, b, off, TsPacket.SIZE);
                havePat = true;
            }
            int newPmtPid = pat.programs().stream().filter(p -> p.number() != 0)
                    .mapToInt(Pat.Program::pmtPid).findFirst().orElse(-1);
            if (newPmtPid != pmtPid) {
                pmtPid = newPmtPid;
                pmtAssembler = new PsiAssembler();
                videoPid = -1;
                havePmt = false;
            }
        } catch (ParseException e) {
            psiErrors++;
        }
    }

    private void onPmt(ByteBuffer b, int off) {
        try {
            ByteBuffer section = pmtAssembler.feed(b, off);
            if (section == null) {
                return;
            }
            Pmt pmt = Pmt.parse(section);
            if (TsPacket.payloadUnitStart(b, off)) {
                pmtPacket.put(0, b, off, TsPacket.SIZE);
                havePmt = true;
            }
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
}
