package dev.cascade.protocol.mpegts;

/** What {@link TsDemuxer} reports instead of throwing. */
public enum TsError {
    /** Bytes skipped because they did not start a packet; reported once per lost-sync episode. */
    SYNC_LOSS,
    /** continuity_counter jumped (2.4.3.3): packets were lost; the PID's unit in progress is dropped. */
    CONTINUITY,
    /** transport_error_indicator set: the packet is dropped, its PID may itself be wrong. */
    TRANSPORT_ERROR,
    /** Reserved adaptation_field_control, or an adaptation_field_length the packet cannot hold. */
    BAD_ADAPTATION_FIELD,
    /** A PSI section failed to parse (length, CRC, loop lengths). */
    BAD_PSI,
    /** A PES packet had a bad header, was shorter than PES_packet_length, or outgrew the size limit. */
    BAD_PES
}
