package dev.cascade.node.manager;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cascade.node.egress.whep.LadderSource;
import dev.cascade.node.egress.whep.abr.AbrLadder;
import dev.cascade.node.egress.whep.abr.VariantChooser;
import dev.cascade.node.manager.ManagerApi.Call;
import dev.cascade.node.manager.ManagerApi.Reply;
import io.vertx.core.AsyncResult;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An edge asks the stream manager for a stream's effective ladder, {@code GET
 * /api/v1/streams/{app}/{name}/abr} (join token): 200 with the ladder and policy, 404
 * {@code provision-not-found} when the stream has none. Answers, "none" included, are kept for
 * {@code abr.lookupCacheMs} so a burst of viewers makes one call; concurrent asks share it.
 * No manager answering, or an answer that does not parse, means "no ladder" (not cached): the viewer
 * plays the stream as published rather than waiting.
 */
public final class ManagerLadders implements LadderSource {
    private static final Logger LOG = LoggerFactory.getLogger(ManagerLadders.class);

    private record Entry(CompletableFuture<AbrLadder> answer, long until) {}

    private final ManagerApi api;
    private final long cacheNanos;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    public ManagerLadders(ManagerApi api, long cacheMs) {
        this.api = api;
        this.cacheNanos = TimeUnit.MILLISECONDS.toNanos(cacheMs);
    }

    @Override
    public CompletionStage<AbrLadder> ladder(String streamKey) {
        long now = System.nanoTime();
        Entry e = cache.get(streamKey);
        if (e != null && (!e.answer.isDone() || now - e.until < 0)) {
            return e.answer;
        }
        CompletableFuture<AbrLadder> answer = new CompletableFuture<>();
        Entry fresh = new Entry(answer, now + cacheNanos);
        cache.put(streamKey, fresh);
        if (cache.size() > 10_000) {
            cache.values().removeIf(x -> x.answer.isDone() && now - x.until >= 0);
        }
        int slash = streamKey.indexOf('/');
        String path = "/api/v1/streams/" + ManagerApi.encode(streamKey.substring(0, slash)) + "/"
                + ManagerApi.encode(streamKey.substring(slash + 1)) + "/abr";
        api.context().runOnContext(v -> api.call(Call.ABR, HttpMethod.GET, path, null).onComplete(ar -> {
            AbrLadder ladder = null;
            boolean keep = true;
            try {
                ladder = answer(streamKey, ar);
            } catch (IllegalArgumentException | NullPointerException bad) {
                keep = false;
                LOG.warn("stream {}: the stream manager's ladder is unusable ({}); its viewers get the stream as published",
                        streamKey, bad.getMessage());
            } catch (IllegalStateException unanswered) {
                keep = false;
                LOG.info("stream {}: {}; its viewers get the stream as published", streamKey, unanswered.getMessage());
            }
            if (!keep) {
                cache.remove(streamKey, fresh);
            }
            answer.complete(ladder);
        }));
        return answer;
    }

    /** Drops what is known about every stream (tests; a provision changed and should apply now). */
    public void forget() {
        cache.clear();
    }

    /**
     * @throws IllegalStateException no usable answer (no manager, or another status)
     * @throws IllegalArgumentException an answer that makes no ladder
     */
    static AbrLadder answer(String streamKey, AsyncResult<Reply> ar) {
        if (ar.failed()) {
            throw new IllegalStateException("no stream manager answered for its ladder: " + ar.cause().getMessage());
        }
        Reply r = ar.result();
        if (r.is(404, "provision-not-found")) {
            return null;
        }
        if (!r.ok() || r.body() == null) {
            throw new IllegalStateException("the ladder was refused by " + r.url() + ": " + r.describe());
        }
        return parse(streamKey, r.body());
    }

    static AbrLadder parse(String streamKey, JsonNode body) {
        List<AbrLadder.Level> levels = new ArrayList<>();
        for (JsonNode l : body.path("ladder")) {
            levels.add(new AbrLadder.Level(l.path("level").asInt(), l.path("width").asInt(), l.path("height").asInt(),
                    l.path("bitrateKbps").asInt(), l.path("fps").asInt()));
        }
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("no ladder levels in " + ManagerApi.abbreviate(body.toString()));
        }
        JsonNode p = body.path("policy");
        VariantChooser.Policy defaults = VariantChooser.Policy.defaults(levels.size());
        VariantChooser.Policy policy = new VariantChooser.Policy(
                p.path("startLevel").asInt(defaults.startLevel()),
                p.path("downThreshold").asDouble(defaults.downThreshold()),
                p.path("upHeadroom").asDouble(defaults.upHeadroom()),
                p.path("upDelayMs").asLong(defaults.upDelayMs()));
        return new AbrLadder(streamKey, levels, policy);
    }
}
