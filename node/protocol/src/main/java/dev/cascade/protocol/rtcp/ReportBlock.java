package dev.cascade.protocol.rtcp;

import java.nio.ByteBuffer;

/**
 * One reception report block of an SR or RR, RFC 3550 section 6.4.1.
 *
 * <pre>
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 SSRC_1 (SSRC of first source)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | fraction lost |       cumulative number of packets lost       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           extended highest sequence number received           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      interarrival jitter                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         last SR (LSR)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   delay since last SR (DLSR)                  |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 *
 * @param fractionLost              loss since the last report, in 1/256
 * @param cumulativeLost            signed 24-bit: duplicates can make it negative
 * @param extendedHighestSequence   cycles << 16 | highest sequence number, unsigned 32-bit
 * @param jitter                    in timestamp units, unsigned 32-bit
 * @param lastSenderReport          middle 32 bits of the last SR's NTP timestamp ({@link NtpTime#compact}), 0 if none
 * @param delaySinceLastSenderReport in 1/65536 s, unsigned 32-bit
 */
public record ReportBlock(int ssrc, int fractionLost, int cumulativeLost, long extendedHighestSequence, long jitter,
                          int lastSenderReport, long delaySinceLastSenderReport) {
    static final int SIZE = 24;

    public ReportBlock {
        if (fractionLost < 0 || fractionLost > 255 || cumulativeLost < -(1 << 23) || cumulativeLost >= 1 << 23
                || !Rtcp.isUnsigned32(extendedHighestSequence) || !Rtcp.isUnsigned32(jitter)
                || !Rtcp.isUnsigned32(delaySinceLastSenderReport)) {
            throw new IllegalArgumentException("report block field out of range");
        }
    }

    static ReportBlock read(ByteBuffer b, int p) {
        int lost = b.getInt(p + 4);
        return new ReportBlock(b.getInt(p), (lost >>> 24), (lost << 8) >> 8, b.getInt(p + 8) & 0xFFFFFFFFL,
                b.getInt(p + 12) & 0xFFFFFFFFL, b.getInt(p + 16), b.getInt(p + 20) & 0xFFFFFFFFL);
    }

    void write(ByteBuffer out) {
        out.putInt(ssrc);
        out.putInt((fractionLost << 24) | (cumulativeLost & 0xFFFFFF));
        out.putInt((int) extendedHighestSequence);
        out.putInt((int) jitter);
        out.putInt(lastSenderReport);
        out.putInt((int) delaySinceLastSenderReport);
    }
}
