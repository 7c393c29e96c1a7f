package dev.cascade.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps the module's promise (ARCHITECTURE.md 3): main code imports nothing but the JDK and itself. */
class JdkOnlyTest {

    @Test
    void mainCodeImportsOnlyTheJdk() throws IOException {
        Path main = Path.of("src", "main", "java");
        assertThat(main).isDirectory();
        List<String> offenders;
        try (Stream<Path> files = Files.walk(main)) {
            offenders = files.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
                try {
                    return Files.readAllLines(p).stream().map(String::strip)
                            .filter(l -> l.startsWith("import "))
                            .map(l -> l.replaceFirst("^import (static )?", ""))
                            .filter(i -> !i.startsWith("java.") && !i.startsWith("javax.")
                                    && !i.startsWith("dev.cascade.protocol."))
                            .map(i -> main.relativize(p) + ": " + i);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.toList());
        }
        assertThat(offenders).isEmpty();
    }
}
