package dev.cascade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupsCommandTest {
    static final String EU = """
            {"name":"eu","description":"Europe","rules":[\
            {"role":"edge","region":"eu-west","clouds":[{"cloud":"aws","cloudRegion":"eu-west-1","priority":1,"weight":3,\
            "instanceType":"c6i.large"},{"cloud":"gcp","cloudRegion":"europe-west1","priority":2,"weight":1,"instanceType":""}],\
            "min":2,"max":10,"scaleOutThreshold":0.7,"scaleInThreshold":0.3,"coolDownSeconds":120},\
            {"role":"origin","region":"eu-west","clouds":[{"cloud":"local","priority":1,"weight":1,"instanceType":""}],\
            "min":1,"max":1,"scaleOutThreshold":0.7,"scaleInThreshold":0.3,"coolDownSeconds":120}],\
            "createdAt":"2026-03-01T09:00:00Z","updatedAt":"2026-03-02T09:00:00Z"}""";

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
    void listPrintsNameRuleCountAndDescriptionLast() {
        manager.reply("GET /api/v1/nodegroups", 200, "{\"items\":[" + EU + ",{\"name\":\"us\",\"rules\":[]}],\"next\":null}");

        CliRunner.Result r = cli.run("groups", "list");

        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("""
                NAME   RULES   UPDATED                DESCRIPTION
                eu     2       2026-03-02T09:00:00Z   Europe
                us     0       -                      -
                """);
        assertThat(manager.onlyRequest().target()).isEqualTo("GET /api/v1/nodegroups");
    }

    @Test
    void getPrintsTheGroupAndARuleTable() {
        manager.reply("GET /api/v1/nodegroups/eu", 200, EU);

        CliRunner.Result r = cli.run("groups", "get", "eu");

        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("""
                name:         eu
                description:  Europe
                createdAt:    2026-03-01T09:00:00Z
                updatedAt:    2026-03-02T09:00:00Z
                rules:
                  ROLE     REGION    CLOUDS (PRIORITY/WEIGHT)                            MIN   MAX   SCALE-OUT   SCALE-IN   COOLDOWN-S
                  edge     eu-west   aws:eu-west-1 c6i.large 1/3, gcp:europe-west1 2/1   2     10    0.7         0.3        120
                  origin   eu-west   local 1/1                                           1     1     0.7         0.3        120
                """);
    }

    @Test
    void createPostsTheFileAsJsonWithTheKey() throws IOException {
        Path file = work.resolve("eu.json");
        Files.writeString(file, """
                {
                  "name": "eu",
                  "rules": [{"role": "edge", "region": "eu-west", "min": 2, "max": 10, "scaleOutThreshold": 0.75}]
                }
                """);
        manager.reply("POST /api/v1/nodegroups", 201, EU);

        CliRunner.Result r = cli.run("groups", "create", "-f", file.toString());

        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("name:         eu\n");
        FakeManager.Request request = manager.onlyRequest();
        assertThat(request.target()).isEqualTo("POST /api/v1/nodegroups");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("Authorization")).isEqualTo("Bearer admin-key");
        assertThat(request.body()).isEqualTo("{\"name\":\"eu\",\"rules\":[{\"role\":\"edge\",\"region\":\"eu-west\","
                + "\"min\":2,\"max\":10,\"scaleOutThreshold\":0.75}]}");
    }

    @Test
    void createReadsStdinForADash() {
        manager.reply("POST /api/v1/nodegroups", 201, EU);

        CliRunner.Result r = cli.stdin("{\"name\":\"eu\",\"rules\":[]}").run("groups", "create", "-f", "-", "-o", "json");

        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("{\n  \"name\": \"eu\",\n");
        assertThat(manager.onlyRequest().body()).isEqualTo("{\"name\":\"eu\",\"rules\":[]}");
    }

    @Test
    void replaceSendsWhatGetPrintedWithoutTheReadOnlyTimestamps() throws IOException {
        manager.reply("GET /api/v1/nodegroups/eu", 200, EU).reply("PUT /api/v1/nodegroups/eu", 200, EU);
        Path file = work.resolve("eu.json");
        Files.writeString(file, cli.run("groups", "get", "eu", "-o", "json").out());

        CliRunner.Result r = cli.run("groups", "replace", "eu", "-f", file.toString());

        assertThat(r.status()).isZero();
        FakeManager.Request put = manager.requests().get(1);
        assertThat(put.target()).isEqualTo("PUT /api/v1/nodegroups/eu");
        assertThat(put.header("Content-Type")).isEqualTo("application/json");
        assertThat(put.body()).isEqualTo(EU.replace(",\"createdAt\":\"2026-03-01T09:00:00Z\","
                + "\"updatedAt\":\"2026-03-02T09:00:00Z\"", ""));
    }

    @Test
    void replacePutsTheNameInWhenTheFileHasNone() {
        manager.reply("PUT /api/v1/nodegroups/eu", 200, EU);

        CliRunner.Result r = cli.stdin("{\"rules\":[]}").run("groups", "replace", "eu", "-f", "-");

        assertThat(r.status()).isZero();
        assertThat(manager.onlyRequest().body()).isEqualTo("{\"rules\":[],\"name\":\"eu\"}");
    }

    @Test
    void replaceRefusesAFileNamingAnotherGroup() {
        CliRunner.Result r = cli.stdin("{\"name\":\"us\",\"rules\":[]}").run("groups", "replace", "eu", "-f", "-");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("cascadectl: -f - names the group \"us\", not \"eu\"\n");
        assertThat(manager.requests()).isEmpty();
    }

    @Test
    void aMissingOrBadFileIsAUsageErrorAndNothingIsSent() throws IOException {
        Path missing = work.resolve("missing.json");
        assertThat(cli.run("groups", "create", "-f", missing.toString()).err())
                .startsWith("cascadectl: -f " + missing + ": no such file\n");
        Path notJson = work.resolve("eu.yaml");
        Files.writeString(notJson, "name: eu\n");
        CliRunner.Result r = cli.run("groups", "create", "-f", notJson.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("cascadectl: -f " + notJson + ": not JSON: Unrecognized token 'name'");
        assertThat(cli.stdin("[1]").run("groups", "create", "-f", "-").err())
                .startsWith("cascadectl: -f -: expected a JSON object (a node group)\n");
        assertThat(cli.run("groups", "create").err()).startsWith("cascadectl: Missing required option: '--file=FILE'\n");
        assertThat(cli.run("groups", "get", "EU").err()).startsWith("cascadectl: 'EU' is not a node group name");
        assertThat(manager.requests()).isEmpty();
    }

    @Test
    void aRejectedGroupIsTheProblemLine() {
        manager.reply("POST /api/v1/nodegroups", 400, """
                {"type":"https://cascade.dev/problems/invalid-value","title":"Invalid value","status":400,\
                "detail":"rules[0].max must be at least min"}""");

        CliRunner.Result r = cli.stdin("{\"name\":\"eu\",\"rules\":[]}").run("groups", "create", "-f", "-");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("cascadectl: Invalid value (400 invalid-value): rules[0].max must be at least min\n");
    }

    @Test
    void deleteConfirms() {
        manager.reply("DELETE /api/v1/nodegroups/eu", 204, null);

        CliRunner.Result r = cli.run("groups", "delete", "eu");

        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("deleted node group eu\n");
        assertThat(manager.onlyRequest().target()).isEqualTo("DELETE /api/v1/nodegroups/eu");
    }
}
