package dev.cascade.cli;

import picocli.CommandLine.Command;

/** {@code cascadectl cluster}: the stream-manager members and the cluster's totals. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Show the cluster: totals (streams, live streams, subscribers, nodes per state) and the "
                + "stream-manager members (GET /cluster).",
        footerHeading = "%nExamples:%n",
        footer = {"  cascadectl cluster", "  cascadectl cluster -o json"})
final class ClusterCommand extends ManagerCommand {

    static final Output.Section MEMBERS = Output.Section.table("members", c -> {
        Table table = new Table("UUID", "ADDRESS", "LOCAL", "OLDEST");
        c.path("members").forEach(m -> table.row(Json.text(m.get("uuid")), Json.text(m.get("address")),
                Json.text(m.get("local")), Json.text(m.get("oldest"))));
        return table;
    });

    @Override
    public Integer call() {
        output().object(getObject("/cluster"), c -> new Fields()
                .add("streams", c.get("streams"))
                .add("liveStreams", c.get("liveStreams"))
                .add("subscribers", c.get("subscribers"))
                .add("nodes", c.get("nodes")), MEMBERS);
        return 0;
    }
}
