package org.opensdm.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.ruleset.RulesetRegistry;
import org.opensdm.engine.ruleset.RulesetVersion;

/** Family risk 2.0 by the hand-written scorer ({@link HandScorer}), on the engine benchmark's requests. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandWrittenBenchmark {
    HandScorer scorer;
    List<EvaluationRequest> requests;

    @Setup(Level.Trial)
    public void setUp() {
        RulesetVersion v = Workload.version(RulesetRegistry.builder().addClasspath().build(), Workload.FAMILY_RISK);
        scorer = new HandScorer(v);
        requests = Workload.requests(v, EvaluateBenchmark.REQUESTS, 42);
    }

    @Benchmark
    public HandScorer.Result handWritten(EvaluateBenchmark.Cursor c) {
        return scorer.score(requests.get(c.next()));
    }
}
