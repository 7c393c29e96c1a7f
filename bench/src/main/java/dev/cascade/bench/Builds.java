package dev.cascade.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;

/**
 * The builds a benchmark runs (a module's {@code target/classes} and {@code target/lib}), copied
 * aside first: a build running meanwhile (another engineer's {@code mvn install}) cannot then swap
 * or delete classes under the processes being measured, and the results record a hash of what ran.
 */
final class Builds {
    private Builds() {}

    /**
     * Copies {@code buildDir}'s {@code classes/} and {@code lib/} (relative to the repository root)
     * to {@code into}, replacing what was there, and returns the copy's classpath
     * ({@code classes:lib/*}). {@code record} gets the build's path, a hash of its classes and its
     * newest class file's time.
     */
    static String snapshot(String buildDir, Path into, Map<String, Object> record) throws IOException {
        Path build = Bench.root().resolve(buildDir);
        Path classes = build.resolve("classes");
        Path lib = build.resolve("lib");
        if (!Files.isDirectory(classes) || !Files.isDirectory(lib)) {
            throw new IllegalStateException(buildDir + " not built: " + classes + " or " + lib
                    + " missing (mvn -DskipTests install)");
        }
        deleteTree(into);
        copyTree(classes, into.resolve("classes"));
        copyTree(lib, into.resolve("lib"));
        record.put("path", build.toString());
        record.put("classesSha256", treeHash(into.resolve("classes")));
        record.put("newestClassFile", newest(classes));
        return into.resolve("classes") + ":" + into.resolve("lib") + "/*";
    }

    /** SHA-256 over every file's relative path and content, in path order (first 16 hex digits). */
    static String treeHash(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path p : paths.filter(Files::isRegularFile).sorted().toList()) {
                md.update(dir.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
                md.update(Files.readAllBytes(p));
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The newest modification time of any file under {@code dir} ("none" when empty). */
    static String newest(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile).map(p -> {
                try {
                    return Files.getLastModifiedTime(p).toInstant();
                } catch (IOException e) {
                    return Instant.EPOCH;
                }
            }).max(Comparator.naturalOrder()).map(Instant::toString).orElse("none");
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
