package dev.cascade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cascadectl decisions}: what the autoscaler decided and the provisioner did, newest first, with reasons. */
@Command(name = "decisions", mixinStandardHelpOptions = true,
        description = {"Show the autoscaler's latest decisions, newest first, each with its reason (GET /decisions).",
                "ACTION is SCALE_OUT, DRAIN, TERMINATE, REPLACE, APPLIED, APPLY_FAILED, FAILOVER or BLOCKED; "
                        + "FROM->TO is the rule's node count before and after; RULE is role/region, - for a whole "
                        + "deployment."},
        footerHeading = "%nExamples:%n",
        footer = {"  cascadectl decisions", "  cascadectl decisions --group eu --limit 20",
                "  cascadectl decisions -o json |",
                "      jq -r '.items[] | select(.action == \"BLOCKED\") | .reason'"})
final class DecisionsCommand extends ManagerCommand {
    @Option(names = "--group", paramLabel = "GROUP", description = "Only this node group's decisions.")
    String group;

    @Option(names = "--limit", paramLabel = "N",
            description = "At most N decisions, 1-" + ListOptions.MAX_LIMIT + " (the manager's default is 100).")
    Integer limit;

    static Table table(List<JsonNode> decisions) {
        Table table = new Table("AT", "GROUP", "RULE", "CLOUD", "ACTION", "FROM->TO", "NODES", "REASON");
        for (JsonNode d : decisions) {
            table.row(Json.text(d.get("at")), Json.text(d.get("group")), Json.text(d.get("rule")),
                    Json.text(d.get("cloud")), Json.text(d.get("action")),
                    Json.text(d.get("from")) + "->" + Json.text(d.get("to")), Json.text(d.get("nodes")),
                    Json.text(d.get("reason")));
        }
        return table;
    }

    @Override
    public Integer call() {
        if (limit != null && (limit < 1 || limit > ListOptions.MAX_LIMIT)) {
            throw usage("--limit must be 1-" + ListOptions.MAX_LIMIT + ", not " + limit);
        }
        Query query = Query.none().add("group", group == null ? null : argument(() -> ResourceNames.groupName(group)))
                .add("limit", limit);
        JsonNode body = getWithItems("/decisions", query);
        List<JsonNode> items = new ArrayList<>();
        body.get("items").forEach(items::add);
        output().list(new Listing(items, null, body, false), DecisionsCommand::table);
        return 0;
    }
}
