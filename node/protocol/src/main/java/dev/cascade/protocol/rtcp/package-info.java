/**
 * RTCP (RFC 3550) compound packets: sender and receiver reports, SDES, BYE; the RFC 4585 / RFC 5104
 * feedback messages a WebRTC sender acts on (generic NACK, PLI, FIR) and REMB; NTP time helpers.
 */
package dev.cascade.protocol.rtcp;
