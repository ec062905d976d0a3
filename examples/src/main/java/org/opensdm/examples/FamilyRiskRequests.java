package org.opensdm.examples;

import java.time.LocalDate;
import java.util.Random;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.EvaluationRequest.OverrideRequest;

/**
 * Varied, valid family-risk 2.x requests for the auditor example and the audit benchmark: answers
 * drawn from a seeded random generator, assessed between 2024-01-01 and 2026-12-31 without a
 * version (so 2.0 or 2.1 by date), with a policy or discretionary override now and then.
 */
final class FamilyRiskRequests {
    /** Options per item R1..R14 of ref.family-risk 2.0 and 2.1. */
    private static final String[] OPTIONS = {"abcd", "abcd", "ab", "ab", "ab", "ab", "ab", "abc", "ab", "abc", "ab", "abc", "ab", "ab"};
    private static final LocalDate FIRST = LocalDate.of(2024, 1, 1);
    private static final int DAYS = 3 * 365;

    private FamilyRiskRequests() {
    }

    /** Request number {@code i} (case {@code C-<i>}); the same {@code i} always gives the same request. */
    static EvaluationRequest request(long i) {
        Random r = new Random(0x5D3L * 31 + i);
        EvaluationRequest.Builder b = EvaluationRequest.builder("ref.family-risk").caseId("C-" + i)
                .assessedOn(FIRST.plusDays(r.nextInt(DAYS)));
        for (int item = 0; item < OPTIONS.length; item++) {
            // mostly 'a', as in most families
            String opts = OPTIONS[item];
            b.answer("R" + (item + 1), r.nextInt(3) == 0 ? String.valueOf(opts.charAt(r.nextInt(opts.length()))) : "a");
        }
        int o = r.nextInt(20);
        if (o == 0) {
            b.override(OverrideRequest.policy("PO" + (1 + r.nextInt(4)), "policy circumstance noted by the worker"));
        } else if (o == 1) {
            b.override(OverrideRequest.discretionary("supervisor agreed: pattern of escalating incidents"));
        }
        if (r.nextInt(10) == 0) {
            b.fact("unresolvedSafetyThreats", true);
        }
        return b.build();
    }
}
