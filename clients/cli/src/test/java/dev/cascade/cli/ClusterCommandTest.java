package dev.cascade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCommandTest {
    static final String CLUSTER = """
            {"members":[{"uuid":"6f1c0b0e-0000-4000-8000-000000000001","address":"10.0.0.2:5701","local":true,"oldest":true},\
            {"uuid":"6f1c0b0e-0000-4000-8000-000000000002","address":"10.0.0.3:5701","local":false,"oldest":false}],\
            "nodes":{"INSERVICE":5,"DRAINING":1},"streams":12,"liveStreams":10,"subscribers":340}""";

    @TempDir
    Path home;
    FakeManager manager;
    CliRunner cli;

    @BeforeEach
    void start() throws IOException {
        manager = FakeManager.start().reply("GET /api/v1/cluster", 200, CLUSTER);
        cli = new CliRunner(home).env("CASCADE_MANAGER", manager.url()).env("CASCADE_ADMIN_KEY", "ro");
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    @Test
    void printsTheTotalsAndTheMembers() {
        CliRunner.Result r = cli.run("cluster");

        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("""
                streams:      12
                liveStreams:  10
                subscribers:  340
                nodes:        INSERVICE=5 DRAINING=1
                members:
                  UUID                                   ADDRESS         LOCAL   OLDEST
                  6f1c0b0e-0000-4000-8000-000000000001   10.0.0.2:5701   true    true
                  6f1c0b0e-0000-4000-8000-000000000002   10.0.0.3:5701   false   false
                """);
        FakeManager.Request request = manager.onlyRequest();
        assertThat(request.target()).isEqualTo("GET /api/v1/cluster");
        assertThat(request.header("Authorization")).isEqualTo("Bearer ro");
    }

    @Test
    void asJsonIsTheAnswer() throws Exception {
        CliRunner.Result r = cli.run("cluster", "-o", "json");

        assertThat(r.status()).isZero();
        assertThat(Json.parse(r.out())).isEqualTo(Json.parse(CLUSTER));
        assertThat(r.out()).contains("\n  \"nodes\": {\n    \"INSERVICE\": 5,\n    \"DRAINING\": 1\n  },\n");
    }
}
