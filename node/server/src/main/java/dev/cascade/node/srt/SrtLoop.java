package dev.cascade.node.srt;

import io.netty.util.collection.IntObjectHashMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that owns a set of SRT sockets and everything reached from their events: it waits in
 * {@code srt_epoll_uwait}, dispatches readiness to each socket's {@link Handler}, then runs queued
 * tasks and due timers. State touched from handlers (streams, subscribers) therefore has exactly one
 * owner and needs no locks; other threads hand work in with {@link #execute}. This keeps libsrt's
 * blocking wait off the Vert.x event loops entirely.
 */
public final class SrtLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SrtLoop.class);
    private static final int MAX_EVENTS = 256;
    /** Upper bound on how long a queued task or timer waits for the loop to notice it. */
    private static final long WAIT_MS = 5;
    private static final int SRT_EPOLL_ENABLE_EMPTY = 1;

    /** Reacts to readiness of one socket. Runs on the loop thread and must not block. */
    public interface Handler {
        void onEvents(int socket, int events);
    }

    /** A cancellable one-shot timer owned by the loop. */
    public static final class Timer implements Comparable<Timer> {
        final long deadlineNanos;
        final Runnable task;
        boolean cancelled;

        Timer(long deadlineNanos, Runnable task) {
            this.deadlineNanos = deadlineNanos;
            this.task = task;
        }

        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Timer o) {
            return Long.compare(deadlineNanos, o.deadlineNanos);
        }
    }

    private final String name;
    private final int eid;
    private final IntObjectHashMap<Handler> handlers = new IntObjectHashMap<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final List<Runnable> tickers = new ArrayList<>();
    private final ByteBuffer events = ByteBuffer.allocateDirect(MAX_EVENTS * 8).order(ByteOrder.nativeOrder());
    private final long eventsAddress = Srt.address(events);
    private final int[] eventFlags = new int[1];
    /** Receive buffer shared by every socket of this loop: data is fully handled before the next recv. */
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(SrtConstants.LIVE_MAX_PAYLOAD + 64);
    private final long receiveAddress = Srt.address(receiveBuffer);
    private final Thread thread;
    private volatile boolean running = true;
    private long nextTickNanos;
    private final long tickNanos;

    public SrtLoop(String name, long tickMillis) {
        Srt.startup();
        this.name = name;
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(tickMillis);
        this.eid = SrtNative.srt_epoll_create();
        if (eid < 0) {
            throw SrtException.last("srt_epoll_create");
        }
        SrtNative.srt_epoll_set(eid, SRT_EPOLL_ENABLE_EMPTY);
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    public void start() {
        nextTickNanos = System.nanoTime() + tickNanos;
        thread.start();
    }

    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    public ByteBuffer receiveBuffer() {
        return receiveBuffer;
    }

    public long receiveAddress() {
        return receiveAddress;
    }

    /** Registers a socket. Loop thread only. */
    public void add(int socket, int eventMask, Handler handler) {
        checkInLoop();
        eventFlags[0] = eventMask;
        if (SrtNative.srt_epoll_add_usock(eid, socket, eventFlags) != 0) {
            throw SrtException.last("srt_epoll_add_usock");
        }
        handlers.put(socket, handler);
    }

    public void modify(int socket, int eventMask) {
        checkInLoop();
        eventFlags[0] = eventMask;
        if (SrtNative.srt_epoll_update_usock(eid, socket, eventFlags) != 0) {
            throw SrtException.last("srt_epoll_update_usock");
        }
    }

    /** Unregisters a socket (it stays open: closing is the owner's job). Loop thread only. */
    public void remove(int socket) {
        checkInLoop();
        if (handlers.remove(socket) != null) {
            SrtNative.srt_epoll_remove_usock(eid, socket);
        }
    }

    /** Runs a task on the loop thread, from any thread. */
    public void execute(Runnable task) {
        tasks.add(task);
    }

    /** Runs a task on the loop and waits for its result; for control paths (HTTP, tests), never per packet. */
    public <T> CompletableFuture<T> submit(java.util.function.Supplier<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        execute(() -> {
            try {
                f.complete(task.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    /** Schedules a one-shot timer. Loop thread only. */
    public Timer schedule(long delayMillis, Runnable task) {
        checkInLoop();
        Timer t = new Timer(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis), task);
        timers.add(t);
        return t;
    }

    /** Adds work that runs every tick (statistics sampling). */
    public void addTicker(Runnable ticker) {
        execute(() -> tickers.add(ticker));
    }

    private void checkInLoop() {
        if (!inLoop() && thread.isAlive()) {
            throw new IllegalStateException("must run on " + name);
        }
    }

    private void run() {
        while (running) {
            int n = SrtNative.srt_epoll_uwait(eid, eventsAddress, MAX_EVENTS, WAIT_MS);
            for (int i = 0; i < n; i++) {
                int socket = events.getInt(i * 8);
                int ev = events.getInt(i * 8 + 4);
                Handler h = handlers.get(socket);
                if (h != null) {
                    try {
                        h.onEvents(socket, ev);
                    } catch (Throwable t) {
                        LOG.error("{}: unexpected error in handler of socket {}", name, socket, t);
                    }
                }
            }
            Runnable task;
            while ((task = tasks.poll()) != null) {
                safely(task);
            }
            long now = System.nanoTime();
            while (!timers.isEmpty() && timers.peek().deadlineNanos <= now) {
                Timer t = timers.poll();
                if (!t.cancelled) {
                    safely(t.task);
                }
            }
            if (now >= nextTickNanos) {
                nextTickNanos = now + tickNanos;
                for (Runnable ticker : tickers) {
                    safely(ticker);
                }
            }
        }
        SrtNative.srt_epoll_release(eid);
    }

    /** A bug in one handler must not take the loop (and every stream on it) down. */
    private void safely(Runnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            LOG.error("{}: unexpected error in handler", name, t);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
