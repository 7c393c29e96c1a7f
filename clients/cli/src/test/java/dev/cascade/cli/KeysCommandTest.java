package dev.cascade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandTest {
    @TempDir
    Path home;
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
    void listPrintsIdsNamesAndRoles() {
        manager.reply("GET /api/v1/apikeys", 200, """
                {"items":[{"id":"k1","name":"bootstrap","role":"admin","createdAt":"2026-03-01T09:00:00Z"},\
                {"id":"k2","name":"dashboard","role":"read-only","createdAt":"2026-03-01T09:30:00Z"}],"next":null}""");

        CliRunner.Result r = cli.run("keys", "list");

        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("""
                ID   NAME        ROLE        CREATED
                k1   bootstrap   admin       2026-03-01T09:00:00Z
                k2   dashboard   read-only   2026-03-01T09:30:00Z
                """);
        assertThat(manager.onlyRequest().header("Authorization")).isEqualTo("Bearer admin-key");
    }

    @Test
    void createPostsNameAndRoleAndPrintsTheKeyOnce() {
        manager.reply("POST /api/v1/apikeys", 201, """
                {"id":"k3","name":"ci","role":"read-only","createdAt":"2026-03-01T10:00:00Z","key":"csk_4f9a2b"}""");

        CliRunner.Result r = cli.run("keys", "create", "--name", "ci", "--role", "READ-ONLY");

        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("""
                id:         k3
                name:       ci
                role:       read-only
                createdAt:  2026-03-01T10:00:00Z
                key:        csk_4f9a2b
                """);
        assertThat(r.err()).isEqualTo("The key is shown only this once; store it now.\n");
        FakeManager.Request request = manager.onlyRequest();
        assertThat(request.target()).isEqualTo("POST /api/v1/apikeys");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.body()).isEqualTo("{\"name\":\"ci\",\"role\":\"read-only\"}");
    }

    @Test
    void createAsJsonPrintsTheAnswerSoJqCanTakeTheKey() {
        manager.reply("POST /api/v1/apikeys", 201, "{\"id\":\"k3\",\"key\":\"csk_4f9a2b\"}");

        CliRunner.Result r = cli.run("keys", "create", "--name", "ci", "--role", "admin", "-o", "json");

        assertThat(r.out()).isEqualTo("{\n  \"id\": \"k3\",\n  \"key\": \"csk_4f9a2b\"\n}\n");
        assertThat(manager.onlyRequest().body()).isEqualTo("{\"name\":\"ci\",\"role\":\"admin\"}");
    }

    @Test
    void createNeedsANameAndAKnownRole() {
        assertThat(cli.run("keys", "create", "--role", "admin").err())
                .startsWith("cascadectl: Missing required option: '--name=NAME'\n");
        assertThat(cli.run("keys", "create", "--name", "x", "--role", "root").err())
                .startsWith("cascadectl: Invalid value for option '--role': 'root' is not one of admin, read-only\n");
        assertThat(manager.requests()).isEmpty();
    }

    @Test
    void aReadOnlyKeyIsForbiddenToCreate() {
        manager.reply("POST /api/v1/apikeys", 403, """
                {"type":"https://cascade.dev/problems/forbidden","title":"Forbidden","status":403,\
                "detail":"a read-only key cannot POST /api/v1/apikeys"}""");

        CliRunner.Result r = cli.run("keys", "create", "--name", "x", "--role", "admin");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("cascadectl: Forbidden (403 forbidden): a read-only key cannot POST /api/v1/apikeys\n");
    }

    @Test
    void deleteEncodesTheIdIntoThePath() {
        manager.reply("DELETE /api/v1/apikeys/k%2F1%20x", 204, null);

        CliRunner.Result r = cli.run("keys", "rm", "k/1 x");

        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("revoked API key k/1 x\n");
        assertThat(manager.onlyRequest().target()).isEqualTo("DELETE /api/v1/apikeys/k%2F1%20x");
    }
}
