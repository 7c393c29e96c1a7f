/** The node's HTTP port: {@code /metrics}, {@code /healthz} and a read-only stream list. */
package dev.cascade.node.http;
