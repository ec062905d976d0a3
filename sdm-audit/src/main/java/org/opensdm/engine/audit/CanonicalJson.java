package org.opensdm.engine.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.opensdm.engine.json.SdmJson;

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
 *       U+007F or any non-ASCII character). A string or key holding a lone surrogate, which is
 *       not Unicode text and has no UTF-8 form, has no canonical form: writing it is refused (as
 *       RFC 8785 refuses it), and the engine refuses such text in requests.</li>
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
 *
 * <p>The values are plain Java values as {@link SdmJson#readValue} reads them (a record read from
 * a log line) or {@link SdmJson#plain} gives them (a decision being recorded): the canonical form
 * of a decision is derived from the engine's one decision writer. The writer is
 * {@link SdmJson#writeCanonical}, on Jackson's generator.
 */
public final class CanonicalJson {
    private CanonicalJson() {
    }

    /**
     * The canonical form of {@code value} (plain values), as a string (encode it as UTF-8 for the
     * bytes); throws IllegalArgumentException for a value that has none.
     */
    public static String write(Object value) {
        return SdmJson.writeCanonical(value);
    }

    /** The canonical form of {@code value}, as UTF-8 bytes. */
    public static byte[] bytes(Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
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
}
