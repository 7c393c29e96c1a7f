/**
 * WHEP egress: a stream's TS demuxed and packetized into RTP once per stream
 * ({@link dev.cascade.node.egress.whep.WebRtcStreamOut}), then per viewer only rewritten and
 * SRTP-protected ({@link dev.cascade.node.egress.whep.WebRtcViewer}).
 */
package dev.cascade.node.egress.whep;
