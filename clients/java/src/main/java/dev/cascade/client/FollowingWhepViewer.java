package dev.cascade.client;

import dev.cascade.webrtc.DtlsCertificate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * A WHEP viewer that follows its edge's {@code reconnect} events (draft-ietf-wish-whep-02 section
 * 4.9.1.4) make-before-break, as the web player does: on {@code reconnect} with a {@code url} it
 * opens a second session there, waits until that one has delivered a keyframe and
 * {@link #READY_FRAMES} frames after it, and only then DELETEs the old session and drops its peer.
 * If the new session fails (refused, no ICE/DTLS, no media in {@link #READY_TIMEOUT_MS}), the old one
 * keeps playing and the move is tried again after 1, 2, 4, 8 s (at most {@link #MAX_ATTEMPTS}
 * times), or at once when another {@code reconnect} arrives.
 *
 * <p>Many of these share one {@link PeerLoop} and one {@link WhepSignaling}: the integration tests
 * run several in one JVM. Every move is recorded ({@link #moves()}) with what the new session had
 * delivered when the old one was closed, so a test can assert that media never stopped. Event
 * handling and moves run on one thread per viewer; peers run on the loop.
 */
public final class FollowingWhepViewer implements AutoCloseable {
    static final int READY_FRAMES = 10;
    static final long READY_TIMEOUT_MS = 10_000;
    static final int MAX_ATTEMPTS = 5;
    static final long CONNECT_TIMEOUT_MS = 10_000;

    /**
     * One completed move.
     *
     * @param newKeyframes     keyframes the new session had delivered when the old one was closed
     * @param newFrames        video frames the new session had delivered then
     * @param newVideoPackets  video packets the new session had delivered then
     * @param oldVideoPackets  video packets the old session delivered in all
     * @param deleteStatus     the old session's DELETE status (200)
     */
    public record Move(URI from, URI to, long newKeyframes, long newFrames, long newVideoPackets, long oldVideoPackets,
                       int deleteStatus) {}

    /** One session: where, the server's resource, our peer, its event stream. */
    private record Leg(URI endpoint, WhepSignaling.Session session, WebRtcPeer peer, WhepSignaling.EventStream events) {}

    private final String name;
    private final PeerLoop loop;
    private final WhepSignaling whep;
    private final BcTlsCrypto crypto;
    private final DtlsCertificate identity;
    private final URI endpoint;
    private final ScheduledExecutorService worker;
    private final List<Move> moves = new CopyOnWriteArrayList<>();
    private volatile Leg current;
    private volatile boolean closed;
    /** The move being tried: its target and attempt, so a newer reconnect supersedes it. Worker thread. */
    private URI target;
    private int attempt;
    private long generation;

    // Totals across sessions; the current peer's own counters are added on read.
    private volatile long carriedVideoPackets;
    private volatile long carriedFrames;
    private volatile long carriedKeyframes;
    public volatile long reconnectEvents;
    public volatile long failedAttempts;
    public volatile String lastError;

    public FollowingWhepViewer(String name, PeerLoop loop, WhepSignaling whep, BcTlsCrypto crypto, DtlsCertificate identity,
                               URI endpoint) {
        this.name = name;
        this.loop = loop;
        this.whep = whep;
        this.crypto = crypto;
        this.identity = identity;
        this.endpoint = endpoint;
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "whep-viewer-" + name);
            t.setDaemon(true);
            return t;
        };
        this.worker = Executors.newSingleThreadScheduledExecutor(threads);
    }

    /** Opens the first session and subscribes to its events. Blocks until ICE and DTLS are done. */
    public FollowingWhepViewer start() throws Exception {
        Leg leg = worker.submit(() -> open(endpoint)).get(CONNECT_TIMEOUT_MS + 10_000, TimeUnit.MILLISECONDS);
        current = leg;
        return this;
    }

    public List<Move> moves() {
        return List.copyOf(moves);
    }

    /** The endpoint of the session playing now. */
    public URI currentEndpoint() {
        Leg l = current;
        return l == null ? null : l.endpoint();
    }

    /** The session playing now (its Location). */
    public URI currentResource() {
        Leg l = current;
        return l == null ? null : l.session().resource();
    }

    /** Video packets received over all sessions. */
    public long videoPackets() throws Exception {
        Leg l = current;
        return carriedVideoPackets + (l == null ? 0 : onLoop(() -> l.peer().video.packets));
    }

    /** Video frames received over all sessions. */
    public long videoFrames() throws Exception {
        Leg l = current;
        return carriedFrames + (l == null ? 0 : onLoop(() -> l.peer().videoFrames));
    }

    public long keyframes() throws Exception {
        Leg l = current;
        return carriedKeyframes + (l == null ? 0 : onLoop(() -> l.peer().keyframes));
    }

    /** SRTP/SRTCP authentication failures of the current session. */
    public long authFailures() throws Exception {
        Leg l = current;
        return l == null ? 0 : onLoop(() -> l.peer().authFailures);
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> c) throws Exception {
        return loop.call(c).get(5, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- worker thread

    private Leg open(URI at) throws Exception {
        WebRtcPeer peer = WebRtcPeer.open(InetAddress.getLoopbackAddress(), crypto, identity);
        WhepSignaling.Session session;
        try {
            session = whep.offer(at, peer.offer(true));
        } catch (IOException | InterruptedException e) {
            peer.close();
            throw e;
        }
        try {
            peer.connect(session.answer(), CONNECT_TIMEOUT_MS);
            loop.add(peer).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            peer.close();
            deleteQuietly(session.resource());
            throw e;
        }
        WhepSignaling.EventStream events = null;
        if (session.events() != null) {
            try {
                URI stream = whep.subscribe(session.events(), List.of("reconnect"));
                events = listen(session, stream);
            } catch (IOException e) {
                lastError = "events: " + e.getMessage(); // plays on; it just cannot be moved
            }
        }
        return new Leg(at, session, peer, events);
    }

    private WhepSignaling.EventStream listen(WhepSignaling.Session session, URI stream) {
        WhepSignaling.EventStream es = whep.listen(stream, e -> {
            if (e.type().equals("reconnect")) {
                reconnectEvents++;
                String url = ServerSentEvents.reconnectUrl(e.data());
                URI to = url == null ? endpoint : URI.create(url);
                worker.execute(() -> moveTo(session, to));
            }
        });
        // Like EventSource: a stream the server ends (200) while its session lives is opened again; a
        // 404 (the session is gone) or our own close ends it.
        es.ended().whenComplete((status, error) -> worker.schedule(() -> {
            Leg l = current;
            if (!closed && error == null && status == 200 && l != null && l.session() == session) {
                Leg again = new Leg(l.endpoint(), l.session(), l.peer(), listen(session, stream));
                if (current == l) {
                    current = again;
                } else {
                    again.events().close();
                }
            }
        }, 1, TimeUnit.SECONDS));
        return es;
    }

    /** A reconnect event of {@code from}'s session. */
    private void moveTo(WhepSignaling.Session from, URI to) {
        Leg l = current;
        if (closed || l == null || l.session() != from) {
            return; // an event of a session we already left
        }
        target = to;
        attempt = 0;
        generation++;
        tryMove(generation);
    }

    private void tryMove(long gen) {
        if (closed || gen != generation) {
            return;
        }
        Leg old = current;
        URI to = target;
        attempt++;
        Leg next = null;
        try {
            next = open(to);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
            WebRtcPeer p = next.peer();
            long[] seen;
            while (true) {
                // Media first: a keyframe, then READY_FRAMES frames (packets, frames, keyframes).
                seen = onLoop(() -> new long[] {p.video.packets, p.videoFrames, p.keyframes});
                if (seen[2] >= 1 && seen[1] >= READY_FRAMES) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("the new session delivered " + seen[1] + " frames and " + seen[2]
                            + " keyframes in " + READY_TIMEOUT_MS + " ms");
                }
                Thread.sleep(20);
            }
            // Break: the old session goes only now.
            long oldPackets = onLoop(() -> old.peer().video.packets);
            long oldFrames = onLoop(() -> old.peer().videoFrames);
            long oldKeyframes = onLoop(() -> old.peer().keyframes);
            carriedVideoPackets += oldPackets;
            carriedFrames += oldFrames;
            carriedKeyframes += oldKeyframes;
            current = next;
            if (old.events() != null) {
                old.events().close();
            }
            int status = deleteQuietly(old.session().resource());
            loop.remove(old.peer()).get(5, TimeUnit.SECONDS);
            moves.add(new Move(old.endpoint(), to, seen[2], seen[1], seen[0], oldPackets, status));
        } catch (Exception e) {
            failedAttempts++;
            lastError = "move to " + to + " (attempt " + attempt + "): " + e;
            if (next != null) {
                Leg failed = next;
                if (failed.events() != null) {
                    failed.events().close();
                }
                deleteQuietly(failed.session().resource());
                loop.remove(failed.peer());
            }
            if (attempt < MAX_ATTEMPTS) {
                worker.schedule(() -> tryMove(gen), 1000L << (attempt - 1), TimeUnit.MILLISECONDS);
            }
        }
    }

    private int deleteQuietly(URI resource) {
        try {
            return whep.delete(resource);
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Ends the current session (DELETE) and stops. Returns the DELETE status, 0 if there was none. */
    public int stop() throws Exception {
        closed = true;
        return worker.submit(() -> {
            Leg l = current;
            current = null;
            if (l == null) {
                return 0;
            }
            if (l.events() != null) {
                l.events().close();
            }
            carriedVideoPackets += onLoop(() -> l.peer().video.packets);
            int status = deleteQuietly(l.session().resource());
            loop.remove(l.peer()).get(5, TimeUnit.SECONDS);
            return status;
        }).get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (!closed) {
            try {
                stop();
            } catch (Exception e) {
                // closing anyway
            }
        }
        worker.shutdownNow();
    }

    @Override
    public String toString() {
        return "viewer " + name + " at " + currentEndpoint() + " (moves " + moves.size() + ", failed attempts " + failedAttempts
                + ", last error " + lastError + ")";
    }
}
