package dev.cascade.node.stream;

/** Where a stream's TS comes from: an SRT publisher (origin) or a pull from the upstream node (relay, edge). */
public interface Source {
    /** "publisher" or "relay_link": the word used in metrics and the API. */
    String kind();

    /** Stops ingest and releases the socket. Loop thread only. Must not call back into the stream. */
    void close();
}
