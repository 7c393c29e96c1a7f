package dev.cascade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentsCommandTest {
    static final String DEPLOYMENTS = """
            {"items":[\
            {"group":"eu","cloud":"aws","nodes":[\
            {"id":"eu-edge-1a2b3c4d","role":"edge","region":"eu-west","cloudRegion":"eu-west-1","size":"c6i.large",\
            "requestedAt":"2026-11-21T10:00:00Z","readyAt":null,"address":null}],\
            "removing":[],"generation":4,"appliedGeneration":3,"status":"FAILED","message":"quota exceeded",\
            "output":"Error: creating EC2 Instance: VcpuLimitExceeded","attempts":3,"lastApplyMs":420,\
            "updatedAt":"2026-11-21T10:05:00Z","appliedAt":"2026-11-21T09:00:00Z","failedAt":"2026-11-21T10:05:00Z"},\
            {"group":"eu","cloud":"local","nodes":[{"id":"eu-edge-9f8e7d6c"},{"id":"eu-origin-0a1b2c3d"}],"removing":[],\
            "generation":3,"appliedGeneration":3,"status":"APPLIED","message":"applied generation 3","output":"",\
            "attempts":1,"lastApplyMs":1250,"updatedAt":"2026-11-21T10:04:00Z","appliedAt":"2026-11-21T10:04:00Z",\
            "failedAt":null}],\
            "clouds":[\
            {"cloud":"aws","failingUntil":"2026-11-21T10:10:00Z","lastError":"quota exceeded","bootMillis":[]},\
            {"cloud":"local","failingUntil":null,"lastError":"","bootMillis":[1200,1300,900]}]}""";

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
    void printsTheDeploymentsThenTheCloudsAndPointsAtTheDiagnosticsOfAFailedApply() {
        manager.reply("GET /api/v1/deployments", 200, DEPLOYMENTS);

        CliRunner.Result r = cli.run("deployments");

        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("""
                GROUP   CLOUD   STATUS    GEN   NODES   LAST-APPLY-MS   MESSAGE
                eu      aws     FAILED    3/4   1       420             quota exceeded
                eu      local   APPLIED   3/3   2       1250            applied generation 3
                clouds:
                  CLOUD   FAILING-UNTIL          SLOWEST-BOOT-MS   LAST-ERROR
                  aws     2026-11-21T10:10:00Z   -                 quota exceeded
                  local   -                      1300              -
                """);
        assertThat(r.err()).isEqualTo("(Terraform's diagnostics of a failed apply: -o json, in .items[].output)\n");
        FakeManager.Request request = manager.onlyRequest();
        assertThat(request.target()).isEqualTo("GET /api/v1/deployments");
        assertThat(request.header("Authorization")).isEqualTo("Bearer read-key");
    }

    @Test
    void nothingDeployedYetIsAHeaderAndNoClouds() {
        manager.reply("GET /api/v1/deployments", 200, "{\"items\":[],\"clouds\":[]}");

        CliRunner.Result r = cli.run("deployments");

        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("""
                GROUP   CLOUD   STATUS   GEN   NODES   LAST-APPLY-MS   MESSAGE
                clouds: none
                """);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void asJsonIsTheAnswerPrettyPrintedWithoutTheNote() {
        manager.reply("GET /api/v1/deployments", 200, """
                {"items":[{"group":"eu","status":"FAILED","output":"Error: boom"}],"clouds":[]}""");

        CliRunner.Result r = cli.run("deployments", "-o", "json");

        assertThat(r.out()).isEqualTo("""
                {
                  "items": [
                    {
                      "group": "eu",
                      "status": "FAILED",
                      "output": "Error: boom"
                    }
                  ],
                  "clouds": []
                }
                """);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aProblemIsPassedThroughWithItsDetail() {
        manager.reply("GET /api/v1/deployments", 503, """
                {"type":"https://cascade.dev/problems/unavailable","title":"Service unavailable","status":503,\
                "detail":"the cluster has no quorum"}""");

        CliRunner.Result r = cli.run("deployments");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("cascadectl: Service unavailable (503 unavailable): the cluster has no quorum\n");
    }

    @Test
    void anAnswerWithoutItemsIsRefused() {
        manager.reply("GET /api/v1/deployments", 200, "[]");

        CliRunner.Result r = cli.run("deployments");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("cascadectl: the answer to GET /api/v1/deployments is not a JSON object\n");
    }
}
