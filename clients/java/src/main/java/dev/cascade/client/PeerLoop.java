package dev.cascade.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One thread that runs many connected {@link WebRtcPeer}s: a selector over their sockets, each
 * ready socket drained into one shared buffer, and every 50 ms the peers' periodic work (consent,
 * reports). Everything a peer does after {@link WebRtcPeer#connect} happens here, so a peer needs no
 * locks; other threads reach it through {@link #call}.
 */
public final class PeerLoop implements AutoCloseable {
    private static final int BURST = 64;

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<WebRtcPeer> peers = new ArrayList<>();
    private final byte[] buffer = new byte[2048];
    private final ByteBuffer view = ByteBuffer.wrap(buffer);
    private volatile boolean running = true;

    public PeerLoop(String name) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Hands a connected peer to the loop. */
    public CompletableFuture<WebRtcPeer> add(WebRtcPeer peer) {
        return call(() -> {
            peer.channel.register(selector, SelectionKey.OP_READ, peer);
            peers.add(peer);
            return peer;
        });
    }

    /** Closes a peer on the loop thread. */
    public CompletableFuture<Void> remove(WebRtcPeer peer) {
        return call(() -> {
            peers.remove(peer);
            peer.close();
            return null;
        });
    }

    /** Runs {@code work} on the loop thread (where peers may be read and driven). */
    public <T> CompletableFuture<T> call(Callable<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                f.complete(work.call());
            } catch (Exception | Error e) {
                f.completeExceptionally(e);
            }
        });
        selector.wakeup();
        return f;
    }

    public int size() {
        return peers.size();
    }

    private void run() {
        long nextTick = System.nanoTime();
        while (running) {
            try {
                selector.select(10);
            } catch (IOException e) {
                break;
            }
            Runnable t;
            while ((t = tasks.poll()) != null) {
                t.run();
            }
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            long now = System.nanoTime();
            while (it.hasNext()) {
                SelectionKey key = it.next();
                it.remove();
                WebRtcPeer peer = (WebRtcPeer) key.attachment();
                if (!key.isValid()) {
                    continue;
                }
                for (int i = 0; i < BURST; i++) {
                    view.clear();
                    int n;
                    try {
                        n = peer.channel.read(view);
                    } catch (ClosedChannelException e) {
                        key.cancel();
                        break;
                    } catch (IOException e) {
                        continue; // ICMP port unreachable from the server side: nothing to read
                    }
                    if (n <= 0) {
                        break;
                    }
                    peer.onDatagram(buffer, n, now);
                }
            }
            now = System.nanoTime();
            if (now - nextTick >= 0) {
                nextTick = now + 50_000_000L;
                for (int i = 0, n = peers.size(); i < n; i++) {
                    peers.get(i).tick(now);
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (WebRtcPeer p : peers) {
            p.close();
        }
        try {
            selector.close();
        } catch (IOException e) {
            // closing
        }
    }
}
