/**
 * Edge ABR, the pure parts: per viewer, which variant of the stream's ladder to send
 * ({@link dev.cascade.node.egress.whep.abr.VariantChooser}, from REMB) and the splice that makes
 * the variants one continuous RTP track ({@link dev.cascade.node.egress.whep.abr.Splicer}). No I/O,
 * no clocks, no locks: the stream's loop thread calls them per REMB and per packet.
 */
package dev.cascade.node.egress.whep.abr;
