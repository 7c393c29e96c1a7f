package dev.cascade.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cascadectl groups list|get|create|replace|delete}: node groups and their per-role, per-region rules. */
@Command(name = "groups", mixinStandardHelpOptions = true,
        description = "Node groups: named sets of per-role, per-region rules (min, max, scale thresholds).",
        subcommands = {GroupsCommand.ListGroups.class, GroupsCommand.GetGroup.class, GroupsCommand.CreateGroup.class,
                GroupsCommand.ReplaceGroup.class, GroupsCommand.DeleteGroup.class})
final class GroupsCommand extends CommandGroup {
    /** The contract marks these readOnly; they are dropped from a file so that get, edit, replace works. */
    static final List<String> READ_ONLY_FIELDS = List.of("createdAt", "updatedAt");

    static Table table(List<JsonNode> groups) {
        Table table = new Table("NAME", "RULES", "UPDATED", "DESCRIPTION");
        for (JsonNode g : groups) {
            table.row(Json.text(g.get("name")), Json.count(g.get("rules")), Json.text(g.get("updatedAt")),
                    Json.text(g.get("description")));
        }
        return table;
    }

    static Fields fields(JsonNode g) {
        return new Fields()
                .add("name", g.get("name"))
                .add("description", g.get("description"))
                .add("createdAt", g.get("createdAt"))
                .add("updatedAt", g.get("updatedAt"));
    }

    static final Output.Section RULES = Output.Section.table("rules", g -> {
        Table table = new Table("ROLE", "REGION", "CLOUDS (PRIORITY/WEIGHT)", "MIN", "MAX", "SCALE-OUT", "SCALE-IN",
                "COOLDOWN-S");
        g.path("rules").forEach(r -> table.row(Json.text(r.get("role")), Json.text(r.get("region")),
                clouds(r.path("clouds")), Json.text(r.get("min")),
                Json.text(r.get("max")), Json.text(r.get("scaleOutThreshold")), Json.text(r.get("scaleInThreshold")),
                Json.text(r.get("coolDownSeconds"))));
        return table;
    });

    /** {@code aws:eu-west-1 c6i.large 1/3, gcp 2/1}: cloud[:its region] [instance type] priority/weight. */
    static String clouds(JsonNode list) {
        List<String> out = new java.util.ArrayList<>();
        list.forEach(c -> {
            String region = c.path("cloudRegion").asText("");
            String type = c.path("instanceType").asText("");
            out.add(c.path("cloud").asText() + (region.isEmpty() ? "" : ":" + region) + (type.isEmpty() ? "" : " " + type)
                    + " " + c.path("priority").asText("1") + "/" + c.path("weight").asText("1"));
        });
        return out.isEmpty() ? "-" : String.join(", ", out);
    }

    /** -f FILE: a NodeGroup as JSON, {@code -} for stdin. */
    abstract static class GroupFileCommand extends ManagerCommand {
        @Option(names = {"-f", "--file"}, paramLabel = "FILE", required = true,
                description = "The node group as JSON (the NodeGroup schema); - reads stdin. createdAt and "
                        + "updatedAt, which the manager sets, are left out of the request.")
        String file;

        ObjectNode readGroup() {
            String text;
            try {
                text = file.equals("-") ? new String(env().in().readAllBytes(), StandardCharsets.UTF_8)
                        : Files.readString(Path.of(file), StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw usage("-f " + file + ": no such file");
            } catch (IOException e) {
                throw usage("-f " + file + ": cannot read it (" + e.getMessage() + ")");
            }
            if (text.isBlank()) {
                throw usage("-f " + file + ": is empty");
            }
            JsonNode json;
            try {
                json = Json.parse(text);
            } catch (JsonProcessingException e) {
                JsonLocation at = e.getLocation();
                throw usage("-f " + file + ": not JSON: " + e.getOriginalMessage()
                        + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
            }
            if (json == null || !json.isObject()) {
                throw usage("-f " + file + ": expected a JSON object (a node group)");
            }
            ObjectNode group = (ObjectNode) json;
            group.remove(READ_ONLY_FIELDS);
            return group;
        }
    }

    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
            description = "List node groups (GET /nodegroups).",
            footerHeading = "%nExamples:%n",
            footer = {"  cascadectl groups list", "  cascadectl groups list --all -o json"})
    static final class ListGroups extends ManagerCommand {
        @Mixin
        ListOptions pages;

        @Override
        public Integer call() {
            output().list(pages.fetch(manager(), "/nodegroups", Query.none(), spec.commandLine()), GroupsCommand::table);
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Show one node group and its rules (GET /nodegroups/NAME).",
            footerHeading = "%nExamples:%n",
            footer = {"  cascadectl groups get eu", "  cascadectl groups get eu -o json > eu.json"})
    static final class GetGroup extends ManagerCommand {
        @Parameters(paramLabel = "NAME", description = "The node group's name.")
        String name;

        @Override
        public Integer call() {
            String group = argument(() -> ResourceNames.groupName(name));
            output().object(getObject("/nodegroups/" + group), GroupsCommand::fields, RULES);
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a node group from a JSON file (POST /nodegroups, admin).",
            footerHeading = "%nExamples:%n",
            footer = {"  cascadectl groups create -f eu.json",
                    "  echo '{\"name\":\"eu\",\"rules\":[{\"role\":\"edge\",\"region\":\"eu-west\",\"min\":2,"
                            + "\"max\":10}]}' | cascadectl groups create -f -"})
    static final class CreateGroup extends GroupFileCommand {
        @Override
        public Integer call() {
            output().object(callForObject("POST", "/nodegroups", readGroup()), GroupsCommand::fields, RULES);
            return 0;
        }
    }

    @Command(name = "replace", mixinStandardHelpOptions = true,
            description = {"Replace a node group's description and rules with a JSON file's (PUT /nodegroups/NAME, "
                    + "admin).", "The file's name must be NAME; when it has none, NAME is put in."},
            footerHeading = "%nExamples:%n",
            footer = {"  cascadectl groups get eu -o json > eu.json && $EDITOR eu.json && "
                    + "cascadectl groups replace eu -f eu.json"})
    static final class ReplaceGroup extends GroupFileCommand {
        @Parameters(paramLabel = "NAME", description = "The node group's name.")
        String name;

        @Override
        public Integer call() {
            String group = argument(() -> ResourceNames.groupName(name));
            ObjectNode body = readGroup();
            JsonNode inFile = body.get("name");
            if (inFile == null || inFile.isNull()) {
                body.put("name", group);
            } else if (!inFile.isTextual() || !inFile.asText().equals(group)) {
                throw usage("-f " + file + " names the group " + inFile + ", not \"" + group + "\"");
            }
            output().object(callForObject("PUT", "/nodegroups/" + group, body), GroupsCommand::fields, RULES);
            return 0;
        }
    }

    @Command(name = "delete", aliases = "rm", mixinStandardHelpOptions = true,
            description = "Delete a node group (DELETE /nodegroups/NAME, admin).",
            footerHeading = "%nExamples:%n",
            footer = {"  cascadectl groups delete eu"})
    static final class DeleteGroup extends ManagerCommand {
        @Parameters(paramLabel = "NAME", description = "The node group's name.")
        String name;

        @Override
        public Integer call() {
            String group = argument(() -> ResourceNames.groupName(name));
            manager().call("DELETE", "/nodegroups/" + group, Query.none(), null, true);
            output().done("deleted node group " + group);
            return 0;
        }
    }
}
