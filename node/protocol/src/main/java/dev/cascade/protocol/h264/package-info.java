/**
 * H.264 / AVC (ITU-T H.264): Annex B framing, RBSP escaping, SPS and SEI parsing, a start-code
 * scanner, and the RFC 6184 RTP payload format (packetizer and depacketizer).
 */
package dev.cascade.protocol.h264;
