package dev.cascade.protocol.mpegts;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A {@link TsDemuxer.Listener} that keeps everything it is told, for assertions. */
final class Recorder implements TsDemuxer.Listener {
    record Pes(int pid, int streamType, long pts, long dts, boolean randomAccess, byte[] payload) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Pes p && p.pid == pid && p.streamType == streamType && p.pts == pts && p.dts == dts
                    && p.randomAccess == randomAccess && java.util.Arrays.equals(p.payload, payload);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(pid, pts, dts) * 31 + java.util.Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Pes[pid=" + pid + ", pts=" + pts + ", dts=" + dts + ", rai=" + randomAccess + ", "
                    + payload.length + " bytes]";
        }
    }

    final List<Pat> pats = new ArrayList<>();
    final List<Pmt> pmts = new ArrayList<>();
    final List<Pes> pes = new ArrayList<>();
    final Map<TsError, Integer> errors = new EnumMap<>(TsError.class);
    final List<String> errorLog = new ArrayList<>();

    @Override
    public void onPat(Pat pat) {
        pats.add(pat);
    }

    @Override
    public void onPmt(int pid, Pmt pmt) {
        pmts.add(pmt);
    }

    @Override
    public void onPes(int pid, int streamType, long pts, long dts, boolean randomAccess, ByteBuffer payload) {
        byte[] b = new byte[payload.remaining()];
        payload.get(payload.position(), b);
        pes.add(new Pes(pid, streamType, pts, dts, randomAccess, b));
    }

    @Override
    public void onError(TsError error, int pid) {
        errors.merge(error, 1, Integer::sum);
        errorLog.add(error + "@" + pid);
    }

    int errors(TsError e) {
        return errors.getOrDefault(e, 0);
    }

    List<Pes> pes(int pid) {
        return pes.stream().filter(p -> p.pid() == pid).toList();
    }
}
