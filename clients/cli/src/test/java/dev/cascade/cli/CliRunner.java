package dev.cascade.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs cascadectl in-process with a chosen environment, home directory and stdin, capturing stdout and stderr. */
final class CliRunner {

    record Result(int status, String out, String err) {}

    private final Map<String, String> variables = new HashMap<>();
    private final Path home;
    private String stdin = "";

    CliRunner(Path home) {
        this.home = home;
    }

    CliRunner env(String name, String value) {
        variables.put(name, value);
        return this;
    }

    CliRunner stdin(String text) {
        stdin = text;
        return this;
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Cascadectl.run(new CliEnvironment(Map.copyOf(variables), home,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintWriter(out),
                new PrintWriter(err)), args);
        return new Result(status, out.toString(), err.toString());
    }
}
