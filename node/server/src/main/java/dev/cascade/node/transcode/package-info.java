/**
 * The transcoder role: the ABR ladders the stream manager assigns this node (one supervised ffmpeg per
 * stream, pulled from its origin and published back as variants), their metrics, its heartbeat
 * report, and its small HTTP server.
 */
package dev.cascade.node.transcode;
