package dev.cascade.protocol.mpegts;

/**
 * stream_type values of the PMT (ISO/IEC 13818-1 Table 2-34) that Cascade handles, and the
 * descriptor checks that tell a private stream's codec.
 */
public final class StreamType {
    public static final int MPEG1_VIDEO = 0x01;
    public static final int MPEG2_VIDEO = 0x02;
    public static final int MPEG1_AUDIO = 0x03;
    public static final int MPEG2_AUDIO = 0x04;
    /** PES private data (stream_id 0xBD); Opus rides here with a registration descriptor "Opus". */
    public static final int PRIVATE_PES = 0x06;
    /** ISO/IEC 13818-7 AAC with ADTS framing. */
    public static final int AAC_ADTS = 0x0F;
    public static final int MPEG4_VIDEO = 0x10;
    /** ISO/IEC 14496-3 AAC with LATM framing. */
    public static final int AAC_LATM = 0x11;
    public static final int H264 = 0x1B;
    public static final int H265 = 0x24;

    /** registration_descriptor (2.6.8) tag. */
    static final int REGISTRATION_DESCRIPTOR = 0x05;
    /** format_identifier "Opus" (0x4F707573), registered with SMPTE-RA. */
    static final int FORMAT_OPUS = 0x4F707573;

    private StreamType() {}

    public static boolean isVideo(int streamType) {
        return switch (streamType) {
            case MPEG1_VIDEO, MPEG2_VIDEO, MPEG4_VIDEO, H264, H265 -> true;
            default -> false;
        };
    }

    /**
     * True for audio stream types, and for private PES carrying Opus (stream_type 0x06 with a
     * registration descriptor "Opus" in the ES descriptor loop, per the Opus-in-TS mapping).
     */
    public static boolean isAudio(int streamType, byte[] descriptors) {
        return switch (streamType) {
            case MPEG1_AUDIO, MPEG2_AUDIO, AAC_ADTS, AAC_LATM -> true;
            case PRIVATE_PES -> isOpus(streamType, descriptors);
            default -> false;
        };
    }

    /** True for stream_type 0x06 whose descriptors register the format identifier "Opus". */
    public static boolean isOpus(int streamType, byte[] descriptors) {
        return streamType == PRIVATE_PES && formatIdentifier(descriptors) == FORMAT_OPUS;
    }

    /**
     * format_identifier of the first registration_descriptor in a descriptor loop, or 0 when there is
     * none. A loop whose lengths overrun its end is read up to the last whole descriptor.
     */
    public static int formatIdentifier(byte[] descriptors) {
        if (descriptors == null) {
            return 0;
        }
        for (int p = 0; p + 2 <= descriptors.length; ) {
            int tag = descriptors[p] & 0xFF;
            int len = descriptors[p + 1] & 0xFF;
            if (p + 2 + len > descriptors.length) {
                return 0;
            }
            if (tag == REGISTRATION_DESCRIPTOR && len >= 4) {
                return ((descriptors[p + 2] & 0xFF) << 24) | ((descriptors[p + 3] & 0xFF) << 16)
                        | ((descriptors[p + 4] & 0xFF) << 8) | (descriptors[p + 5] & 0xFF);
            }
            p += 2 + len;
        }
        return 0;
    }
}
