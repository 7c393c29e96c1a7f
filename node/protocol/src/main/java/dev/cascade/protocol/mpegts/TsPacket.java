package dev.cascade.protocol.mpegts;

import java.nio.ByteBuffer;

/**
 * Flyweight accessors over one 188-byte transport packet held in a {@link ByteBuffer} at an
 * absolute offset (ISO/IEC 13818-1 section 2.4.3.2). No allocation: these run on the per-packet path.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  sync = 0x47   |E|S|P|           PID           |SC |AF |  CC   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   E = transport_error_indicator, S = payload_unit_start_indicator, P = priority,
 *   SC = scrambling control, AF = adaptation_field_control (01 payload, 10 AF, 11 both)
 * </pre>
 */
public final class TsPacket {
    public static final int SIZE = 188;
    public static final byte SYNC = 0x47;
    public static final int PID_PAT = 0x0000;
    public static final int PID_NULL = 0x1FFF;

    private TsPacket() {}

    public static boolean hasSync(ByteBuffer b, int off) {
        return b.get(off) == SYNC;
    }

    public static boolean transportError(ByteBuffer b, int off) {
        return (b.get(off + 1) & 0x80) != 0;
    }

    public static boolean payloadUnitStart(ByteBuffer b, int off) {
        return (b.get(off + 1) & 0x40) != 0;
    }

    public static int pid(ByteBuffer b, int off) {
        return ((b.get(off + 1) & 0x1F) << 8) | (b.get(off + 2) & 0xFF);
    }

    public static int adaptationFieldControl(ByteBuffer b, int off) {
        return (b.get(off + 3) >> 4) & 0x03;
    }

    public static boolean hasPayload(ByteBuffer b, int off) {
        return (adaptationFieldControl(b, off) & 0x01) != 0;
    }

    public static boolean hasAdaptationField(ByteBuffer b, int off) {
        return (adaptationFieldControl(b, off) & 0x02) != 0;
    }

    public static int continuityCounter(ByteBuffer b, int off) {
        return b.get(off + 3) & 0x0F;
    }

    /** Length of the adaptation field after its length byte, or -1 when there is none. */
    public static int adaptationFieldLength(ByteBuffer b, int off) {
        return hasAdaptationField(b, off) ? b.get(off + 4) & 0xFF : -1;
    }

    /** discontinuity_indicator of the adaptation field (2.4.3.5); false when there is no field. */
    public static boolean discontinuity(ByteBuffer b, int off) {
        return adaptationFieldLength(b, off) > 0 && (b.get(off + 5) & 0x80) != 0;
    }

    /** random_access_indicator of the adaptation field: encoders set it on keyframe starts. */
    public static boolean randomAccess(ByteBuffer b, int off) {
        return adaptationFieldLength(b, off) > 0 && (b.get(off + 5) & 0x40) != 0;
    }

    /**
     * Absolute offset of the first payload byte, or -1 when the packet carries no payload or its
     * adaptation field length is impossible (> 183 with payload), which is a malformed packet.
     */
    public static int payloadOffset(ByteBuffer b, int off) {
        int afc = adaptationFieldControl(b, off);
        if ((afc & 0x01) == 0) {
            return -1;
        }
        if ((afc & 0x02) == 0) {
            return off + 4;
        }
        int afLen = b.get(off + 4) & 0xFF;
        int start = off + 5 + afLen;
        return start < off + SIZE ? start : -1;
    }
}
