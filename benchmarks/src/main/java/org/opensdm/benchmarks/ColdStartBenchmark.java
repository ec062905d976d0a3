package org.opensdm.benchmarks;

import java.time.LocalDate;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.opensdm.engine.Decision;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.SdmEngine;

/**
 * Cold start: in a fresh JVM (one JMH fork per sample, a single shot, no warm-up). JVM start
 * itself (about 0.1 s) is not in it.
 * <ul>
 *   <li>{@code buildWithAllRulesets}: build the engine over the shipped rulesets and make every
 *       version ready ({@code compileAll()}): each loaded from the rules compiled when the
 *       rulesets jar was built (no DRL parsing, no Java compilation);</li>
 *   <li>{@code buildWithAllRulesetsCompiledAtRunTime}: the same with every version compiled from
 *       its DRL now (sandbox check, DRL parser, Java compiler), as before build-time compilation
 *       and as a {@code --rulesets} folder still is;</li>
 *   <li>{@code firstDecision} / {@code firstDecisionCompiledAtRunTime}: build the engine and make
 *       one family risk 2.0 decision (its version made ready on first use), the way the
 *       {@code sdm evaluate} command does, without the JSON.</li>
 * </ul>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ColdStartBenchmark {
    @Benchmark
    public SdmEngine buildWithAllRulesets() {
        return SdmEngine.builder().classpathRulesets().build().compileAll();
    }

    @Benchmark
    public SdmEngine buildWithAllRulesetsCompiledAtRunTime() {
        return SdmEngine.builder().registry(Workload.compiledAtRunTime()).build().compileAll();
    }

    @Benchmark
    public Decision firstDecision() {
        return SdmEngine.builder().classpathRulesets().build().evaluate(familyRisk());
    }

    @Benchmark
    public Decision firstDecisionCompiledAtRunTime() {
        return SdmEngine.builder().registry(Workload.compiledAtRunTime()).build().evaluate(familyRisk());
    }

    /** The request of {@code examples/requests/02-family-risk-2.0-policy-override.json}. */
    static EvaluationRequest familyRisk() {
        EvaluationRequest.Builder b = EvaluationRequest.builder("ref.family-risk").version("2.0")
                .assessedOn(LocalDate.of(2024, 3, 1)).caseId("C-1002");
        String[] answers = {"c", "b", "b", "a", "b", "a", "a", "a", "a", "b", "a", "a", "a", "a"};
        for (int i = 0; i < answers.length; i++) {
            b.answer("R" + (i + 1), answers[i]);
        }
        return b.override(EvaluationRequest.OverrideRequest.policy("PO2", "infant with a spiral fracture")).build();
    }
}
