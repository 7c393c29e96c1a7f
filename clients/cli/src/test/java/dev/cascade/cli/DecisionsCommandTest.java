package dev.cascade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecisionsCommandTest {
    static final String DECISIONS = """
            {"items":[\
            {"at":"2026-11-21T10:05:00Z","group":"eu","rule":"","cloud":"aws","action":"APPLY_FAILED","from":0,"to":0,\
            "nodes":[],"reason":"terraform apply failed 3 times: quota exceeded"},\
            {"at":"2026-11-21T10:04:00Z","group":"eu","rule":"edge/eu-west","cloud":"local","action":"SCALE_OUT",\
            "from":1,"to":3,"nodes":["eu-edge-1a2b3c4d","eu-edge-5e6f7a8b"],"reason":"load 80% above 70% for 30.0 s"}]}""";

    @TempDir
    Path home;
    FakeManager manager;
    CliRunner cli;

    @BeforeEach
    void start() throws IOException {
        manager = FakeManager.start();
        cli = new CliRunner(home).env("CASCADE_MANAGER", manager.url()).env("CASCADE_ADMIN_KEY", "read-key");
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    @Test
    void printsTheDecisionsAsAnsweredNewestFirstWithTheReasonLast() {
        manager.reply("GET /api/v1/decisions", 200, DECISIONS);

        CliRunner.Result r = cli.run("decisions", "--group", "eu", "--limit", "2");

        assertThat(r.status()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("""
                AT                     GROUP   RULE           CLOUD   ACTION         FROM->TO   NODES                               REASON
                2026-11-21T10:05:00Z   eu      -              aws     APPLY_FAILED   0->0       -                                   terraform apply failed 3 times: quota exceeded
                2026-11-21T10:04:00Z   eu      edge/eu-west   local   SCALE_OUT      1->3       eu-edge-1a2b3c4d,eu-edge-5e6f7a8b   load 80% above 70% for 30.0 s
                """);
        FakeManager.Request request = manager.onlyRequest();
        assertThat(request.target()).isEqualTo("GET /api/v1/decisions?group=eu&limit=2");
        assertThat(request.header("Authorization")).isEqualTo("Bearer read-key");
    }

    @Test
    void withoutOptionsNothingIsInTheQueryAndNoDecisionsIsAHeader() {
        manager.reply("GET /api/v1/decisions", 200, "{\"items\":[]}");

        CliRunner.Result r = cli.run("decisions");

        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("AT   GROUP   RULE   CLOUD   ACTION   FROM->TO   NODES   REASON\n");
        assertThat(manager.onlyRequest().target()).isEqualTo("GET /api/v1/decisions");
    }

    @Test
    void asJsonIsTheAnswerPrettyPrinted() {
        manager.reply("GET /api/v1/decisions", 200, "{\"items\":[{\"action\":\"DRAIN\",\"from\":3,\"to\":2}]}");

        assertThat(cli.run("decisions", "-o", "json").out()).isEqualTo("""
                {
                  "items": [
                    {
                      "action": "DRAIN",
                      "from": 3,
                      "to": 2
                    }
                  ]
                }
                """);
    }

    @Test
    void badOptionsAreUsageErrorsAndNothingIsSent() {
        CliRunner.Result limit = cli.run("decisions", "--limit", "0");
        assertThat(limit.status()).isEqualTo(2);
        assertThat(limit.err()).startsWith("cascadectl: --limit must be 1-1000, not 0\nUsage: cascadectl decisions");
        assertThat(cli.run("decisions", "--limit", "1001").status()).isEqualTo(2);
        assertThat(cli.run("decisions", "--group", "-eu").err()).startsWith("cascadectl: '-eu' is not a node group name");
        assertThat(manager.requests()).isEmpty();
    }

    @Test
    void aProblemIsPassedThroughAndAnAnswerWithoutItemsIsRefused() {
        manager.reply("GET /api/v1/decisions?limit=5", 403, """
                {"type":"https://cascade.dev/problems/forbidden","title":"Forbidden","status":403,\
                "detail":"this key may not read decisions"}""")
                .reply("GET /api/v1/decisions?limit=6", 200, "{\"decisions\":[]}");

        CliRunner.Result problem = cli.run("decisions", "--limit", "5");
        CliRunner.Result bad = cli.run("decisions", "--limit", "6");

        assertThat(problem.status()).isEqualTo(1);
        assertThat(problem.err()).isEqualTo("cascadectl: Forbidden (403 forbidden): this key may not read decisions\n");
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err()).isEqualTo("cascadectl: the answer to GET /api/v1/decisions has no items array\n");
    }

    @Test
    void anOlderManagerWithoutTheEndpointIsItsNotFoundProblem() {
        CliRunner.Result r = cli.run("decisions");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("cascadectl: Not found (404 not-found): no such endpoint\n");
    }
}
