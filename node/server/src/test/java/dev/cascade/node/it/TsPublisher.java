package dev.cascade.node.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Pushes a TS file over SRT in real time (seven packets a message, paced by the file's average
 * byte rate), optionally replacing chosen messages with faults: the publisher side of the bad-input tests.
 */
final class TsPublisher implements AutoCloseable {
    private final SrtTestClient client;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicLong messagesSent = new AtomicLong();
    final AtomicBoolean disconnected = new AtomicBoolean();

    /**
     * @param fault given a message index, returns the bytes to send instead (null: send the file's)
     */
    TsPublisher(int port, String streamId, Path file, double seconds, IntFunction<byte[]> fault) throws IOException {
        List<byte[]> messages = Media.messages(file);
        this.client = SrtTestClient.connect(port, streamId);
        long intervalNanos = (long) (seconds * 1e9 / messages.size());
        this.thread = new Thread(() -> {
            long next = System.nanoTime();
            for (int i = 0; i < messages.size() && running.get(); i++) {
                byte[] m = fault.apply(i);
                if (m == null) {
                    m = messages.get(i);
                }
                if (m.length > 0 && !client.send(m, 0, m.length)) {
                    disconnected.set(true);
                    return;
                }
                messagesSent.incrementAndGet();
                next += intervalNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
            }
        }, "ts-publisher");
        thread.setDaemon(true);
        thread.start();
    }

    boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
