package dev.cascade.protocol.sdp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the H.264 payload type of an offer that can carry a stream we already have, from the
 * offer's {@code a=rtpmap:<pt> H264/90000} and {@code a=fmtp:<pt>} lines (RFC 6184 section 8.1).
 *
 * <p>profile-level-id is three bytes in hex: profile_idc, profile-iop (the constraint_set flags)
 * and level_idc. The profile follows from profile_idc and the constraint flags as in libwebrtc's
 * {@code h264_profile_level_id.cc} table:
 *
 * <pre>
 *  profile_idc  profile-iop   profile                 e.g.
 *  0x42         x1xx0000      Constrained Baseline    42e01f, 42c01f, 42401f
 *  0x4D         1xxx0000      Constrained Baseline    4d801f
 *  0x58         11xx0000      Constrained Baseline
 *  0x42         x0xx0000      Baseline                42001f, 42801f
 *  0x58         10xx0000      Baseline
 *  0x4D         0x0x0000      Main                    4d001f, 4d401f
 *  0x58         00xx0000      Extended
 *  0x64         00000000      High                    64001f
 *  0x64         00001100      Constrained High        640c1f
 *  0xF4         00000000      Predictive High 4:4:4   f4001f
 * </pre>
 *
 * A receiver that decodes profile P decodes our stream of profile S when S's tools are a subset of
 * P's: Constrained Baseline is decodable by every profile here; Baseline by Baseline and Extended;
 * Main by Main and High; Constrained High by Constrained High and High.
 *
 * <p>Ranking among compatible payload types: packetization-mode=1 first (our packetizer needs
 * STAP-A and FU-A; a mode-0 match is only a last resort and says so in {@link Match#packetizationMode}),
 * then an offered level at least ours, then the same profile as ours, then offer order. A match
 * whose level is below ours is still returned (browsers decode above their advertised level in
 * practice; Chromium always offers level 3.1) but flagged with {@link Match#levelSufficient}.
 * Payload types with packetization-mode 2 (interleaved) are never chosen.
 */
public final class H264Profiles {
    public static final String ENCODING_NAME = "H264";
    public static final int CLOCK_RATE = 90_000;
    /** RFC 6184 8.1: the profile-level-id assumed when the fmtp has none (Baseline, level 1). */
    public static final String DEFAULT_PROFILE_LEVEL_ID = "42000a";

    private H264Profiles() {}

    public enum Profile {
        CONSTRAINED_BASELINE, BASELINE, MAIN, EXTENDED, HIGH, CONSTRAINED_HIGH, PREDICTIVE_HIGH_444;

        /** Whether a decoder for this profile decodes streams of {@code stream}'s profile. */
        public boolean decodes(Profile stream) {
            return switch (stream) {
                case CONSTRAINED_BASELINE -> true;
                case BASELINE -> this == BASELINE || this == EXTENDED;
                case MAIN -> this == MAIN || this == HIGH;
                case EXTENDED -> this == EXTENDED;
                case CONSTRAINED_HIGH -> this == CONSTRAINED_HIGH || this == HIGH;
                case HIGH -> this == HIGH;
                case PREDICTIVE_HIGH_444 -> this == PREDICTIVE_HIGH_444;
            };
        }
    }

    /** The three bytes of profile-level-id. */
    public record ProfileLevelId(int profileIdc, int profileIop, int levelIdc) {
        public ProfileLevelId {
            if (profileIdc < 0 || profileIdc > 255 || profileIop < 0 || profileIop > 255 || levelIdc < 0
                    || levelIdc > 255) {
                throw new IllegalArgumentException("profile-level-id bytes " + profileIdc + "/" + profileIop + "/"
                        + levelIdc);
            }
        }

        /** Parses six hex digits, e.g. {@code 42e01f}. */
        public static ProfileLevelId parse(String hex) {
            if (hex == null || hex.length() != 6) {
                throw new SdpParseException("profile-level-id '" + hex + "' is not 6 hex digits");
            }
            int v = 0;
            for (int i = 0; i < 6; i++) {
                int d = Character.digit(hex.charAt(i), 16);
                if (d < 0 || hex.charAt(i) >= 0x80) {
                    throw new SdpParseException("profile-level-id '" + hex + "' is not 6 hex digits");
                }
                v = (v << 4) | d;
            }
            return new ProfileLevelId(v >> 16, (v >> 8) & 0xFF, v & 0xFF);
        }

        /** The profile, or empty for combinations the table does not name. */
        public Optional<Profile> profile() {
            int iop = profileIop;
            if ((iop & 0x0F) == 0 || profileIdc == 0x64 && iop == 0x0C) {
                switch (profileIdc) {
                    case 0x42:
                        return Optional.of((iop & 0x40) != 0 ? Profile.CONSTRAINED_BASELINE : Profile.BASELINE);
                    case 0x4D:
                        if ((iop & 0x80) != 0) {
                            return Optional.of(Profile.CONSTRAINED_BASELINE);
                        }
                        return (iop & 0x20) == 0 ? Optional.of(Profile.MAIN) : Optional.empty();
                    case 0x58:
                        if ((iop & 0x80) != 0) {
                            return Optional.of((iop & 0x40) != 0 ? Profile.CONSTRAINED_BASELINE : Profile.BASELINE);
                        }
                        return (iop & 0x40) == 0 ? Optional.of(Profile.EXTENDED) : Optional.empty();
                    case 0x64:
                        if (iop == 0) {
                            return Optional.of(Profile.HIGH);
                        }
                        return iop == 0x0C ? Optional.of(Profile.CONSTRAINED_HIGH) : Optional.empty();
                    case 0xF4:
                        return iop == 0 ? Optional.of(Profile.PREDICTIVE_HIGH_444) : Optional.empty();
                    default:
                        return Optional.empty();
                }
            }
            return Optional.empty();
        }

        /**
         * The level for comparisons: level_idc (10 x level, e.g. 31 for 3.1), with level 1b as 9
         * (level_idc 11 with constraint_set3 in Baseline/Main/Extended, or level_idc 9).
         */
        public int level() {
            boolean level1b = levelIdc == 9
                    || levelIdc == 11 && (profileIop & 0x10) != 0 && (profileIdc == 0x42 || profileIdc == 0x4D
                    || profileIdc == 0x58);
            return level1b ? 9 : levelIdc;
        }

        @Override
        public String toString() {
            return String.format("%02x%02x%02x", profileIdc, profileIop, levelIdc);
        }
    }

    /**
     * A usable H.264 payload type of the offer.
     *
     * @param fmtp                  the offered fmtp parameters (lowercased names), to echo in the answer
     * @param levelSufficient       whether the offered level is at least ours
     * @param rtxPayloadType        the offered RTX payload type for it ({@code apt}), if any
     */
    public record Match(int payloadType, ProfileLevelId offered, Profile offeredProfile, int packetizationMode,
                        boolean levelAsymmetryAllowed, boolean levelSufficient, Optional<Integer> rtxPayloadType,
                        Map<String, String> fmtp) {
        public Match {
            fmtp = Map.copyOf(fmtp);
        }
    }

    /** {@link #choose(MediaDescription, ProfileLevelId)} with our profile-level-id as hex. */
    public static Optional<Match> choose(MediaDescription offer, String ourProfileLevelId) {
        return choose(offer, ProfileLevelId.parse(ourProfileLevelId));
    }

    /**
     * The best offered H.264 payload type that can carry our stream, or empty when the offer has
     * none (no H.264 at all, or only profiles that cannot decode ours), so the server can answer
     * which codec is missing. Malformed fmtp values make that payload type unusable, not the call fail.
     *
     * @param ours the profile-level-id of the stream we will send
     * @throws IllegalArgumentException when {@code ours} is not a known profile
     */
    public static Optional<Match> choose(MediaDescription offer, ProfileLevelId ours) {
        Profile ourProfile = ours.profile()
                .orElseThrow(() -> new IllegalArgumentException("unknown H.264 profile " + ours));
        List<Match> matches = new ArrayList<>();
        for (int pt : offer.payloadTypes()) {
            Optional<RtpMap> rtpMap = offer.rtpMap(pt);
            if (rtpMap.isEmpty() || !rtpMap.get().is(ENCODING_NAME) || rtpMap.get().clockRate() != CLOCK_RATE) {
                continue;
            }
            Map<String, String> params = offer.fmtp(pt).map(Fmtp::parameterMap).orElse(Map.of());
            ProfileLevelId offered;
            int mode;
            try {
                offered = ProfileLevelId.parse(params.getOrDefault("profile-level-id", DEFAULT_PROFILE_LEVEL_ID));
                mode = Integer.parseInt(params.getOrDefault("packetization-mode", "0"));
            } catch (SdpParseException | NumberFormatException e) {
                continue;
            }
            Optional<Profile> profile = offered.profile();
            if (profile.isEmpty() || !profile.get().decodes(ourProfile) || mode < 0 || mode > 1) {
                continue;
            }
            matches.add(new Match(pt, offered, profile.get(), mode,
                    "1".equals(params.get("level-asymmetry-allowed")), offered.level() >= ours.level(),
                    offer.rtxFor(pt), params));
        }
        return matches.stream()
                .min(Comparator.comparingInt((Match m) -> m.packetizationMode() == 1 ? 0 : 1)
                        .thenComparingInt(m -> m.levelSufficient() ? 0 : 1)
                        .thenComparingInt(m -> m.offeredProfile() == ourProfile ? 0 : 1));
    }
}
