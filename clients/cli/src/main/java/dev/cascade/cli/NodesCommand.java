package dev.cascade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cascadectl nodes list|get|drain|rm}: the media nodes registered with the cluster. */
@Command(name = "nodes", mixinStandardHelpOptions = true,
        description = "Nodes (origins, relays, edges, transcoders): list them, show one, drain one, forget one.",
        subcommands = {NodesCommand.ListNodes.class, NodesCommand.GetNode.class, NodesCommand.DrainNode.class,
                NodesCommand.RemoveNode.class})
final class NodesCommand extends CommandGroup {

    static Table table(List<JsonNode> nodes) {
        Table table = new Table("ID", "ROLE", "REGION", "STATE", "HOST", "CPU", "MBPS-IN", "MBPS-OUT", "PUBS", "SUBS",
                "STREAMS");
        for (JsonNode n : nodes) {
            JsonNode load = n.path("load");
            table.row(Json.text(n.get("id")), Json.text(n.get("role")), Json.text(n.get("region")),
                    Json.text(n.get("state")), Json.text(n.get("host")), Json.percent(load.get("cpu")),
                    Json.oneDecimal(load.get("mbpsIn")), Json.oneDecimal(load.get("mbpsOut")),
                    Json.text(load.get("publishers")), Json.text(load.get("subscribers")),
                    Json.text(load.get("streams")));
        }
        return table;
    }

    static Fields fields(JsonNode n) {
        return new Fields()
                .add("id", n.get("id"))
                .add("role", n.get("role"))
                .add("state", n.get("state"))
                .add("region", n.get("region"))
                .add("cloud", n.get("cloud"))
                .add("group", n.get("group"))
                .add("host", n.get("host"))
                .add("srtPort", n.get("srtPort"))
                .add("httpPort", n.get("httpPort"))
                .add("webrtcPort", n.get("webrtcPort"))
                .add("capacity", n.get("capacity"))
                .add("load", n.get("load"))
                .add("registeredAt", n.get("registeredAt"))
                .add("lastHeartbeatAt", n.get("lastHeartbeatAt"))
                .add("stateSince", n.get("stateSince"));
    }

    static final Output.Section STREAMS = Output.Section.table("streams", n -> {
        Table table = new Table("STREAM", "PUBLISHING", "SUBSCRIBERS", "KBPS", "UPSTREAM");
        n.path("streams").forEach(s -> table.row(Json.text(s.get("key")), Json.text(s.get("publishing")),
                Json.text(s.get("subscribers")), Json.text(s.get("kbps")), Json.text(s.get("upstream"))));
        return table;
    });

    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
            description = "List nodes with their state and load, ordered by id (GET /nodes).",
            footerHeading = "%nExamples:%n",
            footer = {"  cascadectl nodes list",
                    "  cascadectl nodes list --role edge --region eu-west --state INSERVICE",
                    "  cascadectl nodes list --all -o json"})
    static final class ListNodes extends ManagerCommand {
        @Mixin
        ListOptions pages;

        @Option(names = "--role", paramLabel = "ROLE", converter = Choices.NodeRoles.Convert.class,
                completionCandidates = Choices.NodeRoles.class,
                description = "Only nodes of this role: ${COMPLETION-CANDIDATES}.")
        String role;

        @Option(names = "--state", paramLabel = "STATE", converter = Choices.NodeStates.Convert.class,
                completionCandidates = Choices.NodeStates.class,
                description = "Only nodes in this state: ${COMPLETION-CANDIDATES}.")
        String state;

        @Option(names = "--region", paramLabel = "REGION", description = "Only nodes in this region.")
        String region;

        @Override
        public Integer call() {
            Query filters = Query.none().add("role", role).add("state", state).add("region", region);
            output().list(pages.fetch(manager(), "/nodes", filters, spec.commandLine()), NodesCommand::table);
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Show one node: address, ports, capacity, load and its streams (GET /nodes/ID).",
            footerHeading = "%nExamples:%n",
            footer = {"  cascadectl nodes get edge-eu-1", "  cascadectl nodes get edge-eu-1 -o json"})
    static final class GetNode extends ManagerCommand {
        @Parameters(paramLabel = "ID", description = "The node's id.")
        String id;

        @Override
        public Integer call() {
            String node = argument(() -> ResourceNames.nodeId(id));
            output().object(getObject("/nodes/" + node), NodesCommand::fields, STREAMS);
            return 0;
        }
    }

    @Command(name = "drain", mixinStandardHelpOptions = true,
            description = {"Stop placing new sessions on a node; it becomes DRAINING and prints as it is now "
                    + "(POST /nodes/ID/drain, admin).", "Its current sessions stay until they end."},
            footerHeading = "%nExamples:%n",
            footer = {"  cascadectl nodes drain edge-eu-1"})
    static final class DrainNode extends ManagerCommand {
        @Parameters(paramLabel = "ID", description = "The node's id.")
        String id;

        @Override
        public Integer call() {
            String node = argument(() -> ResourceNames.nodeId(id));
            output().object(callForObject("POST", "/nodes/" + node + "/drain", null), NodesCommand::fields, STREAMS);
            return 0;
        }
    }

    @Command(name = "rm", aliases = "delete", mixinStandardHelpOptions = true,
            description = {"Forget a node (DELETE /nodes/ID, admin).",
                    "A node that is still running is told to register again at its next heartbeat."},
            footerHeading = "%nExamples:%n",
            footer = {"  cascadectl nodes rm edge-eu-1"})
    static final class RemoveNode extends ManagerCommand {
        @Parameters(paramLabel = "ID", description = "The node's id.")
        String id;

        @Override
        public Integer call() {
            String node = argument(() -> ResourceNames.nodeId(id));
            manager().call("DELETE", "/nodes/" + node, Query.none(), null, true);
            output().done("removed node " + node);
            return 0;
        }
    }
}
