package dev.cascade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlacementCommandsTest {
    static final String PUBLISH = """
            {"stream":"live/match1","action":"publish","region":"eu-west",\
            "node":{"id":"origin-eu-1","role":"origin","region":"eu-west","host":"203.0.113.5","srtPort":9000,"httpPort":8100},\
            "srtUrl":"srt://203.0.113.5:9000?streamid=#!::r=live/match1,m=publish",\
            "whipUrl":"http://203.0.113.5:8100/whip/live/match1","live":false}""";
    static final String SUBSCRIBE = """
            {"stream":"live/match1","action":"subscribe","region":"eu-west",\
            "node":{"id":"edge-eu-2","role":"edge","region":"eu-west","host":"203.0.113.9","srtPort":9100,"httpPort":8180},\
            "srtUrl":"srt://203.0.113.9:9100?streamid=#!::r=live/match1,m=request",\
            "whepUrl":"http://203.0.113.9:8180/whep/live/match1",\
            "playerUrl":"http://203.0.113.9:8180/watch/live/match1","live":true}""";

    @TempDir
    Path home;
    FakeManager manager;
    CliRunner cli;

    @BeforeEach
    void start() throws IOException {
        manager = FakeManager.start()
                .reply("GET /api/v1/streams/live/match1/publish", 200, PUBLISH)
                .reply("GET /api/v1/streams/live/match1/subscribe", 200, SUBSCRIBE);
        cli = new CliRunner(home).env("CASCADE_MANAGER", manager.url()).env("CASCADE_ADMIN_KEY", "secret-admin-key");
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    @Test
    void publishAsksForTheStreamWithoutTheKeyAndPrintsTheOriginAndBothUrls() {
        CliRunner.Result r = cli.run("publish", "live/match1");

        assertThat(r.status()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("""
                stream:   live/match1
                origin:   origin-eu-1
                host:     203.0.113.5
                region:   eu-west
                live:     false
                srtUrl:   srt://203.0.113.5:9000?streamid=#!::r=live/match1,m=publish
                whipUrl:  http://203.0.113.5:8100/whip/live/match1
                """);
        FakeManager.Request request = manager.onlyRequest();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/api/v1/streams/live/match1/publish");
        assertThat(request.query()).isNull();
        assertThat(request.header("Authorization")).as("placement takes no credential").isNull();
        assertThat(request.header("Accept")).isEqualTo("application/json, application/problem+json");
        assertThat(request.header("User-Agent")).startsWith("cascadectl/");
        assertThat(request.body()).isEmpty();
    }

    @Test
    void theRegionGoesInTheQueryEncoded() {
        assertThat(cli.run("publish", "live/match1", "--region", "eu west").status()).isZero();

        assertThat(manager.onlyRequest().query()).isEqualTo("region=eu%20west");
    }

    @Test
    void srtPrintsOnlyTheSrtUrlSoAScriptCanUseIt() {
        CliRunner.Result r = cli.run("publish", "live/match1", "--srt");

        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("srt://203.0.113.5:9000?streamid=#!::r=live/match1,m=publish\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void whipPrintsOnlyTheWhipUrlEvenWithJsonOutput() {
        CliRunner.Result r = cli.run("-o", "json", "publish", "live/match1", "--whip");

        assertThat(r.out()).isEqualTo("http://203.0.113.5:8100/whip/live/match1\n");
    }

    @Test
    void publishAsJsonIsTheAnswerPrettyPrinted() {
        CliRunner.Result r = cli.run("publish", "live/match1", "-o", "json");

        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("""
                {
                  "stream": "live/match1",
                  "action": "publish",
                  "region": "eu-west",
                  "node": {
                    "id": "origin-eu-1",
                    "role": "origin",
                    "region": "eu-west",
                    "host": "203.0.113.5",
                    "srtPort": 9000,
                    "httpPort": 8100
                  },
                  "srtUrl": "srt://203.0.113.5:9000?streamid=#!::r=live/match1,m=publish",
                  "whipUrl": "http://203.0.113.5:8100/whip/live/match1",
                  "live": false
                }
                """);
    }

    @Test
    void watchPrintsTheEdgeAndItsThreeUrls() {
        CliRunner.Result r = cli.run("watch", "live/match1", "--region", "eu-west");

        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("""
                stream:     live/match1
                edge:       edge-eu-2
                host:       203.0.113.9
                region:     eu-west
                live:       true
                whepUrl:    http://203.0.113.9:8180/whep/live/match1
                playerUrl:  http://203.0.113.9:8180/watch/live/match1
                srtUrl:     srt://203.0.113.9:9100?streamid=#!::r=live/match1,m=request
                """);
        assertThat(manager.onlyRequest().target()).isEqualTo("GET /api/v1/streams/live/match1/subscribe?region=eu-west");
    }

    @Test
    void watchPrintsOneUrlWhenAskedFor() {
        assertThat(cli.run("watch", "live/match1", "--whep").out()).isEqualTo("http://203.0.113.9:8180/whep/live/match1\n");
        assertThat(cli.run("watch", "live/match1", "--player").out())
                .isEqualTo("http://203.0.113.9:8180/watch/live/match1\n");
        assertThat(cli.run("watch", "live/match1", "--srt").out())
                .isEqualTo("srt://203.0.113.9:9100?streamid=#!::r=live/match1,m=request\n");
    }

    @Test
    void twoUrlChoicesAtOnceAreAUsageError() {
        CliRunner.Result r = cli.run("publish", "live/match1", "--srt", "--whip");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("cascadectl: --srt, --whip are mutually exclusive (specify only one)\n")
                .contains("Usage: cascadectl publish [OPTIONS] STREAM")
                .endsWith("Try 'cascadectl publish --help' for more information.\n");
        assertThat(manager.requests()).isEmpty();
    }

    @Test
    void aStreamThatIsNotAppSlashNameIsAUsageErrorAndNothingIsSent() {
        assertThat(cli.run("publish", "match1").err())
                .startsWith("cascadectl: 'match1' is not a stream: expected app/name, e.g. live/match1\n");
        assertThat(cli.run("publish", "live/a/b").status()).isEqualTo(2);
        assertThat(cli.run("watch", "live/a b").err())
                .startsWith("cascadectl: 'a b' is not a stream name: 1-64 of A-Z a-z 0-9 _ . -\n");
        assertThat(cli.run("watch", "live/..").err())
                .startsWith("cascadectl: '..' cannot be used as a stream name in a URL path\n");
        assertThat(cli.run("publish", "live/" + "x".repeat(65)).status()).isEqualTo(2);
        assertThat(manager.requests()).isEmpty();
    }

    @Test
    void anAnswerWithoutTheAskedUrlExitsOneSayingWhatIsMissing() {
        manager.reply("GET /api/v1/streams/live/nosrt/publish", 200, """
                {"stream":"live/nosrt","action":"publish","region":"eu-west",\
                "node":{"id":"origin-eu-1","role":"origin","region":"eu-west","host":"203.0.113.5"}}""");

        CliRunner.Result r = cli.run("publish", "live/nosrt", "--srt");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("cascadectl: the manager's placement for live/nosrt has no srtUrl\n");
    }

    @Test
    void noCapacityPrintsTheProblemAndTheRetryAfter() {
        manager.reply("GET /api/v1/streams/live/full/subscribe", new FakeManager.Reply(503, "application/problem+json",
                """
                {"type":"https://cascade.dev/problems/no-capacity","title":"No capacity","status":503,\
                "detail":"no INSERVICE edge in eu-west has room"}""", java.util.Map.of("Retry-After", "5")));

        CliRunner.Result r = cli.run("watch", "live/full", "--whep");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("""
                cascadectl: No capacity (503 no-capacity): no INSERVICE edge in eu-west has room
                cascadectl: the manager asks to retry after 5 s
                """);
    }
}
