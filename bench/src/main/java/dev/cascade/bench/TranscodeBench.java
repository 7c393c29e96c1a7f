package dev.cascade.bench;

import dev.cascade.transcoder.FfmpegProgress;
import dev.cascade.transcoder.Ladder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The ABR transcoder's cost: the ffmpeg command the product runs ({@link Ladder#command}, unchanged)
 * on a 720p30 source into 3 levels and a 1080p30 source into 4, measured two ways.
 *
 * <ul>
 *   <li><b>Real-time factor</b>: the ladder reads a cached test file as fast as it can and writes a
 *       TS file per level; {@link FfmpegProgress} reads its {@code -progress} output (speed, fps), and
 *       its CPU time is sampled from /proc.</li>
 *   <li><b>CPU per stream at real time</b>: an ffmpeg publisher sends the same file
 *       ({@code -re -stream_loop -1 -c copy}) as an SRT listener, standing in for the origin; the ladder
 *       reads it as an SRT caller, as it would in production, and its CPU time is sampled over a window
 *       after a warm-up. Cores per stream = its CPU seconds / wall seconds; streams per core = the
 *       inverse.</li>
 * </ul>
 *
 * <p>Writes {@code bench/results/transcode-<stamp>.json} and a PNG bar chart.
 */
public final class TranscodeBench {
    static final String USAGE = """
            usage: bench/run transcode [options]
              --cases LIST          720p3,1080p4 (default both): 720p30 -> 3 levels, 1080p30 -> 4 levels
              --source-seconds N    length of the cached test source (default 30)
              --source-noise N      temporal noise added to the test pattern (ffmpeg noise=alls=N:allf=t+u;
                                    default 0; camera-like content costs x264 more than testsrc2)
              --speed-max-seconds N wall-clock cap of each as-fast-as-possible run (default 90)
              --cpu-seconds N       measurement window of each real-time run (default 20)
              --warmup N            seconds of a real-time run before the window opens (default 4)
              --gop N               the ladder's keyframe grid in seconds (default 1: the node's transcoder.gopMs)
              --audio-kbps N        the ladder's Opus bitrate per level (default 64: transcoder.audioKbps)
              --srt-latency MS      SRT latency publisher -> ladder in the real-time run (default 20: the
                                    node's upstream.latencyMs, which a transcoder pulls at)
              --quiet-wait N        before each run, wait up to N s for the machine to be under 15% busy (default 10)
              --skip LIST           speed,cpu: leave a part out""";

    /** One case: a source and the ladder made from it. */
    record Case(String name, String label, int width, int height, int sourceKbps, List<Ladder.Level> levels) {}

    static final Map<String, Case> CASES = new LinkedHashMap<>();

    static {
        CASES.put("720p3", new Case("720p3", "720p30 -> 3 levels", 1280, 720, 6000, List.of(
                new Ladder.Level(1, 1280, 720, 2500, 30), new Ladder.Level(2, 854, 480, 1000, 30),
                new Ladder.Level(3, 640, 360, 400, 30))));
        CASES.put("1080p4", new Case("1080p4", "1080p30 -> 4 levels", 1920, 1080, 10000, List.of(
                new Ladder.Level(1, 1920, 1080, 4500, 30), new Ladder.Level(2, 1280, 720, 2500, 30),
                new Ladder.Level(3, 854, 480, 1000, 30), new Ladder.Level(4, 640, 360, 400, 30))));
    }

    static final double DISTURBED_CORES = 0.15;

    private final Map<String, String> o;
    private final double gop;
    private final int audioKbps;
    private final Path work;

    private TranscodeBench(Map<String, String> o) throws IOException {
        this.o = o;
        this.gop = Double.parseDouble(o.get("gop"));
        this.audioKbps = Integer.parseInt(o.get("audio-kbps"));
        this.work = Files.createDirectories(Bench.tmp().resolve("transcode"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("cases", "720p3,1080p4");
        d.put("source-seconds", "30");
        d.put("source-noise", "0");
        d.put("speed-max-seconds", "90");
        d.put("cpu-seconds", "20");
        d.put("warmup", "4");
        d.put("gop", "1");
        d.put("audio-kbps", "64");
        d.put("srt-latency", "20");
        d.put("quiet-wait", "10");
        d.put("skip", "");
        new TranscodeBench(Bench.options(args, d, USAGE)).run();
    }

    private void run() throws Exception {
        Instant started = Instant.now();
        Map<String, Object> env = Bench.environment(); // the load average now, before we add any
        env.put("ffmpeg", Bench.run(10, "ffmpeg", "-hide_banner", "-version").lines().findFirst().orElse("unknown"));
        env.put("libx264", Bench.run(10, "sh", "-c", "dpkg-query -W -f='${Package} ${Version}\\n' 'libx264-*' 2>/dev/null"));
        Bench.log("machine: %s cores (%s), load average at start %s", env.get("cpus"), env.get("cpuModel"),
                env.get("loadAverageAtStart"));
        Set<String> skip = Set.of(o.get("skip").split(","));
        List<Map<String, Object>> results = new ArrayList<>();
        List<Case> cases = new ArrayList<>();
        for (String n : o.get("cases").split(",")) {
            Case c = CASES.get(n.trim());
            if (c == null) {
                throw new IllegalArgumentException("unknown case " + n + "; known: " + CASES.keySet());
            }
            cases.add(c);
        }
        for (Case c : cases) {
            Path source = source(c);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("case", c.name());
            r.put("label", c.label());
            r.put("levels", c.levels().stream().map(l -> Bench.fmt("%dx%d@%dk/%dfps", l.width(), l.height(),
                    l.bitrateKbps(), l.fps())).toList());
            Map<String, Object> src = new LinkedHashMap<>();
            src.put("file", Bench.root().relativize(source).toString());
            src.put("size", c.width() + "x" + c.height());
            src.put("fps", 30);
            src.put("seconds", Integer.parseInt(o.get("source-seconds")));
            src.put("content", "testsrc2 + 440 Hz sine" + (Integer.parseInt(o.get("source-noise")) > 0
                    ? ", temporal noise " + o.get("source-noise") : ""));
            src.put("codec", "H.264 high (x264 veryfast, GOP 60, B-frames) + AAC 128k, MPEG-TS");
            src.put("videoKbpsAsked", c.sourceKbps());
            src.put("fileKbps", round(Files.size(source) * 8.0 / 1000 / Integer.parseInt(o.get("source-seconds")), 0));
            r.put("source", src);
            if (!skip.contains("speed")) {
                r.put("maxThroughput", speedRun(c, source));
            }
            if (!skip.contains("cpu")) {
                r.put("realTime", realTimeRun(c, source));
            }
            flatten(r);
            results.add(r);
        }
        write(started, env, results);
    }

    // ---------------------------------------------------------------- source

    private Path source(Case c) throws IOException, InterruptedException {
        int seconds = Integer.parseInt(o.get("source-seconds"));
        int noise = Integer.parseInt(o.get("source-noise"));
        String vf = "testsrc2=size=" + c.width() + "x" + c.height() + ":rate=30"
                + (noise > 0 ? ",noise=alls=" + noise + ":allf=t+u" : "");
        String name = Bench.fmt("transcode-src-%dx%d-30fps-%dk-%ds%s.ts", c.width(), c.height(), c.sourceKbps(), seconds,
                noise > 0 ? "-noise" + noise : "");
        String rate = c.sourceKbps() + "k";
        return Bench.media(name, List.of("-f", "lavfi", "-i", vf, "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=48000", "-t", Integer.toString(seconds),
                "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-pix_fmt", "yuv420p", "-g", "60",
                "-b:v", rate, "-maxrate", rate, "-bufsize", (2 * c.sourceKbps()) + "k",
                "-c:a", "aac", "-b:a", "128k", "-ac", "2"));
    }

    // ---------------------------------------------------------------- runs

    /**
     * Waits, up to {@code --quiet-wait} seconds, until the machine was under 15% busy for a second (other
     * engineers' builds and tests share these cores); returns what it saw.
     */
    private Map<String, Object> awaitQuiet() {
        double max = Double.parseDouble(o.get("quiet-wait"));
        long t0 = System.nanoTime();
        double busy;
        while (true) {
            long[] a = ProcCpu.machine();
            Bench.sleep(1000);
            long[] b = ProcCpu.machine();
            busy = (double) (b[0] - a[0]) / Math.max(1, b[1] - a[1]);
            double waited = (System.nanoTime() - t0) / 1e9;
            if (busy < 0.15 || waited >= max) {
                if (waited > 1.5) {
                    Bench.log("  waited %.0f s for the machine to quieten: %.0f%% busy in the last second", waited, 100 * busy);
                }
                return Map.of("waitedSeconds", round(waited, 1), "machineBusyLastSecond", round(busy, 3),
                        "loadAverage", Bench.loadAverage());
            }
        }
    }

    /** A running ladder: its process, and its progress as ffmpeg reports it. */
    private static final class LadderProcess {
        final List<String> command;
        final Process process;
        final FfmpegProgress progress = new FfmpegProgress();
        final Thread reader;

        LadderProcess(List<String> command, Path log) throws IOException {
            this.command = command;
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.to(log.toFile()));
            this.process = Bench.track(pb.start());
            reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        progress.line(line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "ffmpeg-progress");
            reader.setDaemon(true);
            reader.start();
        }

        FfmpegProgress.Stats stats() {
            return progress.latest();
        }
    }

    /** One sample: wall clock, the ladder's CPU seconds, its progress, the machine and everyone else. */
    private record Sample(long nanos, double cpu, FfmpegProgress.Stats stats, long[] machine, Map<Long, Double> all) {
        static Sample take(long pid) {
            // everyone's CPU first: the ladder's own counter is read last, closest to the progress read
            Map<Long, Double> all = ProcCpu.allProcesses();
            long[] m = ProcCpu.machine();
            return new Sample(System.nanoTime(), ProcCpu.processSeconds(pid), null, m, all);
        }

        Sample with(FfmpegProgress.Stats s) {
            return new Sample(nanos, cpu, s, machine, all);
        }
    }

    /** Waits for the ladder's next progress block (every 0.5 s) and samples at once, so media time and clocks match. */
    private static Sample nextBlock(LadderProcess lad, long pid, FfmpegProgress.Stats after, Path log) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        FfmpegProgress.Stats s;
        while ((s = lad.stats()) == after || s.frames() == 0) {
            if (!lad.process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the ladder stopped reporting progress; see " + log);
            }
            Bench.sleep(2);
        }
        return Sample.take(pid).with(s);
    }

    /** The window between two samples: the ladder's cores, media seconds per wall second, the machine. */
    private static Map<String, Object> window(Sample a, Sample b, Set<Long> ours) {
        double wall = (b.nanos() - a.nanos()) / 1e9;
        double cpu = b.cpu() - a.cpu();
        double media = (b.stats().outTimeMicros() - a.stats().outTimeMicros()) / 1e6;
        long frames = b.stats().frames() - a.stats().frames();
        double machineBusy = (double) (b.machine()[0] - a.machine()[0]) / Math.max(1, b.machine()[1] - a.machine()[1]);
        double others = ProcCpu.othersSeconds(a.all(), b.all(), ours);
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("wallSeconds", round(wall, 3));
        w.put("cpuSeconds", round(cpu, 2));
        w.put("cpuCores", round(cpu / wall, 3));
        w.put("mediaSeconds", round(media, 3));
        w.put("mediaSecondsPerWallSecond", round(media / wall, 3));
        w.put("frames", frames);
        w.put("fps", round(frames / wall, 1));
        w.put("cpuSecondsPerMediaSecond", media > 0 ? round(cpu / media, 3) : null);
        w.put("machineBusy", round(machineBusy, 3));
        w.put("otherProcessesCores", round(others / wall, 3));
        // what the machine was busy with that no process seen in both snapshots is charged for: processes
        // that started and ended inside the window (test JVMs, compilers), and the kernel's own work
        double oursCpu = 0;
        for (long pid : ours) {
            oursCpu += Math.max(0, b.all().getOrDefault(pid, 0.0) - a.all().getOrDefault(pid, 0.0));
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        double unattributed = Math.max(0, machineBusy * cpus - oursCpu / wall - others / wall);
        w.put("unattributedCores", round(unattributed, 3));
        // a machine shared with builds or tests: more than DISTURBED_CORES used by someone else
        w.put("disturbedByOtherProcesses", others / wall + unattributed > DISTURBED_CORES);
        List<Map<String, Object>> busiest = new ArrayList<>();
        b.all().entrySet().stream().filter(e -> !ours.contains(e.getKey()))
                .map(e -> Map.entry(e.getKey(), e.getValue() - a.all().getOrDefault(e.getKey(), 0.0)))
                .filter(e -> e.getValue() / wall >= 0.02)
                .sorted((x, y) -> Double.compare(y.getValue(), x.getValue())).limit(3)
                .forEach(e -> busiest.add(Map.of("pid", e.getKey(), "command", comm(e.getKey()),
                        "cores", round(e.getValue() / wall, 3))));
        w.put("busiestOtherProcesses", busiest);
        return w;
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private List<String> ladderCommand(Case c, String input, java.util.function.Function<Ladder.Level, String> out) {
        return Ladder.command(input, c.levels(), gop, audioKbps, out);
    }

    /** The ladder reads the file as fast as it can; one TS file per level. */
    private Map<String, Object> speedRun(Case c, Path source) throws Exception {
        List<Path> outs = new ArrayList<>();
        for (Ladder.Level l : c.levels()) {
            Path p = work.resolve(c.name() + "-level" + l.level() + ".ts");
            Files.deleteIfExists(p); // the ladder's command has no -y
            outs.add(p);
        }
        List<String> cmd = ladderCommand(c, source.toString(), l -> outs.get(c.levels().indexOf(l)).toString());
        double cap = Double.parseDouble(o.get("speed-max-seconds"));
        Map<String, Object> quiet = awaitQuiet();
        Bench.log("%s: max throughput, %s as fast as possible (cap %.0f s)", c.label(), source.getFileName(), cap);
        Path log = Bench.logs().resolve("transcode-" + c.name() + "-speed.log");
        long t0 = System.nanoTime();
        LadderProcess lad = new LadderProcess(cmd, log);
        long pid = lad.process.pid();
        Set<Long> ours = Set.of(pid, ProcessHandle.current().pid());
        Sample first = null;
        Sample last = null;
        long nextLog = t0;
        boolean capped = false;
        while (lad.process.isAlive()) {
            Bench.sleep(250);
            FfmpegProgress.Stats s = lad.stats();
            Sample x = Sample.take(pid);
            if (!lad.process.isAlive() || x.cpu() < 0) {
                break; // its /proc entry may be gone: keep the previous sample as the last
            }
            x = x.with(s);
            if (first == null && s.frames() > 0) {
                first = x; // the window starts once frames come out: decoder and encoder start-up left out
            } else if (first != null && s.outTimeMicros() > first.stats().outTimeMicros()) {
                last = x;
            }
            if (x.nanos() >= nextLog) {
                Bench.log("  %s: %d frames, %.1f fps, speed %.2fx, ffmpeg CPU %.1f s", c.name(), s.frames(), s.fps(),
                        s.speed(), x.cpu());
                nextLog += 2_000_000_000L;
            }
            if ((x.nanos() - t0) / 1e9 > cap) {
                capped = true;
                Bench.log("  %s: cap of %.0f s reached, stopping it", c.name(), cap);
                lad.process.destroy();
                break;
            }
        }
        lad.process.waitFor(10, TimeUnit.SECONDS);
        lad.reader.join(2000);
        double wall = (System.nanoTime() - t0) / 1e9;
        FfmpegProgress.Stats end = lad.stats();
        if (!capped && (lad.process.exitValue() != 0 || !end.ended())) {
            throw new IllegalStateException("the ladder failed (exit " + lad.process.exitValue() + "); see " + log);
        }
        if (first == null || last == null) {
            throw new IllegalStateException("no progress from the ladder; see " + log);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("speed", end.speed());
        m.put("fps", end.fps());
        m.put("frames", end.frames());
        m.put("mediaSeconds", round(end.outTimeMicros() / 1e6, 3));
        m.put("wallSeconds", round(wall, 2));
        m.put("completed", !capped && end.ended());
        m.put("progressMalformedLines", lad.progress.malformed());
        m.put("steadyWindow", window(first, last, ours));
        m.put("beforeStart", quiet);
        List<Map<String, Object>> levels = new ArrayList<>();
        for (int i = 0; i < outs.size(); i++) {
            Ladder.Level l = c.levels().get(i);
            long bytes = Files.exists(outs.get(i)) ? Files.size(outs.get(i)) : 0;
            levels.add(Map.of("level", l.level(), "file", Bench.root().relativize(outs.get(i)).toString(), "bytes", bytes,
                    "tsKbps", end.outTimeMicros() > 0 ? round(bytes * 8 / (end.outTimeMicros() / 1e6) / 1000, 0) : 0));
        }
        m.put("outputs", levels);
        m.put("command", cmd);
        m.put("log", Bench.root().relativize(log).toString());
        Bench.log("  %s: speed %.2fx, %.1f fps, %d frames in %.1f s; steady: %.2f cores, %.2f CPU s per media s",
                c.name(), end.speed(), end.fps(), end.frames(), wall, ((Map<?, ?>) m.get("steadyWindow")).get("cpuCores"),
                ((Map<?, ?>) m.get("steadyWindow")).get("cpuSecondsPerMediaSecond"));
        return m;
    }

    /** An SRT publisher sends the file in real time; the ladder reads it over SRT; its CPU over a window. */
    private Map<String, Object> realTimeRun(Case c, Path source) throws Exception {
        Map<String, Object> quiet = awaitQuiet();
        int port = Ports.free();
        long latencyUs = Long.parseLong(o.get("srt-latency")) * 1000;
        Path pubLog = Bench.logs().resolve("transcode-" + c.name() + "-publisher.log");
        List<String> pubCmd = List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "warning", "-re",
                "-stream_loop", "-1", "-i", source.toString(), "-c", "copy", "-f", "mpegts",
                "srt://127.0.0.1:" + port + "?mode=listener&latency=" + latencyUs + "&pkt_size=1316");
        Process publisher = Bench.start(pubCmd, pubLog);
        Bench.sleep(500); // the listener binds
        List<String> outs = new ArrayList<>();
        List<String> cmd = ladderCommand(c, "srt://127.0.0.1:" + port + "?mode=caller&latency=" + latencyUs,
                l -> {
                    Path p = work.resolve(c.name() + "-rt-level" + l.level() + ".ts");
                    outs.add(p.toString());
                    return p.toString();
                });
        for (String p : outs) {
            Files.deleteIfExists(Path.of(p));
        }
        int seconds = Integer.parseInt(o.get("cpu-seconds"));
        double warmup = Double.parseDouble(o.get("warmup"));
        Bench.log("%s: real time, SRT publisher (-re) -> ladder; %.0f s warm-up, then %d s of CPU sampling", c.label(),
                warmup, seconds);
        Path log = Bench.logs().resolve("transcode-" + c.name() + "-realtime.log");
        long t0 = System.nanoTime();
        LadderProcess lad = new LadderProcess(cmd, log);
        long pid = lad.process.pid();
        Set<Long> ours = Set.of(pid, publisher.pid(), ProcessHandle.current().pid());
        try {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (lad.stats().frames() == 0) {
                if (!lad.process.isAlive() || !publisher.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the ladder produced no frame from SRT; see " + log + " and " + pubLog);
                }
                Bench.sleep(100);
            }
            long firstFrame = System.nanoTime();
            // It starts behind: ffmpeg probes a few seconds of the live input before the first frame, then
            // works off that backlog faster than real time. The window opens after the warm-up and once it
            // has caught up: media time advancing no faster than the wall clock over the last 2 s (measured
            // on progress blocks, so the media time is exact), or after 60 s whatever it does.
            List<Sample> recent = new ArrayList<>();
            Sample a;
            double catchUpRate = Double.NaN;
            while (true) {
                Sample x = nextBlock(lad, pid, recent.isEmpty() ? null : recent.get(recent.size() - 1).stats(), log);
                recent.add(x);
                while (recent.size() > 1 && x.nanos() - recent.get(1).nanos() >= 2_000_000_000L) {
                    recent.remove(0);
                }
                Sample old = recent.get(0);
                double span = (x.nanos() - old.nanos()) / 1e9;
                boolean warm = (x.nanos() - firstFrame) / 1e9 >= warmup;
                if (span >= 2) {
                    catchUpRate = (x.stats().outTimeMicros() - old.stats().outTimeMicros()) / 1e6 / span;
                }
                if (warm && span >= 2 && catchUpRate <= 1.03 || (x.nanos() - firstFrame) / 1e9 > 60) {
                    a = x;
                    break;
                }
            }
            Bench.log("  %s: first frame %.1f s after start; window opens %.1f s after it (media/wall over the last 2 s: %.2f)",
                    c.name(), (firstFrame - t0) / 1e9, (a.nanos() - firstFrame) / 1e9, catchUpRate);
            double pubA = ProcCpu.processSeconds(publisher.pid());
            List<Map<String, Object>> perSecond = new ArrayList<>();
            Sample prev = a;
            for (int i = 1; i <= seconds; i++) {
                long until = a.nanos() + i * 1_000_000_000L;
                Bench.sleep(Math.max(0, (until - System.nanoTime()) / 1_000_000));
                if (!lad.process.isAlive() || !publisher.isAlive()) {
                    throw new IllegalStateException("the ladder or the publisher stopped; see " + log + " and " + pubLog);
                }
                Sample x = Sample.take(pid).with(lad.stats());
                double wall = (x.nanos() - prev.nanos()) / 1e9;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("t", round((x.nanos() - a.nanos()) / 1e9, 2));
                row.put("cpuCores", round((x.cpu() - prev.cpu()) / wall, 3));
                row.put("speed", x.stats().speed());
                row.put("frames", x.stats().frames());
                perSecond.add(row);
                if (i % 4 == 0 || i == seconds) {
                    Bench.log("  %s: %2d s, ladder %.2f cores (last second), window so far %.2f cores, speed %.2fx, %d frames",
                            c.name(), i, row.get("cpuCores"), (x.cpu() - a.cpu()) / ((x.nanos() - a.nanos()) / 1e9),
                            x.stats().speed(), x.stats().frames());
                }
                prev = x;
            }
            Sample b = nextBlock(lad, pid, prev.stats(), log); // the window closes on a progress block too
            double pubB = ProcCpu.processSeconds(publisher.pid());
            Map<String, Object> w = window(a, b, ours);
            double wall = (b.nanos() - a.nanos()) / 1e9;
            double cores = (double) w.get("cpuCores");
            double mediaRate = (double) w.get("mediaSecondsPerWallSecond");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cpuCoresPerStream", cores);
            // a live input cannot run ahead; behind means the ladder could not keep up (too slow, or starved of
            // CPU by other processes): then cores per stream is not what a real-time stream costs, and
            // window.cpuSecondsPerMediaSecond is the better estimate
            boolean keptUp = mediaRate >= 0.97;
            m.put("streamsPerCore", keptUp ? round(1 / cores, 2) : null);
            m.put("keptUp", keptUp);
            m.put("window", w);
            m.put("beforeStart", quiet);
            m.put("warmupSeconds", warmup);
            m.put("firstFrameAfterSeconds", round((firstFrame - t0) / 1e9, 2));
            m.put("windowOpenedAfterFirstFrameSeconds", round((a.nanos() - firstFrame) / 1e9, 2));
            m.put("mediaPerWallBeforeWindow", round(catchUpRate, 3));
            // out_time / time since ffmpeg started: the probing and the catch-up included, so below 1 even when keeping up
            m.put("speedReportedByFfmpeg", b.stats().speed());
            m.put("publisherCpuCores", round((pubB - pubA) / wall, 4));
            m.put("perSecond", perSecond);
            m.put("command", cmd);
            m.put("publisherCommand", pubCmd);
            m.put("log", Bench.root().relativize(log).toString());
            Bench.log("  %s: %.3f cores per stream at real time (%.2f streams per core), media %.3f s per s%s, "
                    + "others %.2f cores, machine %.0f%% busy", c.name(), cores, 1 / cores, mediaRate,
                    keptUp ? "" : " (NOT keeping up: " + w.get("cpuSecondsPerMediaSecond") + " CPU s per media s)",
                    w.get("otherProcessesCores"), 100 * (double) w.get("machineBusy"));
            return m;
        } finally {
            Bench.stop(lad.process);
            Bench.stop(publisher);
        }
    }

    /** The per-case figures the brief asks for, at the top of each case. */
    @SuppressWarnings("unchecked")
    private static void flatten(Map<String, Object> r) {
        Map<String, Object> s = (Map<String, Object>) r.get("maxThroughput");
        Map<String, Object> t = (Map<String, Object>) r.get("realTime");
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("speed", s == null ? null : s.get("speed"));
        head.put("fps", s == null ? null : s.get("fps"));
        head.put("cpuSecondsPerMediaSecondAtMaxThroughput", s == null ? null
                : ((Map<String, Object>) s.get("steadyWindow")).get("cpuSecondsPerMediaSecond"));
        head.put("cpuCoresPerStream", t == null ? null : t.get("cpuCoresPerStream"));
        head.put("streamsPerCore", t == null ? null : t.get("streamsPerCore"));
        head.put("keptUpInRealTime", t == null ? null : t.get("keptUp"));
        boolean disturbed = s != null && (boolean) ((Map<String, Object>) s.get("steadyWindow")).get("disturbedByOtherProcesses")
                || t != null && (boolean) ((Map<String, Object>) t.get("window")).get("disturbedByOtherProcesses");
        head.put("disturbedByOtherProcesses", disturbed);
        head.put("durationSeconds", Map.of("speedRun", s == null ? 0 : s.get("wallSeconds"),
                "cpuWindow", t == null ? 0 : ((Map<String, Object>) t.get("window")).get("wallSeconds")));
        Map<String, Object> copy = new LinkedHashMap<>(r);
        r.clear();
        for (String k : List.of("case", "label", "levels", "source")) {
            r.put(k, copy.remove(k));
        }
        r.putAll(head);
        r.putAll(copy);
    }

    // ---------------------------------------------------------------- output

    @SuppressWarnings("unchecked")
    private void write(Instant started, Map<String, Object> env, List<Map<String, Object>> results) throws Exception {
        String stamp = Bench.stamp(started);
        Path json = Bench.results().resolve("transcode-" + stamp + ".json");
        Path png = Bench.results().resolve("transcode-" + stamp + ".png");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "transcode");
        out.put("command", Bench.command("bench/run transcode"));
        out.put("what", "the ABR ladder's ffmpeg command as the product builds it (dev.cascade.transcoder.Ladder.command: "
                + "one decode, split, scaled, x264 veryfast zerolatency constrained baseline per level, Opus per level); "
                + "speed = ffmpeg's real-time factor reading a file as fast as it can; cpuCoresPerStream = the ladder "
                + "process's CPU seconds / wall seconds while an SRT publisher feeds it in real time");
        Map<String, Object> settings = new LinkedHashMap<>(o);
        out.put("settings", settings);
        out.put("cases", results);
        out.put("environment", env);
        out.put("loadAverageAtEnd", Bench.loadAverage());
        Bench.writeJson(json, out);

        plot(png, env, results);

        StringBuilder h = new StringBuilder();
        for (Map<String, Object> r : results) {
            h.append(Bench.fmt("%s: speed %sx (%s fps), %s cores per stream at real time (%s streams/core)%s; ",
                    r.get("label"), num(r.get("speed")), num(r.get("fps")), num(r.get("cpuCoresPerStream")),
                    num(r.get("streamsPerCore")), (Boolean.FALSE.equals(r.get("keptUpInRealTime")) ? Bench.fmt(
                            ", did NOT keep up: %s media s per s, %s CPU s per media s", realTimeWindow(r).get(
                            "mediaSecondsPerWallSecond"), realTimeWindow(r).get("cpuSecondsPerMediaSecond")) : "")
                    + (Boolean.TRUE.equals(r.get("disturbedByOtherProcesses")) ? ", disturbed by other processes" : "")));
        }
        h.append(Bench.fmt("%s cores, load average at start %s", env.get("cpus"), env.get("loadAverageAtStart")));
        Bench.appendResultRow("transcode", Bench.command("bench/run transcode"), h.toString(), json, png);
        Bench.log("%s -> %s", h, json);
    }

    /** The bar charts: CPU per stream (real time, and per media second at max throughput), and speed. */
    static void plot(Path png, Map<String, Object> env, List<Map<String, Object>> results) throws Exception {
        Path data = Bench.tmp().resolve("transcode.dat");
        StringBuilder d = new StringBuilder("# case coresPerStreamAtRealTime speed streamsPerCore cpuSecondsPerMediaSecondAtMaxThroughput streams note fps\n");
        double maxCores = 0.1;
        double maxSpeed = 1.2;
        for (Map<String, Object> r : results) {
            d.append('"').append(r.get("label")).append("\" ")
                    .append(num(r.get("cpuCoresPerStream"))).append(' ')
                    .append(num(r.get("speed"))).append(' ')
                    .append(num(r.get("streamsPerCore") == null ? 0 : r.get("streamsPerCore"))).append(' ')
                    .append(num(r.get("cpuSecondsPerMediaSecondAtMaxThroughput"))).append(" \"")
                    .append(r.get("streamsPerCore") == null ? "-" : r.get("streamsPerCore") + " streams/core")
                    .append("\" \"")
                    .append(Boolean.FALSE.equals(r.get("keptUpInRealTime")) ? "(NOT real time)"
                            : Boolean.TRUE.equals(r.get("disturbedByOtherProcesses")) ? "(disturbed)" : " ")
                    .append("\" ").append(num(r.get("fps"))).append('\n');
            for (String k : List.of("cpuCoresPerStream", "cpuSecondsPerMediaSecondAtMaxThroughput")) {
                if (r.get(k) instanceof Number n) {
                    maxCores = Math.max(maxCores, n.doubleValue());
                }
            }
            if (r.get("speed") instanceof Number n) {
                maxSpeed = Math.max(maxSpeed, n.doubleValue());
            }
        }
        Files.writeString(data, d);
        Path script = Bench.tmp().resolve("transcode.gp");
        Files.writeString(script, String.format(java.util.Locale.ROOT, """
                set terminal pngcairo size 1200,640 font ',11'
                set output '%s'
                set multiplot layout 1,2 title "ABR ladder as Ladder.command builds it (x264 veryfast zerolatency baseline + Opus per level), testsrc2 sources\\n%s cores (%s), load average at start %s"
                set style data histograms
                set style histogram clustered gap 1
                set style fill solid 0.8 border -1
                set grid ytics
                set bmargin 6
                set key top left
                set title 'CPU per stream'
                set ylabel 'CPU cores per stream (CPU s per media s)'
                set yrange [0:%.3f]
                plot '%s' using 2:xtic(sprintf("%%s\\n%%s\\n%%s", strcol(1), strcol(6), strcol(7))) lc rgb '#4472c4' title 'at real time (SRT in, -re)', \\
                     '' using 5 lc rgb '#a5a5a5' title 'at max throughput (file in; CPU s per media s)', \\
                     '' using ($0-1.0/6):2:(sprintf("%%.2f", $2)) with labels offset 0,0.7 notitle, \\
                     '' using ($0+1.0/6):5:(sprintf("%%.2f", $5)) with labels offset 0,0.7 notitle
                set title 'Max throughput (file in, as fast as possible)'
                set ylabel 'speed (x real time)'
                set yrange [0:%.3f]
                set key off
                set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb 'red'
                plot '%s' using 3:xtic(sprintf("%%s\\n%%.0f fps", strcol(1), $8)) lc rgb '#ed7d31', \\
                     '' using 0:3:(sprintf("%%.2fx", $3)) with labels offset 0,0.8 notitle
                unset multiplot
                """, png, env.get("cpus"), env.get("cpuModel"), env.get("loadAverageAtStart"), maxCores * 1.3, data,
                maxSpeed * 1.15, data));
        Bench.gnuplot(script);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> realTimeWindow(Map<String, Object> r) {
        return (Map<String, Object>) ((Map<String, Object>) r.get("realTime")).get("window");
    }

    private static String num(Object v) {
        return v == null ? "NaN" : v.toString();
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
