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

/** {@code -f FILE}: one JSON object read from a file, or from stdin for {@code -}; what is wrong is a usage error. */
final class JsonFile {
    private JsonFile() {}

    /**
     * The object in {@code file} without {@code readOnly} (the fields the manager sets), so that get, edit,
     * replace works.
     *
     * @param what what the object should be, for the message when it is not an object ({@code a scheduled event})
     */
    static ObjectNode readObject(ManagerCommand command, String file, String what, List<String> readOnly) {
        String text;
        try {
            text = file.equals("-") ? new String(command.env().in().readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw command.usage("-f " + file + ": no such file");
        } catch (IOException e) {
            throw command.usage("-f " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        if (text.isBlank()) {
            throw command.usage("-f " + file + ": is empty");
        }
        JsonNode json;
        try {
            json = Json.parse(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw command.usage("-f " + file + ": not JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        if (json == null || !json.isObject()) {
            throw command.usage("-f " + file + ": expected a JSON object (" + what + ")");
        }
        ObjectNode object = (ObjectNode) json;
        object.remove(readOnly);
        return object;
    }
}
