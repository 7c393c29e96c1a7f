package dev.cascade.bench;

import dev.cascade.node.srt.Srt;
import dev.cascade.protocol.h264.H264;
import dev.cascade.protocol.h264.Sei;
import dev.cascade.protocol.mpegts.StreamType;
import dev.cascade.protocol.mpegts.TsMuxer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An SRT publisher that stamps every frame with the wall-clock time it leaves the encoder, in an
 * H.264 SEI user_data_unregistered message (UUID {@link #UUID}, then 8 bytes of milliseconds since
 * the Unix epoch, big-endian: the format clients/web/sei.js reads). ffmpeg encodes a test pattern
 * in real time to Annex B with access-unit delimiters; this class cuts access units on the
 * delimiters, inserts the SEI after each, muxes with Cascade's TsMuxer and pushes over libsrt.
 *
 * <p>The stamp is taken when ffmpeg hands the frame over, so "glass-to-glass" measured from it
 * leaves out capture and encoding (x264 zerolatency, a few ms at 360p) and includes everything
 * Cascade and the browser add.
 */
final class StampedPublisher implements Runnable {
    static final UUID UUID = java.util.UUID.fromString("6b1f1a6e-2c5a-4d7b-9a3e-5f0c8d2e4a11");
    private static final int VIDEO_PID = 0x100;

    private final int port;
    private final String streamId;
    private final int seconds;
    private final String size;
    private final Path log;
    final AtomicLong frames = new AtomicLong();
    volatile Exception failure;

    StampedPublisher(int port, String streamId, int seconds, String size, Path log) {
        this.port = port;
        this.streamId = streamId;
        this.seconds = seconds;
        this.size = size;
        this.log = log;
    }

    @Override
    public void run() {
        int socket = SrtCaller.connect(port, streamId, 120, true, 0, 10_000);
        Process ffmpeg = null;
        try {
            ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re",
                    "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=30", "-t", Integer.toString(seconds),
                    "-c:v", "libx264", "-tune", "zerolatency", "-g", "60", "-bsf:v", "h264_metadata=aud=insert",
                    "-f", "h264", "-").redirectError(log.toFile()).start();
            TsMuxer muxer = new TsMuxer(List.of(new TsMuxer.Track(VIDEO_PID, StreamType.H264, 0xE0, new byte[0])),
                    0x1000, VIDEO_PID);
            ByteBuffer ts = ByteBuffer.allocateDirect(4 << 20);
            long tsAddress = Srt.address(ts);
            AnnexBReader reader = new AnnexBReader(ffmpeg.getInputStream());
            byte[] au;
            while ((au = reader.nextAccessUnit()) != null) {
                long stamp = System.currentTimeMillis();
                byte[] stamped = insertSei(au, stamp);
                boolean key = containsIdr(stamped);
                long pts = 90_000L + frames.getAndIncrement() * 3000L;
                ts.clear();
                if (key) {
                    muxer.writePsi(ts);
                }
                muxer.writeAccessUnit(ts, VIDEO_PID, pts, pts, key, ByteBuffer.wrap(stamped));
                for (int off = 0; off < ts.position(); off += 1316) {
                    if (Srt.send(socket, tsAddress + off, Math.min(1316, ts.position() - off)) < 0) {
                        throw new IOException("SRT connection to the origin lost");
                    }
                }
            }
        } catch (Exception e) {
            failure = e;
        } finally {
            if (ffmpeg != null) {
                ffmpeg.destroy();
            }
            Srt.close(socket);
        }
    }

    /** Puts {@code 00 00 00 01 <SEI>} right after the access unit delimiter that starts {@code au}. */
    static byte[] insertSei(byte[] au, long stampMillis) {
        byte[] data = ByteBuffer.allocate(8).putLong(stampMillis).array();
        byte[] sei = Sei.userDataUnregistered(UUID, data);
        int afterAud = 0;
        List<ByteBuffer> nals = H264.splitAnnexB(ByteBuffer.wrap(au));
        if (!nals.isEmpty() && H264.nalType(nals.get(0).get(nals.get(0).position())) == H264.NAL_AUD) {
            afterAud = nals.get(0).limit();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(au.length + sei.length + 4);
        out.write(au, 0, afterAud);
        out.write(new byte[] {0, 0, 0, 1}, 0, 4);
        out.write(sei, 0, sei.length);
        out.write(au, afterAud, au.length - afterAud);
        return out.toByteArray();
    }

    private static boolean containsIdr(byte[] au) {
        for (ByteBuffer nal : H264.splitAnnexB(ByteBuffer.wrap(au))) {
            if (nal.hasRemaining() && H264.nalType(nal.get(nal.position())) == H264.NAL_IDR) {
                return true;
            }
        }
        return false;
    }

    /** Cuts an Annex B byte stream into access units, each starting with its delimiter (NAL type 9). */
    static final class AnnexBReader {
        private final InputStream in;
        private final byte[] chunk = new byte[64 * 1024];
        private byte[] buf = new byte[1 << 20];
        private int len;
        private boolean eof;

        AnnexBReader(InputStream in) {
            this.in = in;
        }

        /** The next whole access unit, or null at the end of the stream. */
        byte[] nextAccessUnit() throws IOException {
            while (true) {
                int next = findAud(4);
                if (next > 0) {
                    byte[] au = java.util.Arrays.copyOfRange(buf, 0, next);
                    System.arraycopy(buf, next, buf, 0, len - next);
                    len -= next;
                    return au;
                }
                if (eof) {
                    if (len == 0) {
                        return null;
                    }
                    byte[] au = java.util.Arrays.copyOf(buf, len);
                    len = 0;
                    return au;
                }
                int n = in.read(chunk);
                if (n < 0) {
                    eof = true;
                    continue;
                }
                if (len + n > buf.length) {
                    buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
                }
                System.arraycopy(chunk, 0, buf, len, n);
                len += n;
            }
        }

        /** Offset of the start code of the next AUD at or after {@code from}, or -1. */
        private int findAud(int from) {
            for (int i = from; i + 3 < len; i++) {
                if (buf[i] == 0 && buf[i + 1] == 0 && buf[i + 2] == 1 && (buf[i + 3] & 0x1F) == H264.NAL_AUD) {
                    return i > 0 && buf[i - 1] == 0 ? i - 1 : i;
                }
            }
            return -1;
        }
    }
}
