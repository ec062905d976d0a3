package org.opensdm.engine.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opensdm.engine.Decision;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.EvaluationRequest.OverrideRequest;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.Toy;

/** Test support: toy requests, logs filled with their decisions, and line surgery on log files. */
final class Logs {
    static final SdmEngine ENGINE = Toy.engine();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T09:30:00.125Z"), ZoneOffset.UTC);

    private Logs() {
    }

    /** The i-th of a varied set of valid toy requests (case C-i, assessed 2024-03-(1 + i % 28)). */
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
            b.override(OverrideRequest.discretionary("worker judgment \"quoted\" \u00e9 " + i));
        }
        if (i % 3 == 1) {
            b.answer("Q4", "note\nwith a line break " + i);
        }
        return b.build();
    }

    /** Opens (creating) a log with the fixed clock. */
    static DecisionLog open(Path file) {
        return DecisionLog.builder(file).clock(CLOCK).open();
    }

    /** Appends the decisions of requests 1..n and returns the log file. */
    static Path filled(Path file, int n) {
        try (DecisionLog log = open(file)) {
            SdmEngine recording = ENGINE.withDecisionSink(log);
            for (int i = 1; i <= n; i++) {
                recording.evaluate(request(i));
            }
        }
        return file;
    }

    static List<String> lines(Path file) {
        try {
            return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes lines, each ended by a newline. */
    static void write(Path file, List<String> lines) {
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l).append('\n'));
        try {
            Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A decision made without the engine (for tests that must not compile rules, e.g. a child JVM). */
    static DecisionLog.Entry syntheticEntry(long i) {
        EvaluationRequest request = EvaluationRequest.builder("test.toy").version("1.0").caseId("K-" + i)
                .assessedOn(LocalDate.of(2024, 1, 1)).answer("Q1", "b").build();
        Decision decision = new Decision(new Decision.RulesetInfo("test.toy", "1.0", "ab".repeat(32), "reference", "test"),
                "0.1.0", "K-" + i, LocalDate.of(2024, 1, 1), Map.of("score", (int) (i % 1000)), List.of(),
                List.of(new Decision.TrailEntry("Q1 first question", "Q1", null, "b", Map.of("risk", 1))));
        return new DecisionLog.Entry(request, decision);
    }
}
