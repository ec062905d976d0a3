package org.opensdm.engine.ruleset;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The content hash of a ruleset version: sha256, lower-case hex, over its behavior-defining
 * files ({@code ruleset.yaml} and the DRL files it lists; never the scenarios).
 *
 * <p>Canonical form, so another tool can recompute it: take the files sorted by their path
 * relative to the version folder (forward slashes, compared as UTF-8 bytes); for each, feed the
 * path's UTF-8 bytes, one 0x00 byte, the content's UTF-8 bytes with CRLF and lone CR turned into
 * LF and a leading byte-order mark removed, and one 0x00 byte.
 */
public final class ContentHash {
    private ContentHash() {
    }

    public static String of(Map<String, String> filesByRelativePath) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
        TreeMap<String, String> sorted = new TreeMap<>(ContentHash::compareUtf8);
        sorted.putAll(filesByRelativePath);
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(normalize(e.getValue()).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static String normalize(String text) {
        String s = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return s.replace("\r\n", "\n").replace('\r', '\n');
    }

    private static int compareUtf8(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
