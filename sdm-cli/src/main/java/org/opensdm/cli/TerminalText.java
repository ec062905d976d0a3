package org.opensdm.cli;

/**
 * Text from a request, a log or a ruleset made safe for a terminal: C0 and C1 control characters
 * (and DEL), the bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A..U+202E,
 * U+2066..U+2069) and the line and paragraph separators (U+2028, U+2029) are written as
 * {@code \}{@code uXXXX} (four lower-case hex digits), so that quoted data can neither drive the
 * terminal (escape sequences, carriage returns) nor reorder the text around it. Everything else,
 * a backslash included, is left as it is: the engine's own messages already quote request data
 * escaped the same way ({@code org.opensdm.engine.json.Printable}), and doubling backslashes here
 * would garble them. For human-readable output only: JSON output escapes what it must itself.
 */
public final class TerminalText {
    private TerminalText() {
    }

    /** {@code s} with each control or bidi formatting character written as {@code \}{@code uXXXX}; null is "null". */
    public static String escape(String s) {
        if (s == null) {
            return "null";
        }
        int i = 0;
        int n = s.length();
        while (i < n && !escaped(s.charAt(i))) {
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder sb = new StringBuilder(n + 16).append(s, 0, i);
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (escaped(c)) {
                sb.append("\\u").append(Character.forDigit(c >> 12 & 0xf, 16)).append(Character.forDigit(c >> 8 & 0xf, 16))
                        .append(Character.forDigit(c >> 4 & 0xf, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean escaped(char c) {
        return Character.isISOControl(c) || c == '\u061c' || c == '\u200e' || c == '\u200f'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') || c == '\u2028' || c == '\u2029';
    }
}
