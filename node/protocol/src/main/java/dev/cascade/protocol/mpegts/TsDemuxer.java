package dev.cascade.protocol.mpegts;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Transport stream demultiplexer (ISO/IEC 13818-1 2.4.3, 2.4.4): finds packet sync in an arbitrary
 * byte stream, checks continuity counters, follows the PAT to the PMTs and the PMTs to the
 * elementary streams, and reassembles each elementary stream's PES packets.
 *
 * <p>Per-packet work allocates nothing: packets are read in place from the caller's buffer (or
 * from a small carry-over array when a packet straddles two {@link #feed} calls), PES bytes are
 * copied into one growable array per elementary PID, and a repeated PAT/PMT whose bytes have not
 * changed is not parsed again. Malformed input never throws; it becomes {@link Listener#onError}.
 * Exceptions thrown by the listener propagate.
 *
 * <p>Not thread-safe: one instance belongs to one stream's context.
 */
public final class TsDemuxer {

    /** Receives what the demuxer finds. Buffers passed in are valid only during the call. */
    public interface Listener {
        /** A PAT, the first one and each one whose bytes differ from the previous. */
        void onPat(Pat pat);

        /** A PMT on {@code pid}, the first one and each one whose bytes differ from the previous. */
        void onPmt(int pid, Pmt pmt);

        /**
         * One complete PES packet of an elementary stream named in a PMT.
         *
         * @param pts          90 kHz PTS, -1 when the PES has none
         * @param dts          90 kHz DTS; equal to {@code pts} when the PES carries no DTS (2.4.3.7)
         * @param randomAccess random_access_indicator of the packet that started the PES
         * @param payload      the PES payload (after the header), position to limit
         */
        void onPes(int pid, int streamType, long pts, long dts, boolean randomAccess, ByteBuffer payload);

        /** {@code pid} is -1 for {@link TsError#SYNC_LOSS}. */
        void onError(TsError error, int pid);
    }

    /** A PES larger than this is dropped as {@link TsError#BAD_PES} (an unbounded PES never ending). */
    public static final int MAX_PES_SIZE = 16 << 20;

    private static final int PIDS = 8192;
    private static final int KIND_PAT = 1;
    private static final int KIND_PMT = 2;
    private static final int KIND_PES = 3;
    // cc[] layout: low 4 bits last continuity_counter, CC_VALID once one was seen, CC_DUP after a duplicate.
    private static final int CC_VALID = 0x10;
    private static final int CC_DUP = 0x20;

    private final Listener listener;
    /**
     * Sync bytes that must follow a candidate, a packet apart each, before the demuxer locks on it.
     * One (as 13818-1 Annex G sketches) is not enough: video payload holds 0x47 pairs 188 bytes apart
     * often enough that the sample stream in the tests locked falsely on one after a cut packet.
     */
    private static final int CONFIRM = 2;

    /**
     * Bytes carried between feeds: up to CONFIRM packets awaiting confirmation, plus room for as many
     * new bytes, so each pass over the carry consumes at least what was carried.
     */
    private final byte[] carry = new byte[2 * (CONFIRM * TsPacket.SIZE)];
    private final ByteBuffer carryBuf = ByteBuffer.wrap(carry);
    private int carryLen;
    /** Optimistic at start so a stream that begins on a packet boundary needs no look-ahead. */
    private boolean synced = true;
    private boolean lossReported;

    private final byte[] cc = new byte[PIDS];
    private final PidState[] pids = new PidState[PIDS];
    private final long[] errors = new long[TsError.values().length];

    public TsDemuxer(Listener listener) {
        this.listener = listener;
        pids[TsPacket.PID_PAT] = new PidState(KIND_PAT);
    }

    /**
     * Consumes all of {@code data} (position to limit; the position ends at the limit). Any chunking
     * works: a trailing partial packet is kept for the next call.
     */
    public void feed(ByteBuffer data) {
        int pos = data.position();
        int lim = data.limit();
        while (carryLen > 0 && pos < lim) {
            int before = carryLen;
            int take = Math.min(lim - pos, carry.length - carryLen);
            data.get(pos, carry, carryLen, take);
            carryLen += take;
            int used = process(carryBuf, 0, carryLen);
            if (used >= before) {
                // Everything carried is consumed; the rest of carry[] is a copy of data, read it in place.
                pos += used - before;
                carryLen = 0;
            } else {
                System.arraycopy(carry, used, carry, 0, carryLen - used);
                carryLen -= used;
                pos += take;
            }
        }
        if (carryLen == 0 && pos < lim) {
            int used = process(data, pos, lim);
            carryLen = lim - pos - used;
            data.get(pos + used, carry, 0, carryLen);
        }
        data.position(lim);
    }

    /**
     * Ends the stream: whole packets still waiting for sync confirmation are demuxed (no more data will
     * confirm them), then every PES in progress is delivered (an unbounded one as is, a bounded one
     * that is short as {@code BAD_PES}).
     */
    public void flush() {
        if (carryLen > 0 && carry[0] == TsPacket.SYNC) {
            synced = true;
            process(carryBuf, 0, carryLen);
        }
        carryLen = 0;
        for (int pid = 0; pid < PIDS; pid++) {
            PidState s = pids[pid];
            if (s != null && s.kind == KIND_PES && s.active) {
                completePes(pid, s);
            }
        }
    }

    /** How many times {@code error} was reported since construction. */
    public long errorCount(TsError error) {
        return errors[error.ordinal()];
    }

    /** Demuxes the whole packets in [from, to) and returns the bytes consumed; the rest needs more data. */
    private int process(ByteBuffer b, int from, int to) {
        int i = from;
        while (to - i >= TsPacket.SIZE) {
            if (synced) {
                if (b.get(i) == TsPacket.SYNC) {
                    packet(b, i);
                    i += TsPacket.SIZE;
                    continue;
                }
                synced = false;
            }
            // Hunting: a sync byte counts only when the next CONFIRM packets start with one too.
            if (b.get(i) == TsPacket.SYNC) {
                if (to - i <= CONFIRM * TsPacket.SIZE) {
                    break; // a candidate, but the packets that would confirm it have not arrived yet
                }
                if (confirmed(b, i)) {
                    synced = true;
                    lossReported = false;
                    continue;
                }
            }
            if (!lossReported) {
                lossReported = true;
                error(TsError.SYNC_LOSS, -1);
            }
            i++;
        }
        return i - from;
    }

    private static boolean confirmed(ByteBuffer b, int i) {
        for (int k = 1; k <= CONFIRM; k++) {
            if (b.get(i + k * TsPacket.SIZE) != TsPacket.SYNC) {
                return false;
            }
        }
        return true;
    }

    private void packet(ByteBuffer b, int off) {
        if (TsPacket.transportError(b, off)) {
            // The PID may be the corrupted part, so no per-PID state is touched.
            error(TsError.TRANSPORT_ERROR, TsPacket.pid(b, off));
            return;
        }
        int pid = TsPacket.pid(b, off);
        if (pid == TsPacket.PID_NULL) {
            return;
        }
        int afc = TsPacket.adaptationFieldControl(b, off);
        int afLength = afc >= 2 ? b.get(off + 4) & 0xFF : -1;
        // 2.4.3.5: '00' is reserved; adaptation-only packets fill the packet (183); with payload <= 182.
        if (afc == 0 || (afc == 2 && afLength != 183) || (afc == 3 && afLength > 182)) {
            error(TsError.BAD_ADAPTATION_FIELD, pid);
            return;
        }
        if (afc == 2) {
            return; // no payload: the continuity_counter does not advance and there is nothing to demux
        }
        boolean discontinuity = afLength > 0 && (b.get(off + 5) & 0x80) != 0;
        int counter = TsPacket.continuityCounter(b, off);
        int last = cc[pid];
        boolean lost = false;
        if ((last & CC_VALID) != 0 && !discontinuity) {
            int lastCounter = last & 0x0F;
            if (counter == lastCounter) {
                // 2.4.3.3: a packet may be sent twice in a row with the same counter; a third is an error.
                if ((last & CC_DUP) == 0) {
                    cc[pid] = (byte) (last | CC_DUP);
                    return;
                }
                lost = true;
            } else if (counter != ((lastCounter + 1) & 0x0F)) {
                lost = true;
            }
        }
        cc[pid] = (byte) (CC_VALID | counter);
        PidState s = pids[pid];
        if (lost) {
            error(TsError.CONTINUITY, pid);
            if (s != null) {
                s.dropUnit();
            }
        }
        if (s == null) {
            return;
        }
        int payload = off + 4 + (afLength + 1); // afLength is -1 without an adaptation field
        boolean unitStart = TsPacket.payloadUnitStart(b, off);
        if (s.kind == KIND_PES) {
            boolean randomAccess = afLength > 0 && (b.get(off + 5) & 0x40) != 0;
            pesPayload(pid, s, b, payload, off + TsPacket.SIZE, unitStart, randomAccess);
        } else {
            psiPacket(pid, s, b, off);
        }
    }

    private void pesPayload(int pid, PidState s, ByteBuffer b, int from, int to, boolean start, boolean rai) {
        if (start) {
            if (s.active) {
                completePes(pid, s);
            }
            s.active = true;
            s.randomAccess = rai;
            s.len = 0;
            s.expected = -1;
        } else if (!s.active) {
            return; // waiting for the start of a PES after a loss or at the beginning
        }
        int n = to - from;
        if (s.len + n > s.buf.length && !s.grow(s.len + n)) {
            s.active = false;
            error(TsError.BAD_PES, pid);
            return;
        }
        b.get(from, s.buf, s.len, n);
        s.len += n;
        if (s.expected < 0 && s.len >= 6) {
            int packetLength = ((s.buf[4] & 0xFF) << 8) | (s.buf[5] & 0xFF);
            s.expected = packetLength == 0 ? 0 : 6 + packetLength;
        }
        if (s.expected > 0 && s.len >= s.expected) {
            completePes(pid, s);
        }
    }

    private void completePes(int pid, PidState s) {
        s.active = false;
        PesHeader h;
        try {
            h = PesHeader.parse(s.view, 0, s.len);
        } catch (TsParseException e) {
            error(TsError.BAD_PES, pid);
            return;
        }
        int end = s.len;
        if (h.packetLength() != 0) {
            end = 6 + h.packetLength();
            if (end > s.len) {
                error(TsError.BAD_PES, pid);
                return;
            }
        }
        s.view.limit(end).position(h.headerLength());
        long dts = h.dts() < 0 ? h.pts() : h.dts();
        try {
            listener.onPes(pid, s.streamType, h.pts(), dts, s.randomAccess, s.view);
        } finally {
            s.view.clear();
        }
    }

    private void psiPacket(int pid, PidState s, ByteBuffer b, int off) {
        try {
            for (ByteBuffer sec = s.psi.feed(b, off); sec != null; sec = s.psi.next()) {
                section(pid, s, sec);
            }
        } catch (TsParseException e) {
            s.psi.reset();
            error(TsError.BAD_PSI, pid);
        }
    }

    private void section(int pid, PidState s, ByteBuffer sec) {
        int tableId = sec.get(0) & 0xFF;
        int wanted = s.kind == KIND_PAT ? Pat.TABLE_ID : Pmt.TABLE_ID;
        // Other tables may share the PID; current_next_indicator 0 announces a table not yet in force.
        if (tableId != wanted || sec.remaining() < 6 || (sec.get(5) & 0x01) == 0 || s.sameSection(sec)) {
            return;
        }
        if (s.kind == KIND_PAT) {
            Pat pat = Pat.parse(sec);
            s.remember(sec);
            applyPat(pat);
            listener.onPat(pat);
        } else {
            Pmt pmt = Pmt.parse(sec);
            if (pmt.programNumber() != s.programNumber) {
                return; // another program's PMT sharing this PID; only the first mapped program is followed
            }
            s.remember(sec);
            applyPmt(pid, s, pmt);
            listener.onPmt(pid, pmt);
        }
    }

    private void applyPat(Pat pat) {
        boolean[] keep = new boolean[PIDS];
        for (Pat.Program p : pat.programs()) {
            int pid = p.pmtPid();
            if (p.number() == 0 || keep[pid] || pid == TsPacket.PID_PAT || pid == TsPacket.PID_NULL) {
                continue;
            }
            keep[pid] = true;
            PidState s = pids[pid];
            if (s == null || s.kind != KIND_PMT || s.programNumber != p.number()) {
                if (s != null && s.kind == KIND_PMT) {
                    dropStreams(s.streams);
                }
                PidState pmt = new PidState(KIND_PMT);
                pmt.programNumber = p.number();
                pids[pid] = pmt;
            }
        }
        for (int pid = 0; pid < PIDS; pid++) {
            PidState s = pids[pid];
            if (s != null && s.kind == KIND_PMT && !keep[pid]) {
                dropStreams(s.streams);
                pids[pid] = null;
            }
        }
    }

    private void applyPmt(int pmtPid, PidState pmtState, Pmt pmt) {
        List<Pmt.ElementaryStream> old = pmtState.streams;
        pmtState.streams = pmt.streams();
        for (Pmt.ElementaryStream e : old) {
            if (pmt.streams().stream().noneMatch(n -> n.pid() == e.pid())) {
                PidState s = pids[e.pid()];
                if (s != null && s.kind == KIND_PES) {
                    pids[e.pid()] = null;
                }
            }
        }
        for (Pmt.ElementaryStream e : pmt.streams()) {
            PidState s = pids[e.pid()];
            if (s != null && s.kind != KIND_PES) {
                error(TsError.BAD_PSI, pmtPid); // an elementary PID cannot also be a PSI PID
                continue;
            }
            if (s == null || s.streamType != e.streamType()) {
                s = new PidState(KIND_PES);
                s.streamType = e.streamType();
                pids[e.pid()] = s;
            }
        }
    }

    private void dropStreams(List<Pmt.ElementaryStream> streams) {
        for (Pmt.ElementaryStream e : streams) {
            PidState s = pids[e.pid()];
            if (s != null && s.kind == KIND_PES) {
                pids[e.pid()] = null;
            }
        }
    }

    private void error(TsError e, int pid) {
        errors[e.ordinal()]++;
        listener.onError(e, pid);
    }

    /** What the demuxer knows about one PID. */
    private static final class PidState {
        final int kind;
        // PSI
        final PsiAssembler psi;
        int programNumber;
        List<Pmt.ElementaryStream> streams = List.of();
        private byte[] lastSection = new byte[0];
        // PES
        int streamType;
        byte[] buf;
        ByteBuffer view;
        int len;
        int expected;
        boolean active;
        boolean randomAccess;

        PidState(int kind) {
            this.kind = kind;
            psi = kind == KIND_PES ? null : new PsiAssembler();
            if (kind == KIND_PES) {
                buf = new byte[8192];
                view = ByteBuffer.wrap(buf);
            }
        }

        void dropUnit() {
            if (psi != null) {
                psi.reset();
            }
            active = false;
        }

        boolean grow(int need) {
            if (need > MAX_PES_SIZE) {
                return false;
            }
            buf = Arrays.copyOf(buf, Math.min(MAX_PES_SIZE, Math.max(need, buf.length * 2)));
            view = ByteBuffer.wrap(buf);
            return true;
        }

        boolean sameSection(ByteBuffer sec) {
            int n = sec.remaining();
            if (n != lastSection.length) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (sec.get(i) != lastSection[i]) {
                    return false;
                }
            }
            return true;
        }

        void remember(ByteBuffer sec) {
            lastSection = new byte[sec.limit()];
            sec.get(0, lastSection);
        }
    }
}
