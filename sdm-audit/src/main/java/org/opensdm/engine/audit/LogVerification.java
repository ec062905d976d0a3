package org.opensdm.engine.audit;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The result of {@link DecisionLog#verify}: how many records, from the first, are intact (each
 * matches its hash, has the next sequence number and chains to the one before it), the first
 * problem found with its line number, and whether the last line is torn.
 *
 * @param records      how many records, from line 1, verified before the first problem (all, when none)
 * @param lastSeq      the sequence number of the last of those records (0 when none)
 * @param lastHash     its hash (64 zeros when none): note it down, or compare it with a copy, to detect
 *                     records removed from the end later, which the chain alone cannot show
 * @param problem      the first bad line and why, if any (a torn last line is reported in {@code tornTail})
 * @param tornTail     the line number of a torn last line (an append cut short by a crash), if any
 * @param tailLacksNewlineOnly the torn last line is a complete record, in canonical form and matching its
 *                     hash, that only lacks its final newline: {@link DecisionLog#repair} adds the newline
 *                     (and keeps the record) instead of truncating the line
 */
public record LogVerification(Path file, long records, long lastSeq, String lastHash, Optional<Problem> problem,
                              OptionalLong tornTail, boolean tailLacksNewlineOnly) {
    /** What is wrong with a line. */
    public enum Kind {
        /** The line is not a decision record (not JSON, not the record layout, or longer than the line limit). */
        MALFORMED,
        /** The record's content does not match its own hash, or is not in canonical form: it was changed. */
        EDITED,
        /** The record matches its hash but the next record chains to a different hash: it was rewritten and re-hashed. */
        REWRITTEN,
        /** Records are missing before this line. */
        DELETED,
        /** This line does not belong to the chain. */
        INSERTED,
        /** Records are out of order. */
        REORDERED,
        /** The chain is broken here in a way the other kinds do not describe. */
        BROKEN_CHAIN,
        /**
         * The log is cut short: it no longer holds the record of a head noted earlier ({@link LogHead});
         * records were removed from its end. The line is where the missing record belongs.
         */
        TRUNCATED,
        /**
         * The record with the sequence number of a head noted earlier ({@link LogHead}) has another hash:
         * the log was rewritten (up to that record at least) with its hashes recomputed.
         */
        HEAD_MISMATCH
    }

    /** The first bad line (1-based) and why. */
    public record Problem(long line, Kind kind, String message) {
        @Override
        public String toString() {
            return "line " + line + ": " + message;
        }
    }

    /** Every line is a record of an unbroken chain and the last line is complete. */
    public boolean intact() {
        return problem.isEmpty() && tornTail.isEmpty();
    }

    /**
     * Only the last line is bad, torn by a crash during an append: {@code repair} truncates it (or, when
     * it is a complete record that only lacks its newline, adds the newline) and the log is intact again.
     */
    public boolean onlyTornTail() {
        return problem.isEmpty() && tornTail.isPresent();
    }

    /** One line for people. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (intact()) {
            sb.append("intact: ").append(records).append(records == 1 ? " record" : " records");
            if (records > 0) {
                sb.append(", last seq ").append(lastSeq).append(", last hash ").append(lastHash)
                        .append(" (head ").append(lastSeq).append(':').append(lastHash).append(')');
            }
            return sb.toString();
        }
        problem.ifPresent(p -> sb.append(p));
        if (tornTail.isPresent()) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append("line ").append(tornTail.getAsLong());
            sb.append(tailLacksNewlineOnly
                    ? ": torn tail: the last line is a complete record matching its hash but lacks its final newline "
                        + "(an append cut short by a crash at its last byte); repair adds the newline"
                    : ": torn tail: the last line is incomplete (an append cut short by a crash)");
        }
        if (problem.isEmpty()) {
            sb.append("; the ").append(records).append(records == 1 ? " record" : " records")
                    .append(" before it are intact");
        }
        return sb.toString();
    }
}
