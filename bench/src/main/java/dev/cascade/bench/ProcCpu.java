package dev.cascade.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time from /proc: a process's utime+stime, and the whole machine's busy and total jiffies. */
final class ProcCpu {
    /** USER_HZ; 100 on every Linux this runs on. */
    static final double HZ = 100.0;

    private ProcCpu() {}

    /** utime + stime of a process in seconds, or -1 if it is gone. */
    static double processSeconds(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // the command name (field 2) may hold spaces: count fields after the closing parenthesis
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state); utime is field 14, stime field 15
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / HZ;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Whether {@code pid} is a kernel thread (kthreadd, pid 2, or one of its children): softirq and the like. */
    static boolean kernelThread(long pid) {
        if (pid == 2) {
            return true;
        }
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[1]) == 2; // field 4, the parent
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** utime + stime in seconds of every thread of a process, by Linux thread id (empty if it is gone). */
    static java.util.Map<Long, Double> threads(long pid) {
        java.util.Map<Long, Double> out = new java.util.HashMap<>();
        try (var dirs = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path d : dirs) {
                try {
                    String s = Files.readString(d.resolve("stat"));
                    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                    out.put(Long.parseLong(d.getFileName().toString()), (Long.parseLong(f[11]) + Long.parseLong(f[12])) / HZ);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        return out;
    }

    /** utime + stime in seconds of every process on the machine, by pid. */
    static java.util.Map<Long, Double> allProcesses() {
        java.util.Map<Long, Double> out = new java.util.HashMap<>();
        try (var dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path d : dirs) {
                long pid = Long.parseLong(d.getFileName().toString());
                double s = processSeconds(pid);
                if (s >= 0) {
                    out.put(pid, s);
                }
            }
        } catch (IOException e) {
            // no /proc: nothing to tell
        }
        return out;
    }

    /** CPU seconds that processes other than {@code ours} used between two {@link #allProcesses} snapshots. */
    static double othersSeconds(java.util.Map<Long, Double> before, java.util.Map<Long, Double> after,
            java.util.Set<Long> ours) {
        double t = 0;
        for (var e : after.entrySet()) {
            if (ours.contains(e.getKey())) {
                continue;
            }
            t += Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0.0));
        }
        return t;
    }

    /** {busy, total} jiffies of all CPUs together, from the first line of /proc/stat. */
    static long[] machine() {
        return cpu("cpu");
    }

    /**
     * {busy, total} jiffies of one CPU ({@code cpu1} line of /proc/stat): everything that ran on it,
     * the pinned process, and the kernel's softirq work there, which a process's own times miss.
     */
    static long[] cpu(int n) {
        return cpu("cpu" + n);
    }

    private static long[] cpu(String name) {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).stream().filter(l -> l.startsWith(name + " "))
                    .findFirst().orElseThrow();
            String[] f = line.trim().split("\\s+");
            long total = 0;
            long idle = 0;
            for (int i = 1; i < f.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
                long v = Long.parseLong(f[i]);
                total += v;
                if (i == 4 || i == 5) {
                    idle += v;
                }
            }
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }
}
