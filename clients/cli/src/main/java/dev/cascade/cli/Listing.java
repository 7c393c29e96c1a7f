package dev.cascade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What a list command got: the items of one page, or of every page with --all.
 *
 * @param next the cursor of the following page, null when this was the last (always null with --all)
 * @param firstPage the first page's body as the manager sent it, printed as is with {@code -o json} without --all
 */
record Listing(List<JsonNode> items, String next, JsonNode firstPage, boolean all) {

    /** The JSON to print: the page as answered, or with --all one page {@code {"items": [all], "next": null}}. */
    JsonNode json() {
        if (!all) {
            return firstPage;
        }
        ObjectNode merged = Json.object();
        merged.putArray("items").addAll(items);
        merged.putNull("next");
        return merged;
    }
}
