/** Classifying datagrams on the node's single WebRTC UDP port by their first bytes (RFC 7983, RFC 5761). */
package dev.cascade.protocol.demux;
