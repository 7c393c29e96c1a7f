package dev.cascade.protocol;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Hex strings for golden tables; whitespace is ignored so long vectors can be wrapped. */
public final class Hex {
    private Hex() {}

    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    public static ByteBuffer buffer(String hex) {
        return ByteBuffer.wrap(bytes(hex));
    }

    public static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** position..limit of {@code b} as hex, without moving it. */
    public static String hex(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(b.position(), out);
        return hex(out);
    }
}
