package org.opensdm.engine.audit;

import java.time.LocalDate;
import java.util.List;

/**
 * What replaying one record gave.
 *
 * @param line            the record's line in the log
 * @param seq             its sequence number (0 when the line is not a record)
 * @param rulesetVersion  the version recorded; {@code replayedVersion} the one evaluated (differs with {@link Replay#asVersion})
 * @param differences     each field of outcome, overrides and trail that differs (also given for
 *                        {@code RULESET_CHANGED} when the changed ruleset could evaluate the request)
 * @param message         why, for every status but {@code IDENTICAL} and {@code DIFFERENT} (null otherwise): one
 *                        line per part (the ruleset changed; the request is not valid under it, then each
 *                        problem on a line of its own)
 */
public record ReplayResult(long line, long seq, String caseId, LocalDate assessedOn, String rulesetId,
                           String rulesetVersion, String replayedVersion, Status status, List<Difference> differences,
                           String message) {
    public ReplayResult {
        differences = List.copyOf(differences);
    }

    /** The outcome of a replay. */
    public enum Status {
        /** Re-evaluated under the same ruleset content: outcome, overrides and trail are the recorded ones. */
        IDENTICAL,
        /** Re-evaluated under the same ruleset content (or the version asked for): something differs. */
        DIFFERENT,
        /** The recorded version is available but its content hash is not the recorded one. */
        RULESET_CHANGED,
        /** The recorded ruleset version is not available. */
        RULESET_MISSING,
        /** The re-evaluation failed (the recorded request is no longer valid, or the ruleset misbehaved). */
        FAILED,
        /** The line is not a decision record. */
        UNREADABLE
    }

    /**
     * One differing field, as a path into the decision ({@code outcome.finalLevel},
     * {@code trail[3].effect.neglect}) with the recorded and the replayed value as canonical JSON
     * text; null when the field is absent on that side.
     */
    public record Difference(String field, String recorded, String replayed) {
        @Override
        public String toString() {
            return field + ": recorded " + (recorded == null ? "(absent)" : recorded) + ", replayed "
                    + (replayed == null ? "(absent)" : replayed);
        }
    }
}
