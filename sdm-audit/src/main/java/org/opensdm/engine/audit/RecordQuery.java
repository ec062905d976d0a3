package org.opensdm.engine.audit;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Which records an auditor asks for: by case id, by the date the decision was made for
 * ({@code assessedOn}, both ends inclusive), by when it was recorded ({@code recordedAt}, from
 * inclusive, to exclusive), by ruleset id and version, by the outcome's {@code finalLevel}, by
 * whether an override was applied. A null field does not filter. E.g. every VERY_HIGH decision
 * with an override applied, recorded in the first quarter of 2026:
 * <pre>{@code
 * RecordQuery.ALL.withFinalLevel("VERY_HIGH").withOverrideApplied(true)
 *         .withRecorded(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"))
 * }</pre>
 */
public record RecordQuery(String caseId, LocalDate assessedFrom, LocalDate assessedTo, Instant recordedFrom,
                          Instant recordedTo, String rulesetId, String rulesetVersion, String finalLevel,
                          Boolean overrideApplied) {
    /** Every record. */
    public static final RecordQuery ALL = new RecordQuery(null, null, null, null, null, null, null, null, null);

    /** The records a replay filter lets through. */
    public static RecordQuery of(ReplayFilter f) {
        return new RecordQuery(f.caseId(), f.from(), f.to(), null, null, f.rulesetId(), null, null, null);
    }

    public RecordQuery withCaseId(String id) {
        return new RecordQuery(id, assessedFrom, assessedTo, recordedFrom, recordedTo, rulesetId, rulesetVersion, finalLevel,
                overrideApplied);
    }

    /** Decisions assessed from {@code from} to {@code to}, both inclusive (null: open). */
    public RecordQuery withAssessed(LocalDate from, LocalDate to) {
        return new RecordQuery(caseId, from, to, recordedFrom, recordedTo, rulesetId, rulesetVersion, finalLevel,
                overrideApplied);
    }

    /** Records recorded at or after {@code from} and before {@code to} (null: open). */
    public RecordQuery withRecorded(Instant from, Instant to) {
        return new RecordQuery(caseId, assessedFrom, assessedTo, from, to, rulesetId, rulesetVersion, finalLevel,
                overrideApplied);
    }

    /** Decisions of ruleset {@code id}, of {@code version} when not null. */
    public RecordQuery withRuleset(String id, String version) {
        return new RecordQuery(caseId, assessedFrom, assessedTo, recordedFrom, recordedTo, id, version, finalLevel,
                overrideApplied);
    }

    public RecordQuery withFinalLevel(String level) {
        return new RecordQuery(caseId, assessedFrom, assessedTo, recordedFrom, recordedTo, rulesetId, rulesetVersion, level,
                overrideApplied);
    }

    public RecordQuery withOverrideApplied(Boolean applied) {
        return new RecordQuery(caseId, assessedFrom, assessedTo, recordedFrom, recordedTo, rulesetId, rulesetVersion,
                finalLevel, applied);
    }

    /** Whether {@code r} is one of the records asked for. */
    public boolean test(DecisionRecord r) {
        DecisionRecord.Index i = r.index();
        if (caseId != null && !caseId.equals(i.caseId())) {
            return false;
        }
        if (rulesetId != null && !rulesetId.equals(i.rulesetId())) {
            return false;
        }
        if (rulesetVersion != null && !rulesetVersion.equals(i.rulesetVersion())) {
            return false;
        }
        if (finalLevel != null && !finalLevel.equals(i.finalLevel())) {
            return false;
        }
        if (overrideApplied != null && overrideApplied != i.overrideApplied()) {
            return false;
        }
        if (assessedFrom != null || assessedTo != null) {
            LocalDate d = i.assessedOn();
            if (d == null || (assessedFrom != null && d.isBefore(assessedFrom)) || (assessedTo != null && d.isAfter(assessedTo))) {
                return false;
            }
        }
        if (recordedFrom != null && r.recordedAt().isBefore(recordedFrom)) {
            return false;
        }
        return recordedTo == null || r.recordedAt().isBefore(recordedTo);
    }
}
