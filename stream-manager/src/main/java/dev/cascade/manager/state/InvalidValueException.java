package dev.cascade.manager.state;

/** A value that parsed but cannot work; {@link #field} names it as the request spelled it. */
public final class InvalidValueException extends IllegalArgumentException {
    private final String field;

    public InvalidValueException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
