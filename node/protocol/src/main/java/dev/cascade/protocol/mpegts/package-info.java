/** MPEG-2 transport stream (ISO/IEC 13818-1): packets, PSI (PAT/PMT), PES, demux and mux. */
package dev.cascade.protocol.mpegts;
