package dev.cascade.protocol.h264;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Cuts an H.264 access unit into RTP payloads, RFC 6184 non-interleaved mode
 * (packetization-mode=1, section 6.3): a NAL unit that fits the payload size goes alone (single NAL
 * unit packet, 5.6) unless it can share a STAP-A with the NAL units after it (5.7.1; this is how
 * SPS + PPS, and SEI or small slices, travel together); a NAL unit that does not fit is cut into
 * FU-A fragments of near-equal size (5.8). The last payload of the access unit gets the marker bit
 * (5.1).
 *
 * <pre>
 *  STAP-A (5.7.1)                                     FU-A (5.8)
 *  +---------------+---------------+---------------+  +---------------+---------------+-------------+
 *  |F|NRI| Type=24 | NALU 1 size (16 bits)         |  |F|NRI| Type=28 |S|E|R| Type    | FU payload  |
 *  +---------------+---------------+---------------+  +---------------+---------------+-------------+
 *  | NALU 1 (header byte included) | NALU 2 size...|   FU indicator    FU header: S start, E end,
 *  +-------------------------------+---------------+   F/NRI of the NAL, type of the NAL;
 *   F = OR of the F bits, NRI = the highest NRI        the NAL header byte itself is not sent
 * </pre>
 *
 * <p>Two ways to use it, both allocation-free per packet:
 * <ul>
 *   <li>Pull, zero extra copies: {@link #begin} an access unit, then while {@link #hasNext}, read
 *       {@link #nextPayloadSize} and {@link #nextIsLast} (the marker), start the RTP header and
 *       {@link #writeNext} into the packet buffer.</li>
 *   <li>Push: {@link #packetize} hands each payload to a {@link Sink} as a slice of one scratch
 *       buffer owned by the packetizer, valid only during the call.</li>
 * </ul>
 * Not thread-safe; one per sending context. NAL units are read between their position and limit,
 * never moved, and must stay unchanged until the access unit is done.
 */
public final class H264Packetizer {
    public static final int STAP_A = 24;
    public static final int FU_A = 28;

    /** Receives the payloads of {@link #packetize}. */
    @FunctionalInterface
    public interface Sink {
        /** @param payload position..limit is the RTP payload; only valid during this call */
        void accept(ByteBuffer payload, boolean marker);
    }

    private static final int NONE = 0;
    private static final int SINGLE = 1;
    private static final int STAP = 2;
    private static final int FU = 3;

    private final int maxPayloadSize;
    private ByteBuffer scratch;

    private List<ByteBuffer> nals;
    private int nalIndex;
    // The planned next packet.
    private int kind = NONE;
    private int stapEnd;
    private int size;
    // FU-A progress within nals[nalIndex].
    private int fuSent;
    private int fuIndex;
    private int fuCount;

    /** @param maxPayloadSize largest RTP payload to produce, e.g. 1200; 3..65535 */
    public H264Packetizer(int maxPayloadSize) {
        if (maxPayloadSize < 3 || maxPayloadSize > 0xFFFF) {
            throw new IllegalArgumentException("maxPayloadSize " + maxPayloadSize);
        }
        this.maxPayloadSize = maxPayloadSize;
    }

    public int maxPayloadSize() {
        return maxPayloadSize;
    }

    /** Starts an access unit: its NAL units without start codes, in decoding order. Empty ones are skipped. */
    public void begin(List<ByteBuffer> accessUnit) {
        this.nals = accessUnit;
        this.nalIndex = 0;
        this.fuSent = 0;
        plan();
    }

    public boolean hasNext() {
        return kind != NONE;
    }

    /** Bytes {@link #writeNext} will write. */
    public int nextPayloadSize() {
        requireNext();
        return size;
    }

    /** Whether the next payload is the access unit's last: its RTP packet carries the marker bit. */
    public boolean nextIsLast() {
        requireNext();
        if (kind == FU && fuIndex + 1 < fuCount) {
            return false;
        }
        int after = kind == STAP ? stapEnd : nalIndex + 1;
        return nextNonEmpty(after) < 0;
    }

    /** Writes the next payload at {@code out}'s position, advancing it, and moves on. */
    public int writeNext(ByteBuffer out) {
        requireNext();
        int written = size;
        switch (kind) {
            case SINGLE -> {
                ByteBuffer nal = nals.get(nalIndex);
                put(out, nal, nal.position(), nal.remaining());
                nalIndex++;
            }
            case STAP -> {
                int f = 0;
                int nri = 0;
                for (int i = nalIndex; i < stapEnd; i++) {
                    ByteBuffer nal = nals.get(i);
                    if (nal.hasRemaining()) {
                        int h = nal.get(nal.position());
                        f |= h & 0x80;
                        nri = Math.max(nri, h & 0x60);
                    }
                }
                out.put((byte) (f | nri | STAP_A));
                for (int i = nalIndex; i < stapEnd; i++) {
                    ByteBuffer nal = nals.get(i);
                    if (nal.hasRemaining()) {
                        out.putShort((short) nal.remaining());
                        put(out, nal, nal.position(), nal.remaining());
                    }
                }
                nalIndex = stapEnd;
            }
            default -> {
                ByteBuffer nal = nals.get(nalIndex);
                int h = nal.get(nal.position());
                int fragment = size - 2;
                boolean first = fuIndex == 0;
                boolean last = fuIndex + 1 == fuCount;
                out.put((byte) ((h & 0xE0) | FU_A));
                out.put((byte) ((first ? 0x80 : 0) | (last ? 0x40 : 0) | (h & 0x1F)));
                put(out, nal, nal.position() + 1 + fuSent, fragment);
                fuSent += fragment;
                fuIndex++;
                if (last) {
                    fuSent = 0;
                    nalIndex++;
                }
            }
        }
        plan();
        return written;
    }

    /**
     * Packetizes a whole access unit into {@code sink}, one call per RTP payload in order. Each
     * payload is copied once into a scratch buffer; use the pull methods to write straight into
     * packet buffers instead.
     */
    public void packetize(List<ByteBuffer> accessUnit, Sink sink) {
        if (scratch == null) {
            scratch = ByteBuffer.allocate(maxPayloadSize);
        }
        begin(accessUnit);
        while (hasNext()) {
            boolean marker = nextIsLast();
            scratch.clear();
            writeNext(scratch);
            scratch.flip();
            sink.accept(scratch, marker);
        }
    }

    private void requireNext() {
        if (kind == NONE) {
            throw new IllegalStateException("no payload left in this access unit");
        }
    }

    private static void put(ByteBuffer out, ByteBuffer src, int from, int n) {
        out.put(out.position(), src, from, n);
        out.position(out.position() + n);
    }

    private int nextNonEmpty(int from) {
        for (int i = from; i < nals.size(); i++) {
            if (nals.get(i).hasRemaining()) {
                return i;
            }
        }
        return -1;
    }

    /** Decides what the next packet holds. */
    private void plan() {
        if (nals == null) {
            kind = NONE;
            return;
        }
        if (fuSent > 0) {
            planFragment();
            return;
        }
        int i = nextNonEmpty(nalIndex);
        if (i < 0) {
            kind = NONE;
            nals = null;
            return;
        }
        nalIndex = i;
        int n = nals.get(i).remaining();
        if (n > maxPayloadSize) {
            kind = FU;
            int body = n - 1;
            int per = maxPayloadSize - 2;
            fuCount = (body + per - 1) / per;
            fuIndex = 0;
            planFragment();
            return;
        }
        // Greedy STAP-A: this NAL and as many following ones as fit, if that is at least two.
        int total = 1 + 2 + n;
        int count = 1;
        int end = i + 1;
        for (int j = i + 1; j < nals.size(); j++) {
            int m = nals.get(j).remaining();
            if (m == 0) {
                end = j + 1;
                continue;
            }
            if (total + 2 + m > maxPayloadSize) {
                break;
            }
            total += 2 + m;
            count++;
            end = j + 1;
        }
        if (count >= 2) {
            // Do not swallow trailing empty NAL units past the last aggregated one: harmless either way.
            kind = STAP;
            stapEnd = end;
            size = total;
        } else {
            kind = SINGLE;
            size = n;
        }
    }

    private void planFragment() {
        kind = FU;
        int body = nals.get(nalIndex).remaining() - 1;
        // Near-equal fragments: the first (body % count) carry one byte more.
        int base = body / fuCount;
        int extra = body % fuCount;
        size = 2 + base + (fuIndex < extra ? 1 : 0);
    }
}
