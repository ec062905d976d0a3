package org.opensdm.engine.audit;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A log's head as noted down by someone outside it: the sequence number and hash of its last
 * record at some moment, written {@code SEQ:HASH} ({@code 17:ab12…}, the full 64-hex hash).
 *
 * <p>The hash chain alone cannot show records removed from the end, or a log rewritten from its
 * first record with every hash recomputed. A head kept elsewhere can:
 * {@link DecisionLog#verify(java.nio.file.Path, LogHead)} reports
 * {@link LogVerification.Kind#TRUNCATED} when the log no longer holds a record with that
 * sequence number and {@link LogVerification.Kind#HEAD_MISMATCH} when the record with that
 * sequence number has another hash.
 *
 * @param seq  the sequence number (0: the empty log)
 * @param hash the record's hash, 64 lower-case hex digits (64 zeros for seq 0)
 */
public record LogHead(long seq, String hash) {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public LogHead {
        if (seq < 0) {
            throw new IllegalArgumentException("a log head's seq cannot be negative: " + seq);
        }
        if (hash == null || !HEX64.matcher(hash).matches()) {
            throw new IllegalArgumentException("a log head's hash must be 64 lower-case hex digits");
        }
        if (seq == 0 && !hash.equals(DecisionRecord.GENESIS_HASH)) {
            throw new IllegalArgumentException("the head of an empty log (seq 0) has the hash 64 zeros");
        }
    }

    /**
     * Reads {@code SEQ:HASH}; hex digits in either case.
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    public static LogHead parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a log head is written SEQ:HASH, e.g. 17:<64 hex digits>");
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("a log head is written SEQ:HASH (e.g. 17:<64 hex digits>); no ':' in it");
        }
        String s = text.substring(0, colon).strip();
        String h = text.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
        long seq;
        try {
            seq = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a log head's SEQ (before ':') must be a whole number, not '"
                    + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "'");
        }
        if (!HEX64.matcher(h).matches()) {
            throw new IllegalArgumentException("a log head's HASH (after ':') must be 64 hex digits; it has "
                    + h.length() + " characters" + (h.chars().allMatch(c -> Character.digit(c, 16) >= 0) ? "" : ", not all hex"));
        }
        return new LogHead(seq, h);
    }

    /** {@code SEQ:HASH}, as {@link #parse} reads it. */
    @Override
    public String toString() {
        return seq + ":" + hash;
    }
}
