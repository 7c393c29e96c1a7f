package dev.cascade.protocol.h264;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One sei_message() of an SEI NAL unit (ITU-T H.264 7.3.2.3.1): its payloadType and the
 * sei_payload bytes (RBSP, unescaped). The array is copied in and out.
 */
public record SeiMessage(int payloadType, byte[] payload) {
    /** D.1.6 user_data_unregistered: a 16-byte UUID then free-form bytes. */
    public static final int USER_DATA_UNREGISTERED = 5;

    public SeiMessage {
        if (payloadType < 0) {
            throw new IllegalArgumentException("payloadType " + payloadType);
        }
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload without copying, for the codec in this package. */
    byte[] payloadRef() {
        return payload;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeiMessage m && m.payloadType == payloadType && Arrays.equals(m.payload, payload);
    }

    @Override
    public int hashCode() {
        return payloadType * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "SeiMessage[payloadType=" + payloadType + ", payload=" + HexFormat.of().formatHex(payload) + "]";
    }
}
