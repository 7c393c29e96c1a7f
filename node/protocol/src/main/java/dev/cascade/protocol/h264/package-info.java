/** H.264 / AVC (ITU-T H.264): Annex B framing, RBSP escaping, SPS and SEI parsing, a start-code scanner. */
package dev.cascade.protocol.h264;
