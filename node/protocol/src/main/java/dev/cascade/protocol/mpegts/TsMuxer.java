package dev.cascade.protocol.mpegts;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Transport stream multiplexer for one program (ISO/IEC 13818-1 2.4.3): PAT and PMT packets on
 * request, and each access unit as one PES packet cut into 188-byte packets.
 *
 * <ul>
 *   <li>The last packet of a PES is filled with adaptation-field stuffing (2.4.3.5), never with
 *       payload padding, so receivers see the exact access unit.</li>
 *   <li>A PCR is written in the first packet of every access unit on the PCR PID. 2.7.2 asks for one
 *       at least every 100 ms; one per access unit meets that for any track whose access units are
 *       closer than that (video, AAC, Opus), without tracking time. When the PCR PID carries no track,
 *       an adaptation-only PCR packet is written before an access unit once 20 ms have passed.</li>
 *   <li>PCR = DTS - {@code pcrDelay} (27 MHz extension 0). With the default delay 0 a strict T-STD
 *       would have no buffering time; receivers that pace by their own clock (SRT) do not care.</li>
 *   <li>random_access_indicator is set in the first packet of keyframes.</li>
 *   <li>Video PES_packet_length is 0 when the PES exceeds 65535 bytes (2.4.3.7 allows unbounded
 *       only for video); an audio access unit that large is refused.</li>
 * </ul>
 *
 * <p>Writes go to the caller's buffer at its position; size it with {@link #maxBytesFor} and
 * {@link #psiSize}. No allocation per access unit. Not thread-safe.
 */
public final class TsMuxer {

    /**
     * One elementary stream.
     *
     * @param streamType  PMT stream_type ({@link StreamType})
     * @param streamId    PES stream_id (0xE0 video, 0xC0 audio, 0xBD private for Opus)
     * @param descriptors ES descriptor loop for the PMT (e.g. registration "Opus"), may be empty
     */
    public record Track(int pid, int streamType, int streamId, byte[] descriptors) {
        public Track {
            descriptors = descriptors == null ? new byte[0] : descriptors.clone();
        }

        @Override
        public byte[] descriptors() {
            return descriptors.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Track t && t.pid == pid && t.streamType == streamType && t.streamId == streamId
                    && Arrays.equals(t.descriptors, descriptors);
        }

        @Override
        public int hashCode() {
            return ((pid * 31 + streamType) * 31 + streamId) * 31 + Arrays.hashCode(descriptors);
        }

        @Override
        public String toString() {
            return "Track[pid=" + pid + ", streamType=0x" + Integer.toHexString(streamType) + ", streamId=0x"
                    + Integer.toHexString(streamId) + ", descriptors="
                    + HexFormat.of().formatHex(descriptors) + "]";
        }
    }

    public static final int PROGRAM_NUMBER = 1;
    public static final int TRANSPORT_STREAM_ID = 1;
    private static final int PAYLOAD = TsPacket.SIZE - 4;
    private static final long TS_MASK = PesHeader.MAX_TIMESTAMP;
    private static final long PCR_ONLY_INTERVAL = 1800; // 20 ms at 90 kHz

    private final Track[] tracks;
    private final boolean[] video;
    private final int[] trackCc;
    private final int pmtPid;
    private final int pcrPid;
    private final int pcrTrack;
    private final long pcrDelay;
    private final byte[] patSection;
    private final byte[] pmtSection;
    private final ByteBuffer pesHeader = ByteBuffer.allocate(PesHeader.MAX_ENCODED_SIZE);
    private int patCc;
    private int pmtCc;
    private long lastPcr = -1;

    public TsMuxer(List<Track> tracks, int pmtPid, int pcrPid) {
        this(tracks, pmtPid, pcrPid, 0);
    }

    /**
     * @param pcrDelay90k how far (90 kHz ticks) the PCR runs behind the DTS, the decoder's buffering time
     */
    public TsMuxer(List<Track> tracks, int pmtPid, int pcrPid, int pcrDelay90k) {
        if (tracks.isEmpty()) {
            throw new IllegalArgumentException("no tracks");
        }
        checkPid("PMT PID", pmtPid);
        checkPid("PCR PID", pcrPid);
        if (pcrDelay90k < 0) {
            throw new IllegalArgumentException("pcrDelay90k " + pcrDelay90k);
        }
        this.tracks = tracks.toArray(new Track[0]);
        this.video = new boolean[this.tracks.length];
        this.trackCc = new int[this.tracks.length];
        this.pmtPid = pmtPid;
        this.pcrPid = pcrPid;
        this.pcrDelay = pcrDelay90k;
        Set<Integer> seen = new HashSet<>(List.of(pmtPid));
        List<Pmt.ElementaryStream> streams = new ArrayList<>();
        int pcr = -1;
        for (int i = 0; i < this.tracks.length; i++) {
            Track t = this.tracks[i];
            checkPid("track PID", t.pid());
            if (!seen.add(t.pid())) {
                throw new IllegalArgumentException("PID " + t.pid() + " used twice");
            }
            if (t.streamId() < 0xBD || t.streamId() > 0xEF || !PesHeader.hasOptionalHeader(t.streamId())) {
                throw new IllegalArgumentException("stream_id 0x" + Integer.toHexString(t.streamId()));
            }
            video[i] = StreamType.isVideo(t.streamType());
            if (t.pid() == pcrPid) {
                pcr = i;
            }
            streams.add(new Pmt.ElementaryStream(t.streamType(), t.pid(), t.descriptors()));
        }
        if (pcr < 0 && seen.contains(pcrPid)) {
            throw new IllegalArgumentException("PCR PID cannot be the PMT PID");
        }
        this.pcrTrack = pcr;
        Pat pat = new Pat(TRANSPORT_STREAM_ID, 0, List.of(new Pat.Program(PROGRAM_NUMBER, pmtPid)));
        Pmt pmt = new Pmt(PROGRAM_NUMBER, 0, pcrPid, new byte[0], streams);
        patSection = encode(pat.encodedSize(), pat::encodeTo);
        pmtSection = encode(pmt.encodedSize(), pmt::encodeTo);
    }

    /** Bytes {@link #writePsi} writes. */
    public int psiSize() {
        return (packetsForSection(patSection.length) + packetsForSection(pmtSection.length)) * TsPacket.SIZE;
    }

    /** An upper bound on the bytes {@link #writeAccessUnit} writes for a payload of this length. */
    public int maxBytesFor(int payloadLength) {
        // PES header, an 8-byte adaptation field with PCR in the first packet, and a PCR-only packet.
        int bytes = PesHeader.MAX_ENCODED_SIZE + payloadLength + 8;
        return ((bytes + PAYLOAD - 1) / PAYLOAD + 1) * TsPacket.SIZE;
    }

    /** Writes the PAT then the PMT, each a section in its own packet(s). */
    public void writePsi(ByteBuffer out) {
        if (out.remaining() < psiSize()) {
            throw new BufferOverflowException();
        }
        patCc = writeSection(out, TsPacket.PID_PAT, patSection, patCc);
        pmtCc = writeSection(out, pmtPid, pmtSection, pmtCc);
    }

    /**
     * Writes one access unit as a PES packet.
     *
     * @param pts     90 kHz presentation time; taken modulo 2^33
     * @param dts     90 kHz decoding time, or negative for "same as pts"; taken modulo 2^33
     * @param payload the access unit, position to limit; its position is not changed
     * @throws IllegalArgumentException for an unknown PID or an audio payload too large for a PES
     * @throws BufferOverflowException  when {@code out} has less room than {@link #maxBytesFor}
     */
    public void writeAccessUnit(ByteBuffer out, int pid, long pts, long dts, boolean keyframe, ByteBuffer payload) {
        int t = trackIndex(pid);
        int payloadLength = payload.remaining();
        if (out.remaining() < maxBytesFor(payloadLength)) {
            throw new BufferOverflowException();
        }
        pts &= TS_MASK;
        dts = dts < 0 ? pts : dts & TS_MASK;
        int streamId = tracks[t].streamId();
        int headerLength = PesHeader.headerSize(streamId, pts, dts);
        int total = headerLength + payloadLength;
        int pesPacketLength = total - 6;
        if (pesPacketLength > 0xFFFF) {
            if (!video[t]) {
                throw new IllegalArgumentException("audio access unit of " + payloadLength + " bytes exceeds a PES");
            }
            pesPacketLength = 0;
        }
        boolean pcr = t == pcrTrack;
        if (pcrTrack < 0 && (lastPcr < 0 || ((dts - lastPcr) & TS_MASK) >= PCR_ONLY_INTERVAL)) {
            writePcrPacket(out, dts);
        }
        pesHeader.clear();
        PesHeader.encode(pesHeader, streamId, pesPacketLength, pts, dts);

        int src = payload.position();
        int written = 0;
        int cc = trackCc[t];
        boolean first = true;
        while (written < total) {
            boolean withPcr = first && pcr;
            boolean rai = first && keyframe;
            int afLength = withPcr || rai ? 1 + (withPcr ? 6 : 0) : -1;
            int room = PAYLOAD - (afLength + 1);
            int remaining = total - written;
            if (remaining < room) {
                int stuffing = room - remaining;
                afLength = afLength < 0 ? stuffing - 1 : afLength + stuffing;
                room = remaining;
            }
            out.put(TsPacket.SYNC);
            out.put((byte) ((first ? 0x40 : 0) | (pid >> 8)));
            out.put((byte) pid);
            out.put((byte) ((afLength < 0 ? 0x10 : 0x30) | cc));
            cc = (cc + 1) & 0x0F;
            if (afLength >= 0) {
                out.put((byte) afLength);
                if (afLength > 0) {
                    out.put((byte) ((rai ? 0x40 : 0) | (withPcr ? 0x10 : 0)));
                    int fill = afLength - 1;
                    if (withPcr) {
                        putPcr(out, dts);
                        fill -= 6;
                    }
                    stuff(out, fill);
                }
            }
            int n = room;
            if (written < headerLength) {
                int h = Math.min(n, headerLength - written);
                out.put(out.position(), pesHeader, written, h);
                out.position(out.position() + h);
                n -= h;
            }
            if (n > 0) {
                int from = src + Math.max(0, written - headerLength);
                out.put(out.position(), payload, from, n);
                out.position(out.position() + n);
            }
            written += room;
            first = false;
        }
        trackCc[t] = cc;
    }

    private void writePcrPacket(ByteBuffer out, long dts) {
        out.put(TsPacket.SYNC);
        out.put((byte) (pcrPid >> 8));
        out.put((byte) pcrPid);
        out.put((byte) 0x20); // adaptation field only: the continuity_counter does not advance (2.4.3.3)
        out.put((byte) 183);
        out.put((byte) 0x10);
        putPcr(out, dts);
        stuff(out, 183 - 7);
    }

    private void putPcr(ByteBuffer out, long dts) {
        long base = (dts - pcrDelay) & TS_MASK;
        lastPcr = dts;
        // program_clock_reference_base(33) | reserved(6) | program_clock_reference_extension(9) = 0
        out.putInt((int) (base >>> 1));
        out.put((byte) (((base & 1) << 7) | 0x7E));
        out.put((byte) 0);
    }

    private static void stuff(ByteBuffer out, int n) {
        for (int i = 0; i < n; i++) {
            out.put((byte) 0xFF);
        }
    }

    /** PSI goes out with pointer_field 0 and 0xFF payload stuffing (2.4.4.2), not adaptation stuffing. */
    private static int writeSection(ByteBuffer out, int pid, byte[] section, int cc) {
        int done = 0;
        boolean first = true;
        while (done < section.length) {
            out.put(TsPacket.SYNC);
            out.put((byte) ((first ? 0x40 : 0) | (pid >> 8)));
            out.put((byte) pid);
            out.put((byte) (0x10 | cc));
            cc = (cc + 1) & 0x0F;
            int room = PAYLOAD;
            if (first) {
                out.put((byte) 0);
                room--;
            }
            int n = Math.min(room, section.length - done);
            out.put(section, done, n);
            stuff(out, room - n);
            done += n;
            first = false;
        }
        return cc;
    }

    private static int packetsForSection(int length) {
        return (length + 1 + PAYLOAD - 1) / PAYLOAD;
    }

    private int trackIndex(int pid) {
        for (int i = 0; i < tracks.length; i++) {
            if (tracks[i].pid() == pid) {
                return i;
            }
        }
        throw new IllegalArgumentException("no track on PID " + pid);
    }

    private static void checkPid(String what, int pid) {
        // 0x0000-0x000F are reserved for PAT/CAT/TSDT/IPMP and DVB tables start at 0x0010; 0x1FFF is null.
        if (pid < 0x0010 || pid > 0x1FFE) {
            throw new IllegalArgumentException(what + " " + pid + " outside 0x0010..0x1FFE");
        }
    }

    private interface Encoder {
        void encodeTo(ByteBuffer out);
    }

    private static byte[] encode(int size, Encoder encoder) {
        ByteBuffer b = ByteBuffer.allocate(size);
        encoder.encodeTo(b);
        return b.array();
    }
}
