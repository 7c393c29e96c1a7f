package dev.cascade.cloud.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reviewed golden files: compares a test's output with {@code src/test/resources/golden/<name>}, prints a line diff
 * and how to regenerate when they differ, and rewrites them with {@code -Dgolden.update=true}.
 */
public final class Golden {
    private Golden() {
    }

    public static Path dir() {
        String d = System.getProperty("golden.dir");
        return d != null && !d.isBlank() ? Path.of(d) : Path.of("src/test/resources/golden");
    }

    public static boolean updating() {
        return Boolean.getBoolean("golden.update");
    }

    public static void assertMatches(String name, String actual) throws IOException {
        Path file = dir().resolve(name);
        if (updating()) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            System.out.println("golden file rewritten: " + file + " (review the diff before committing)");
            return;
        }
        if (!Files.isRegularFile(file)) {
            fail("no golden file " + file + "; create it with: mvn -f cloud-controller/pom.xml test -Dgolden.update=true"
                    + " (then review it)\nactual:\n" + actual);
        }
        String expected = Files.readString(file, StandardCharsets.UTF_8);
        if (!expected.equals(actual)) {
            fail("output differs from golden file " + file + "\n" + diff(expected, actual)
                    + "\nIf the change is intended, regenerate with: mvn -f cloud-controller/pom.xml test"
                    + " -Dgolden.update=true, and review the diff of src/test/resources/golden.");
        }
    }

    /** A plain line diff (longest common subsequence): "- " expected only, "+ " actual only, with 2 lines of context. */
    public static String diff(String expected, String actual) {
        List<String> a = expected.lines().toList();
        List<String> b = actual.lines().toList();
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> ops = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                ops.add("  " + a.get(i));
                i++;
                j++;
            } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
                ops.add("+ " + b.get(j++));
            } else {
                ops.add("- " + a.get(i++));
            }
        }
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < ops.size(); k++) {
            boolean near = false;
            for (int m = Math.max(0, k - 2); m <= Math.min(ops.size() - 1, k + 2); m++) {
                near |= !ops.get(m).startsWith("  ");
            }
            if (near) {
                out.append(String.format("%4d %s%n", k + 1, ops.get(k)));
            }
        }
        return out.toString();
    }
}
