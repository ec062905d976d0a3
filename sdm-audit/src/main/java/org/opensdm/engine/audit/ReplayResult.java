package org.opensdm.engine.audit;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opensdm.engine.json.SdmJson;

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

    /**
     * The result as plain JSON values, as {@code sdm replay --json} and the HTTP service's
     * {@code POST /replay} give it: {@code line}, {@code seq}, {@code caseId}, {@code assessedOn},
     * {@code ruleset}, {@code version}, {@code replayedVersion}, {@code status}, {@code differences}
     * (each {@code field} with its {@code recorded} and {@code replayed} JSON value, a side left out
     * when absent) and, when there is one, {@code message}.
     */
    public Map<String, Object> toPlain() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("line", line);
        m.put("seq", seq);
        m.put("caseId", caseId);
        m.put("assessedOn", assessedOn == null ? null : assessedOn.toString());
        m.put("ruleset", rulesetId);
        m.put("version", rulesetVersion);
        m.put("replayedVersion", replayedVersion);
        m.put("status", status.name());
        List<Map<String, Object>> diffs = new ArrayList<>();
        for (Difference d : differences) {
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("field", d.field());
            if (d.recorded() != null) {
                dm.put("recorded", SdmJson.readPlain(d.recorded()));
            }
            if (d.replayed() != null) {
                dm.put("replayed", SdmJson.readPlain(d.replayed()));
            }
            diffs.add(dm);
        }
        m.put("differences", diffs);
        if (message != null) {
            m.put("message", message);
        }
        return m;
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
