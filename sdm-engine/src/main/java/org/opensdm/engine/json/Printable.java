package org.opensdm.engine.json;

/**
 * Request text made safe to quote in a message that people read: C0 and C1 controls (and DEL),
 * the bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A..U+202E,
 * U+2066..U+2069), the line and paragraph separators (U+2028, U+2029) and lone surrogates are written as {@code \}{@code uXXXX} (four lower-case hex
 * digits); everything else, a backslash included, is left as it is. A message quoting a request
 * value can then neither move a terminal's cursor nor reorder the text around it.
 */
public final class Printable {
    private Printable() {
    }

    /** True for a character written escaped. */
    public static boolean escaped(char c) {
        return Character.isISOControl(c) || c == '\u061c' || c == '\u200e' || c == '\u200f'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') || c == '\u2028' || c == '\u2029';
    }

    /** {@code s} with every such character escaped (and every lone surrogate); null stays null. */
    public static String escape(String s) {
        if (s == null) {
            return null;
        }
        int n = s.length();
        int i = 0;
        while (i < n && !needs(s, i)) {
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder sb = new StringBuilder(n + 16).append(s, 0, i);
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (needs(s, i)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean needs(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return escaped(c);
    }

    /** The index of the first lone surrogate of {@code s}, or -1. */
    public static int loneSurrogate(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** True when a plain JSON value (String, Map, List, ...) holds a lone surrogate in a string or key. */
    public static boolean anyLoneSurrogate(Object v) {
        if (v instanceof String s) {
            return loneSurrogate(s) >= 0;
        }
        if (v instanceof java.util.Map<?, ?> m) {
            for (java.util.Map.Entry<?, ?> e : m.entrySet()) {
                if (anyLoneSurrogate(e.getKey()) || anyLoneSurrogate(e.getValue())) {
                    return true;
                }
            }
        } else if (v instanceof java.util.List<?> l) {
            for (Object o : l) {
                if (anyLoneSurrogate(o)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A user-given string escaped and cut to a printable length, for messages. */
    public static String clip(String s) {
        String e = escape(s);
        return e.length() <= 60 ? e : e.substring(0, 57) + "...";
    }
}
