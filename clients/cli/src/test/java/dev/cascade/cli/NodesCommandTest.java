package dev.cascade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodesCommandTest {
    static final String EDGE_1 = """
            {"id":"edge-eu-1","role":"edge","region":"eu-west","cloud":"local","group":"","state":"INSERVICE",\
            "host":"10.0.0.11","srtPort":9100,"httpPort":8180,"webrtcPort":10100,\
            "capacity":{"maxSubscribers":500,"maxPublishers":0,"maxMbpsOut":0},\
            "load":{"cpu":0.456,"mbpsIn":3.14,"mbpsOut":40.25,"publishers":0,"subscribers":25,"streams":2},\
            "streams":[{"key":"live/match1","publishing":false,"subscribers":20,"kbps":2500,"upstream":"relay-eu-1"},\
            {"key":"live/match2","publishing":false,"subscribers":5,"kbps":1200,"upstream":"relay-eu-1"}],\
            "registeredAt":"2026-03-01T10:00:00Z","lastHeartbeatAt":"2026-03-01T10:05:00Z","stateSince":"2026-03-01T10:00:02Z"}""";
    static final String ORIGIN_1 = """
            {"id":"origin-eu-1","role":"origin","region":"eu-west","state":"DRAINING","host":"10.0.0.5",\
            "load":{"cpu":0.05,"mbpsIn":2.5,"mbpsOut":5,"publishers":1,"subscribers":2,"streams":1},"streams":[]}""";

    @TempDir
    Path home;
    FakeManager manager;
    CliRunner cli;

    @BeforeEach
    void start() throws IOException {
        manager = FakeManager.start();
        cli = new CliRunner(home).env("CASCADE_MANAGER", manager.url());
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    @Test
    void listSendsTheFiltersAndTheKeyAndPrintsAlignedColumns() {
        manager.reply("GET /api/v1/nodes", 200, "{\"items\":[" + EDGE_1 + "," + ORIGIN_1 + "],\"next\":null}");

        CliRunner.Result r = cli.run("nodes", "list", "--role", "EDGE", "--state", "inservice", "--region", "eu-west",
                "--limit", "50", "--key", "k-123");

        assertThat(r.status()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("""
                ID            ROLE     REGION    STATE       HOST        CPU   MBPS-IN   MBPS-OUT   PUBS   SUBS   STREAMS
                edge-eu-1     edge     eu-west   INSERVICE   10.0.0.11   46%   3.1       40.3       0      25     2
                origin-eu-1   origin   eu-west   DRAINING    10.0.0.5    5%    2.5       5.0        1      2      1
                """);
        FakeManager.Request request = manager.onlyRequest();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/api/v1/nodes");
        assertThat(request.query()).isEqualTo("role=edge&state=INSERVICE&region=eu-west&limit=50");
        assertThat(request.header("Authorization")).isEqualTo("Bearer k-123");
    }

    @Test
    void listWithoutAllPrintsOnePageAndSaysHowToGetTheRest() {
        manager.reply("GET /api/v1/nodes", 200, "{\"items\":[" + EDGE_1 + "],\"next\":\"edge-eu-1\"}");

        CliRunner.Result r = cli.run("nodes", "list", "--limit", "1");

        assertThat(r.status()).isZero();
        assertThat(r.out()).hasLineCount(2);
        assertThat(r.err()).isEqualTo("(more: --all, or --cursor edge-eu-1)\n");
        assertThat(manager.onlyRequest().query()).isEqualTo("limit=1");
    }

    @Test
    void allFollowsNextUntilItIsNullAndPrintsOneTable() {
        manager.reply("GET /api/v1/nodes?role=edge&limit=1", 200, "{\"items\":[" + EDGE_1 + "],\"next\":\"c/1 2\"}")
                .reply("GET /api/v1/nodes?role=edge&limit=1&cursor=c%2F1%202", 200,
                        "{\"items\":[" + EDGE_1.replace("edge-eu-1", "edge-eu-2") + "],\"next\":\"c3\"}")
                .reply("GET /api/v1/nodes?role=edge&limit=1&cursor=c3", 200, "{\"items\":[],\"next\":null}");

        CliRunner.Result r = cli.run("nodes", "list", "--role", "edge", "--limit", "1", "--all");

        assertThat(r.status()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out().lines().map(l -> l.split(" ")[0]).toList()).containsExactly("ID", "edge-eu-1", "edge-eu-2");
        assertThat(manager.requests()).extracting(FakeManager.Request::target).containsExactly(
                "GET /api/v1/nodes?role=edge&limit=1",
                "GET /api/v1/nodes?role=edge&limit=1&cursor=c%2F1%202",
                "GET /api/v1/nodes?role=edge&limit=1&cursor=c3");
    }

    @Test
    void allAsJsonIsEveryItemInOnePage() {
        manager.reply("GET /api/v1/nodes", 200, "{\"items\":[{\"id\":\"a\"}],\"next\":\"a\"}")
                .reply("GET /api/v1/nodes?cursor=a", 200, "{\"items\":[{\"id\":\"b\"}],\"next\":null}");

        CliRunner.Result r = cli.run("nodes", "list", "--all", "-o", "json");

        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("""
                {
                  "items": [
                    {
                      "id": "a"
                    },
                    {
                      "id": "b"
                    }
                  ],
                  "next": null
                }
                """);
    }

    @Test
    void oneListPageAsJsonIsPrintedAsAnsweredWithItsNext() {
        manager.reply("GET /api/v1/nodes", 200, "{\"items\":[],\"next\":\"zz\"}");

        CliRunner.Result r = cli.run("nodes", "list", "-o", "json");

        assertThat(r.out()).isEqualTo("""
                {
                  "items": [],
                  "next": "zz"
                }
                """);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aCursorAnsweredTwiceStopsTheWalkInsteadOfLooping() {
        manager.reply("GET /api/v1/nodes", 200, "{\"items\":[],\"next\":\"same\"}");

        CliRunner.Result r = cli.run("nodes", "list", "--all");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("cascadectl: the manager answered the cursor same twice; stopped following\n");
        assertThat(manager.requests()).hasSize(2);
    }

    @Test
    void getPrintsTheNodeAndItsStreams() {
        manager.reply("GET /api/v1/nodes/edge-eu-1", 200, EDGE_1);

        CliRunner.Result r = cli.run("nodes", "get", "edge-eu-1");

        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("""
                id:               edge-eu-1
                role:             edge
                state:            INSERVICE
                region:           eu-west
                cloud:            local
                group:            -
                host:             10.0.0.11
                srtPort:          9100
                httpPort:         8180
                webrtcPort:       10100
                capacity:         maxSubscribers=500 maxPublishers=0 maxMbpsOut=0
                load:             cpu=0.456 mbpsIn=3.14 mbpsOut=40.25 publishers=0 subscribers=25 streams=2
                registeredAt:     2026-03-01T10:00:00Z
                lastHeartbeatAt:  2026-03-01T10:05:00Z
                stateSince:       2026-03-01T10:00:02Z
                streams:
                  STREAM        PUBLISHING   SUBSCRIBERS   KBPS   UPSTREAM
                  live/match1   false        20            2500   relay-eu-1
                  live/match2   false        5             1200   relay-eu-1
                """);
        assertThat(manager.onlyRequest().target()).isEqualTo("GET /api/v1/nodes/edge-eu-1");
    }

    @Test
    void getAsJsonKeepsTheNumbersAsWritten() {
        manager.reply("GET /api/v1/nodes/n1", 200, "{\"id\":\"n1\",\"load\":{\"cpu\":0.50,\"mbpsOut\":1e2}}");

        assertThat(cli.run("nodes", "get", "n1", "-o", "json").out()).isEqualTo("""
                {
                  "id": "n1",
                  "load": {
                    "cpu": 0.50,
                    "mbpsOut": 100
                  }
                }
                """);
    }

    @Test
    void drainPostsWithNoBodyAndPrintsTheNode() {
        manager.reply("POST /api/v1/nodes/origin-eu-1/drain", 200, ORIGIN_1);

        CliRunner.Result r = cli.run("nodes", "drain", "origin-eu-1", "--key", "admin-k");

        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("state:            DRAINING\n").endsWith("streams: none\n");
        FakeManager.Request request = manager.onlyRequest();
        assertThat(request.target()).isEqualTo("POST /api/v1/nodes/origin-eu-1/drain");
        assertThat(request.body()).isEmpty();
        assertThat(request.header("Content-Type")).isNull();
        assertThat(request.header("Authorization")).isEqualTo("Bearer admin-k");
    }

    @Test
    void rmDeletesAndConfirmsInTableModeButPrintsNothingAsJson() {
        manager.reply("DELETE /api/v1/nodes/edge-eu-1", 204, null);

        CliRunner.Result table = cli.run("nodes", "rm", "edge-eu-1");
        CliRunner.Result json = cli.run("nodes", "delete", "edge-eu-1", "-o", "json");

        assertThat(table.status()).isZero();
        assertThat(table.out()).isEqualTo("removed node edge-eu-1\n");
        assertThat(json.status()).isZero();
        assertThat(json.out()).isEmpty();
        assertThat(manager.requests()).extracting(FakeManager.Request::target)
                .containsExactly("DELETE /api/v1/nodes/edge-eu-1", "DELETE /api/v1/nodes/edge-eu-1");
    }

    @Test
    void anUnknownNodeIsTheProblemLineAndExitOne() {
        manager.reply("GET /api/v1/nodes/edge-9", 404, """
                {"type":"https://cascade.dev/problems/node-not-found","title":"Node not found","status":404,\
                "detail":"no node edge-9"}""");

        CliRunner.Result r = cli.run("nodes", "get", "edge-9");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("cascadectl: Node not found (404 node-not-found): no node edge-9\n");
    }

    @Test
    void aDrainConflictIsTheProblemLine() {
        manager.reply("POST /api/v1/nodes/n1/drain", 409, """
                {"type":"https://cascade.dev/problems/conflict","title":"Conflict","status":409,\
                "detail":"node n1 is TERMINATED"}""");

        CliRunner.Result r = cli.run("nodes", "drain", "n1");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("cascadectl: Conflict (409 conflict): node n1 is TERMINATED\n");
    }

    @Test
    void badFiltersAndIdsAreUsageErrorsAndNothingIsSent() {
        CliRunner.Result role = cli.run("nodes", "list", "--role", "king");
        assertThat(role.status()).isEqualTo(2);
        assertThat(role.err()).startsWith("cascadectl: Invalid value for option '--role': "
                + "'king' is not one of origin, relay, edge, transcoder\n");
        assertThat(cli.run("nodes", "list", "--state", "UP").status()).isEqualTo(2);
        CliRunner.Result limit = cli.run("nodes", "list", "--limit", "0");
        assertThat(limit.status()).isEqualTo(2);
        assertThat(limit.err()).startsWith("cascadectl: --limit must be 1-1000, not 0\n");
        assertThat(cli.run("nodes", "list", "--limit", "1001").status()).isEqualTo(2);
        assertThat(cli.run("nodes", "get").err()).startsWith("cascadectl: Missing required parameter: 'ID'\n");
        assertThat(cli.run("nodes", "get", "a/b").err())
                .startsWith("cascadectl: 'a/b' is not a node id: 1-64 of A-Z a-z 0-9 _ . -\n");
        assertThat(cli.run("nodes", "rm", "..").status()).isEqualTo(2);
        assertThat(manager.requests()).isEmpty();
    }

    @Test
    void theKeyComesFromTheEnvironmentElseTheKeyFile() throws IOException {
        manager.reply("GET /api/v1/nodes", 200, "{\"items\":[],\"next\":null}");
        Files.createDirectories(home.resolve(".cascade"));
        Files.writeString(home.resolve(".cascade/admin-key"), "  from-file\n");

        cli.run("nodes", "list");
        cli.env("CASCADE_ADMIN_KEY", "from-env").run("nodes", "list");
        cli.run("nodes", "list", "--key", "from-option");
        cli.run("nodes", "list", "--key", "");

        assertThat(manager.requests()).extracting(r -> r.header("Authorization"))
                .containsExactly("Bearer from-file", "Bearer from-env", "Bearer from-option", null);
    }

    @Test
    void aKeyThatCannotGoInAHeaderIsAUsageErrorNamingItsSource() throws IOException {
        Files.createDirectories(home.resolve(".cascade"));
        Files.writeString(home.resolve(".cascade/admin-key"), "two words\n");

        CliRunner.Result r = cli.run("nodes", "list");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("cascadectl: the API key from " + home.resolve(".cascade/admin-key")
                + " has spaces or characters other than printable ASCII in it\n");
        assertThat(manager.requests()).isEmpty();
    }

    @Test
    void noKeyAnywhereSendsNoneAndA401SaysWhereToPutOne() {
        manager.reply("GET /api/v1/nodes", 401, """
                {"type":"https://cascade.dev/problems/unauthorized","title":"Unauthorized","status":401}""");

        CliRunner.Result r = cli.run("nodes", "ls");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("""
                cascadectl: Unauthorized (401 unauthorized)
                cascadectl: no API key was sent: pass --key, set CASCADE_ADMIN_KEY, or put the key in ~/.cascade/admin-key
                """);
        assertThat(manager.onlyRequest().header("Authorization")).isNull();
    }
}
