package dev.cascade.protocol.sdp;

import dev.cascade.protocol.ParseException;

/**
 * Malformed SDP. The message names the line number (1-based, counting every line of the input)
 * and quotes the line, so a WHIP/WHEP endpoint can return it as the detail of a 400 problem body.
 */
public final class SdpParseException extends ParseException {
    /** Longest excerpt of the offending line put into the message. */
    static final int MAX_QUOTE = 120;

    private final int lineNumber;

    /** A problem found without line context (a typed attribute parsed on its own). */
    public SdpParseException(String problem) {
        super(problem);
        this.lineNumber = 0;
    }

    public SdpParseException(int lineNumber, String line, String problem) {
        super("SDP line " + lineNumber + " \"" + quote(line) + "\": " + problem);
        this.lineNumber = lineNumber;
    }

    /** 1-based line number, or 0 when the problem is not tied to one line (e.g. a missing line). */
    public int lineNumber() {
        return lineNumber;
    }

    private static String quote(String line) {
        StringBuilder sb = new StringBuilder(Math.min(line.length(), MAX_QUOTE) + 3);
        for (int i = 0; i < line.length() && i < MAX_QUOTE; i++) {
            char c = line.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (line.length() > MAX_QUOTE) {
            sb.append("...");
        }
        return sb.toString();
    }
}
