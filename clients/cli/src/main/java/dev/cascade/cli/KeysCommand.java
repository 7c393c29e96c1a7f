package dev.cascade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cascadectl keys list|create|delete}: API keys (admin). The key itself is shown once, when created. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "API keys: list them, create one (the key is shown only then), revoke one. Admin only.",
        subcommands = {KeysCommand.ListKeys.class, KeysCommand.CreateKey.class, KeysCommand.DeleteKey.class})
final class KeysCommand extends CommandGroup {

    static Table table(List<JsonNode> keys) {
        Table table = new Table("ID", "NAME", "ROLE", "CREATED");
        for (JsonNode k : keys) {
            table.row(Json.text(k.get("id")), Json.text(k.get("name")), Json.text(k.get("role")),
                    Json.text(k.get("createdAt")));
        }
        return table;
    }

    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
            description = "List API keys: id, name, role, creation time; never the keys (GET /apikeys, admin).",
            footerHeading = "%nExamples:%n",
            footer = {"  cascadectl keys list"})
    static final class ListKeys extends ManagerCommand {
        @Mixin
        ListOptions pages;

        @Override
        public Integer call() {
            output().list(pages.fetch(manager(), "/apikeys", Query.none(), spec.commandLine()), KeysCommand::table);
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create an API key and print it (POST /apikeys, admin).",
                    "This is the only time the key is shown: the manager keeps only its SHA-256."},
            footerHeading = "%nExamples:%n",
            footer = {"  cascadectl keys create --name dashboard --role read-only",
                    "  cascadectl keys create --name ci --role admin -o json | jq -r .key > ci.key"})
    static final class CreateKey extends ManagerCommand {
        @Option(names = "--name", paramLabel = "NAME", required = true,
                description = "What the key is for, 1-100 characters.")
        String name;

        @Option(names = "--role", paramLabel = "ROLE", required = true, converter = Choices.KeyRoles.Convert.class,
                completionCandidates = Choices.KeyRoles.class,
                description = "${COMPLETION-CANDIDATES}: read-only may only GET.")
        String role;

        @Override
        public Integer call() {
            ObjectNode request = Json.object().put("name", name).put("role", role);
            JsonNode created = callForObject("POST", "/apikeys", request);
            output().object(created, k -> new Fields()
                    .add("id", k.get("id"))
                    .add("name", k.get("name"))
                    .add("role", k.get("role"))
                    .add("createdAt", k.get("createdAt"))
                    .add("key", k.get("key")));
            output().note("The key is shown only this once; store it now.");
            return 0;
        }
    }

    @Command(name = "delete", aliases = "rm", mixinStandardHelpOptions = true,
            description = "Revoke an API key (DELETE /apikeys/ID, admin).",
            footerHeading = "%nExamples:%n",
            footer = {"  cascadectl keys delete k-7f3a"})
    static final class DeleteKey extends ManagerCommand {
        @Parameters(paramLabel = "ID", description = "The key's id (from keys list), not the key.")
        String id;

        @Override
        public Integer call() {
            manager().call("DELETE", "/apikeys/" + argument(() -> ResourceNames.apiKeyId(id)), Query.none(), null,
                    true);
            output().done("revoked API key " + id);
            return 0;
        }
    }
}
