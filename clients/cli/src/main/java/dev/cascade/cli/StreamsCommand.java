package dev.cascade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code cascadectl streams list|get}: the streams the cluster knows, their nodes and route. */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = "Streams: list them with viewers and bitrate, or show one with its nodes and route.",
        subcommands = {StreamsCommand.ListStreams.class, StreamsCommand.GetStream.class})
final class StreamsCommand extends CommandGroup {

    static Table table(List<JsonNode> streams) {
        Table table = new Table("STREAM", "LIVE", "ORIGIN", "SUBSCRIBERS", "KBPS", "NODES");
        for (JsonNode s : streams) {
            table.row(Json.text(s.get("key")), Json.text(s.get("live")), Json.text(s.get("origin")),
                    Json.text(s.get("subscribers")), Json.text(s.get("bitrateKbps")), Json.count(s.get("nodes")));
        }
        return table;
    }

    static Fields fields(JsonNode s) {
        Fields f = new Fields()
                .add("key", s.get("key"))
                .add("live", s.get("live"))
                .add("origin", s.get("origin"))
                .add("subscribers", s.get("subscribers"))
                .add("bitrateKbps", s.get("bitrateKbps"));
        // Its ABR transcode job, when it has one (a provision of its own or its node group's).
        JsonNode t = s.get("transcode");
        if (t != null && t.isObject()) {
            f.add("transcoder", t.hasNonNull("transcoder") ? Json.text(t.get("transcoder"))
                    : "none (no transcoder in service has room: viewers get the source only)");
            List<String> variants = new java.util.ArrayList<>();
            t.path("variants").forEach(v -> variants.add(v.asText()));
            f.add("variants", String.join(", ", variants) + " (" + Json.text(t.get("from")) + " ladder)");
        }
        return f;
    }

    static final Output.Section NODES = Output.Section.table("nodes", s -> {
        Table table = new Table("ID", "ROLE", "SUBSCRIBERS", "KBPS", "UPSTREAM");
        s.path("nodes").forEach(n -> table.row(Json.text(n.get("id")), Json.text(n.get("role")),
                Json.text(n.get("subscribers")), Json.text(n.get("kbps")), Json.text(n.get("upstream"))));
        return table;
    });

    /** The route tree's links, one per line, downstream first: {@code edge-1 -> relay-1}. */
    static final Output.Section ROUTES = (out, s) -> {
        JsonNode links = s.path("routes");
        if (!links.isArray() || links.isEmpty()) {
            out.println("routes: none");
            return;
        }
        out.println("routes:");
        links.forEach(link -> out.println("  " + Json.text(link.get("from")) + " -> " + Json.text(link.get("to"))));
    };

    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
            description = "List streams with viewers, bitrate and how many nodes carry them (GET /streams).",
            footerHeading = "%nExamples:%n",
            footer = {"  cascadectl streams list", "  cascadectl streams list --all -o json"})
    static final class ListStreams extends ManagerCommand {
        @Mixin
        ListOptions pages;

        @Override
        public Integer call() {
            output().list(pages.fetch(manager(), "/streams", Query.none(), spec.commandLine()), StreamsCommand::table);
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = {"Show one stream: its stats, the nodes carrying it, and its route links, downstream -> "
                    + "upstream (GET /streams/APP/NAME)."},
            footerHeading = "%nExamples:%n",
            footer = {"  cascadectl streams get live/match1"})
    static final class GetStream extends ManagerCommand {
        @Parameters(paramLabel = "STREAM", description = "The stream, app/name, e.g. live/match1.")
        String stream;

        @Override
        public Integer call() {
            StreamKey key = argument(() -> StreamKey.parse(stream));
            output().object(getObject(key.path()), StreamsCommand::fields, NODES, ROUTES);
            return 0;
        }
    }
}
