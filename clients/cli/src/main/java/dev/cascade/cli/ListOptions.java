package dev.cascade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * --limit, --cursor and --all for the list commands (a picocli mixin), and the walk over the contract's pages:
 * {@code limit} (1..1000, default 100) and {@code cursor} (the {@code next} of the previous page).
 */
final class ListOptions {
    static final int MAX_LIMIT = 1000;

    @Option(names = "--limit", paramLabel = "N",
            description = "Items per page, 1-" + MAX_LIMIT + " (the manager's default is 100).")
    Integer limit;

    @Option(names = "--cursor", paramLabel = "CURSOR",
            description = "Start at this page: the cursor a previous list printed.")
    String cursor;

    @Option(names = "--all", description = "Follow the next cursor until the last page and print every item.")
    boolean all;

    /** GETs {@code path} with {@code filters}, then limit and cursor; with --all, every following page too. */
    Listing fetch(ManagerClient manager, String path, Query filters, CommandLine command) {
        if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
            throw new ParameterException(command, "--limit must be 1-" + MAX_LIMIT + ", not " + limit);
        }
        List<JsonNode> items = new ArrayList<>();
        Set<String> cursorsSeen = new HashSet<>();
        JsonNode firstPage = null;
        String pageCursor = cursor;
        while (true) {
            JsonNode page = manager.get(path, filters.copy().add("limit", limit).add("cursor", pageCursor)).body();
            if (page == null || !page.isObject() || !page.path("items").isArray()) {
                throw new BadAnswerException("the answer to GET " + ManagerClient.API_PREFIX + path
                        + " is not a page: no items array");
            }
            if (firstPage == null) {
                firstPage = page;
            }
            page.get("items").forEach(items::add);
            JsonNode nextNode = page.get("next");
            String next = nextNode == null || nextNode.isNull() ? null : nextNode.asText();
            if (next == null || !all) {
                return new Listing(items, next, firstPage, all);
            }
            if (!cursorsSeen.add(next)) {
                throw new BadAnswerException("the manager answered the cursor " + next + " twice; stopped following");
            }
            pageCursor = next;
        }
    }
}
