package dev.cascade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamsCommandTest {
    static final String MATCH1 = """
            {"key":"live/match1","live":true,"origin":"origin-eu-1","subscribers":25,"bitrateKbps":2500,\
            "nodes":[{"id":"origin-eu-1","role":"origin","subscribers":0,"kbps":2500,"upstream":null},\
            {"id":"relay-eu-1","role":"relay","subscribers":0,"kbps":2500,"upstream":"origin-eu-1"},\
            {"id":"edge-eu-1","role":"edge","subscribers":25,"kbps":2500,"upstream":"relay-eu-1"}],\
            "routes":[{"from":"edge-eu-1","to":"relay-eu-1"},{"from":"relay-eu-1","to":"origin-eu-1"}]}""";

    @TempDir
    Path home;
    FakeManager manager;
    CliRunner cli;

    @BeforeEach
    void start() throws IOException {
        manager = FakeManager.start();
        cli = new CliRunner(home).env("CASCADE_MANAGER", manager.url()).env("CASCADE_ADMIN_KEY", "ro-key");
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    @Test
    void listPrintsEachStreamWithItsViewersBitrateAndNodeCount() {
        manager.reply("GET /api/v1/streams", 200, "{\"items\":[" + MATCH1 + ","
                + "{\"key\":\"live/rehearsal\",\"live\":false,\"origin\":null,\"subscribers\":0,\"bitrateKbps\":0,"
                + "\"nodes\":[]}],\"next\":null}");

        CliRunner.Result r = cli.run("streams", "list");

        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("""
                STREAM           LIVE    ORIGIN        SUBSCRIBERS   KBPS   NODES
                live/match1      true    origin-eu-1   25            2500   3
                live/rehearsal   false   -             0             0      0
                """);
        FakeManager.Request request = manager.onlyRequest();
        assertThat(request.target()).isEqualTo("GET /api/v1/streams");
        assertThat(request.header("Authorization")).isEqualTo("Bearer ro-key");
    }

    @Test
    void listAllFollowsTheCursor() {
        manager.reply("GET /api/v1/streams", 200, "{\"items\":[" + MATCH1 + "],\"next\":\"live/match1\"}")
                .reply("GET /api/v1/streams?cursor=live%2Fmatch1", 200,
                        "{\"items\":[" + MATCH1.replace("live/match1", "live/match2") + "],\"next\":null}");

        CliRunner.Result r = cli.run("streams", "list", "--all");

        assertThat(r.status()).isZero();
        assertThat(r.out()).hasLineCount(3).contains("live/match1 ", "live/match2 ");
        assertThat(manager.requests()).hasSize(2);
    }

    @Test
    void getPrintsTheStatsTheNodesAndTheRouteLinks() {
        manager.reply("GET /api/v1/streams/live/match1", 200, MATCH1);

        CliRunner.Result r = cli.run("streams", "get", "live/match1");

        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("""
                key:          live/match1
                live:         true
                origin:       origin-eu-1
                subscribers:  25
                bitrateKbps:  2500
                nodes:
                  ID            ROLE     SUBSCRIBERS   KBPS   UPSTREAM
                  origin-eu-1   origin   0             2500   -
                  relay-eu-1    relay    0             2500   origin-eu-1
                  edge-eu-1     edge     25            2500   relay-eu-1
                routes:
                  edge-eu-1 -> relay-eu-1
                  relay-eu-1 -> origin-eu-1
                """);
        assertThat(manager.onlyRequest().target()).isEqualTo("GET /api/v1/streams/live/match1");
    }

    @Test
    void getShowsTheTranscoderAndTheVariantsOfAStreamWithALadder() {
        manager.reply("GET /api/v1/streams/live/abr", 200, "{\"key\":\"live/abr\",\"live\":true,\"nodes\":[],"
                + "\"transcode\":{\"transcoder\":\"transcoder-1\",\"variants\":[\"live/abr_1\",\"live/abr_2\"],"
                + "\"from\":\"stream\",\"since\":\"2026-11-21T12:00:00Z\"}}")
                .reply("GET /api/v1/streams/live/wait", 200, "{\"key\":\"live/wait\",\"live\":true,\"nodes\":[],"
                        + "\"transcode\":{\"transcoder\":null,\"variants\":[\"live/wait_1\"],\"from\":\"group\"}}");

        assertThat(cli.run("streams", "get", "live/abr").out()).contains(
                "transcoder:   transcoder-1\n", "variants:     live/abr_1, live/abr_2 (stream ladder)\n");
        assertThat(cli.run("streams", "get", "live/wait").out()).contains(
                "transcoder:   none (no transcoder in service has room: viewers get the source only)\n",
                "variants:     live/wait_1 (group ladder)\n");
    }

    @Test
    void getOfAStreamWithoutNodesSaysNone() {
        manager.reply("GET /api/v1/streams/live/idle", 200, "{\"key\":\"live/idle\",\"live\":false,\"nodes\":[]}");

        assertThat(cli.run("streams", "get", "live/idle").out()).endsWith("nodes: none\nroutes: none\n");
    }

    @Test
    void anUnknownStreamIsTheProblemLine() {
        manager.reply("GET /api/v1/streams/live/nope", 404, """
                {"type":"https://cascade.dev/problems/stream-not-found","title":"Stream not found","status":404,\
                "detail":"no stream live/nope"}""");

        CliRunner.Result r = cli.run("streams", "get", "live/nope");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("cascadectl: Stream not found (404 stream-not-found): no stream live/nope\n");
    }
}
