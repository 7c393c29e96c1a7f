package dev.cascade.protocol.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The offers kept under test resources, line endings normalised to CRLF. */
final class SdpSamples {
    static final String WHEP_OFFER = "chrome-whep-recvonly-offer.sdp";
    static final String WHIP_OFFER = "chrome-whip-sendonly-offer.sdp";
    static final List<String> ALL = List.of(WHEP_OFFER, WHIP_OFFER);

    private SdpSamples() {}

    static String load(String name) {
        try (InputStream in = SdpSamples.class.getResourceAsStream(name)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.replace("\r\n", "\n").replace("\n", "\r\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
