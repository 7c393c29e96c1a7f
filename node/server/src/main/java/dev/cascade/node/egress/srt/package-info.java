/** SRT egress: a viewer's (or a downstream node's) pull of a stream. */
package dev.cascade.node.egress.srt;
