package dev.cascade.protocol.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cascade.protocol.sdp.H264Profiles.Match;
import dev.cascade.protocol.sdp.H264Profiles.Profile;
import dev.cascade.protocol.sdp.H264Profiles.ProfileLevelId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class H264ProfilesTest {

    @Test
    void profileTable() {
        String[][] table = {
            {"42e01f", "CONSTRAINED_BASELINE"}, {"42c01f", "CONSTRAINED_BASELINE"}, {"42401f", "CONSTRAINED_BASELINE"},
            {"4d801f", "CONSTRAINED_BASELINE"}, {"58c01f", "CONSTRAINED_BASELINE"},
            {"42001f", "BASELINE"}, {"42801f", "BASELINE"}, {"58801f", "BASELINE"},
            {"4d001f", "MAIN"}, {"4d401f", "MAIN"}, {"58001f", "EXTENDED"},
            {"64001f", "HIGH"}, {"640c1f", "CONSTRAINED_HIGH"}, {"f4001f", "PREDICTIVE_HIGH_444"},
            {"4d201f", null}, {"58401f", null}, {"64081f", null}, {"42e11f", null}, {"6e001f", null},
        };
        for (String[] row : table) {
            Optional<Profile> p = ProfileLevelId.parse(row[0]).profile();
            assertThat(p.map(Enum::name).orElse(null)).as(row[0]).isEqualTo(row[1]);
        }
        ProfileLevelId id = ProfileLevelId.parse("42E01F");
        assertThat(id).isEqualTo(new ProfileLevelId(0x42, 0xe0, 0x1f));
        assertThat(id.level()).isEqualTo(31);
        assertThat(id.toString()).isEqualTo("42e01f");
        assertThat(ProfileLevelId.parse("42f00b").level()).isEqualTo(9);  // level 1b: level_idc 11 + constraint_set3
        assertThat(ProfileLevelId.parse("64000b").level()).isEqualTo(11); // High: 11 is level 1.1
        assertThat(ProfileLevelId.parse("640009").level()).isEqualTo(9);
        for (String bad : new String[] {"", "42e01", "42e01f0", "zz0000", "42e0\u0661f"}) {
            assertThatThrownBy(() -> ProfileLevelId.parse(bad), "%s", bad).isInstanceOf(SdpParseException.class);
        }
    }

    @Test
    void decodability() {
        for (Profile decoder : Profile.values()) {
            assertThat(decoder.decodes(Profile.CONSTRAINED_BASELINE)).isTrue();
            assertThat(decoder.decodes(decoder)).isTrue();
        }
        assertThat(Profile.HIGH.decodes(Profile.MAIN)).isTrue();
        assertThat(Profile.MAIN.decodes(Profile.HIGH)).isFalse();
        assertThat(Profile.MAIN.decodes(Profile.BASELINE)).isFalse();
        assertThat(Profile.CONSTRAINED_BASELINE.decodes(Profile.BASELINE)).isFalse();
        assertThat(Profile.HIGH.decodes(Profile.CONSTRAINED_HIGH)).isTrue();
        assertThat(Profile.CONSTRAINED_HIGH.decodes(Profile.HIGH)).isFalse();
    }

    static MediaDescription chromeVideo() {
        return SessionDescription.parse(SdpSamples.load(SdpSamples.WHEP_OFFER)).media().get(1);
    }

    @Test
    void picksFromAChromeOffer() {
        MediaDescription video = chromeVideo();
        Match cb = H264Profiles.choose(video, "42e01f").orElseThrow();
        assertThat(cb.payloadType()).isEqualTo(106);
        assertThat(cb.offeredProfile()).isEqualTo(Profile.CONSTRAINED_BASELINE);
        assertThat(cb.packetizationMode()).isEqualTo(1);
        assertThat(cb.levelAsymmetryAllowed()).isTrue();
        assertThat(cb.levelSufficient()).isTrue();
        assertThat(cb.rtxPayloadType()).hasValue(107);
        assertThat(cb.fmtp()).containsEntry("profile-level-id", "42e01f");
        // Baseline (with FMO etc.) only goes to a Baseline decoder.
        assertThat(H264Profiles.choose(video, "42001f").orElseThrow().payloadType()).isEqualTo(102);
        // Main goes to Main (exact) before High.
        assertThat(H264Profiles.choose(video, "4d001f").orElseThrow().payloadType()).isEqualTo(127);
        // High 4.0 only to High, whose offered level 3.1 is below ours.
        Match high = H264Profiles.choose(video, "640028").orElseThrow();
        assertThat(high.payloadType()).isEqualTo(112);
        assertThat(high.levelSufficient()).isFalse();
        // Constrained Baseline 4.0: every level is short, the exact profile still wins.
        Match cb40 = H264Profiles.choose(video, "42e028").orElseThrow();
        assertThat(cb40.payloadType()).isEqualTo(106);
        assertThat(cb40.levelSufficient()).isFalse();
        // Extended and 4:4:4 are not offered.
        assertThat(H264Profiles.choose(video, "58001f")).isEmpty();
        assertThat(H264Profiles.choose(video, "f4001f")).isEmpty();
    }

    private static MediaDescription video(List<String> formats, String... lines) {
        MediaDescription.Builder b = MediaDescription.builder("video", 9, "UDP/TLS/RTP/SAVPF", formats);
        for (String l : lines) {
            b.line(SdpLine.of('a', l));
        }
        return b.build();
    }

    @Test
    void preferencesAndFallbacks() {
        // Mode 1 before mode 0 even when mode 0 comes first in the offer.
        MediaDescription both = video(List.of("1", "2"), "rtpmap:1 H264/90000",
                "fmtp:1 packetization-mode=0;profile-level-id=42e01f", "rtpmap:2 h264/90000",
                "fmtp:2 packetization-mode=1;profile-level-id=42e01f");
        assertThat(H264Profiles.choose(both, "42e01f").orElseThrow().payloadType()).isEqualTo(2);
        // Only mode 0: returned, and says so.
        MediaDescription mode0 = video(List.of("1"), "rtpmap:1 H264/90000",
                "fmtp:1 packetization-mode=0;profile-level-id=42e01f");
        assertThat(H264Profiles.choose(mode0, "42e01f").orElseThrow().packetizationMode()).isZero();
        // Mode 2 (interleaved) never.
        MediaDescription mode2 = video(List.of("1"), "rtpmap:1 H264/90000",
                "fmtp:1 packetization-mode=2;profile-level-id=42e01f");
        assertThat(H264Profiles.choose(mode2, "42e01f")).isEmpty();
        // No fmtp: Baseline level 1 (RFC 6184 8.1), packetization-mode 0.
        MediaDescription bare = video(List.of("1"), "rtpmap:1 H264/90000");
        Match m = H264Profiles.choose(bare, "42e01f").orElseThrow();
        assertThat(m.offered()).isEqualTo(ProfileLevelId.parse("42000a"));
        assertThat(m.packetizationMode()).isZero();
        assertThat(m.levelSufficient()).isFalse();
        assertThat(m.rtxPayloadType()).isEmpty();
        // A broken fmtp makes that payload type unusable, not the call fail.
        MediaDescription broken = video(List.of("1", "2"), "rtpmap:1 H264/90000",
                "fmtp:1 packetization-mode=x;profile-level-id=42e01f", "rtpmap:2 H264/90000",
                "fmtp:2 packetization-mode=1;profile-level-id=zz");
        assertThat(H264Profiles.choose(broken, "42e01f")).isEmpty();
        // Wrong clock rate, or no H.264 at all.
        assertThat(H264Profiles.choose(video(List.of("1"), "rtpmap:1 H264/8000"), "42e01f")).isEmpty();
        assertThat(H264Profiles.choose(video(List.of("96"), "rtpmap:96 VP8/90000"), "42e01f")).isEmpty();
        assertThatThrownBy(() -> H264Profiles.choose(bare, "6e001f")).isInstanceOf(IllegalArgumentException.class);
    }
}
