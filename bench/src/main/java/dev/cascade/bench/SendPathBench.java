package dev.cascade.bench;

import dev.cascade.node.egress.whep.RtpRewrite;
import dev.cascade.webrtc.PacketBuffer;
import dev.cascade.webrtc.SrtpKeys;
import dev.cascade.node.webrtc.UdpBatch;
import dev.cascade.node.webrtc.UdpSocket;
import dev.cascade.webrtc.SrtpSender;
import dev.cascade.webrtc.SrtpSession;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jitsi.srtp.SrtpCryptoContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * JMH for the per-viewer WebRTC send path, one thread: what an edge does for each packet and each
 * viewer after the stream has packetized it once. {@code rewriteAndProtect} is the CPU part as the
 * edge runs it ({@link RtpRewrite} + {@link SrtpSender}, AES-CM/HMAC-SHA1-80);
 * {@code rewriteAndProtectJitsi} is the same with jitsi-srtp, which the edge used before;
 * {@code rewriteProtectAndSend} adds a non-blocking {@code DatagramChannel} write, one system call
 * per packet; {@code rewriteProtectAndBatch} queues into a {@link UdpBatch} flushed with one
 * {@code sendmmsg} per 128 packets, as the edge sends today. All to a loopback socket. Writes
 * {@code bench/results/send-path-<stamp>.json} and a PNG.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SendPathBench {
    /** A typical video packet: 12-byte header, one-byte extension block (8 bytes), 1160 bytes of payload. */
    static final int PACKET = 1180;
    /** 600 kbps of ~1200-byte packets is about 62 packets a second per viewer. */
    static final double PACKETS_PER_VIEWER_600K = 600_000.0 / 8 / 1200;

    private final byte[] packet = new byte[PACKET];
    private final PacketBuffer buffer = new PacketBuffer(PACKET + 32);
    private ByteBuffer datagram;
    private SrtpSession session;
    private SrtpCryptoContext srtp;
    private org.jitsi.srtp.SrtpContextFactory jitsi;
    private SrtpSender sender;
    private byte[] out;
    private UdpSocket socket;
    private UdpBatch batch;
    private byte[] sinkAddress;
    private final UdpBatch.DropListener drops = tag -> { };
    private DatagramChannel sink;
    private DatagramChannel channel;
    private int seq;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SecureRandom rnd = new SecureRandom();
        byte[] material = new byte[SrtpKeys.MATERIAL_LENGTH];
        rnd.nextBytes(material);
        SrtpKeys keys = SrtpKeys.split(material);
        session = new SrtpSession(keys, true);
        int ssrc = rnd.nextInt();
        jitsi = new org.jitsi.srtp.SrtpContextFactory(true, keys.serverKey(), keys.serverSalt(), SrtpSession.policy(),
                SrtpSession.policy(), new org.jitsi.utils.logging2.LoggerImpl("bench"));
        srtp = jitsi.deriveContext(ssrc, 0);
        sender = session.rtpSender(ssrc);
        out = new byte[PACKET + SrtpSender.TAG_LENGTH];
        rnd.nextBytes(packet);
        packet[0] = (byte) 0x90; // V=2, X=1
        packet[1] = 96;
        ByteBuffer.wrap(packet, 8, 4).putInt(ssrc);
        packet[12] = (byte) 0xBE; // one-byte extension profile, length 1 word
        packet[13] = (byte) 0xDE;
        packet[14] = 0;
        packet[15] = 1;
        packet[16] = (byte) ((3 << 4) | 2); // abs-send-time, 3 bytes
        datagram = ByteBuffer.wrap(buffer.getBuffer());
        sink = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        channel.configureBlocking(false);
        channel.connect(sink.getLocalAddress());
        socket = new UdpSocket(new InetSocketAddress("127.0.0.1", 0), 100);
        batch = new UdpBatch(socket);
        sinkAddress = UdpSocket.sockaddr((InetSocketAddress) sink.getLocalAddress());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        session.close();
        jitsi.close();
        channel.close();
        socket.close();
        sink.close();
    }

    private void nextSeq() {
        seq = (seq + 1) & 0xFFFF;
        packet[2] = (byte) (seq >> 8);
        packet[3] = (byte) seq;
    }

    private int protect() throws Exception {
        nextSeq();
        RtpRewrite.rewrite(out, packet, PACKET, true, 102, 2);
        return sender.protect(out, PACKET);
    }

    @Benchmark
    public int rewriteAndProtect() throws Exception {
        return protect();
    }

    @Benchmark
    public int rewriteAndProtectJitsi() throws Exception {
        nextSeq();
        RtpRewrite.rewrite(buffer.getBuffer(), packet, PACKET, true, 102, 2);
        srtp.transformPacket(buffer.set(PACKET));
        return buffer.getLength();
    }

    @Benchmark
    public int rewriteProtectAndSend() throws Exception {
        int n = protect();
        return channel.write(ByteBuffer.wrap(out, 0, n));
    }

    @Benchmark
    public int rewriteProtectAndBatch() throws Exception {
        int n = protect();
        batch.add(out, n, sinkAddress, drops, 0);
        if (batch.size() == UdpBatch.CAPACITY) {
            batch.flush();
        }
        return n;
    }

    public static void main(String[] args) throws Exception {
        Instant started = Instant.now();
        Bench.log("JMH: per-viewer send path, 1 fork, 2 x 1 s warm-up, 5 x 2 s measurement");
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(SendPathBench.class.getName() + ".*")
                .forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(TimeValue.seconds(2)).threads(1)
                .build()).run();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "send-path");
        out.put("command", Bench.command("bench/run send-path"));
        out.put("what", "per packet per viewer: copy + payload-type/extension rewrite + SRTP AES_CM_128_HMAC_SHA1_80 protect"
                + " (+ one non-blocking DatagramChannel write to loopback), one thread");
        out.put("packetBytes", PACKET);
        Map<String, Object> scores = new LinkedHashMap<>();
        StringBuilder data = new StringBuilder();
        int i = 0;
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            double score = r.getPrimaryResult().getScore();
            double error = r.getPrimaryResult().getScoreError();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("packetsPerSecond", score);
            m.put("error99", error);
            m.put("viewersPerCoreAt600kbps", score / PACKETS_PER_VIEWER_600K);
            scores.put(name, m);
            data.append(i++).append(" \"").append(name).append("\" ").append(score).append(' ').append(error).append('\n');
        }
        out.put("results", scores);
        out.put("environment", Bench.environment());
        String stamp = Bench.stamp(started);
        Path json = Bench.results().resolve("send-path-" + stamp + ".json");
        Path png = Bench.results().resolve("send-path-" + stamp + ".png");
        Bench.writeJson(json, out);
        Path dat = Bench.tmp().resolve("send-path.dat");
        Files.writeString(dat, data);
        Path script = Bench.tmp().resolve("send-path.gp");
        Files.writeString(script, String.format("""
                set terminal pngcairo size 1000,550 font ',11'
                set output '%s'
                set title "Per-viewer WebRTC send path, one core (JMH): packets per second\\n(600 kbps is about %.0f packets/s per viewer)"
                set style data histograms
                set style fill solid 0.8
                set boxwidth 0.6
                set yrange [0:*]
                set grid ytics
                set ylabel 'packets / s'
                unset key
                plot '%s' using 3:xtic(2) lc rgb '#3a7bd5', '' using 0:3:(sprintf('%%.0f', $3)) with labels offset 0,1 notitle
                """, png, PACKETS_PER_VIEWER_600K, dat));
        Bench.gnuplot(script);
        StringBuilder headline = new StringBuilder();
        scores.forEach((k, v) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) v;
            headline.append(Bench.fmt("%s %.0f packets/s (= %.0f viewers/core at 600 kbps); ", k,
                    (double) m.get("packetsPerSecond"), (double) m.get("viewersPerCoreAt600kbps")));
        });
        Bench.appendResultRow("send-path", "bench/run send-path", headline.toString().trim(), json, png);
        Bench.log("%s -> %s", headline, json);
    }
}
