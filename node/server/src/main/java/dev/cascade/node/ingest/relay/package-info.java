/** Relay links: a relay's or an edge's pull of one stream from its upstream node over SRT. */
package dev.cascade.node.ingest.relay;
