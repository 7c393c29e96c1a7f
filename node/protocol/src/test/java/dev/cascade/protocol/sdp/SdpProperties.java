package dev.cascade.protocol.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SdpProperties {

    /** Arbitrary text raises only SdpParseException; whatever parses writes back and re-parses equal. */
    @Property(tries = 1000)
    void parseThrowsOnlySdpParseExceptionAndIsStable(@ForAll("texts") String text) {
        SessionDescription sdp;
        try {
            sdp = SessionDescription.parse(text);
        } catch (SdpParseException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            return;
        }
        String written = sdp.write();
        assertThat(SessionDescription.parse(written)).isEqualTo(sdp);
        assertThat(SessionDescription.parse(written).write()).isEqualTo(written);
        // The typed views never throw on a parsed description.
        for (MediaDescription m : sdp.media()) {
            m.rtpMaps();
            m.fmtps().forEach(Fmtp::parameterMap);
            m.rtcpFbs();
            m.extMaps();
            m.ssrcs();
            m.ssrcGroups();
            m.msids();
            m.candidates();
            m.fingerprint();
            m.setup();
            m.payloadTypes().forEach(m::rtxFor);
            sdp.direction(m);
            sdp.fingerprint(m);
            H264Profiles.choose(m, "42e01f");
        }
        sdp.groups();
        sdp.origin();
    }

    @Provide
    Arbitrary<String> texts() {
        List<String> seeds = SdpSamples.ALL.stream().map(SdpSamples::load).toList();
        Arbitrary<String> random = Arbitraries.strings().withChars("v=0aom\r\n :/;*.-1925xyzAE\0\t").ofMaxLength(80);
        Arbitrary<String> mutants = Arbitraries.integers().between(0, seeds.size() - 1)
                .flatMap(i -> Arbitraries.longs().map(seed -> mutate(seeds.get(i), seed)));
        Arbitrary<String> small = Arbitraries.longs().map(seed -> mutate(SessionDescriptionTest.HEAD
                + "m=video 9 RTP/AVP 96 97\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 profile-level-id=42e01f\r\n"
                + "a=candidate:1 1 udp 1 1.2.3.4 9 typ srflx raddr 0.0.0.0 rport 0\r\na=ssrc:1 cname:x\r\n", seed));
        return Arbitraries.oneOf(random, mutants, small);
    }

    /** Line-level and character-level edits of a valid description. */
    static String mutate(String sdp, long seed) {
        Random r = new Random(seed);
        List<String> lines = new ArrayList<>(Arrays.asList(sdp.split("\r\n", -1)));
        int edits = 1 + r.nextInt(3);
        for (int e = 0; e < edits && !lines.isEmpty(); e++) {
            int i = r.nextInt(lines.size());
            String l = lines.get(i);
            switch (r.nextInt(7)) {
                case 0 -> lines.remove(i);
                case 1 -> lines.add(r.nextInt(lines.size() + 1), l);
                case 2 -> lines.set(i, l.substring(0, r.nextInt(l.length() + 1)));
                case 3 -> {
                    if (!l.isEmpty()) {
                        char[] c = l.toCharArray();
                        String pick = " :/=;x09\u00e9\t-*\u0000";
                        c[r.nextInt(c.length)] = pick.charAt(r.nextInt(pick.length()));
                        lines.set(i, new String(c));
                    }
                }
                case 4 -> {
                    int pos = r.nextInt(l.length() + 1);
                    lines.set(i, l.substring(0, pos) + " " + l.substring(pos));
                }
                case 5 -> lines.set(i, l.replaceAll("[0-9]+", Integer.toString(r.nextInt(Integer.MAX_VALUE))));
                default -> lines.set(i, l.replace(" ", ""));
            }
        }
        return String.join(r.nextBoolean() ? "\r\n" : "\n", lines);
    }
}
