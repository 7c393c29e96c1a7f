/**
 * RTP (RFC 3550) fixed header and RFC 8285 header extensions as flyweight accessors over pooled
 * buffers, a header writer that leaves tail room for the SRTP tag, and the abs-send-time extension.
 */
package dev.cascade.protocol.rtp;
