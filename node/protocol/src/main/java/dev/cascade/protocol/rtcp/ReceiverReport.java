package dev.cascade.protocol.rtcp;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Receiver report, RFC 3550 section 6.4.2 (PT 201): an SR without sender info. Profile-specific
 * extensions after the report blocks are skipped when parsing and never written.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    RC   |   PT=RR=201   |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     SSRC of packet sender                     |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 report blocks ({@link ReportBlock}), RC of them  |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 */
public record ReceiverReport(int ssrc, List<ReportBlock> reports) implements RtcpPacket {

    public ReceiverReport {
        reports = List.copyOf(reports);
        if (reports.size() > 31) {
            throw new IllegalArgumentException("receiver report with " + reports.size() + " blocks");
        }
    }

    static ReceiverReport parse(ByteBuffer b, int p, int end, int count) {
        if (end - p < 4 + ReportBlock.SIZE * count) {
            throw new RtcpParseException("RR with " + count + " report blocks truncated");
        }
        return new ReceiverReport(b.getInt(p), Rtcp.readBlocks(b, p + 4, count));
    }

    @Override
    public int packetType() {
        return Rtcp.PT_RR;
    }

    @Override
    public int encodedSize() {
        return 8 + ReportBlock.SIZE * reports.size();
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Rtcp.writeHeader(out, reports.size(), Rtcp.PT_RR, encodedSize());
        out.putInt(ssrc);
        for (ReportBlock r : reports) {
            r.write(out);
        }
    }
}
