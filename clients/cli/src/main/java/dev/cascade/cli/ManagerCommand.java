package dev.cascade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that talks to the stream manager; the global options live on {@link Cascadectl}, the root. */
abstract class ManagerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    Cascadectl root() {
        return (Cascadectl) spec.root().userObject();
    }

    ManagerClient manager() {
        return root().manager(spec.commandLine());
    }

    Output output() {
        return root().output();
    }

    CliEnvironment env() {
        return root().environment();
    }

    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Runs a check of an argument; its IllegalArgumentException becomes a usage error (exit 2). */
    <T> T argument(Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** GET that must answer a JSON object. */
    JsonNode getObject(String path) {
        return object("GET", path, manager().get(path, Query.none()));
    }

    /** A request with the API key that must answer a JSON object. */
    JsonNode callForObject(String method, String path, JsonNode body) {
        return object(method, path, manager().call(method, path, Query.none(), body, true));
    }

    /** GET of an answer that is not paged but has an {@code items} array ({@code /decisions}, {@code /deployments}). */
    JsonNode getWithItems(String path, Query query) {
        JsonNode body = object("GET", path, manager().get(path, query));
        if (!body.path("items").isArray()) {
            throw new BadAnswerException("the answer to GET " + ManagerClient.API_PREFIX + path
                    + " has no items array");
        }
        return body;
    }

    static JsonNode object(String method, String path, ManagerClient.Answer answer) {
        if (answer.body() == null || !answer.body().isObject()) {
            throw new BadAnswerException("the answer to " + method + " " + ManagerClient.API_PREFIX + path
                    + " is not a JSON object");
        }
        return answer.body();
    }
}
