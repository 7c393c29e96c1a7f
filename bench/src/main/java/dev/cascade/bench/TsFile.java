package dev.cascade.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A TS file held in memory as 1316-byte SRT messages (seven packets), with the time at which each
 * message is due, taken from the PCR: packets between two PCRs are spaced by linear interpolation
 * over their byte position, which is how a real-time TS player (or a hardware encoder's mux) paces
 * a stream. Also hashes every packet once, for the latency benchmark.
 */
final class TsFile {
    static final int MESSAGE = 1316;
    static final int PACKETS_PER_MESSAGE = MESSAGE / PacketHash.TS;

    final Path path;
    final byte[] data;
    final int messages;
    final int packets;
    /** Due time of each message, in ns from the first one; non-decreasing. */
    final long[] dueNanos;
    /** Play-out duration of the whole file: the due time of a message after the last one. */
    final long durationNanos;
    final int pcrCount;
    final int pcrPid;
    private PacketIndex index;

    private TsFile(Path path, byte[] data, long[] dueNanos, long durationNanos, int pcrCount, int pcrPid) {
        this.path = path;
        this.data = data;
        this.messages = data.length / MESSAGE;
        this.packets = messages * PACKETS_PER_MESSAGE;
        this.dueNanos = dueNanos;
        this.durationNanos = durationNanos;
        this.pcrCount = pcrCount;
        this.pcrPid = pcrPid;
    }

    static TsFile load(Path path) throws IOException {
        byte[] all = Files.readAllBytes(path);
        int start = 0;
        while (start < all.length && all[start] != 0x47) {
            start++;
        }
        int messages = (all.length - start) / MESSAGE;
        if (messages < 10) {
            throw new IOException(path + ": too short for a benchmark (" + all.length + " bytes)");
        }
        byte[] data = Arrays.copyOfRange(all, start, start + messages * MESSAGE);
        int packets = messages * PACKETS_PER_MESSAGE;
        for (int p = 0; p < packets; p++) {
            if (data[p * PacketHash.TS] != 0x47) {
                throw new IOException(path + ": lost TS sync at packet " + p);
            }
        }
        // PCRs of the first PID that carries one: (packet index, 27 MHz value)
        int pcrPid = -1;
        int[] at = new int[1024];
        long[] pcr = new long[1024];
        int n = 0;
        for (int p = 0; p < packets; p++) {
            int o = p * PacketHash.TS;
            int pid = ((data[o + 1] & 0x1F) << 8) | (data[o + 2] & 0xFF);
            boolean af = (data[o + 3] & 0x20) != 0;
            if (!af || (data[o + 4] & 0xFF) < 7 || (data[o + 5] & 0x10) == 0) {
                continue;
            }
            if (pcrPid < 0) {
                pcrPid = pid;
            }
            if (pid != pcrPid) {
                continue;
            }
            long base = ((data[o + 6] & 0xFFL) << 25) | ((data[o + 7] & 0xFFL) << 17) | ((data[o + 8] & 0xFFL) << 9)
                    | ((data[o + 9] & 0xFFL) << 1) | ((data[o + 10] & 0x80L) >>> 7);
            long ext = ((data[o + 10] & 0x01L) << 8) | (data[o + 11] & 0xFFL);
            long v = base * 300 + ext;
            if (n > 0 && v <= pcr[n - 1]) {
                continue; // wrap or repeat: keep it simple, ignore
            }
            if (n == at.length) {
                at = Arrays.copyOf(at, n * 2);
                pcr = Arrays.copyOf(pcr, n * 2);
            }
            at[n] = p;
            pcr[n] = v;
            n++;
        }
        if (n < 2) {
            throw new IOException(path + ": fewer than two PCRs, cannot pace it");
        }
        // time of packet p in ns, interpolated between the PCRs around it (extrapolated at the ends)
        long[] due = new long[messages];
        int seg = 0;
        double t0 = Double.NaN;
        for (int m = 0; m < messages; m++) {
            int p = m * PACKETS_PER_MESSAGE;
            while (seg < n - 2 && p >= at[seg + 1]) {
                seg++;
            }
            double nsPerPacket = (pcr[seg + 1] - pcr[seg]) * 1000.0 / 27.0 / (at[seg + 1] - at[seg]);
            double t = pcr[seg] * 1000.0 / 27.0 + (p - at[seg]) * nsPerPacket;
            if (m == 0) {
                t0 = t;
            }
            due[m] = Math.max(m == 0 ? 0 : due[m - 1], Math.round(t - t0));
        }
        double lastRate = (pcr[n - 1] - pcr[n - 2]) * 1000.0 / 27.0 / (at[n - 1] - at[n - 2]);
        long duration = due[messages - 1] + Math.round(lastRate * PACKETS_PER_MESSAGE);
        return new TsFile(path, data, due, duration, n, pcrPid);
    }

    /** Average rate in bits per second over the file's play-out time. */
    double bitrate() {
        return data.length * 8.0 / (durationNanos / 1e9);
    }

    /** Hash of every packet -> its index; built once, on first use. */
    synchronized PacketIndex index() {
        if (index == null) {
            PacketIndex idx = new PacketIndex(packets);
            ByteBuffer b = ByteBuffer.wrap(data);
            for (int p = 0; p < packets; p++) {
                idx.put(PacketHash.of(b, p * PacketHash.TS), p);
            }
            index = idx;
        }
        return index;
    }
}
