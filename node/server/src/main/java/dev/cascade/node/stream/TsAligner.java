package dev.cascade.node.stream;

import dev.cascade.protocol.mpegts.TsPacket;
import java.nio.ByteBuffer;

/**
 * Stage 1 of the packet path: cuts a publisher's byte stream into whole 188-byte TS packets.
 *
 * <p>Encoders send SRT messages of exactly seven packets (1316 bytes), so the fast path checks the
 * sync bytes and hands the message through without copying. Anything else (a message that is not a
 * multiple of 188, a packet split across messages, garbage) goes through a small work buffer: we
 * hunt for a 0x47 that is followed by another 0x47 188 bytes later (ISO/IEC 13818-1 sync
 * acquisition needs more than one sync byte to avoid locking onto payload bytes), count the bytes
 * skipped as one sync-loss episode, and keep a partial trailing packet for the next message.
 */
final class TsAligner {
    /** Receives runs of aligned packets: {@code count} packets starting at {@code offset}. */
    interface Sink {
        void onPackets(ByteBuffer buf, long address, int offset, int count);
    }

    private final ByteBuffer work = ByteBuffer.allocateDirect(4096);
    private final long workAddress = dev.cascade.node.srt.Srt.address(work);
    private int workLen;
    private boolean inSync = true;
    /** Sync-loss episodes (a run of skipped bytes counts once). */
    long syncLossEvents;
    /** Bytes discarded while hunting for sync. */
    long bytesSkipped;
    /** Bytes skipped since the last valid packet: a publisher that only sends garbage is cut off on this. */
    long skippedSinceLastPacket;

    void reset() {
        workLen = 0;
        inSync = true;
        skippedSinceLastPacket = 0;
    }

    /** Feeds one message held in native memory ({@code address} is {@code in}'s base address). */
    void feed(ByteBuffer in, long address, int offset, int length, Sink sink) {
        if (workLen == 0 && inSync && length % TsPacket.SIZE == 0 && allSynced(in, offset, length)) {
            skippedSinceLastPacket = 0;
            sink.onPackets(in, address, offset, length / TsPacket.SIZE);
            return;
        }
        int pos = offset;
        int end = offset + length;
        while (pos < end) {
            int n = Math.min(end - pos, work.capacity() - workLen);
            work.put(workLen, in, pos, n);
            workLen += n;
            pos += n;
            drain(sink);
        }
    }

    private void drain(Sink sink) {
        int p = 0;
        int runStart = -1;
        while (workLen - p >= TsPacket.SIZE) {
            boolean sync = work.get(p) == TsPacket.SYNC;
            if (sync && !inSync) {
                // Re-acquire only on two sync bytes a packet apart; wait for more data if we cannot see the next one.
                if (workLen - p < 2 * TsPacket.SIZE) {
                    break;
                }
                sync = work.get(p + TsPacket.SIZE) == TsPacket.SYNC;
            }
            if (sync) {
                inSync = true;
                skippedSinceLastPacket = 0;
                if (runStart < 0) {
                    runStart = p;
                }
                p += TsPacket.SIZE;
            } else {
                if (runStart >= 0) {
                    sink.onPackets(work, workAddress, runStart, (p - runStart) / TsPacket.SIZE);
                    runStart = -1;
                }
                if (inSync) {
                    inSync = false;
                    syncLossEvents++;
                }
                bytesSkipped++;
                skippedSinceLastPacket++;
                p++;
            }
        }
        if (runStart >= 0) {
            sink.onPackets(work, workAddress, runStart, (p - runStart) / TsPacket.SIZE);
        }
        // Keep the unconsumed tail (a partial packet, or bytes we could not judge yet).
        int rest = workLen - p;
        work.put(0, work, p, rest);
        workLen = rest;
    }

    private static boolean allSynced(ByteBuffer b, int offset, int length) {
        for (int p = offset; p < offset + length; p += TsPacket.SIZE) {
            if (b.get(p) != TsPacket.SYNC) {
                return false;
            }
        }
        return true;
    }
}
