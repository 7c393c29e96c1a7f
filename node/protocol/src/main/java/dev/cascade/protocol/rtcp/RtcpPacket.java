package dev.cascade.protocol.rtcp;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One packet of an RTCP compound packet (RFC 3550 section 6). Every packet starts with the same
 * 4-byte header, which {@link Rtcp#parseCompound} reads and each record writes:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  count  |      PT       |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   count: report blocks, SDES chunks, BYE sources, or FMT for feedback (RFC 4585 6.1)
 *   length: the packet in 32-bit words minus one, header included
 * </pre>
 *
 * <p>Records never write padding. 32-bit SSRCs and RTP timestamps are {@code int} bit patterns.
 */
public sealed interface RtcpPacket
        permits SenderReport, ReceiverReport, SourceDescription, Bye, Nack, Pli, Fir, Remb, RtcpPacket.Unknown {

    /** The PT field: 200 SR, 201 RR, 202 SDES, 203 BYE, 205 RTPFB, 206 PSFB, ... */
    int packetType();

    /** Bytes {@link #encodeTo} writes, header included: a multiple of 4. */
    int encodedSize();

    /** Writes the packet at {@code out}'s position, advancing it. */
    void encodeTo(ByteBuffer out);

    /**
     * A packet this codec does not interpret (APP, XR, transport-cc, other feedback formats), kept
     * as it came so a caller can still look at it or pass it on.
     *
     * @param packetType 192..223 (RFC 5761 4)
     * @param count the 5-bit count / FMT field
     * @param body  the bytes after the 4-byte header, padding removed; a multiple of 4 when encoded
     */
    record Unknown(int packetType, int count, byte[] body) implements RtcpPacket {
        public Unknown {
            if (packetType < 192 || packetType > 223 || count < 0 || count > 31 || body.length % 4 != 0
                    || body.length > 4 * 0xFFFF) {
                throw new IllegalArgumentException("RTCP packet type " + packetType + ", count " + count + ", "
                        + body.length + " body bytes");
            }
            body = body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }

        @Override
        public int encodedSize() {
            return 4 + body.length;
        }

        @Override
        public void encodeTo(ByteBuffer out) {
            Rtcp.writeHeader(out, count, packetType, encodedSize());
            out.put(body);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unknown u && u.packetType == packetType && u.count == count
                    && Arrays.equals(u.body, body);
        }

        @Override
        public int hashCode() {
            return (packetType * 31 + count) * 31 + Arrays.hashCode(body);
        }

        @Override
        public String toString() {
            return "Unknown[packetType=" + packetType + ", count=" + count + ", body=" + HexFormat.of().formatHex(body)
                    + "]";
        }
    }
}
