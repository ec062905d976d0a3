package org.opensdm.engine.audit.postgres;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.opensdm.engine.Decision;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.EvaluationRequest.OverrideRequest;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.Toy;
import org.opensdm.engine.audit.DecisionLog;

/** Test support: toy requests and decisions, and a fresh schema per test. */
public final class Fixtures {
    static final SdmEngine ENGINE = Toy.engine();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T09:30:00.125Z"), ZoneOffset.UTC);
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private Fixtures() {
    }

    /** The i-th of a varied set of valid toy requests (case C-i, assessed 2024-03-(1 + i % 28)), as sdm-audit's tests make them. */
    static EvaluationRequest request(int i) {
        String[] q1 = {"a", "b", "c"};
        List<List<String>> q2 = List.of(List.of(), List.of("x"), List.of("y", "z"), List.of("x", "y", "z"));
        EvaluationRequest.Builder b = EvaluationRequest.builder("test.toy").version(i % 5 == 4 ? "2.0" : "1.0")
                .caseId("C-" + i).assessedOn(LocalDate.of(2024, 3, 1 + i % 28))
                .answer("Q1", q1[i % 3]).answer("Q2", q2.get(i % 4)).answer("Q3", i % 2 == 0);
        if (i % 7 == 3) {
            b.override(OverrideRequest.policy("P1", "policy reason " + i));
        }
        if (i % 7 == 5) {
            b.override(OverrideRequest.discretionary("worker judgment \"quoted\" \u00e9 \u202e " + i));
        }
        if (i % 3 == 1) {
            b.answer("Q4", "note\nwith a line break " + i);
        }
        return b.build();
    }

    static DecisionLog.Entry entry(int i) {
        EvaluationRequest r = request(i);
        return new DecisionLog.Entry(r, ENGINE.evaluate(r));
    }

    /** A decision made without the engine (for child JVMs, which need not compile rules). */
    public static DecisionLog.Entry syntheticEntry(long i) {
        EvaluationRequest request = EvaluationRequest.builder("test.toy").version("1.0").caseId("K-" + i)
                .assessedOn(LocalDate.of(2024, 1, 1)).answer("Q1", "b").build();
        Decision decision = new Decision(new Decision.RulesetInfo("test.toy", "1.0", "ab".repeat(32), "reference", "test"),
                "0.1.0", "K-" + i, LocalDate.of(2024, 1, 1), Map.of("score", (int) (i % 1000)), List.of(),
                List.of(new Decision.TrailEntry("Q1 first question", "Q1", null, "b", Map.of("risk", 1))));
        return new DecisionLog.Entry(request, decision);
    }

    /** A new, migrated schema on the shared server. */
    static String newSchema(DataSource ds) {
        String schema = "t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        PostgresDecisionStore.migrate(ds, schema);
        return schema;
    }
}
