package dev.cascade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailoverAndErrorsTest {
    @TempDir
    Path home;
    FakeManager manager;
    CliRunner cli;

    @BeforeEach
    void start() throws IOException {
        manager = FakeManager.start().reply("GET /api/v1/cluster", 200, "{\"streams\":1}");
        cli = new CliRunner(home);
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    @Test
    void aManagerThatRefusesConnectionsIsSkippedForTheNext() throws IOException {
        String refusing = "http://127.0.0.1:" + FakeManager.refusingPort();

        CliRunner.Result r = cli.run("--manager", refusing + "," + manager.url(), "cluster");

        assertThat(r.status()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("streams:      1\n");
        assertThat(manager.onlyRequest().target()).isEqualTo("GET /api/v1/cluster");
    }

    @Test
    void aPostFailsOverToo_nothingWasSentToARefusingManager() throws IOException {
        manager.reply("POST /api/v1/apikeys", 201, "{\"id\":\"k1\",\"key\":\"s\"}");
        cli.env("CASCADE_MANAGER", "http://127.0.0.1:" + FakeManager.refusingPort() + ", " + manager.url());

        CliRunner.Result r = cli.run("keys", "create", "--name", "n", "--role", "admin");

        assertThat(r.status()).isZero();
        assertThat(manager.onlyRequest().body()).isEqualTo("{\"name\":\"n\",\"role\":\"admin\"}");
    }

    @Test
    void noManagerReachableExitsThreeNamingEveryUrlTried() throws IOException {
        String first = "http://127.0.0.1:" + FakeManager.refusingPort();
        String second = "http://127.0.0.1:" + FakeManager.refusingPort();

        CliRunner.Result r = cli.run("nodes", "list", "--manager", first + "," + second);

        assertThat(r.status()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("cascadectl: cannot reach the stream manager: " + first + " (cannot connect), "
                + second + " (cannot connect)\n");
    }

    @Test
    void whenTheUnreachableManagerIsTheDefaultTheMessageSaysSo() throws IOException {
        URI refusing = URI.create("http://127.0.0.1:" + FakeManager.refusingPort());
        ManagerClient client = new ManagerClient(List.of(refusing), null, true, "cascadectl/test");

        assertThatThrownBy(() -> client.get("/cluster", Query.none()))
                .isInstanceOfSatisfying(UnreachableException.class, e -> assertThat(e.lines()).containsExactly(
                        "cannot reach the stream manager: " + refusing + " (cannot connect)",
                        "that is the default; point --manager or CASCADE_MANAGER at the cluster's stream managers"));
    }

    @Test
    void managerUrlsAreNormalizedToTheirBase() {
        assertThat(Cascadectl.managerUrls("sm1:8080, https://sm2/api/v1/ ,http://proxy/cascade/,"))
                .containsExactly(URI.create("http://sm1:8080"), URI.create("https://sm2"),
                        URI.create("http://proxy/cascade"));
    }

    @Test
    void aBaseUrlWithApiV1OrAPrefixIsUsedAsIs() {
        assertThat(cli.run("--manager", manager.url() + "/api/v1/", "cluster").status()).isZero();
        assertThat(cli.run("--manager", manager.url() + "/cascade", "cluster").status()).isEqualTo(1);

        assertThat(manager.requests()).extracting(FakeManager.Request::target)
                .containsExactly("GET /api/v1/cluster", "GET /cascade/api/v1/cluster");
    }

    @Test
    void anUnusableManagerUrlIsAUsageError() {
        CliRunner.Result option = cli.run("--manager", "ftp://sm1", "cluster");
        assertThat(option.status()).isEqualTo(2);
        assertThat(option.err()).startsWith("cascadectl: --manager: 'ftp://sm1' is not an http:// or https:// URL\n");

        CliRunner.Result env = cli.env("CASCADE_MANAGER", " , ").run("cluster");
        assertThat(env.status()).isEqualTo(2);
        assertThat(env.err()).startsWith("cascadectl: CASCADE_MANAGER: no URL given\n");
    }

    @Test
    void aProblemWithoutDetailIsPrintedWithoutTheColonPart() {
        manager.reply("GET /api/v1/cluster", 503, """
                {"type":"https://cascade.dev/problems/cluster-unavailable","title":"Cluster unavailable","status":503}""");

        CliRunner.Result r = cli.run("--manager", manager.url(), "cluster");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("cascadectl: Cluster unavailable (503 cluster-unavailable)\n");
    }

    @Test
    void aProblemOfAnotherTypeShowsTheWholeTypeUri() {
        manager.reply("GET /api/v1/cluster", 400, """
                {"type":"https://example.com/probs/x","title":"Bad","status":400,"detail":"d"}""");

        assertThat(cli.run("--manager", manager.url(), "cluster").err())
                .isEqualTo("cascadectl: Bad (400 https://example.com/probs/x): d\n");
    }

    @Test
    void anErrorThatIsNotAProblemShowsTheStatusUrlAndBodyStart() {
        manager.reply("GET /api/v1/cluster", new FakeManager.Reply(502, "text/html",
                "<html>502 Bad Gateway</html>\n<p>nginx</p>", Map.of()));

        CliRunner.Result r = cli.run("--manager", manager.url(), "cluster");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("cascadectl: HTTP 502 from " + manager.url() + "/api/v1/cluster: "
                + "<html>502 Bad Gateway</html>\n");
    }

    @Test
    void aRedirectIsNotFollowedAndSaysWhereItPointed() {
        manager.reply("GET /api/v1/cluster", new FakeManager.Reply(301, "text/plain", "",
                Map.of("Location", "https://sm1/api/v1/cluster")));

        CliRunner.Result r = cli.run("--manager", manager.url(), "cluster");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("cascadectl: HTTP 301 from " + manager.url() + "/api/v1/cluster "
                + "(Location: https://sm1/api/v1/cluster; point --manager at the final URL)\n");
    }

    @Test
    void aSuccessThatIsNotJsonExitsOne() {
        manager.reply("GET /api/v1/cluster", new FakeManager.Reply(200, "text/plain", "ok", Map.of()));

        CliRunner.Result r = cli.run("--manager", manager.url(), "cluster");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("cascadectl: " + manager.url() + "/api/v1/cluster answered 200 with a body "
                + "that is not JSON\n");
    }

    @Test
    void usageErrorsExitTwoWithTheSynopsis() {
        CliRunner.Result none = cli.run();
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err()).startsWith("cascadectl: no command given\nUsage: cascadectl [OPTIONS] [COMMAND]");

        CliRunner.Result group = cli.run("keys");
        assertThat(group.status()).isEqualTo(2);
        assertThat(group.err()).startsWith("cascadectl: 'cascadectl keys' needs a subcommand\n")
                .contains("Usage: cascadectl keys [OPTIONS] [COMMAND]", "  create ");

        CliRunner.Result typo = cli.run("nodse");
        assertThat(typo.status()).isEqualTo(2);
        assertThat(typo.err()).isEqualTo("""
                cascadectl: Unmatched argument at index 0: 'nodse'
                Did you mean: cascadectl nodes?
                Usage: cascadectl [OPTIONS] [COMMAND]
                Try 'cascadectl --help' for more information.
                """);

        CliRunner.Result option = cli.run("streams", "list", "--bogus");
        assertThat(option.status()).isEqualTo(2);
        assertThat(option.err()).startsWith("cascadectl: Unknown option: '--bogus'\n");

        CliRunner.Result format = cli.run("cluster", "-o", "yaml");
        assertThat(format.status()).isEqualTo(2);
        assertThat(format.err()).startsWith("cascadectl: Invalid value for option '--output': 'yaml' is not one of "
                + "table, json\n");
        assertThat(manager.requests()).isEmpty();
    }

    @Test
    void helpAndVersionExitZeroOnStdout() {
        CliRunner.Result help = cli.run("--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("Usage: cascadectl [OPTIONS] [COMMAND]", "publish", "watch", "nodes",
                "streams", "groups", "keys", "cluster", "Exit status:", "CASCADE_MANAGER", "Examples:");

        CliRunner.Result sub = cli.run("help", "watch");
        assertThat(sub.status()).isZero();
        assertThat(sub.out()).contains("Usage: cascadectl watch [OPTIONS] STREAM", "--player", "Examples:");

        CliRunner.Result version = cli.run("--version");
        assertThat(version.status()).isZero();
        assertThat(version.out()).startsWith("cascadectl ").doesNotContain("${");
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheSubcommand() {
        assertThat(cli.run("-o", "json", "--manager", manager.url(), "cluster").out()).isEqualTo("{\n  \"streams\": 1\n}\n");
        assertThat(cli.run("cluster", "--manager", manager.url(), "--output", "json").out())
                .isEqualTo("{\n  \"streams\": 1\n}\n");
    }

    /** A manager that accepts the connection and never answers, to see the request timeout. */
    @Test
    void aGetThatTimesOutFailsOverButAPostDoesNotSinceItMayHaveTakenEffect() throws Exception {
        manager.reply("GET /api/v1/nodes/n1", 200, "{\"id\":\"n1\"}");
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            URI silentUri = URI.create("http://127.0.0.1:" + silent.getLocalPort());
            ManagerClient client = new ManagerClient(List.of(silentUri, URI.create(manager.url())), "k", false,
                    "cascadectl/test", Duration.ofMillis(300));

            assertThat(client.get("/nodes/n1", Query.none()).body().path("id").asText()).isEqualTo("n1");
            assertThat(client.get("/nodes/n1", Query.none()).status()).as("the manager that answered is asked first")
                    .isEqualTo(200);
            assertThat(held).as("so the silent one is not tried again").hasSize(1);

            ManagerClient fresh = new ManagerClient(List.of(silentUri, URI.create(manager.url())), "k", false,
                    "cascadectl/test", Duration.ofMillis(300));
            assertThatThrownBy(() -> fresh.call("POST", "/nodes/n1/drain", Query.none(), null, true))
                    .isInstanceOf(UnreachableException.class)
                    .hasMessage("no answer from " + silentUri + "/api/v1/nodes/n1/drain (no answer within 0.3 s); "
                            + "the request may have taken effect: check before retrying");

            ManagerClient onlySilent = new ManagerClient(List.of(silentUri), null, false, "cascadectl/test",
                    Duration.ofMillis(300));
            assertThatThrownBy(() -> onlySilent.get("/cluster", Query.none()))
                    .isInstanceOf(UnreachableException.class)
                    .hasMessage("cannot reach the stream manager: " + silentUri + " (no answer within 0.3 s)");
            for (Socket s : held) {
                s.close();
            }
        }
        assertThat(manager.requests()).extracting(FakeManager.Request::target)
                .containsExactly("GET /api/v1/nodes/n1", "GET /api/v1/nodes/n1");
    }
}
