/** Opus (RFC 6716) TOC parsing, the Opus-in-MPEG-TS access unit framing, and Opus over RTP (RFC 7587). */
package dev.cascade.protocol.opus;
