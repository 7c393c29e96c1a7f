package dev.cascade.node.stream;

/** A source this node pulls (a relay link): closed after the linger once nobody watches. */
public interface PulledSource extends Source {}
