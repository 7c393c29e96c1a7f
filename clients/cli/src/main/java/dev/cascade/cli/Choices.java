package dev.cascade.cli;

import java.util.Iterator;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * An option whose value is one of the contract's enum values, e.g. {@code --role}: completion candidates for the
 * help text ({@code ${COMPLETION-CANDIDATES}}), and, as {@link Converter}, a case-insensitive match that sends the
 * contract's spelling.
 */
class Choices implements Iterable<String> {
    private final List<String> values;

    Choices(List<String> values) {
        this.values = values;
    }

    @Override
    public Iterator<String> iterator() {
        return values.iterator();
    }

    abstract static class Converter implements ITypeConverter<String> {
        private final List<String> values;

        Converter(List<String> values) {
            this.values = values;
        }

        @Override
        public String convert(String value) {
            for (String v : values) {
                if (v.equalsIgnoreCase(value.trim())) {
                    return v;
                }
            }
            throw new TypeConversionException("'" + value + "' is not one of " + String.join(", ", values));
        }
    }

    /** NodeRole: {@code origin, relay, edge, transcoder}. */
    static final class NodeRoles extends Choices {
        static final List<String> VALUES = List.of("origin", "relay", "edge", "transcoder");

        NodeRoles() {
            super(VALUES);
        }

        static final class Convert extends Converter {
            Convert() {
                super(VALUES);
            }
        }
    }

    /** NodeState: {@code REQUESTED, STARTING, INSERVICE, DRAINING, TERMINATED, FAILED}. */
    static final class NodeStates extends Choices {
        static final List<String> VALUES = List.of("REQUESTED", "STARTING", "INSERVICE", "DRAINING", "TERMINATED",
                "FAILED");

        NodeStates() {
            super(VALUES);
        }

        static final class Convert extends Converter {
            Convert() {
                super(VALUES);
            }
        }
    }

    /** An API key's role: {@code admin, read-only}. */
    static final class KeyRoles extends Choices {
        static final List<String> VALUES = List.of("admin", "read-only");

        KeyRoles() {
            super(VALUES);
        }

        static final class Convert extends Converter {
            Convert() {
                super(VALUES);
            }
        }
    }
}
