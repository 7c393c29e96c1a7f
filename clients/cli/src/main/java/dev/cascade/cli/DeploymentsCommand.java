package dev.cascade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code cascadectl deployments}: the Terraform deployments the autoscaler keeps, and each cloud's health. */
@Command(name = "deployments", mixinStandardHelpOptions = true,
        description = {"Show what each node group wants on each cloud (one Terraform deployment each), how its last "
                + "apply went, and each cloud's health (GET /deployments).",
                "GEN is the applied generation / the desired one: PENDING while they differ. NODES is the number of "
                        + "nodes the deployment wants. Under clouds:, FAILING-UNTIL is until when a cloud whose "
                        + "apply failed gets no new nodes, and SLOWEST-BOOT-MS the slowest of its last boots "
                        + "(request to in service)."},
        footerHeading = "%nExamples:%n",
        footer = {"  cascadectl deployments",
                "  cascadectl deployments -o json |",
                "      jq -r '.items[] | select(.status == \"FAILED\") | .output'"})
final class DeploymentsCommand extends ManagerCommand {

    static Table table(List<JsonNode> deployments) {
        Table table = new Table("GROUP", "CLOUD", "STATUS", "GEN", "NODES", "LAST-APPLY-MS", "MESSAGE");
        for (JsonNode d : deployments) {
            table.row(Json.text(d.get("group")), Json.text(d.get("cloud")), Json.text(d.get("status")),
                    Json.text(d.get("appliedGeneration")) + "/" + Json.text(d.get("generation")),
                    Json.count(d.get("nodes")), Json.text(d.get("lastApplyMs")), Json.text(d.get("message")));
        }
        return table;
    }

    /** The deployments' table, first and not indented: the answer's main list. */
    static final Output.Section DEPLOYMENTS = (out, body) -> {
        List<JsonNode> items = new ArrayList<>();
        body.path("items").forEach(items::add);
        table(items).print(out, "");
    };

    static final Output.Section CLOUDS = Output.Section.table("clouds", body -> {
        Table table = new Table("CLOUD", "FAILING-UNTIL", "SLOWEST-BOOT-MS", "LAST-ERROR");
        body.path("clouds").forEach(c -> table.row(Json.text(c.get("cloud")), Json.text(c.get("failingUntil")),
                slowest(c.get("bootMillis")), Json.text(c.get("lastError"))));
        return table;
    });

    /** The largest of the boot times, {@code -} before the first. */
    static String slowest(JsonNode bootMillis) {
        long max = -1;
        if (bootMillis != null) {
            for (JsonNode b : bootMillis) {
                if (b.isNumber()) {
                    max = Math.max(max, b.longValue());
                }
            }
        }
        return max < 0 ? "-" : Long.toString(max);
    }

    @Override
    public Integer call() {
        JsonNode body = getWithItems("/deployments", Query.none());
        output().object(body, d -> new Fields(), DEPLOYMENTS, CLOUDS);
        boolean failed = false;
        for (JsonNode d : body.get("items")) {
            failed |= d.path("status").asText().equals("FAILED") && !d.path("output").asText("").isBlank();
        }
        if (failed && !output().json()) {
            output().note("(Terraform's diagnostics of a failed apply: -o json, in .items[].output)");
        }
        return 0;
    }
}
