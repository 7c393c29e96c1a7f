package dev.cascade.protocol.mpegts;

import java.nio.ByteBuffer;

/**
 * Reassembles the PSI sections of one PID from its transport packets (ISO/IEC 13818-1 2.4.4.1-2.4.4.2).
 *
 * <p>A packet with payload_unit_start_indicator set begins with pointer_field: the number of bytes
 * that still belong to the section in progress before the first new section starts. A section may
 * span packets, a packet may hold several sections, and 0xFF where a table_id would be is stuffing up
 * to the end of the packet.
 *
 * <p>{@link #feed} returns the first section completed by a packet, and {@link #next} any further
 * ones completed by the same packet. The returned buffer is a view of an internal array that is
 * reused: it is valid until the next call to {@code feed}, {@code next} or {@link #reset}, and the
 * packet buffer must stay unchanged until {@code next} has returned null. No allocation per packet.
 *
 * <p>A section cut short by a new payload unit start (a packet was lost) is dropped silently: the
 * caller's continuity check reports the loss. The caller should {@link #reset} on a continuity error.
 */
public final class PsiAssembler {
    /** Largest section any table may use: section_length is 12 bits and private sections stop at 4093. */
    static final int MAX_SECTION = 3 + 4093;

    private final byte[] section = new byte[MAX_SECTION];
    private final ByteBuffer view = ByteBuffer.wrap(section);
    /** Bytes of the section in progress, or -1 when no section is in progress. */
    private int have = -1;
    /** Total length of the section in progress once its 3-byte header is in, else -1. */
    private int need = -1;

    // Scan state over the packet being fed.
    private ByteBuffer pkt;
    private int cur;
    private int curEnd;
    private int packetEnd;
    /** Offset where new sections start in a PUSI packet, pending until the pointed-to bytes are used. */
    private int newSectionsAt = -1;
    private boolean mayStart;

    /**
     * Feeds one 188-byte packet of this PID at absolute offset {@code packetOffset}.
     *
     * @return a buffer positioned at the table_id of a completed section and limited to its end, or null
     * @throws TsParseException for an impossible adaptation field, pointer_field or section_length; the
     *     assembler is reset first so the next start can be used
     */
    public ByteBuffer feed(ByteBuffer packetBuf, int packetOffset) {
        pkt = packetBuf;
        packetEnd = packetOffset + TsPacket.SIZE;
        newSectionsAt = -1;
        cur = curEnd = packetEnd;
        if (!TsPacket.hasPayload(packetBuf, packetOffset)) {
            return null;
        }
        int p = TsPacket.payloadOffset(packetBuf, packetOffset);
        if (p < 0) {
            reset();
            throw new TsParseException("adaptation_field_length overruns the packet");
        }
        if (TsPacket.payloadUnitStart(packetBuf, packetOffset)) {
            int pointer = packetBuf.get(p) & 0xFF;
            p++;
            if (p + pointer >= packetEnd) {
                reset();
                throw new TsParseException("pointer_field " + pointer + " points past the packet");
            }
            cur = p;
            curEnd = p + pointer;
            newSectionsAt = p + pointer;
        } else {
            cur = p;
            curEnd = packetEnd;
        }
        mayStart = false;
        return next();
    }

    /** The next section completed by the packet last given to {@link #feed}, or null. */
    public ByteBuffer next() {
        for (;;) {
            ByteBuffer done = scan();
            if (done != null) {
                return done;
            }
            if (newSectionsAt < 0) {
                return null;
            }
            have = -1; // the pointer_field said where the previous section ended: whatever it lacked was lost
            cur = newSectionsAt;
            curEnd = packetEnd;
            newSectionsAt = -1;
            mayStart = true;
        }
    }

    /** Drops any section in progress. */
    public void reset() {
        have = -1;
        need = -1;
        cur = curEnd;
        newSectionsAt = -1;
    }

    private ByteBuffer scan() {
        while (cur < curEnd) {
            if (have < 0) {
                if (!mayStart) {
                    cur = curEnd; // bytes after a section in a packet without PUSI can only be stuffing
                    return null;
                }
                if (pkt.get(cur) == (byte) 0xFF) {
                    cur = curEnd; // stuffing to the end of the packet
                    return null;
                }
                have = 0;
                need = -1;
            }
            int want = (need < 0 ? 3 : need) - have;
            int n = Math.min(want, curEnd - cur);
            pkt.get(cur, section, have, n);
            have += n;
            cur += n;
            if (need < 0 && have == 3) {
                int sectionLength = ((section[1] & 0x0F) << 8) | (section[2] & 0xFF);
                if (3 + sectionLength > MAX_SECTION) {
                    reset();
                    throw new TsParseException("section_length " + sectionLength + " too large");
                }
                need = 3 + sectionLength;
            }
            if (have == need) {
                view.limit(need).position(0);
                have = -1;
                need = -1;
                return view;
            }
        }
        return null;
    }
}
