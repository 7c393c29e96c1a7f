package dev.cascade.protocol.rtcp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Source description, RFC 3550 section 6.5 (PT 202). WebRTC sends one chunk per source with a
 * CNAME item in every compound packet.
 *
 * <pre>
 *         0                   1                   2                   3
 *         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * header |V=2|P|    SC   |  PT=SDES=202  |             length            |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * chunk  |                          SSRC/CSRC_1                          |
 *   1    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |    type (1-8) |     length    | UTF-8 text ...                |
 *        |  ... more items; then END (type 0) and zeros to a 32-bit boundary
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 */
public record SourceDescription(List<Chunk> chunks) implements RtcpPacket {
    public static final int CNAME = 1;
    public static final int NAME = 2;
    public static final int EMAIL = 3;
    public static final int PHONE = 4;
    public static final int LOC = 5;
    public static final int TOOL = 6;
    public static final int NOTE = 7;
    public static final int PRIV = 8;

    /** One SDES item: {@code type} 1..255 and its text, at most 255 UTF-8 bytes. */
    public record Item(int type, String text) {
        public Item {
            if (type < 1 || type > 255 || text.getBytes(StandardCharsets.UTF_8).length > 255) {
                throw new IllegalArgumentException("SDES item type " + type + " with " + text.length() + " chars");
            }
        }

        int encodedSize() {
            return 2 + text.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    /** The items describing one SSRC or CSRC. */
    public record Chunk(int ssrc, List<Item> items) {
        public Chunk {
            items = List.copyOf(items);
        }

        int encodedSize() {
            int n = 4 + 1;
            for (Item i : items) {
                n += i.encodedSize();
            }
            return (n + 3) & ~3;
        }
    }

    public SourceDescription {
        chunks = List.copyOf(chunks);
        if (chunks.size() > 31) {
            throw new IllegalArgumentException("SDES with " + chunks.size() + " chunks");
        }
    }

    /** The usual WebRTC SDES: one chunk with one CNAME item. */
    public static SourceDescription cname(int ssrc, String cname) {
        return new SourceDescription(List.of(new Chunk(ssrc, List.of(new Item(CNAME, cname)))));
    }

    /** The CNAME given for {@code ssrc}, if any. */
    public Optional<String> cname(int ssrc) {
        for (Chunk c : chunks) {
            if (c.ssrc == ssrc) {
                for (Item i : c.items) {
                    if (i.type == CNAME) {
                        return Optional.of(i.text);
                    }
                }
            }
        }
        return Optional.empty();
    }

    static SourceDescription parse(ByteBuffer b, int p, int end, int count) {
        List<Chunk> chunks = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            int start = p;
            if (end - p < 4) {
                throw new RtcpParseException("SDES chunk " + c + " truncated");
            }
            int ssrc = b.getInt(p);
            p += 4;
            List<Item> items = new ArrayList<>(1);
            for (;;) {
                if (p >= end) {
                    throw new RtcpParseException("SDES chunk " + c + " without END item");
                }
                int type = b.get(p) & 0xFF;
                if (type == 0) {
                    p++;
                    break;
                }
                if (end - p < 2) {
                    throw new RtcpParseException("SDES item length truncated");
                }
                int n = b.get(p + 1) & 0xFF;
                if (n > end - p - 2) {
                    throw new RtcpParseException("SDES item of " + n + " bytes overruns the packet");
                }
                items.add(new Item(type, Rtcp.utf8(b, p + 2, n, "SDES item")));
                p += 2 + n;
            }
            // Null octets up to the next 32-bit boundary, counted from the chunk start.
            int aligned = start + ((p - start + 3) & ~3);
            if (aligned > end) {
                throw new RtcpParseException("SDES chunk padding overruns the packet");
            }
            for (int i = p; i < aligned; i++) {
                if (b.get(i) != 0) {
                    throw new RtcpParseException("SDES chunk padding is not zero");
                }
            }
            p = aligned;
            chunks.add(new Chunk(ssrc, items));
        }
        return new SourceDescription(chunks);
    }

    @Override
    public int packetType() {
        return Rtcp.PT_SDES;
    }

    @Override
    public int encodedSize() {
        int n = 4;
        for (Chunk c : chunks) {
            n += c.encodedSize();
        }
        return n;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Rtcp.writeHeader(out, chunks.size(), Rtcp.PT_SDES, encodedSize());
        for (Chunk c : chunks) {
            int start = out.position();
            out.putInt(c.ssrc);
            for (Item i : c.items) {
                byte[] text = i.text.getBytes(StandardCharsets.UTF_8);
                out.put((byte) i.type);
                out.put((byte) text.length);
                out.put(text);
            }
            int end = start + c.encodedSize();
            while (out.position() < end) {
                out.put((byte) 0);
            }
        }
    }
}
