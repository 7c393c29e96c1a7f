package dev.cascade.protocol.h264;

import java.nio.ByteBuffer;

/**
 * Reassembles H.264 access units from RTP payloads sent in RFC 6184 non-interleaved mode
 * (packetization-mode 0 or 1): single NAL unit packets (5.6), STAP-A (5.7.1) and FU-A (5.8), the
 * packet layouts drawn on {@link H264Packetizer}. Output is Annex B (every NAL unit behind a
 * 4-byte start code), ready for {@link dev.cascade.protocol.mpegts.TsMuxer}.
 *
 * <p>An access unit ends at an RTP packet with the marker bit (5.1), or, for senders that leave
 * the marker out, when the timestamp changes (then it is delivered one packet late; {@link #flush}
 * delivers a pending one). Loss is detected from sequence numbers, so feed packets in order (after
 * the jitter buffer / NACK reordering): on a gap the access unit in progress is dropped, and so is
 * the one the next packet belongs to when its timestamp differs, since the lost packets may have
 * held its start. Dropped units are counted, never delivered half; the caller asks for a keyframe
 * (PLI) when it needs one.
 *
 * <p>Allocation-free in steady state: one output buffer, grown by doubling up to
 * {@code maxAccessUnitSize} (a bigger unit is dropped). Not thread-safe.
 */
public final class H264Depacketizer {

    /** Receives complete access units. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param annexB       position..limit is the access unit in Annex B form; valid only during this call
         * @param rtpTimestamp the RTP timestamp shared by the unit's packets (90 kHz)
         * @param idr          whether it holds an IDR slice (NAL type 5)
         */
        void onAccessUnit(ByteBuffer annexB, int rtpTimestamp, boolean idr);
    }

    private static final int INITIAL_SIZE = 64 * 1024;

    private final int maxAccessUnitSize;
    private final Listener listener;

    private byte[] buf;
    private ByteBuffer view;
    private int length;

    private int lastSeq = -1;
    private boolean active;
    private int timestamp;
    private boolean broken;
    private boolean idr;
    /** NAL type being reassembled from FU-A fragments, or -1. */
    private int fuType = -1;

    private long delivered;
    private long dropped;

    public H264Depacketizer(int maxAccessUnitSize, Listener listener) {
        if (maxAccessUnitSize < 16) {
            throw new IllegalArgumentException("maxAccessUnitSize " + maxAccessUnitSize);
        }
        this.maxAccessUnitSize = maxAccessUnitSize;
        this.listener = listener;
        this.buf = new byte[Math.min(INITIAL_SIZE, maxAccessUnitSize)];
        this.view = ByteBuffer.wrap(buf);
    }

    /**
     * Feeds one RTP packet's payload (position to limit, not moved) with its header fields. May
     * deliver zero, one or two access units (a unit left open by a missing marker, then this one).
     *
     * @throws H264ParseException for a payload RFC 6184 does not allow in non-interleaved mode;
     *     the access unit it belongs to is dropped, and the depacketizer stays usable
     */
    public void push(ByteBuffer payload, int sequenceNumber, int rtpTimestamp, boolean marker) {
        int seq = sequenceNumber & 0xFFFF;
        boolean gap = lastSeq >= 0 && seq != ((lastSeq + 1) & 0xFFFF);
        lastSeq = seq;
        if (gap && active && rtpTimestamp == timestamp) {
            broken = true; // the unit in progress lost packets; it is dropped when it ends
        } else if (gap && active) {
            drop();
        } else if (active && rtpTimestamp != timestamp) {
            complete();
        }
        if (!active) {
            active = true;
            timestamp = rtpTimestamp;
            length = 0;
            idr = false;
            fuType = -1;
            broken = gap;
        }
        if (!broken) {
            try {
                append(payload);
            } catch (Oversize e) {
                broken = true;
            } catch (H264ParseException e) {
                broken = true;
                if (marker) {
                    complete();
                }
                throw e;
            }
        }
        if (marker) {
            complete();
        }
    }

    /** Delivers the access unit in progress if it is whole (for senders that never set the marker). */
    public void flush() {
        if (active) {
            complete();
        }
    }

    /** Forgets all state (e.g. on an SSRC change); the unit in progress is dropped silently. */
    public void reset() {
        active = false;
        lastSeq = -1;
        fuType = -1;
        length = 0;
    }

    /** Access units delivered so far. */
    public long deliveredAccessUnits() {
        return delivered;
    }

    /** Access units dropped so far: loss, malformed payloads, incomplete fragments, or larger than the limit. */
    public long droppedAccessUnits() {
        return dropped;
    }

    private void complete() {
        if (broken || fuType >= 0) {
            drop();
            return;
        }
        active = false;
        if (length == 0) {
            return;
        }
        delivered++;
        view.limit(length).position(0);
        listener.onAccessUnit(view, timestamp, idr);
    }

    private void drop() {
        dropped++;
        active = false;
        fuType = -1;
        length = 0;
    }

    private void append(ByteBuffer payload) {
        int p = payload.position();
        int n = payload.remaining();
        if (n < 1) {
            throw new H264ParseException("empty H.264 RTP payload");
        }
        int header = payload.get(p) & 0xFF;
        if ((header & 0x80) != 0) {
            throw new H264ParseException("H.264 RTP payload with forbidden_zero_bit set");
        }
        int type = header & 0x1F;
        if (type >= 1 && type <= 23) {
            requireNoFragment(type);
            appendNal(payload, p, n);
        } else if (type == H264Packetizer.STAP_A) {
            requireNoFragment(type);
            int q = p + 1;
            int end = p + n;
            if (q == end) {
                throw new H264ParseException("STAP-A without NAL units");
            }
            while (q < end) {
                if (end - q < 2) {
                    throw new H264ParseException("STAP-A NAL unit size truncated");
                }
                int size = payload.getShort(q) & 0xFFFF;
                q += 2;
                if (size == 0 || size > end - q) {
                    throw new H264ParseException("STAP-A NAL unit size " + size + " does not fit");
                }
                if ((payload.get(q) & 0x80) != 0) {
                    throw new H264ParseException("STAP-A NAL unit with forbidden_zero_bit set");
                }
                appendNal(payload, q, size);
                q += size;
            }
        } else if (type == H264Packetizer.FU_A) {
            if (n < 3) {
                throw new H264ParseException("FU-A of " + n + " bytes has no payload");
            }
            int fu = payload.get(p + 1) & 0xFF;
            boolean start = (fu & 0x80) != 0;
            boolean end = (fu & 0x40) != 0;
            int nalType = fu & 0x1F;
            if (nalType == 0 || nalType > 23) {
                throw new H264ParseException("FU-A carrying NAL unit type " + nalType);
            }
            if (start && end) {
                throw new H264ParseException("FU-A with both start and end bits");
            }
            if (start) {
                requireNoFragment(type);
                ensure(length + 5 + n - 2);
                putStartCode();
                buf[length++] = (byte) ((header & 0xE0) | nalType);
                noteType(nalType);
                fuType = nalType;
            } else if (fuType < 0) {
                throw new H264ParseException("FU-A continuation without a start");
            } else if (nalType != fuType) {
                throw new H264ParseException("FU-A type changed from " + fuType + " to " + nalType + " mid-unit");
            }
            copy(payload, p + 2, n - 2);
            if (end) {
                fuType = -1;
            }
        } else {
            throw new H264ParseException("H.264 RTP payload type " + type + " not allowed in non-interleaved mode");
        }
    }

    private void requireNoFragment(int type) {
        if (fuType >= 0) {
            throw new H264ParseException("payload type " + type + " arrived before the FU-A in progress ended");
        }
    }

    private void appendNal(ByteBuffer payload, int from, int n) {
        ensure(length + 4 + n);
        putStartCode();
        noteType(payload.get(from) & 0x1F);
        copy(payload, from, n);
    }

    private void noteType(int nalType) {
        if (nalType == H264.NAL_IDR) {
            idr = true;
        }
    }

    private void putStartCode() {
        buf[length] = 0;
        buf[length + 1] = 0;
        buf[length + 2] = 0;
        buf[length + 3] = 1;
        length += 4;
    }

    private void copy(ByteBuffer src, int from, int n) {
        ensure(length + n);
        src.get(from, buf, length, n);
        length += n;
    }

    /** An access unit outgrew the limit: dropped and counted, not an error of the payload. */
    private static final class Oversize extends RuntimeException {
        static final Oversize INSTANCE = new Oversize();

        private Oversize() {
            super(null, null, false, false);
        }
    }

    /** Grows the output buffer up to the limit. */
    private void ensure(int needed) {
        if (needed <= buf.length) {
            return;
        }
        if (needed > maxAccessUnitSize) {
            throw Oversize.INSTANCE;
        }
        int size = buf.length;
        while (size < needed) {
            size = (int) Math.min((long) size * 2, maxAccessUnitSize);
        }
        byte[] bigger = new byte[size];
        System.arraycopy(buf, 0, bigger, 0, length);
        buf = bigger;
        view = ByteBuffer.wrap(buf);
    }
}
