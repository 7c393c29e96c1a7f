/**
 * Server-side WebRTC transport pieces: DTLS 1.2 with the use_srtp extension (BouncyCastle), SRTP
 * contexts keyed from it (jitsi-srtp, OpenSSL backend), and the certificates both rest on.
 */
package dev.cascade.node.webrtc;
