package dev.cascade.protocol.rtcp;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Sender report, RFC 3550 section 6.4.1 (PT 200). Profile-specific extensions after the report
 * blocks are skipped when parsing and never written.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    RC   |   PT=SR=200   |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         SSRC of sender                        |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |              NTP timestamp, most significant word             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             NTP timestamp, least significant word             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         RTP timestamp                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     sender's packet count                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      sender's octet count                     |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 report blocks ({@link ReportBlock}), RC of them  |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 *
 * @param ntpTimestamp 64-bit NTP time the RTP timestamp corresponds to ({@link NtpTime})
 * @param packetCount  unsigned 32-bit
 * @param octetCount   unsigned 32-bit, payload bytes only
 */
public record SenderReport(int ssrc, long ntpTimestamp, int rtpTimestamp, long packetCount, long octetCount,
                           List<ReportBlock> reports) implements RtcpPacket {

    public SenderReport {
        reports = List.copyOf(reports);
        if (reports.size() > 31 || !Rtcp.isUnsigned32(packetCount) || !Rtcp.isUnsigned32(octetCount)) {
            throw new IllegalArgumentException("sender report with " + reports.size() + " blocks, packet count "
                    + packetCount + ", octet count " + octetCount);
        }
    }

    static SenderReport parse(ByteBuffer b, int p, int end, int count) {
        if (end - p < 24 + ReportBlock.SIZE * count) {
            throw new RtcpParseException("SR with " + count + " report blocks truncated");
        }
        return new SenderReport(b.getInt(p), b.getLong(p + 4), b.getInt(p + 12), b.getInt(p + 16) & 0xFFFFFFFFL,
                b.getInt(p + 20) & 0xFFFFFFFFL, Rtcp.readBlocks(b, p + 24, count));
    }

    @Override
    public int packetType() {
        return Rtcp.PT_SR;
    }

    @Override
    public int encodedSize() {
        return 28 + ReportBlock.SIZE * reports.size();
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Rtcp.writeHeader(out, reports.size(), Rtcp.PT_SR, encodedSize());
        out.putInt(ssrc);
        out.putLong(ntpTimestamp);
        out.putInt(rtpTimestamp);
        out.putInt((int) packetCount);
        out.putInt((int) octetCount);
        for (ReportBlock r : reports) {
            r.write(out);
        }
    }
}
