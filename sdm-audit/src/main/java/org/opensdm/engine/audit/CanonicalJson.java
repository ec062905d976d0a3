package org.opensdm.engine.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * The canonical JSON form of decision records: the bytes a record's hash is computed over, and
 * the bytes of each line of a decision log.
 *
 * <p><b>Canonical form</b> (so that another tool can recompute a record's hash):
 * <ul>
 *   <li>UTF-8, no byte-order mark, no whitespace outside strings (no space after {@code :} or
 *       {@code ,}, no newline).</li>
 *   <li>Object members sorted by key, comparing keys as sequences of UTF-16 code units (Java's
 *       {@code String.compareTo}, the order of RFC 8785), recursively; no duplicate keys. Array
 *       order is kept.</li>
 *   <li>Strings: {@code "} as {@code \"}, {@code \} as {@code \\}, U+0008/0009/000A/000C/000D as
 *       {@code \b \t \n \f \r}, the other characters below U+0020 as {@code \}{@code u00xx}
 *       (lower-case hex); every other character as itself in UTF-8 (no escape for {@code /},
 *       U+007F or any non-ASCII character). A lone surrogate, which is not Unicode text, is written
 *       as {@code \}{@code udxxx} (lower-case hex).</li>
 *   <li>Numbers: an integer as plain decimal digits, a leading {@code -} when negative, no
 *       leading zeros, no exponent, no fraction ({@code -0} is {@code 0}). Records of the current
 *       rulesets hold integers only; a non-integer is written as its shortest plain decimal
 *       (Java {@code BigDecimal.stripTrailingZeros().toPlainString()}; one that is a whole
 *       number is written as that integer). NaN and infinities are refused.</li>
 *   <li>{@code true}, {@code false}, {@code null} as themselves.</li>
 * </ul>
 * For a value holding only strings, booleans, null and integers of magnitude below 2<sup>53</sup>,
 * as every decision record does, this is exactly the JSON Canonicalization Scheme of RFC 8785
 * (JCS), so any JCS library recomputes the same bytes.
 */
public final class CanonicalJson {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalJson() {
    }

    /** The canonical form of {@code node}, as a string (encode it as UTF-8 for the bytes). */
    public static String write(JsonNode node) {
        StringBuilder sb = new StringBuilder(1024);
        write(node, sb);
        return sb.toString();
    }

    /** The canonical form of {@code node}, as UTF-8 bytes. */
    public static byte[] bytes(JsonNode node) {
        return write(node).getBytes(StandardCharsets.UTF_8);
    }

    /** sha256 of {@code utf8}, lower-case hex (64 characters). */
    public static String sha256(byte[] utf8) {
        return HexFormat.of().formatHex(digest().digest(utf8));
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }

    /** Appends the canonical form of {@code node} to {@code sb}. */
    public static void write(JsonNode node, StringBuilder sb) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            sb.append("null");
        } else if (node.isTextual()) {
            string(node.textValue(), sb);
        } else if (node.isBoolean()) {
            sb.append(node.booleanValue() ? "true" : "false");
        } else if (node.isIntegralNumber()) {
            if (node.canConvertToLong()) {
                sb.append(node.longValue());
            } else {
                sb.append(node.bigIntegerValue().toString());
            }
        } else if (node.isNumber()) {
            sb.append(number(node));
        } else if (node.isArray()) {
            sb.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(node.get(i), sb);
            }
            sb.append(']');
        } else if (node.isObject()) {
            List<String> keys = new ArrayList<>(node.size());
            Iterator<String> it = node.fieldNames();
            while (it.hasNext()) {
                keys.add(it.next());
            }
            keys.sort(null); // String.compareTo: UTF-16 code units
            sb.append('{');
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                string(keys.get(i), sb);
                sb.append(':');
                write(node.get(keys.get(i)), sb);
            }
            sb.append('}');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        }
    }

    private static String number(JsonNode node) {
        if (node.isDouble() || node.isFloat()) {
            double d = node.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("NaN and infinities have no JSON form");
            }
            return plain(BigDecimal.valueOf(d));
        }
        return plain(node.decimalValue());
    }

    private static String plain(BigDecimal d) {
        if (d.signum() == 0) {
            return "0";
        }
        return d.stripTrailingZeros().toPlainString();
    }

    /** A JSON string in canonical form. Runs of characters that need no escape are appended whole. */
    public static void string(String s, StringBuilder sb) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) {
                break;
            }
            i++;
        }
        sb.append('"');
        if (i == n) {
            // the usual case: nothing to escape, appended whole (append(s, from, to) copies char by char)
            sb.append(s).append('"');
            return;
        }
        int start = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++; // a pair: one character, written as itself
                continue;
            }
            sb.append(s, start, i);
            start = i + 1;
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\f' -> sb.append("\\f");
                case '\r' -> sb.append("\\r");
                default -> unicodeEscape(c, sb); // below U+0020, or a lone surrogate
            }
        }
        sb.append(s, start, n).append('"');
    }

    private static void unicodeEscape(char c, StringBuilder sb) {
        sb.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
    }
}
