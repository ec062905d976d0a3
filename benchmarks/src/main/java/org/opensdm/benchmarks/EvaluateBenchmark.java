package org.opensdm.benchmarks;

import java.util.List;
import java.util.Map;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.opensdm.engine.Decision;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * One evaluation of a shipped ruleset version, four ways, on the same 1,024 requests
 * ({@link Workload}, seed 42), each thread cycling through them from its own offset:
 * <ul>
 *   <li>{@code engine}: {@code SdmEngine.evaluate}, request object in, decision object out (the
 *       version's rules as compiled when the rulesets jar was built);</li>
 *   <li>{@code engineDrl}: the same with the version's DRL compiled at run time;</li>
 *   <li>{@code engineJson}: {@code SdmEngine.evaluateJson(String)}, request JSON in, decision JSON out;</li>
 *   <li>{@code rawDrools}: the same DRL by a bare pooled stateless Drools session ({@link RawDrools});</li>
 *   <li>{@code rawDroolsUnpooled}: the same, a new working memory per evaluation.</li>
 * </ul>
 * Before JMH's own warm-up iterations, the trial set-up runs the measured path 20,000 times:
 * Drools interprets a constraint with MVEL for its first uses and then compiles it, so a new
 * KieBase is slow for its first few thousand evaluations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EvaluateBenchmark {
    static final int REQUESTS = 1024;
    static final int WARM_UP = 20_000;

    @Param({Workload.FAMILY_RISK, Workload.REUNIFICATION})
    public String ruleset;

    SdmEngine engine;
    List<EvaluationRequest> requests;
    List<String> json;
    RawDrools raw;
    List<RawDrools.Facts> facts;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        // engineDrl: the same engine with the version's DRL compiled at run time (as before the
        // shipped rulesets came compiled), to compare the two after warm-up
        engine = method.equals("engineDrl") ? SdmEngine.builder().registry(Workload.compiledAtRunTime()).build()
                : SdmEngine.builder().classpathRulesets().build();
        RulesetVersion v = Workload.version(engine.registry(), ruleset);
        engine.compile(v.id(), v.version());
        requests = Workload.requests(v, REQUESTS, 42);
        json = Workload.json(requests);
        if (method.startsWith("raw")) {
            raw = RawDrools.compile(v);
            facts = requests.stream().map(raw::prepare).toList();
        }
        Cursor c = new Cursor();
        for (int i = 0; i < WARM_UP; i++) {
            switch (method) {
                case "engine", "engineDrl" -> engine(c);
                case "engineJson" -> engineJson(c);
                case "rawDrools" -> rawDrools(c);
                case "rawDroolsUnpooled" -> rawDroolsUnpooled(c);
                default -> throw new IllegalStateException("no warm-up for " + method);
            }
        }
    }

    /** Each thread's position in the requests; threads start 512 apart. */
    @State(Scope.Thread)
    public static class Cursor {
        private static final java.util.concurrent.atomic.AtomicInteger THREADS = new java.util.concurrent.atomic.AtomicInteger();
        private int i = THREADS.getAndIncrement() * (REQUESTS / 2);

        int next() {
            i = (i + 1) & (REQUESTS - 1);
            return i;
        }
    }

    @Benchmark
    public Decision engine(Cursor c) {
        return engine.evaluate(requests.get(c.next()));
    }

    @Benchmark
    public Decision engineDrl(Cursor c) {
        return engine.evaluate(requests.get(c.next()));
    }

    @Benchmark
    public String engineJson(Cursor c) {
        return engine.evaluateJson(json.get(c.next()));
    }

    @Benchmark
    public Map<String, Object> rawDrools(Cursor c) {
        return raw.run(facts.get(c.next()));
    }

    @Benchmark
    public Map<String, Object> rawDroolsUnpooled(Cursor c) {
        return raw.runUnpooled(facts.get(c.next()));
    }
}
