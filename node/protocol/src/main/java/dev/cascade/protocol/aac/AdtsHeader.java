package dev.cascade.protocol.aac;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * ADTS frame header, ISO/IEC 14496-3 section 1.A.2.2 (adts_fixed_header + adts_variable_header),
 * as carried in MPEG-TS with stream_type 0x0F.
 *
 * <pre>
 *  syncword 0xFFF                          12
 *  ID (0 MPEG-4, 1 MPEG-2)                  1
 *  layer = '00'                             2
 *  protection_absent                        1
 *  profile_ObjectType                       2   audioObjectType - 1 (1 = AAC LC)
 *  sampling_frequency_index                 4
 *  private_bit                              1
 *  channel_configuration                    3
 *  original_copy | home                     2
 *  copyright_id_bit | copyright_id_start    2
 *  aac_frame_length                        13   header included
 *  adts_buffer_fullness                    11   0x7FF: variable rate
 *  number_of_raw_data_blocks_in_frame       2
 *  crc_check                               16   only when protection_absent = 0
 * </pre>
 *
 * <p>The canonical encoding ({@link #encodeTo}) is the one FFmpeg writes: ID 0, private, original,
 * home and copyright bits 0, buffer fullness 0x7FF, one raw data block. With protection present the
 * crc_check, which covers raw data this record does not hold, is written as 0 for the caller to fill.
 *
 * @param profile         profile_ObjectType (audioObjectType - 1)
 * @param sampleRate      Hz, from Table 1.18
 * @param frameLength     aac_frame_length: the whole frame, header included
 * @param headerLength    7, or 9 with crc_check
 */
public record AdtsHeader(int profile, int sampleRateIndex, int sampleRate, int channelConfig, int frameLength,
                         int headerLength, boolean protectionAbsent) {

    /** Table 1.18 sampling_frequency_index; 13 and 14 are reserved and 15 (escape) is not allowed in ADTS. */
    private static final int[] SAMPLE_RATES = {
        96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350
    };

    public AdtsHeader {
        if (profile < 0 || profile > 3 || sampleRateIndex < 0 || sampleRateIndex >= SAMPLE_RATES.length
                || sampleRate != SAMPLE_RATES[sampleRateIndex] || channelConfig < 0 || channelConfig > 7
                || headerLength != (protectionAbsent ? 7 : 9) || frameLength < headerLength
                || frameLength > 0x1FFF) {
            throw new IllegalArgumentException("inconsistent ADTS header");
        }
    }

    /** A header with the rate looked up and the header length implied by {@code protectionAbsent}. */
    public static AdtsHeader of(int profile, int sampleRateIndex, int channelConfig, int frameLength,
                                boolean protectionAbsent) {
        if (sampleRateIndex < 0 || sampleRateIndex >= SAMPLE_RATES.length) {
            throw new IllegalArgumentException("sampling_frequency_index " + sampleRateIndex);
        }
        return new AdtsHeader(profile, sampleRateIndex, SAMPLE_RATES[sampleRateIndex], channelConfig, frameLength,
                protectionAbsent ? 7 : 9, protectionAbsent);
    }

    /** Parses the header at absolute {@code offset}; the buffer's limit bounds the read. */
    public static AdtsHeader parse(ByteBuffer b, int offset) {
        if (offset < 0 || b.limit() - offset < 7) {
            throw new AdtsParseException("ADTS header truncated");
        }
        int b0 = b.get(offset) & 0xFF;
        int b1 = b.get(offset + 1) & 0xFF;
        if (b0 != 0xFF || (b1 & 0xF0) != 0xF0) {
            throw new AdtsParseException("ADTS syncword missing");
        }
        if ((b1 & 0x06) != 0) {
            throw new AdtsParseException("ADTS layer must be 0");
        }
        boolean protectionAbsent = (b1 & 0x01) != 0;
        int b2 = b.get(offset + 2) & 0xFF;
        int b3 = b.get(offset + 3) & 0xFF;
        int b4 = b.get(offset + 4) & 0xFF;
        int b5 = b.get(offset + 5) & 0xFF;
        int profile = b2 >> 6;
        int sampleRateIndex = (b2 >> 2) & 0x0F;
        if (sampleRateIndex >= SAMPLE_RATES.length) {
            throw new AdtsParseException("ADTS sampling_frequency_index " + sampleRateIndex + " reserved");
        }
        int channelConfig = ((b2 & 0x01) << 2) | (b3 >> 6);
        int frameLength = ((b3 & 0x03) << 11) | (b4 << 3) | (b5 >> 5);
        int headerLength = protectionAbsent ? 7 : 9;
        if (frameLength < headerLength) {
            throw new AdtsParseException("ADTS aac_frame_length " + frameLength + " shorter than its header");
        }
        if (b.limit() - offset < headerLength) {
            throw new AdtsParseException("ADTS header truncated");
        }
        return new AdtsHeader(profile, sampleRateIndex, SAMPLE_RATES[sampleRateIndex], channelConfig, frameLength,
                headerLength, protectionAbsent);
    }

    /** audioObjectType (1.5.1.1, Table 1.1): 2 for AAC LC. */
    public int audioObjectType() {
        return profile + 1;
    }

    public int encodedSize() {
        return headerLength;
    }

    /** Writes the canonical header (see the class comment) at the buffer's position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        out.put((byte) 0xFF);
        out.put((byte) (0xF0 | (protectionAbsent ? 1 : 0)));
        out.put((byte) ((profile << 6) | (sampleRateIndex << 2) | (channelConfig >> 2)));
        out.put((byte) (((channelConfig & 0x03) << 6) | (frameLength >> 11)));
        out.put((byte) (frameLength >> 3));
        out.put((byte) (((frameLength & 0x07) << 5) | 0x1F));
        out.put((byte) 0xFC);
        if (!protectionAbsent) {
            out.putShort((short) 0);
        }
    }

    /**
     * Splits a PES payload (position to limit) made of whole ADTS frames into slices of the payload,
     * one per frame, header included.
     *
     * @throws AdtsParseException when a frame header is bad or the last frame is cut short
     */
    public static List<ByteBuffer> splitFrames(ByteBuffer pesPayload) {
        List<ByteBuffer> frames = new ArrayList<>(4);
        int p = pesPayload.position();
        int end = pesPayload.limit();
        while (p < end) {
            AdtsHeader h = parse(pesPayload, p);
            if (h.frameLength > end - p) {
                throw new AdtsParseException("ADTS frame of " + h.frameLength + " bytes cut short at " + (end - p));
            }
            frames.add(pesPayload.slice(p, h.frameLength));
            p += h.frameLength;
        }
        return frames;
    }
}
