package dev.cascade.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.logging2.LoggerImpl;
import org.junit.jupiter.api.Test;

/** Our send-side SRTP against RFC 3711's test vectors and, byte for byte, against jitsi-srtp. */
class SrtpSenderTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void keyDerivationMatchesRfc3711AppendixB3() throws Exception {
        Cipher master = Cipher.getInstance("AES/ECB/NoPadding");
        master.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(HEX.parseHex("E1F97A0D3E018BE0D64FA32C06DE4139"), "AES"));
        byte[] salt = HEX.parseHex("0EC675AD498AFEEBB6960B3AABE6");
        assertThat(HEX.formatHex(SrtpSender.derive(master, salt, 0, 16))).isEqualToIgnoringCase("C61E7A93744F39EE10734AFE3FF7A087");
        assertThat(HEX.formatHex(SrtpSender.derive(master, salt, 2, 14))).isEqualToIgnoringCase("30CBBC08863D8C85D49DB34A9AE1");
        assertThat(HEX.formatHex(SrtpSender.derive(master, salt, 1, 20))).startsWithIgnoringCase("CEBE321F6FF7716B6FD4AB49AF256A15");
    }

    @Test
    void outputIsJitsiSrtpsByteForByteAcrossTheSequenceWrapAndForRetransmissions() throws Exception {
        Random rnd = new Random(3711);
        byte[] key = new byte[16];
        byte[] salt = new byte[14];
        rnd.nextBytes(key);
        rnd.nextBytes(salt);
        int ssrc = 0x5EED1234;
        SrtpSender ours = new SrtpSender(key, salt, ssrc);
        SrtpPolicy policy = SrtpSession.policy();
        policy.setSendReplayEnabled(false); // so jitsi-srtp, too, protects a retransmission again
        SrtpContextFactory factory = new SrtpContextFactory(true, key, salt, policy, policy, new LoggerImpl("test"));
        SrtpCryptoContext theirs = factory.deriveContext(ssrc, 0);
        PacketBuffer buf = new PacketBuffer(2048);
        int seq = 65_500;
        for (int i = 0; i < 200; i++) {
            // Now and then a packet sent before, as a NACK resends it (across the wrap, too).
            int s = i % 17 == 16 ? (seq - 1 - rnd.nextInt(40)) & 0xFFFF : (seq++ & 0xFFFF);
            byte[] rtp = packet(rnd, s, ssrc, i % 3 == 0);
            byte[] mine = Arrays.copyOf(rtp, rtp.length + SrtpSender.TAG_LENGTH);
            int n = ours.protect(mine, rtp.length);
            System.arraycopy(rtp, 0, buf.getBuffer(), 0, rtp.length);
            assertThat(theirs.transformPacket(buf.set(rtp.length))).isEqualTo(SrtpErrorStatus.OK);
            assertThat(n).isEqualTo(buf.getLength());
            assertThat(Arrays.copyOf(mine, n)).as("packet %d, seq %d", i, s)
                    .isEqualTo(Arrays.copyOf(buf.getBuffer(), buf.getLength()));
        }
        factory.close();
    }

    @Test
    void aReceiverSamplingOnePacketIn64AuthenticatesEveryOneAcrossThreeWraps() throws Exception {
        Random rnd = new Random(64);
        byte[] key = new byte[16];
        byte[] salt = new byte[14];
        rnd.nextBytes(key);
        rnd.nextBytes(salt);
        int ssrc = 77;
        SrtpSender ours = new SrtpSender(key, salt, ssrc);
        SrtpContextFactory rx = new SrtpContextFactory(false, key, salt, SrtpSession.policy(), SrtpSession.policy(),
                new LoggerImpl("test"));
        SrtpCryptoContext theirs = rx.deriveContext(ssrc, 0);
        PacketBuffer buf = new PacketBuffer(2048);
        int start = 40_000;
        for (int i = 0; i < 3 * 65_536; i++) {
            int seq = (start + i) & 0xFFFF;
            byte[] rtp = packet(rnd, seq, ssrc, false);
            byte[] p = Arrays.copyOf(rtp, Math.max(rtp.length + SrtpSender.TAG_LENGTH, 64));
            int n = ours.protect(p, rtp.length);
            if (i % 64 == 0) {
                System.arraycopy(p, 0, buf.getBuffer(), 0, n);
                assertThat(theirs.reverseTransformPacket(buf.set(n), false)).as("packet %d, seq %d", i, seq)
                        .isEqualTo(SrtpErrorStatus.OK);
                assertThat(Arrays.copyOf(buf.getBuffer(), buf.getLength())).isEqualTo(rtp);
            }
        }
        rx.close();
    }

    /** An RTP packet with a random payload, sometimes with a one-byte-header extension (abs-send-time). */
    private static byte[] packet(Random rnd, int seq, int ssrc, boolean extension) {
        int ext = extension ? 8 : 0;
        byte[] p = new byte[12 + ext + 1 + rnd.nextInt(200)];
        rnd.nextBytes(p);
        p[0] = (byte) (extension ? 0x90 : 0x80);
        p[1] = 96;
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        p[8] = (byte) (ssrc >> 24);
        p[9] = (byte) (ssrc >> 16);
        p[10] = (byte) (ssrc >> 8);
        p[11] = (byte) ssrc;
        if (extension) {
            p[12] = (byte) 0xBE;
            p[13] = (byte) 0xDE;
            p[14] = 0;
            p[15] = 1;
        }
        return p;
    }
}
