package dev.cascade.manager.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cascade.manager.api.ApiException;
import dev.cascade.manager.api.Json;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProvisionTest {
    private static Provision.Level level(int n, int w, int h, int kbps, int fps) {
        return new Provision.Level(n, w, h, kbps, fps);
    }

    private static final Provision.Level L1 = level(1, 1280, 720, 2500, 30);
    private static final Provision.Level L2 = level(2, 854, 480, 1000, 30);

    private static String refusal(Runnable r) {
        try {
            r.run();
        } catch (InvalidValueException e) {
            return e.getMessage();
        }
        throw new AssertionError("not refused");
    }

    @Test
    void aSensibleLadderGetsTheDefaultPolicy() {
        Provision p = new Provision(List.of(L1, L2), null, null, null);
        assertThat(p.policy()).isEqualTo(new Provision.Policy(2, 0.9, 1.2, 4000));
        assertThat(p.stamped(Instant.EPOCH).updatedAt()).isEqualTo(Instant.EPOCH);
        Provision own = new Provision(List.of(L1, L2), new Provision.Policy(1, 0.8, 1.5, 0),
                new Provision.Source(1920, 1080), null);
        assertThat(own.policy().startLevel()).isEqualTo(1);
        // a level as large as the source, and a single-level ladder, are fine
        new Provision(List.of(L1), null, new Provision.Source(1280, 720), null);
    }

    @Test
    void bitratesMustDecrease() {
        assertThat(refusal(() -> new Provision(List.of(L1, level(2, 854, 480, 3000, 30)), null, null, null)))
                .isEqualTo("ladder[1].bitrateKbps: must be below level 1's 2500 (got 3000)");
        assertThat(refusal(() -> new Provision(List.of(L1, level(2, 854, 480, 2500, 30)), null, null, null)))
                .isEqualTo("ladder[1].bitrateKbps: must be below level 1's 2500 (got 2500)");
    }

    @Test
    void sizesAndFrameRatesMustNotGrowDownTheLadder() {
        assertThat(refusal(() -> new Provision(List.of(L1, level(2, 1920, 480, 1000, 30)), null, null, null)))
                .isEqualTo("ladder[1].width: must be at most level 1's 1280 (got 1920)");
        assertThat(refusal(() -> new Provision(List.of(L1, level(2, 854, 1080, 1000, 30)), null, null, null)))
                .isEqualTo("ladder[1].height: must be at most level 1's 720 (got 1080)");
        assertThat(refusal(() -> new Provision(List.of(L1, level(2, 854, 480, 1000, 60)), null, null, null)))
                .isEqualTo("ladder[1].fps: must be at most level 1's 30 (got 60)");
    }

    @Test
    void noLevelAboveTheSource() {
        assertThat(refusal(() -> new Provision(List.of(L1, L2), null, new Provision.Source(1024, 768), null)))
                .isEqualTo("ladder[0].width: must be at most the source's 1024 (got 1280)");
        assertThat(refusal(() -> new Provision(List.of(L1, L2), null, new Provision.Source(1280, 576), null)))
                .isEqualTo("ladder[0].height: must be at most the source's 576 (got 720)");
        assertThat(refusal(() -> new Provision.Source(null, 720))).isEqualTo("width: is required");
    }

    @Test
    void levelsAreOneToNInOrder() {
        assertThat(refusal(() -> new Provision(List.of(L1, level(3, 854, 480, 1000, 30)), null, null, null)))
                .isEqualTo("ladder[1].level: levels must be 1, 2, 3... in order, level 1 the highest (expected 2, got 3)");
        assertThat(refusal(() -> new Provision(List.of(L2, L1), null, null, null)))
                .startsWith("ladder[0].level: levels must be 1, 2, 3... in order");
        assertThat(refusal(() -> new Provision(List.of(), null, null, null))).isEqualTo("ladder: must have 1 to 8 levels");
        assertThat(refusal(() -> new Provision(null, null, null, null))).isEqualTo("ladder: must have 1 to 8 levels");
        assertThat(refusal(() -> new Provision(Arrays.asList(L1, null), null, null, null)))
                .isEqualTo("ladder[1]: must be an object");
        Provision.Level[] nine = new Provision.Level[9];
        for (int i = 0; i < 9; i++) {
            nine[i] = level(Math.min(i + 1, 8), 1280, 720, 9000 - i * 100, 30);
        }
        assertThat(refusal(() -> new Provision(List.of(nine), null, null, null))).isEqualTo("ladder: at most 8 levels (got 9)");
    }

    @Test
    void eachLevelIsInRange() {
        assertThat(refusal(() -> level(1, 1280, 720, 2500, 0))).isEqualTo("fps: must be between 1 and 120 (got 0)");
        assertThat(refusal(() -> level(1, 1281, 720, 2500, 30))).isEqualTo("width: must be even (got 1281)");
        assertThat(refusal(() -> level(1, 1280, 721, 2500, 30))).isEqualTo("height: must be even (got 721)");
        assertThat(refusal(() -> level(1, 8, 720, 2500, 30))).isEqualTo("width: must be between 16 and 7680 (got 8)");
        assertThat(refusal(() -> level(1, 1280, 4322, 2500, 30))).isEqualTo("height: must be between 16 and 4320 (got 4322)");
        assertThat(refusal(() -> level(1, 1280, 720, 49, 30))).isEqualTo("bitrateKbps: must be between 50 and 50000 (got 49)");
        assertThat(refusal(() -> level(0, 1280, 720, 2500, 30))).isEqualTo("level: must be between 1 and 8 (got 0)");
        assertThat(refusal(() -> new Provision.Level(1, 1280, 720, null, 30))).isEqualTo("bitrateKbps: is required");
    }

    @Test
    void thePolicyMustFitTheLadder() {
        assertThat(refusal(() -> new Provision(List.of(L1, L2), new Provision.Policy(3, null, null, null), null, null)))
                .isEqualTo("policy.startLevel: the ladder has no level 3 (it has levels 1 to 2)");
        assertThat(refusal(() -> new Provision.Policy(0, null, null, null))).isEqualTo("startLevel: must be between 1 and 8 (got 0)");
        assertThat(refusal(() -> new Provision.Policy(null, 0.0, null, null))).startsWith("downThreshold: must be above 0 and at most 1");
        assertThat(refusal(() -> new Provision.Policy(null, 1.1, null, null))).startsWith("downThreshold: must be above 0 and at most 1");
        assertThat(refusal(() -> new Provision.Policy(null, Double.NaN, null, null))).startsWith("downThreshold:");
        assertThat(refusal(() -> new Provision.Policy(null, null, 0.9, null))).startsWith("upHeadroom: must be between 1 and 4");
        // Up at 1.05 x the next level, down below 1 / 0.9 = 1.111 x it: every step up undone by the next REMB.
        assertThat(refusal(() -> new Provision.Policy(null, 0.9, 1.05, null))).isEqualTo("upHeadroom: must be at least"
                + " 1 / downThreshold (1.111): a level stepped up to at a lower estimate would be stepped down from at once (got 1.05)");
        assertThat(new Provision.Policy(null, 0.9, 1.15, null).upHeadroom()).isEqualTo(1.15);
        assertThat(refusal(() -> new Provision.Policy(null, null, null, 60_001)))
                .isEqualTo("upDelayMs: must be between 0 and 60000 (got 60001)");
    }

    @Test
    void aNodeGroupDefaultLadderHasNoSource() {
        NodeGroupRule rule = new NodeGroupRule(NodeRole.EDGE, "eu", null, 1, 2, null, null, null, null);
        Provision withSource = new Provision(List.of(L1), null, new Provision.Source(1280, 720), null);
        assertThat(refusal(() -> new NodeGroup("g", "", List.of(rule), withSource, null, null)))
                .startsWith("abr.source: a node group's default ladder has no source");
        NodeGroup g = new NodeGroup("g", "", List.of(rule), new Provision(List.of(L1, L2), null, null, null), null, null);
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(g.stamped(now, now).abr().updatedAt()).isEqualTo(now);
        assertThat(new NodeGroup("g", "", List.of(rule), null, null, null).stamped(now, now).abr()).isNull();
    }

    /** Through the strict JSON reader: the refusal names the field with its path in the body. */
    @Test
    void jsonRefusalsNameThePath() {
        assertThat(jsonRefusal("{\"ladder\":[{\"level\":1,\"width\":1280,\"height\":720,\"bitrateKbps\":2500,\"fps\":0}]}"))
                .isEqualTo("ladder[0].fps: must be between 1 and 120 (got 0)");
        assertThat(jsonRefusal("{\"ladder\":[{\"level\":1,\"width\":1280,\"height\":720,\"bitrateKbps\":2500,\"fps\":30}],"
                + "\"policy\":{\"upDelayMs\":-1}}")).isEqualTo("policy.upDelayMs: must be between 0 and 60000 (got -1)");
        assertThat(jsonRefusal("{\"ladder\":[{\"level\":1,\"width\":1280,\"height\":720,\"bitrateKbps\":2500,\"fps\":30},"
                + "{\"level\":2,\"width\":854,\"height\":480,\"bitrateKbps\":3000,\"fps\":30}]}"))
                .isEqualTo("ladder[1].bitrateKbps: must be below level 1's 2500 (got 3000)");
        Provision ok = Json.read(Buffer.buffer("{\"ladder\":[{\"level\":1,\"width\":1280,\"height\":720,\"bitrateKbps\":2500,"
                + "\"fps\":30},{\"level\":2,\"width\":854,\"height\":480,\"bitrateKbps\":1000,\"fps\":30}],"
                + "\"policy\":{\"upHeadroom\":1.5}}"), Provision.class);
        assertThat(ok.policy()).isEqualTo(new Provision.Policy(2, 0.9, 1.5, 4000));
        assertThat(ok.ladder()).containsExactly(L1, L2);
    }

    private static String jsonRefusal(String body) {
        assertThatThrownBy(() -> Json.read(Buffer.buffer(body), Provision.class)).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).slug()).isEqualTo("invalid-value"));
        try {
            Json.read(Buffer.buffer(body), Provision.class);
            throw new AssertionError("not refused");
        } catch (ApiException e) {
            return e.getMessage();
        }
    }
}
