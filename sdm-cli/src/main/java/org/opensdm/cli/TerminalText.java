package org.opensdm.cli;

import org.opensdm.engine.json.Printable;

/**
 * Text from a request, a log or a ruleset made safe for a terminal: C0 and C1 control characters
 * (and DEL), the bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A..U+202E,
 * U+2066..U+2069) and the line and paragraph separators (U+2028, U+2029) are written as
 * {@code \}{@code uXXXX} (four lower-case hex digits), so that quoted data can neither drive the
 * terminal (escape sequences, carriage returns) nor reorder the text around it. Everything else,
 * a backslash included, is left as it is: the engine's own messages already quote request data
 * escaped the same way ({@code org.opensdm.engine.json.Printable}), and doubling backslashes here
 * would garble them. The characters are those of the engine's {@link Printable}, one list for both.
 * For human-readable output only: JSON output escapes what it must itself.
 */
public final class TerminalText {
    private TerminalText() {
    }

    /** {@code s} with each control or bidi formatting character (and lone surrogate) written as {@code \}{@code uXXXX}; null is "null". */
    public static String escape(String s) {
        return s == null ? "null" : Printable.escape(s);
    }
}
