package dev.cascade.node.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.node.egress.whep.abr.AbrLadder;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

class ManagerLaddersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BODY = """
            {"stream":"live/x","from":"stream","transcoder":"transcoder-1",
             "ladder":[{"level":1,"width":1280,"height":720,"bitrateKbps":2500,"fps":30},
                       {"level":2,"width":854,"height":480,"bitrateKbps":1000,"fps":30},
                       {"level":3,"width":640,"height":360,"bitrateKbps":400,"fps":30}],
             "policy":{"startLevel":3,"downThreshold":0.85,"upHeadroom":1.3,"upDelayMs":5000}}""";

    @Test
    void parsesTheEffectiveProvision() throws Exception {
        AbrLadder l = ManagerLadders.parse("live/x", JSON.readTree(BODY));
        assertThat(l.size()).isEqualTo(3);
        assertThat(l.level(2)).isEqualTo(new AbrLadder.Level(2, 854, 480, 1000, 30));
        assertThat(l.bitrates()).containsExactly(2_500_000L, 1_000_000L, 400_000L);
        assertThat(l.policy().startLevel()).isEqualTo(3);
        assertThat(l.policy().downThreshold()).isEqualTo(0.85);
        assertThat(l.policy().upHeadroom()).isEqualTo(1.3);
        assertThat(l.policy().upDelayMs()).isEqualTo(5000);
        assertThat(l.variantKey(2)).isEqualTo("live/x_2");
    }

    @Test
    void aMissingPolicyGetsTheDefaults() throws Exception {
        AbrLadder l = ManagerLadders.parse("live/x", JSON.readTree(
                "{\"ladder\":[{\"level\":1,\"width\":640,\"height\":360,\"bitrateKbps\":800,\"fps\":30},"
                        + "{\"level\":2,\"width\":320,\"height\":180,\"bitrateKbps\":200,\"fps\":15}]}"));
        assertThat(l.policy().startLevel()).isEqualTo(2);
        assertThat(l.policy().upDelayMs()).isEqualTo(4000);
    }

    @Test
    void aLadderThatMakesNoSenseIsRefused() throws Exception {
        assertThatThrownBy(() -> ManagerLadders.parse("live/x", JSON.readTree("{\"ladder\":[]}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no ladder levels");
        assertThatThrownBy(() -> ManagerLadders.parse("live/x", JSON.readTree(
                "{\"ladder\":[{\"level\":1,\"bitrateKbps\":400},{\"level\":2,\"bitrateKbps\":800}]}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strictly decreasing");
    }

    @Test
    void notFoundMeansNoLadderAndOtherAnswersMeanUnknown() throws Exception {
        assertThat(ManagerLadders.answer("live/x", Future.succeededFuture(
                new ManagerApi.Reply("http://m", 404, "provision-not-found", "none", null)))).isNull();
        assertThatThrownBy(() -> ManagerLadders.answer("live/x", Future.succeededFuture(
                new ManagerApi.Reply("http://m", 401, "unauthorized", "bad token", null))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("refused");
        assertThatThrownBy(() -> ManagerLadders.answer("live/x", Future.failedFuture("connection refused")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no stream manager answered");
        assertThat(ManagerLadders.answer("live/x", Future.succeededFuture(
                new ManagerApi.Reply("http://m", 200, null, null, JSON.readTree(BODY)))).size()).isEqualTo(3);
    }
}
