/** Prometheus metrics of a node (Micrometer), named with the vocabulary of ARCHITECTURE.md section 2. */
package dev.cascade.node.metrics;
