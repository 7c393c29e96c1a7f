package dev.cascade.protocol;

/**
 * The one exception a parser in this module throws for malformed input. Each protocol has its
 * own subclass ({@code TsParseException}, {@code H264ParseException}, ...) so callers can count
 * rejections per protocol; nothing else (no IndexOutOfBounds, no NullPointer) may escape a parser,
 * which the fuzz tests check.
 */
public class ParseException extends RuntimeException {
    public ParseException(String message) {
        super(message, null, false, false);
    }
}
