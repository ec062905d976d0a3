package org.opensdm.engine.audit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.opensdm.engine.json.SdmJson;

/** One log line read and checked on its own: a record, whether it is canonical and matches its hash; or why it is not a record. */
final class RecordCheck {
    final LogLines.Line line;
    final DecisionRecord record;
    /** Why the line is not a record (null when it is one). */
    final String malformed;
    /** The line is not even JSON (a torn write looks like this). */
    final boolean notJson;
    final boolean canonical;
    final boolean hashMatches;

    private RecordCheck(LogLines.Line line, DecisionRecord record, String malformed, boolean notJson, boolean canonical,
                        boolean hashMatches) {
        this.line = line;
        this.record = record;
        this.malformed = malformed;
        this.notJson = notJson;
        this.canonical = canonical;
        this.hashMatches = hashMatches;
    }

    /**
     * The line read as a record, its layout checked, but not whether it is canonical or matches its
     * hash ({@code canonical} and {@code hashMatches} false): for reading and replaying a log,
     * which do not check the chain (verify does).
     */
    static RecordCheck parse(LogLines.Line line) {
        Read read = read(line);
        return read.failed() != null ? read.failed() : new RecordCheck(line, read.record(), null, false, false, false);
    }

    /** A line's JSON (plain values) and record, or (in {@code failed}) the check that says why it has none. */
    private record Read(Object node, DecisionRecord record, RecordCheck failed) { }

    private static Read read(LogLines.Line line) {
        if (line.tooLong()) {
            return new Read(null, null, tooLong(line));
        }
        byte[] b = line.bytes();
        Object node;
        try {
            node = SdmJson.readValue(b, 0, b.length);
        } catch (IllegalArgumentException e) {
            return new Read(null, null, new RecordCheck(line, null, e.getMessage(), true, false, false));
        }
        try {
            return new Read(node, DecisionRecord.fromJson(node), null);
        } catch (IllegalArgumentException e) {
            return new Read(node, null, new RecordCheck(line, null, e.getMessage(), false, false, false));
        }
    }

    static RecordCheck of(LogLines.Line line) {
        Read read = read(line);
        if (read.failed() != null) {
            return read.failed();
        }
        byte[] b = line.bytes();
        @SuppressWarnings("unchecked")
        Map<String, Object> node = (Map<String, Object>) read.node(); // a record is an object
        DecisionRecord r = read.record();
        // Its members are exactly DecisionRecord.FIELDS (fromJson refused any other and needs each), so its canonical
        // form is '{' + the members '"key":value' in key order + '}', and the bytes its hash is over are the same
        // without the member "hash": each member's value is written once, for both.
        byte[][] members = new byte[ORDER.length][];
        try {
            for (int i = 0; i < ORDER.length; i++) {
                members[i] = CanonicalJson.bytes(node.get(ORDER[i]));
            }
        } catch (IllegalArgumentException e) {
            // no canonical form (a lone surrogate): not one the engine writes, and no hash can match it
            return new RecordCheck(line, r, null, false, false, false);
        }
        boolean canonical = sameAs(b, members);
        java.security.MessageDigest digest = CanonicalJson.digest();
        digest.update((byte) '{');
        boolean first = true;
        for (int i = 0; i < ORDER.length; i++) {
            if (i == HASH) {
                continue;
            }
            if (!first) {
                digest.update((byte) ',');
            }
            first = false;
            digest.update(KEYS[i]);
            digest.update(members[i]);
        }
        digest.update((byte) '}');
        boolean matches = java.util.HexFormat.of().formatHex(digest.digest()).equals(r.hash());
        return new RecordCheck(line, r, null, false, canonical, matches);
    }

    /** The record's members in canonical (key) order, each key written '"key":', and where "hash" is among them. */
    private static final String[] ORDER = new java.util.TreeSet<>(DecisionRecord.FIELDS).toArray(String[]::new);
    private static final byte[][] KEYS = new byte[ORDER.length][];
    private static final int HASH = java.util.Arrays.asList(ORDER).indexOf("hash");

    static {
        for (int i = 0; i < ORDER.length; i++) {
            KEYS[i] = ("\"" + ORDER[i] + "\":").getBytes(StandardCharsets.UTF_8); // plain ASCII names: nothing to escape
        }
    }

    /** Whether {@code b} is '{' + the members, comma-separated + '}', byte for byte. */
    private static boolean sameAs(byte[] b, byte[][] members) {
        int n = 2 + ORDER.length - 1;
        for (int i = 0; i < ORDER.length; i++) {
            n += KEYS[i].length + members[i].length;
        }
        if (n != b.length || b[0] != '{' || b[n - 1] != '}') {
            return false;
        }
        int at = 1;
        for (int i = 0; i < ORDER.length; i++) {
            if (i > 0) {
                if (b[at++] != ',') {
                    return false;
                }
            }
            if (!Arrays.equals(b, at, at + KEYS[i].length, KEYS[i], 0, KEYS[i].length)) {
                return false;
            }
            at += KEYS[i].length;
            if (!Arrays.equals(b, at, at + members[i].length, members[i], 0, members[i].length)) {
                return false;
            }
            at += members[i].length;
        }
        return true;
    }

    /** A line longer than the reader's limit: not read, so not a record (but not a torn write either). */
    private static RecordCheck tooLong(LogLines.Line line) {
        return new RecordCheck(line, null, "line too long: " + line.length() + " bytes, over the limit of "
                + line.limit() + " bytes (maxLineBytes)", false, false, false);
    }

    /** Why a line that is a record is not sound (null when it is sound or not a record). */
    String unsoundWhy() {
        if (record == null || sound()) {
            return null;
        }
        return !hashMatches ? "its content does not match its hash" : "it is not in canonical form";
    }

    /** A record whose content is what its hash says, in canonical form. */
    boolean sound() {
        return record != null && canonical && hashMatches;
    }

    long seq() {
        return record.seq();
    }

    String hash() {
        return record.hash();
    }

    String previousHash() {
        return record.previousHash();
    }
}
