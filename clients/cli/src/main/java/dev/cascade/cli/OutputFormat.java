package dev.cascade.cli;

import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code -o table|json}. */
enum OutputFormat {
    TABLE, JSON;

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static final class Converter implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            for (OutputFormat f : values()) {
                if (f.wire().equalsIgnoreCase(value)) {
                    return f;
                }
            }
            throw new TypeConversionException("'" + value + "' is not one of table, json");
        }
    }

    static final class Candidates extends Choices {
        Candidates() {
            super(List.of("table", "json"));
        }
    }
}
