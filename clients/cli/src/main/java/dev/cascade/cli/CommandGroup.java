package dev.cascade.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands ({@code nodes}, {@code keys}, ...): run alone, it prints its usage and exits 2. */
abstract class CommandGroup implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine command = spec.commandLine();
        PrintWriter err = command.getErr();
        err.println("cascadectl: " + (spec.parent() == null ? "no command given"
                : "'" + spec.qualifiedName() + "' needs a subcommand"));
        command.usage(err);
        return spec.exitCodeOnInvalidInput();
    }
}
