package dev.cascade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cascadectl events list|get|create|replace|delete}: scheduled events, for which the autoscaler scales a node
 * group out ahead of time.
 */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = {"Scheduled events: a node group is scaled out ahead of each one, so that the capacity for its "
                + "expected publishers and viewers is in service at its start; after its end the group's rules take "
                + "over again."},
        subcommands = {EventsCommand.ListEvents.class, EventsCommand.GetEvent.class, EventsCommand.CreateEvent.class,
                EventsCommand.ReplaceEvent.class, EventsCommand.DeleteEvent.class})
final class EventsCommand extends CommandGroup {
    /** The contract marks these readOnly; they are dropped from a file so that get, edit, replace works. */
    static final List<String> READ_ONLY_FIELDS = List.of("id", "createdAt", "updatedAt");
    static final String WHAT = "a scheduled event";

    static Table table(List<JsonNode> events) {
        Table table = new Table("ID", "GROUP", "REGION", "START", "END", "PUBLISHERS", "VIEWERS", "RECURRENCE", "NAME");
        for (JsonNode e : events) {
            table.row(Json.text(e.get("id")), Json.text(e.get("group")), Json.text(e.get("region")),
                    Json.text(e.get("start")), Json.text(e.get("end")), Json.text(e.get("expectedPublishers")),
                    Json.text(e.get("expectedViewers")), recurrence(e), Json.text(e.get("name")));
        }
        return table;
    }

    /** {@code 0 20 * * 5 (Europe/Paris)}: the cron and the time zone it is read in; {@code -} for a one-off event. */
    static String recurrence(JsonNode e) {
        String cron = Json.text(e.get("recurrence"));
        return cron.equals("-") ? cron : cron + " (" + e.path("timeZone").asText("UTC") + ")";
    }

    static Fields fields(JsonNode e) {
        return new Fields()
                .add("id", e.get("id"))
                .add("name", e.get("name"))
                .add("group", e.get("group"))
                .add("region", e.get("region"))
                .add("start", e.get("start"))
                .add("end", e.get("end"))
                .add("expectedPublishers", e.get("expectedPublishers"))
                .add("expectedViewers", e.get("expectedViewers"))
                .add("recurrence", e.get("recurrence"))
                .add("timeZone", e.get("timeZone"))
                .add("createdAt", e.get("createdAt"))
                .add("updatedAt", e.get("updatedAt"));
    }

    /** An ISO-8601 instant as the manager writes it: {@code 2026-12-31T21:00:00+01:00} is {@code ...T20:00:00Z}. */
    static String instant(String option, String value) {
        try {
            return Instant.parse(value).toString();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + ": '" + value + "' is not an ISO-8601 instant, e.g. "
                    + "2026-12-31T20:00:00Z or 2026-12-31T21:00:00+01:00");
        }
    }

    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
            description = {"List scheduled events, ordered by id (GET /scheduledevents).",
                    "RECURRENCE is the cron and, in parentheses, the time zone it is read in."},
            footerHeading = "%nExamples:%n",
            footer = {"  cascadectl events list", "  cascadectl events list --group eu",
                    "  cascadectl events list --all -o json"})
    static final class ListEvents extends ManagerCommand {
        @Mixin
        ListOptions pages;

        @Option(names = "--group", paramLabel = "GROUP", description = "Only this node group's events.")
        String group;

        @Override
        public Integer call() {
            Query filters = Query.none()
                    .add("group", group == null ? null : argument(() -> ResourceNames.groupName(group)));
            output().list(pages.fetch(manager(), "/scheduledevents", filters, spec.commandLine()),
                    EventsCommand::table);
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Show one scheduled event (GET /scheduledevents/ID).",
            footerHeading = "%nExamples:%n",
            footer = {"  cascadectl events get ev_0123456789ab",
                    "  cascadectl events get ev_0123456789ab -o json > final.json"})
    static final class GetEvent extends ManagerCommand {
        @Parameters(paramLabel = "ID", description = "The event's id: ev_ and 12 hex digits.")
        String id;

        @Override
        public Integer call() {
            String event = argument(() -> ResourceNames.eventId(id));
            output().object(getObject("/scheduledevents/" + event), EventsCommand::fields);
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create a scheduled event (POST /scheduledevents, admin), from a JSON file (-f) or from "
                    + "options (--group, --start, --end and the optional ones), not both.",
                    "The node group must exist; --region, if given, must be one of its rules' regions.",
                    "Times are ISO-8601 instants; an event lasts at most 7 days. With --recurrence it happens again "
                            + "at each cron time from --start on, each time lasting --end minus --start."},
            footerHeading = "%nExamples:%n",
            footer = {"  cascadectl events create --group eu --viewers 5000 --publishers 2 \\",
                    "      --start 2026-12-31T20:00:00Z --end 2026-12-31T23:00:00Z \\",
                    "      --region eu-west --name final",
                    "  cascadectl events create --group eu --viewers 800 --name 'friday show' \\",
                    "      --start 2026-03-06T19:00:00Z --end 2026-03-06T22:00:00Z \\",
                    "      --recurrence '0 20 * * 5' --time-zone Europe/Paris",
                    "  cascadectl events create -f final.json",
                    "  cascadectl events get ev_0123456789ab -o json | cascadectl events create -f -"})
    static final class CreateEvent extends ManagerCommand {
        @Option(names = {"-f", "--file"}, paramLabel = "FILE",
                description = "The event as JSON (the ScheduledEvent schema); - reads stdin. id, createdAt and "
                        + "updatedAt, which the manager sets, are left out of the request.")
        String file;

        @Option(names = "--group", paramLabel = "GROUP", description = "The node group to scale for the event.")
        String group;

        @Option(names = "--start", paramLabel = "TIME",
                description = "When the event starts, e.g. 2026-12-31T20:00:00Z.")
        String start;

        @Option(names = "--end", paramLabel = "TIME",
                description = "When it ends: after --start, at most 7 days later.")
        String end;

        @Option(names = "--publishers", paramLabel = "N",
                description = "Publishers expected (the manager's default: 0).")
        Integer publishers;

        @Option(names = "--viewers", paramLabel = "N", description = "Viewers expected (the manager's default: 0).")
        Integer viewers;

        @Option(names = "--region", paramLabel = "REGION",
                description = "Where the viewers are: one of the group's regions. Default: spread over all of them.")
        String region;

        @Option(names = "--recurrence", paramLabel = "CRON",
                description = "A five-field UNIX cron, e.g. '0 20 * * 5' (Fridays at 20:00): the event happens again "
                        + "at each of its times.")
        String recurrence;

        @Option(names = "--time-zone", paramLabel = "ZONE",
                description = "The time zone the cron is read in, e.g. Europe/Paris (the manager's default: UTC).")
        String timeZone;

        @Option(names = "--name", paramLabel = "NAME", description = "What the event is, up to 200 characters.")
        String name;

        @Override
        public Integer call() {
            ObjectNode body = file != null ? fromFile() : fromOptions();
            output().object(callForObject("POST", "/scheduledevents", body), EventsCommand::fields);
            return 0;
        }

        private ObjectNode fromFile() {
            List<String> given = optionsGiven();
            if (!given.isEmpty()) {
                throw usage("-f cannot be used with " + String.join(", ", given) + ": the file holds the whole event");
            }
            return JsonFile.readObject(this, file, WHAT, READ_ONLY_FIELDS);
        }

        private ObjectNode fromOptions() {
            if (group == null) {
                throw usage(optionsGiven().isEmpty()
                        ? "give the event: -f FILE, or --group GROUP --start TIME --end TIME"
                        : "--group GROUP is required (or -f FILE)");
            }
            if (start == null || end == null) {
                throw usage((start == null ? "--start" : "--end") + " TIME is required with --group");
            }
            ObjectNode body = Json.object();
            if (name != null) {
                body.put("name", name);
            }
            body.put("group", argument(() -> ResourceNames.groupName(group)));
            String from = argument(() -> instant("--start", start));
            String to = argument(() -> instant("--end", end));
            if (!Instant.parse(to).isAfter(Instant.parse(from))) {
                throw usage("--end " + to + " is not after --start " + from);
            }
            body.put("start", from).put("end", to);
            if (publishers != null) {
                body.put("expectedPublishers", atLeastZero("--publishers", publishers));
            }
            if (viewers != null) {
                body.put("expectedViewers", atLeastZero("--viewers", viewers));
            }
            if (region != null) {
                body.put("region", region);
            }
            if (recurrence != null) {
                body.put("recurrence", recurrence);
            }
            if (timeZone != null) {
                try {
                    ZoneId.of(timeZone);
                } catch (DateTimeException e) {
                    throw usage("--time-zone: '" + timeZone + "' is not a time zone, e.g. UTC or Europe/Paris");
                }
                body.put("timeZone", timeZone);
            }
            return body;
        }

        private int atLeastZero(String option, int value) {
            if (value < 0) {
                throw usage(option + " must be 0 or more, not " + value);
            }
            return value;
        }

        /** The event options given on the command line, by name, in the order of the help. */
        private List<String> optionsGiven() {
            List<String> given = new ArrayList<>();
            Object[][] options = {{"--group", group}, {"--start", start}, {"--end", end}, {"--publishers", publishers},
                    {"--viewers", viewers}, {"--region", region}, {"--recurrence", recurrence},
                    {"--time-zone", timeZone}, {"--name", name}};
            for (Object[] o : options) {
                if (o[1] != null) {
                    given.add((String) o[0]);
                }
            }
            return given;
        }
    }

    @Command(name = "replace", mixinStandardHelpOptions = true,
            description = {"Replace a scheduled event with a JSON file's (PUT /scheduledevents/ID, admin).",
                    "An id in the file must be ID; id, createdAt and updatedAt are left out of the request."},
            footerHeading = "%nExamples:%n",
            footer = {"  cascadectl events get ev_0123456789ab -o json > final.json",
                    "  $EDITOR final.json",
                    "  cascadectl events replace ev_0123456789ab -f final.json"})
    static final class ReplaceEvent extends ManagerCommand {
        @Parameters(paramLabel = "ID", description = "The event's id: ev_ and 12 hex digits.")
        String id;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE", required = true,
                description = "The event as JSON (the ScheduledEvent schema); - reads stdin.")
        String file;

        @Override
        public Integer call() {
            String event = argument(() -> ResourceNames.eventId(id));
            ObjectNode body = JsonFile.readObject(this, file, WHAT, List.of());
            JsonNode inFile = body.get("id");
            if (inFile != null && !inFile.isNull() && !(inFile.isTextual() && inFile.asText().equals(event))) {
                throw usage("-f " + file + " is the event " + inFile + ", not \"" + event + "\"");
            }
            body.remove(READ_ONLY_FIELDS);
            output().object(callForObject("PUT", "/scheduledevents/" + event, body), EventsCommand::fields);
            return 0;
        }
    }

    @Command(name = "delete", aliases = "rm", mixinStandardHelpOptions = true,
            description = "Delete a scheduled event; its node group returns to its rules (DELETE /scheduledevents/ID, "
                    + "admin).",
            footerHeading = "%nExamples:%n",
            footer = {"  cascadectl events delete ev_0123456789ab"})
    static final class DeleteEvent extends ManagerCommand {
        @Parameters(paramLabel = "ID", description = "The event's id: ev_ and 12 hex digits.")
        String id;

        @Override
        public Integer call() {
            String event = argument(() -> ResourceNames.eventId(id));
            manager().call("DELETE", "/scheduledevents/" + event, Query.none(), null, true);
            output().done("deleted scheduled event " + event);
            return 0;
        }
    }
}
