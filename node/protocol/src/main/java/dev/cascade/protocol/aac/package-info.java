/** AAC in ADTS framing (ISO/IEC 14496-3 1.A.2): frame headers and splitting PES payloads into frames. */
package dev.cascade.protocol.aac;
