package dev.cascade.protocol.rtcp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Goodbye, RFC 3550 section 6.6 (PT 203).
 *
 * <pre>
 *        0                   1                   2                   3
 *        0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *       |V=2|P|    SC   |   PT=BYE=203  |             length            |
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *       |                           SSRC/CSRC                           |
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *       :                              ...                              :
 *       +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * (opt) |     length    |               reason for leaving            ...
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param reason null when the packet has none
 */
public record Bye(List<Integer> ssrcs, String reason) implements RtcpPacket {

    public Bye {
        ssrcs = List.copyOf(ssrcs);
        if (ssrcs.size() > 31 || reason != null && reason.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("BYE with " + ssrcs.size() + " sources or a reason over 255 bytes");
        }
    }

    public static Bye of(int ssrc) {
        return new Bye(List.of(ssrc), null);
    }

    static Bye parse(ByteBuffer b, int p, int end, int count) {
        if (end - p < 4 * count) {
            throw new RtcpParseException("BYE with " + count + " sources truncated");
        }
        List<Integer> ssrcs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ssrcs.add(b.getInt(p));
            p += 4;
        }
        String reason = null;
        if (p < end) {
            int n = b.get(p) & 0xFF;
            if (n > end - p - 1) {
                throw new RtcpParseException("BYE reason of " + n + " bytes overruns the packet");
            }
            reason = Rtcp.utf8(b, p + 1, n, "BYE reason");
        }
        return new Bye(ssrcs, reason);
    }

    @Override
    public int packetType() {
        return Rtcp.PT_BYE;
    }

    @Override
    public int encodedSize() {
        int n = 4 + 4 * ssrcs.size();
        if (reason != null) {
            n += (1 + reason.getBytes(StandardCharsets.UTF_8).length + 3) & ~3;
        }
        return n;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        int start = out.position();
        int size = encodedSize();
        Rtcp.writeHeader(out, ssrcs.size(), Rtcp.PT_BYE, size);
        for (int s : ssrcs) {
            out.putInt(s);
        }
        if (reason != null) {
            byte[] text = reason.getBytes(StandardCharsets.UTF_8);
            out.put((byte) text.length);
            out.put(text);
            while (out.position() < start + size) {
                out.put((byte) 0);
            }
        }
    }
}
