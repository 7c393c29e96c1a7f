package dev.cascade.protocol.h264;

import java.nio.ByteBuffer;

/**
 * Incremental Annex B start-code scanner for the per-packet path: fed a PES payload piece by piece
 * (as transport packets arrive), it tells the type of the first VCL NAL unit (non-IDR slice 1, IDR 5,
 * or a data partition 2-4) and whether an SPS came before it, without waiting for the whole access
 * unit. Start codes split across pieces are found. No allocation; call {@link #reset} per access unit.
 */
public final class NalScanner {
    /** Zero bytes seen just before the current position, capped at 2 (all a start code needs). */
    private int zeros;
    /** The previous byte ended a start code, so the next one is a NAL header. */
    private boolean header;
    private int vclType = -1;
    private boolean sawSps;

    public void reset() {
        zeros = 0;
        header = false;
        vclType = -1;
        sawSps = false;
    }

    /**
     * Scans absolute range [from, to) of {@code b}; the buffer's position and limit are ignored.
     *
     * @return the first VCL NAL type found so far (1-5), or -1 while none has been seen
     */
    public int feed(ByteBuffer b, int from, int to) {
        if (vclType >= 0) {
            return vclType;
        }
        int z = zeros;
        boolean h = header;
        for (int i = from; i < to; i++) {
            int v = b.get(i);
            if (h) {
                h = false;
                int type = H264.nalType(v);
                if (type == H264.NAL_SPS) {
                    sawSps = true;
                } else if (H264.isVcl(type)) {
                    vclType = type;
                    return type;
                }
                z = v == 0 ? 1 : 0;
            } else if (v == 0) {
                if (z < 2) {
                    z++;
                }
            } else {
                h = v == 1 && z == 2;
                z = 0;
            }
        }
        zeros = z;
        header = h;
        return -1;
    }

    /** Whether an SPS NAL unit appeared before the first VCL NAL unit of this access unit. */
    public boolean sawSps() {
        return sawSps;
    }
}
