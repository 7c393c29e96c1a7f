package dev.cascade.node.stream;

/** A source that pushes to us (a publisher): it may be taken over when idle, and leaves a grace period. */
public interface PushedSource extends Source {}
