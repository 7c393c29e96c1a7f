package dev.cascade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code publish} and {@code watch} share: {@code GET /streams/{app}/{name}/publish|subscribe?region=R},
 * sent without the API key (placement takes none), and the Placement printed whole or as one URL.
 */
abstract class PlacementCommand extends ManagerCommand {
    @Parameters(paramLabel = "STREAM", description = "The stream, app/name, e.g. live/match1.")
    String stream;

    @Option(names = "--region", paramLabel = "REGION",
            description = "The client's region (default: the manager looks it up from this machine's IP).")
    String region;

    /** Asks the manager for a placement; {@code action} is the path's last segment. */
    JsonNode place(String action) {
        StreamKey key = argument(() -> StreamKey.parse(stream));
        String path = key.path() + "/" + action;
        return object("GET", path, manager().call("GET", path, Query.none().add("region", region), null, false));
    }

    /** The placement as {@code key: value} lines: stream, the node (labelled by its role), region, live, URLs. */
    void print(JsonNode placement, String... urlFields) {
        output().object(placement, p -> {
            JsonNode node = p.path("node");
            String role = node.path("role").asText("");
            Fields fields = new Fields()
                    .add("stream", p.get("stream"))
                    .add(role.isEmpty() ? "node" : role, node.get("id"))
                    .add("host", node.get("host"))
                    .add("region", p.get("region"))
                    .add("live", p.get("live"));
            for (String url : urlFields) {
                fields.add(url, p.get(url));
            }
            return fields;
        });
    }

    /** Prints one URL of the placement alone (for scripts); exit 1 when the manager left it out. */
    void printUrl(JsonNode placement, String field) {
        JsonNode url = placement.get(field);
        if (url == null || !url.isTextual() || url.asText().isEmpty()) {
            throw new BadAnswerException("the manager's placement for " + stream + " has no " + field);
        }
        output().line(url.asText());
    }
}
