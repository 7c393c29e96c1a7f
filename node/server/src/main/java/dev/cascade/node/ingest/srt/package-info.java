/** SRT ingest: a publisher's connection feeding a stream's packet path. */
package dev.cascade.node.ingest.srt;
