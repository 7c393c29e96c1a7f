package dev.cascade.protocol.h264;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * SEI NAL units, ITU-T H.264 section 7.3.2.3 (sei_rbsp) and 7.3.2.3.1 (sei_message).
 *
 * <pre>
 *  nal_unit_header = 0x06
 *  sei_message() {
 *     ff_byte (0xFF) ... last_payload_type_byte    payloadType = 255 * #ff + last
 *     ff_byte (0xFF) ... last_payload_size_byte    payloadSize = 255 * #ff + last
 *     sei_payload(payloadType, payloadSize)
 *  } while more_rbsp_data()
 *  rbsp_trailing_bits = 0x80
 * </pre>
 *
 * <p>Cascade carries capture timestamps in user_data_unregistered (D.1.6, payloadType 5):
 * a 16-byte uuid_iso_iec_11578 then the data.
 */
public final class Sei {
    private Sei() {}

    /** Parses an SEI NAL unit including its header byte (position to limit). */
    public static List<SeiMessage> parse(ByteBuffer nal) {
        if (!nal.hasRemaining()) {
            throw new H264ParseException("SEI truncated");
        }
        int header = nal.get(nal.position());
        if ((header & 0x80) != 0 || H264.nalType(header) != H264.NAL_SEI) {
            throw new H264ParseException("not an SEI NAL unit: header 0x" + Integer.toHexString(header & 0xFF));
        }
        byte[] rbsp = H264.unescapeRbsp(nal.slice(nal.position() + 1, nal.remaining() - 1));
        List<SeiMessage> messages = new ArrayList<>(2);
        int p = 0;
        int end = trailingBitsStart(rbsp);
        while (p < end) {
            int[] value = new int[1];
            p = readFfCoded(rbsp, p, end, value, "payloadType");
            int type = value[0];
            p = readFfCoded(rbsp, p, end, value, "payloadSize");
            int size = value[0];
            if (size > end - p) {
                throw new H264ParseException("SEI payloadSize " + size + " overruns the NAL unit");
            }
            messages.add(new SeiMessage(type, Arrays.copyOfRange(rbsp, p, p + size)));
            p += size;
        }
        return messages;
    }

    /** Builds a complete SEI NAL unit (header byte, escaped RBSP, trailing bits) carrying {@code messages}. */
    public static byte[] build(List<SeiMessage> messages) {
        ByteArrayOutputStream rbsp = new ByteArrayOutputStream();
        for (SeiMessage m : messages) {
            writeFfCoded(rbsp, m.payloadType());
            writeFfCoded(rbsp, m.payloadRef().length);
            rbsp.writeBytes(m.payloadRef());
        }
        rbsp.write(0x80);
        byte[] escaped = H264.escapeRbsp(rbsp.toByteArray());
        byte[] nal = new byte[1 + escaped.length];
        nal[0] = H264.NAL_SEI;
        System.arraycopy(escaped, 0, nal, 1, escaped.length);
        return nal;
    }

    /** A complete SEI NAL unit with one user_data_unregistered message: {@code uuid} then {@code data}. */
    public static byte[] userDataUnregistered(UUID uuid, byte[] data) {
        byte[] payload = ByteBuffer.allocate(16 + data.length)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .put(data)
                .array();
        return build(List.of(new SeiMessage(SeiMessage.USER_DATA_UNREGISTERED, payload)));
    }

    /** The data after the UUID when {@code message} is user_data_unregistered with this UUID. */
    public static Optional<byte[]> readUserDataUnregistered(SeiMessage message, UUID uuid) {
        byte[] p = message.payloadRef();
        if (message.payloadType() != SeiMessage.USER_DATA_UNREGISTERED || p.length < 16) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(p);
        if (b.getLong(0) != uuid.getMostSignificantBits() || b.getLong(8) != uuid.getLeastSignificantBits()) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(p, 16, p.length));
    }

    /**
     * Where rbsp_trailing_bits start: the last non-zero byte (zero bytes after it are cabac_zero_words
     * or trailing_zero_8bits) must be the stop bit 0x80. Encoders that left the stop bit out are
     * still accepted when the messages fill the NAL unit exactly, which the caller's loop checks.
     */
    private static int trailingBitsStart(byte[] rbsp) {
        int i = rbsp.length;
        while (i > 0 && rbsp[i - 1] == 0) {
            i--;
        }
        return i > 0 && rbsp[i - 1] == (byte) 0x80 ? i - 1 : rbsp.length;
    }

    private static int readFfCoded(byte[] rbsp, int p, int end, int[] value, String field) {
        int v = 0;
        for (;;) {
            if (p >= end) {
                throw new H264ParseException("SEI " + field + " truncated");
            }
            int b = rbsp[p++] & 0xFF;
            v += b;
            if (b != 0xFF) {
                value[0] = v;
                return p;
            }
            if (v > (1 << 24)) {
                throw new H264ParseException("SEI " + field + " too large");
            }
        }
    }

    private static void writeFfCoded(ByteArrayOutputStream out, int value) {
        for (; value >= 0xFF; value -= 0xFF) {
            out.write(0xFF);
        }
        out.write(value);
    }
}
