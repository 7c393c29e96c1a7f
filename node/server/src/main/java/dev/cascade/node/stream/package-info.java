/**
 * Streams inside a node: the per-stream packet path (align, observe, cache, fan out), the GOP cache,
 * subscriptions and the registry. Everything here runs on the stream's {@code SrtLoop} thread.
 */
package dev.cascade.node.stream;
