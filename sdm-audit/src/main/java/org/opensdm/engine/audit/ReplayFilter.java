package org.opensdm.engine.audit;

import java.time.LocalDate;

/**
 * Which records to replay: by case id, by the date the decision was made for ({@code assessedOn}
 * of the recorded decision, both ends inclusive), by ruleset id. A null field does not filter.
 */
public record ReplayFilter(String caseId, LocalDate from, LocalDate to, String rulesetId) {
    /** Every record. */
    public static final ReplayFilter ALL = new ReplayFilter(null, null, null, null);

    public ReplayFilter withCaseId(String id) {
        return new ReplayFilter(id, from, to, rulesetId);
    }

    /** Decisions assessed on or after {@code date}. */
    public ReplayFilter withFrom(LocalDate date) {
        return new ReplayFilter(caseId, date, to, rulesetId);
    }

    /** Decisions assessed on or before {@code date}. */
    public ReplayFilter withTo(LocalDate date) {
        return new ReplayFilter(caseId, from, date, rulesetId);
    }

    public ReplayFilter withRulesetId(String id) {
        return new ReplayFilter(caseId, from, to, id);
    }

    public boolean test(DecisionRecord r) {
        if (caseId != null && !caseId.equals(r.caseId())) {
            return false;
        }
        if (rulesetId != null && !rulesetId.equals(r.rulesetId())) {
            return false;
        }
        if (from != null || to != null) {
            LocalDate d = r.assessedOn();
            if (d == null || (from != null && d.isBefore(from)) || (to != null && d.isAfter(to))) {
                return false;
            }
        }
        return true;
    }
}
