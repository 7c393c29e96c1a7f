package dev.cascade.node.webrtc;

import dev.cascade.protocol.sdp.Fingerprint;
import dev.cascade.protocol.sdp.MediaDescription;
import dev.cascade.protocol.sdp.SessionDescription;

/**
 * What every offer must have before we answer it, WHEP or WHIP: a media section that uses
 * rtcp-mux, ICE credentials, and a sha-256 DTLS fingerprint (the one we will hold the browser's
 * certificate to). A failure is a {@link Refusal} with the HTTP status and the sentence to send.
 */
public final class OfferCheck {
    private OfferCheck() {}

    /** The ICE ufrag and DTLS fingerprint an offer's bundled transport announces. */
    public record Transport(String ufrag, String fingerprint) {}

    /** An offer we cannot serve. */
    public static final class Refusal extends Exception {
        private final int status;
        private final String reason;

        public Refusal(int status, String reason, String message) {
            super(message, null, false, false);
            this.status = status;
            this.reason = reason;
        }

        public int status() {
            return status;
        }

        public String reason() {
            return reason;
        }

        public WebRtcHttpEndpoint.Result result() {
            return WebRtcHttpEndpoint.Result.refused(status, reason, getMessage());
        }
    }

    /** The offer's first usable video section, or a 400 saying there is none. */
    public static MediaDescription video(SessionDescription offer, String what) throws Refusal {
        return offer.media().stream().filter(m -> m.isVideo() && !m.isRejected()).findFirst()
                .orElseThrow(() -> new Refusal(400, "no_video", "the offer has no video section; Cascade " + what + " H.264 video"));
    }

    /** The offer's first usable audio section, or null. */
    public static MediaDescription audio(SessionDescription offer) {
        return offer.media().stream().filter(m -> m.isAudio() && !m.isRejected()).findFirst().orElse(null);
    }

    /** The section's opus/48000 payload type (RFC 7587 section 7), or -1. */
    public static int opusPayloadType(MediaDescription m) {
        return m == null ? -1 : m.rtpMaps().stream().filter(r -> r.is("opus") && r.clockRate() == 48_000)
                .mapToInt(r -> r.payloadType()).findFirst().orElse(-1);
    }

    public static Transport transport(SessionDescription offer, MediaDescription m) throws Refusal {
        if (!m.rtcpMux()) {
            throw new Refusal(400, "bad_offer", "the offer does not use a=rtcp-mux, which WHIP and WHEP require");
        }
        String ufrag = offer.iceUfrag(m).orElseThrow(() -> new Refusal(400, "bad_offer", "the offer has no a=ice-ufrag"));
        offer.icePwd(m).orElseThrow(() -> new Refusal(400, "bad_offer", "the offer has no a=ice-pwd"));
        Fingerprint fp = offer.fingerprint(m).orElseThrow(() -> new Refusal(400, "bad_offer", "the offer has no a=fingerprint"));
        if (!"sha-256".equalsIgnoreCase(fp.hashFunction())) {
            throw new Refusal(400, "bad_offer", "the offer's fingerprint uses " + fp.hashFunction() + "; Cascade checks sha-256");
        }
        return new Transport(ufrag, fp.hex());
    }
}
