package dev.cascade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventsCommandTest {
    static final String FINAL = """
            {"id":"ev_0123456789ab","name":"final","group":"eu","start":"2026-12-31T20:00:00Z",\
            "end":"2026-12-31T23:00:00Z","expectedPublishers":2,"expectedViewers":5000,"region":"eu-west",\
            "timeZone":"UTC","createdAt":"2026-11-01T09:00:00Z","updatedAt":"2026-11-02T09:00:00Z"}""";
    static final String FRIDAY = """
            {"id":"ev_fedcba987654","name":"friday show","group":"eu","start":"2026-03-06T19:00:00Z",\
            "end":"2026-03-06T22:00:00Z","expectedPublishers":1,"expectedViewers":800,"recurrence":"0 20 * * 5",\
            "timeZone":"Europe/Paris","createdAt":"2026-03-01T09:00:00Z","updatedAt":"2026-03-01T09:00:00Z"}""";

    @TempDir
    Path home;
    @TempDir
    Path work;
    FakeManager manager;
    CliRunner cli;

    @BeforeEach
    void start() throws IOException {
        manager = FakeManager.start();
        cli = new CliRunner(home).env("CASCADE_MANAGER", manager.url()).env("CASCADE_ADMIN_KEY", "admin-key");
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    @Test
    void listSendsTheGroupFilterAndPrintsTheRecurrenceWithItsTimeZoneAndTheNameLast() {
        manager.reply("GET /api/v1/scheduledevents", 200, "{\"items\":[" + FINAL + "," + FRIDAY + "],\"next\":null}");

        CliRunner.Result r = cli.run("events", "list", "--group", "eu", "--limit", "10");

        assertThat(r.status()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("""
                ID                GROUP   REGION    START                  END                    PUBLISHERS   VIEWERS   RECURRENCE                  NAME
                ev_0123456789ab   eu      eu-west   2026-12-31T20:00:00Z   2026-12-31T23:00:00Z   2            5000      -                           final
                ev_fedcba987654   eu      -         2026-03-06T19:00:00Z   2026-03-06T22:00:00Z   1            800       0 20 * * 5 (Europe/Paris)   friday show
                """);
        FakeManager.Request request = manager.onlyRequest();
        assertThat(request.target()).isEqualTo("GET /api/v1/scheduledevents?group=eu&limit=10");
        assertThat(request.header("Authorization")).isEqualTo("Bearer admin-key");
    }

    @Test
    void listFollowsTheCursorWithAllAndSaysWhenMoreRemain() {
        manager.reply("GET /api/v1/scheduledevents?limit=1", 200, "{\"items\":[" + FINAL + "],\"next\":\"ev_0123456789ab\"}")
                .reply("GET /api/v1/scheduledevents?limit=1&cursor=ev_0123456789ab", 200,
                        "{\"items\":[" + FRIDAY + "],\"next\":null}");

        CliRunner.Result one = cli.run("events", "ls", "--limit", "1");
        CliRunner.Result all = cli.run("events", "ls", "--limit", "1", "--all");

        assertThat(one.out()).hasLineCount(2);
        assertThat(one.err()).isEqualTo("(more: --all, or --cursor ev_0123456789ab)\n");
        assertThat(all.out().lines().map(l -> l.split(" ")[0]).toList())
                .containsExactly("ID", "ev_0123456789ab", "ev_fedcba987654");
        assertThat(all.err()).isEmpty();
    }

    @Test
    void getPrintsEveryField() {
        manager.reply("GET /api/v1/scheduledevents/ev_fedcba987654", 200, FRIDAY);

        CliRunner.Result r = cli.run("events", "get", "ev_fedcba987654");

        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("""
                id:                  ev_fedcba987654
                name:                friday show
                group:               eu
                region:              -
                start:               2026-03-06T19:00:00Z
                end:                 2026-03-06T22:00:00Z
                expectedPublishers:  1
                expectedViewers:     800
                recurrence:          0 20 * * 5
                timeZone:            Europe/Paris
                createdAt:           2026-03-01T09:00:00Z
                updatedAt:           2026-03-01T09:00:00Z
                """);
        assertThat(manager.onlyRequest().target()).isEqualTo("GET /api/v1/scheduledevents/ev_fedcba987654");
    }

    @Test
    void getAsJsonIsTheAnswerPrettyPrinted() {
        manager.reply("GET /api/v1/scheduledevents/ev_0123456789ab", 200, "{\"id\":\"ev_0123456789ab\",\"expectedViewers\":5000}");

        assertThat(cli.run("events", "get", "ev_0123456789ab", "-o", "json").out()).isEqualTo("""
                {
                  "id": "ev_0123456789ab",
                  "expectedViewers": 5000
                }
                """);
    }

    @Test
    void anUnknownEventIsTheManagersProblemLineAndExitOne() {
        manager.reply("GET /api/v1/scheduledevents/ev_000000000000", 404, """
                {"type":"https://cascade.dev/problems/scheduled-event-not-found","title":"Not found","status":404,\
                "detail":"no scheduled event ev_000000000000"}""");

        CliRunner.Result r = cli.run("events", "get", "ev_000000000000");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo(
                "cascadectl: Not found (404 scheduled-event-not-found): no scheduled event ev_000000000000\n");
    }

    @Test
    void aBadEventIdIsRefusedBeforeAnythingIsSent() {
        for (String[] args : new String[][] {{"events", "get", "ev_123"}, {"events", "get", "ev_0123456789AB"},
                {"events", "delete", "../nodes"}, {"events", "replace", "0123456789ab", "-f", "-"}}) {
            CliRunner.Result r = cli.stdin("{}").run(args);
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).startsWith("cascadectl: '" + args[2] + "' is not a scheduled event id: ev_ and 12 hex "
                    + "digits (0-9 a-f), e.g. ev_0123456789ab\nUsage: cascadectl events " + args[1]);
        }
        assertThat(manager.requests()).isEmpty();
    }

    @Test
    void createFromOptionsPostsOnlyWhatWasGivenWithTimesAsInstants() {
        manager.reply("POST /api/v1/scheduledevents", 201, FINAL);

        CliRunner.Result r = cli.run("events", "create", "--group", "eu", "--start", "2026-12-31T21:00:00+01:00",
                "--end", "2026-12-31T23:00:00Z", "--viewers", "5000", "--publishers", "2", "--region", "eu-west",
                "--name", "final");

        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("id:                  ev_0123456789ab\nname:                final\n");
        FakeManager.Request request = manager.onlyRequest();
        assertThat(request.target()).isEqualTo("POST /api/v1/scheduledevents");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("Authorization")).isEqualTo("Bearer admin-key");
        assertThat(request.body()).isEqualTo("{\"name\":\"final\",\"group\":\"eu\",\"start\":\"2026-12-31T20:00:00Z\","
                + "\"end\":\"2026-12-31T23:00:00Z\",\"expectedPublishers\":2,\"expectedViewers\":5000,"
                + "\"region\":\"eu-west\"}");
    }

    @Test
    void createARecurringEventSendsTheCronAndItsTimeZone() {
        manager.reply("POST /api/v1/scheduledevents", 201, FRIDAY);

        CliRunner.Result r = cli.run("events", "create", "--group", "eu", "--start", "2026-03-06T19:00:00Z",
                "--end", "2026-03-06T22:00:00Z", "--recurrence", "0 20 * * 5", "--time-zone", "Europe/Paris", "-o", "json");

        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("{\n  \"id\": \"ev_fedcba987654\",\n");
        assertThat(manager.onlyRequest().body()).isEqualTo("{\"group\":\"eu\",\"start\":\"2026-03-06T19:00:00Z\","
                + "\"end\":\"2026-03-06T22:00:00Z\",\"recurrence\":\"0 20 * * 5\",\"timeZone\":\"Europe/Paris\"}");
    }

    @Test
    void createFromAFileLeavesOutTheReadOnlyFieldsSoAnEventCanBeCopied() throws IOException {
        Path file = work.resolve("final.json");
        Files.writeString(file, FINAL);
        manager.reply("POST /api/v1/scheduledevents", 201, FINAL);

        CliRunner.Result fromFile = cli.run("events", "create", "-f", file.toString());
        CliRunner.Result fromStdin = cli.stdin("{\"group\":\"eu\",\"start\":\"2026-12-31T20:00:00Z\","
                + "\"end\":\"2026-12-31T23:00:00Z\"}").run("events", "create", "-f", "-");

        assertThat(fromFile.status()).isZero();
        assertThat(fromStdin.status()).isZero();
        assertThat(manager.requests()).extracting(FakeManager.Request::body).containsExactly(
                "{\"name\":\"final\",\"group\":\"eu\",\"start\":\"2026-12-31T20:00:00Z\",\"end\":\"2026-12-31T23:00:00Z\","
                        + "\"expectedPublishers\":2,\"expectedViewers\":5000,\"region\":\"eu-west\",\"timeZone\":\"UTC\"}",
                "{\"group\":\"eu\",\"start\":\"2026-12-31T20:00:00Z\",\"end\":\"2026-12-31T23:00:00Z\"}");
    }

    @Test
    void createNeedsExactlyOneOfAFileOrTheOptions() {
        assertThat(cli.run("events", "create").err())
                .startsWith("cascadectl: give the event: -f FILE, or --group GROUP --start TIME --end TIME\n"
                        + "Usage: cascadectl events create [OPTIONS]\n");
        assertThat(cli.stdin("{}").run("events", "create", "-f", "-", "--group", "eu", "--viewers", "5").err())
                .startsWith("cascadectl: -f cannot be used with --group, --viewers: the file holds the whole event\n");
        assertThat(cli.run("events", "create", "--start", "2026-12-31T20:00:00Z").err())
                .startsWith("cascadectl: --group GROUP is required (or -f FILE)\n");
        assertThat(cli.run("events", "create", "--group", "eu", "--start", "2026-12-31T20:00:00Z").err())
                .startsWith("cascadectl: --end TIME is required with --group\n");
        assertThat(cli.run("events", "create", "--group", "eu", "--end", "2026-12-31T20:00:00Z").err())
                .startsWith("cascadectl: --start TIME is required with --group\n");
        assertThat(manager.requests()).isEmpty();
    }

    @Test
    void badOptionValuesAreUsageErrorsAndNothingIsSent() {
        String[] times = {"--start", "2026-12-31T20:00:00Z", "--end", "2026-12-31T23:00:00Z"};
        CliRunner.Result time = cli.run("events", "create", "--group", "eu", "--start", "2026-12-31 20:00",
                "--end", "2026-12-31T23:00:00Z");
        assertThat(time.status()).isEqualTo(2);
        assertThat(time.err()).startsWith("cascadectl: --start: '2026-12-31 20:00' is not an ISO-8601 instant, "
                + "e.g. 2026-12-31T20:00:00Z or 2026-12-31T21:00:00+01:00\n");
        assertThat(cli.run("events", "create", "--group", "eu", "--start", "2026-12-31T20:00:00Z", "--end", "23:00").err())
                .startsWith("cascadectl: --end: '23:00' is not an ISO-8601 instant");
        assertThat(cli.run("events", "create", "--group", "eu", "--start", "2026-12-31T20:00:00Z",
                "--end", "2026-12-31T21:00:00+01:00").err())
                .startsWith("cascadectl: --end 2026-12-31T20:00:00Z is not after --start 2026-12-31T20:00:00Z\n");
        assertThat(cli.run(join(new String[] {"events", "create", "--group", "EU"}, times)).err())
                .startsWith("cascadectl: 'EU' is not a node group name");
        assertThat(cli.run(join(new String[] {"events", "create", "--group", "eu", "--viewers", "-1"}, times)).err())
                .startsWith("cascadectl: --viewers must be 0 or more, not -1\n");
        assertThat(cli.run(join(new String[] {"events", "create", "--group", "eu", "--publishers", "two"}, times)).err())
                .startsWith("cascadectl: Invalid value for option '--publishers': 'two' is not an int\n");
        assertThat(cli.run(join(new String[] {"events", "create", "--group", "eu", "--time-zone", "Mars/Base"}, times))
                .err()).startsWith("cascadectl: --time-zone: 'Mars/Base' is not a time zone, e.g. UTC or Europe/Paris\n");
        assertThat(cli.run("events", "list", "--group", "Eu West").err())
                .startsWith("cascadectl: 'Eu West' is not a node group name");
        assertThat(cli.stdin("[]").run("events", "create", "-f", "-").err())
                .startsWith("cascadectl: -f -: expected a JSON object (a scheduled event)\n");
        assertThat(manager.requests()).isEmpty();
    }

    @Test
    void aRejectedEventIsTheProblemLine() {
        manager.reply("POST /api/v1/scheduledevents", 400, """
                {"type":"https://cascade.dev/problems/invalid-value","title":"Invalid value","status":400,\
                "detail":"region: node group eu has no rule in region 'us-east'"}""");

        CliRunner.Result r = cli.run("events", "create", "--group", "eu", "--start", "2026-12-31T20:00:00Z",
                "--end", "2026-12-31T23:00:00Z", "--region", "us-east");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("cascadectl: Invalid value (400 invalid-value): region: node group eu has no "
                + "rule in region 'us-east'\n");
    }

    @Test
    void replaceSendsWhatGetPrintedWithoutTheReadOnlyFields() throws IOException {
        manager.reply("GET /api/v1/scheduledevents/ev_0123456789ab", 200, FINAL)
                .reply("PUT /api/v1/scheduledevents/ev_0123456789ab", 200, FINAL);
        Path file = work.resolve("final.json");
        Files.writeString(file, cli.run("events", "get", "ev_0123456789ab", "-o", "json").out()
                .replace("5000", "8000"));

        CliRunner.Result r = cli.run("events", "replace", "ev_0123456789ab", "-f", file.toString());

        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("id:                  ev_0123456789ab\n");
        FakeManager.Request put = manager.requests().get(1);
        assertThat(put.target()).isEqualTo("PUT /api/v1/scheduledevents/ev_0123456789ab");
        assertThat(put.header("Content-Type")).isEqualTo("application/json");
        assertThat(put.header("Authorization")).isEqualTo("Bearer admin-key");
        assertThat(put.body()).isEqualTo("{\"name\":\"final\",\"group\":\"eu\",\"start\":\"2026-12-31T20:00:00Z\","
                + "\"end\":\"2026-12-31T23:00:00Z\",\"expectedPublishers\":2,\"expectedViewers\":8000,"
                + "\"region\":\"eu-west\",\"timeZone\":\"UTC\"}");
    }

    @Test
    void replaceRefusesAFileOfAnotherEvent() {
        CliRunner.Result r = cli.stdin(FINAL).run("events", "replace", "ev_fedcba987654", "-f", "-");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("cascadectl: -f - is the event \"ev_0123456789ab\", not \"ev_fedcba987654\"\n");
        assertThat(cli.run("events", "replace", "ev_fedcba987654").err())
                .startsWith("cascadectl: Missing required option: '--file=FILE'\n");
        assertThat(manager.requests()).isEmpty();
    }

    @Test
    void replaceOfAnUnknownEventIsThe404() {
        manager.reply("PUT /api/v1/scheduledevents/ev_000000000000", 404, """
                {"type":"https://cascade.dev/problems/scheduled-event-not-found","title":"Not found","status":404,\
                "detail":"no scheduled event ev_000000000000 (POST /scheduledevents creates one)"}""");

        CliRunner.Result r = cli.stdin("{\"group\":\"eu\"}").run("events", "replace", "ev_000000000000", "-f", "-");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("cascadectl: Not found (404 scheduled-event-not-found): no scheduled event "
                + "ev_000000000000 (POST /scheduledevents creates one)\n");
    }

    @Test
    void deleteConfirmsInTableModeAndPrintsNothingAsJson() {
        manager.reply("DELETE /api/v1/scheduledevents/ev_0123456789ab", 204, null);

        CliRunner.Result table = cli.run("events", "delete", "ev_0123456789ab");
        CliRunner.Result json = cli.run("events", "rm", "ev_0123456789ab", "-o", "json");

        assertThat(table.status()).isZero();
        assertThat(table.out()).isEqualTo("deleted scheduled event ev_0123456789ab\n");
        assertThat(json.status()).isZero();
        assertThat(json.out()).isEmpty();
        assertThat(manager.requests()).extracting(FakeManager.Request::target).containsExactly(
                "DELETE /api/v1/scheduledevents/ev_0123456789ab", "DELETE /api/v1/scheduledevents/ev_0123456789ab");
        assertThat(manager.requests().get(0).header("Authorization")).isEqualTo("Bearer admin-key");
    }

    @Test
    void helpShowsExamples() {
        CliRunner.Result r = cli.run("events", "create", "--help");

        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Usage: cascadectl events create [OPTIONS]", "--recurrence=CRON", "Examples:",
                "  cascadectl events create -f final.json\n");
        assertThat(cli.run("--help").out()).contains("  events ", "  decisions ", "  deployments ");
    }

    private static String[] join(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
