package org.opensdm.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * The first {@value #EVALUATIONS} evaluations of a fresh engine, in a fresh JVM (one JMH fork per
 * sample, a single shot): family risk 2.0 made ready before the clock starts, then the
 * {@link Workload} requests in turn. A KieBase compiled from DRL at run time interprets its
 * constraints with MVEL for its first thousands of evaluations; the rules compiled at build time
 * (the executable model) are plain Java lambdas from the first one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FirstEvaluationsBenchmark {
    static final int EVALUATIONS = 10_000;

    /** {@code compiled}: the rules compiled when the rulesets jar was built; {@code runtime}: the DRL compiled now. */
    @Param({"compiled", "runtime"})
    public String rules;

    SdmEngine engine;
    List<EvaluationRequest> requests;

    @Setup(Level.Trial)
    public void setUp() {
        engine = "compiled".equals(rules) ? SdmEngine.builder().classpathRulesets().build()
                : SdmEngine.builder().registry(Workload.compiledAtRunTime()).build();
        RulesetVersion v = Workload.version(engine.registry(), Workload.FAMILY_RISK);
        engine.compile(v.id(), v.version());
        requests = Workload.requests(v, EvaluateBenchmark.REQUESTS, 42);
    }

    @Benchmark
    public int firstEvaluations() {
        int fired = 0;
        for (int i = 0; i < EVALUATIONS; i++) {
            fired += engine.evaluate(requests.get(i & (EvaluateBenchmark.REQUESTS - 1))).trail().size();
        }
        return fired;
    }
}
