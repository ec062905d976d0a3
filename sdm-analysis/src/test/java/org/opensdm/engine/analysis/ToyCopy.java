package org.opensdm.engine.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.opensdm.engine.Toy;

/** A copy of the toy rulesets whose 1.0 has scenarios covering every option and both sides of every cut point. */
final class ToyCopy {
    /**
     * Q1 a/b/c and Q2 x/y/z, Q3 yes and no; risk scores 1, 2, 3, 4, 5 and 6: both sides of the
     * cut points LOW|MODERATE (1|2), MODERATE|HIGH (3|4) and HIGH|VERY_HIGH (5|6).
     */
    static final String FULL_SCENARIOS = """
            base:
              ruleset: test.toy
              version: "1.0"
              assessedOn: 2024-03-01
              answers: {Q1: a, Q2: [], Q3: false}
            scenarios:
              - name: score 1 is LOW
                answers: {Q2: [x]}
                expect:
                  outcome: {score: 1, scoredLevel: LOW}
              - name: score 2 is MODERATE
                answers: {Q1: b, Q2: [x], Q3: true}
                expect:
                  outcome: {score: 2, scoredLevel: MODERATE, flagged: true}
              - name: score 3 is MODERATE
                answers: {Q1: c}
                expect:
                  outcome: {score: 3, scoredLevel: MODERATE}
              - name: score 4 is HIGH
                answers: {Q1: c, Q2: [x]}
                expect:
                  outcome: {score: 4, scoredLevel: HIGH}
              - name: score 5 is HIGH
                answers: {Q1: c, Q2: [y]}
                expect:
                  outcome: {score: 5, scoredLevel: HIGH}
              - name: score 6 is VERY_HIGH (Q2 capped at 3)
                answers: {Q1: c, Q2: [z, y]}
                expect:
                  outcome: {score: 6, scoredLevel: VERY_HIGH}
              - name: a policy override needs a reason
                overrides: [{type: policy, code: P1}]
                expect:
                  errors: [{path: "overrides[0].reason"}]
            """;

    private ToyCopy() {
    }

    /** Copies the toy rulesets into {@code dir}, with {@link #FULL_SCENARIOS} as 1.0's scenario file {@code toy.yaml}. */
    static Path withScenarios(Path dir) {
        Toy.copy(dir);
        write(dir.resolve("test.toy/1.0/scenarios/toy.yaml"), FULL_SCENARIOS);
        return dir;
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
