package org.opensdm.cli;

/**
 * Text from data (a request's case id, a ruleset's strings, a log line) made safe to print on a
 * terminal: characters that could move the cursor, change colours, retitle the window, hide text
 * or reorder it on screen are written as escapes instead of reaching the terminal raw.
 *
 * <p>Escaped as {@code \}{@code uXXXX} (four lower-case hex digits): the C0 controls U+0000–U+001F
 * (ESC, BEL, CR, LF, TAB ...), DEL U+007F, the C1 controls U+0080–U+009F (CSI U+009B among them),
 * the Unicode bidirectional controls U+061C, U+200E, U+200F, U+202A–U+202E and U+2066–U+2069,
 * and the line and paragraph separators U+2028, U+2029. A backslash is doubled, so the escaped
 * text reads back unambiguously: {@code \}{@code u001b} in the output is an ESC in the data, and
 * {@code \\}{@code u001b} is those six characters. Everything else (letters of every script,
 * accents, emoji) is left as it is.
 */
final class TerminalText {
    private TerminalText() {
    }

    /** The text with every unsafe character escaped (null becomes "null"). */
    static String escape(String s) {
        if (s == null) {
            return "null";
        }
        int i = 0;
        while (i < s.length() && !unsafe(s.charAt(i)) && s.charAt(i) != '\\') {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                sb.append("\\\\");
            } else if (unsafe(c)) {
                sb.append("\\u").append(String.format("%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A character that must not reach a terminal raw. */
    static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f)
                || c == '\u061c' || c == '\u200e' || c == '\u200f'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                || c == '\u2028' || c == '\u2029';
    }
}
