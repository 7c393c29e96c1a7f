/** WHIP ingest (RFC 9725): a browser or OBS publishing H.264 + Opus, turned into the cluster's MPEG-TS. */
package dev.cascade.node.ingest.whip;
