/** Opus (RFC 6716) TOC parsing and the Opus-in-MPEG-TS access unit framing. */
package dev.cascade.protocol.opus;
