/**
 * SDP (RFC 8866) as WHIP and WHEP exchange it (the JSEP subset of RFC 8829): a parser and writer
 * that keep every line in order, typed views of the attributes WebRTC negotiates, and the H.264
 * profile matching an answerer needs.
 */
package dev.cascade.protocol.sdp;
