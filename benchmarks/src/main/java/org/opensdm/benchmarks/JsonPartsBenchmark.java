package org.opensdm.benchmarks;

import java.nio.charset.StandardCharsets;
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
import org.opensdm.engine.Decision;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.json.SdmJson;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * The parts of the JSON path on their own: reading a request ({@code SdmJson.parseRequest}, UTF-8
 * and shape checks included, no evaluation), writing a decision ({@code SdmJson.write}), and the
 * decision's canonical record form ({@code SdmJson.plain}, then {@code SdmJson.writeCanonical}:
 * what the decision log writes and replay compares). {@code engineJson} minus {@code engine} is
 * about the sum of the first two. Not in the quick run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JsonPartsBenchmark {
    @Param({Workload.FAMILY_RISK, Workload.REUNIFICATION})
    public String ruleset;

    List<byte[]> requests;
    List<Decision> decisions;

    @Setup(Level.Trial)
    public void setUp() {
        SdmEngine engine = SdmEngine.builder().classpathRulesets().build();
        RulesetVersion v = Workload.version(engine.registry(), ruleset);
        var rs = Workload.requests(v, EvaluateBenchmark.REQUESTS, 42);
        requests = Workload.json(rs).stream().map(j -> j.getBytes(StandardCharsets.UTF_8)).toList();
        decisions = rs.stream().map(engine::evaluate).toList();
    }

    @Benchmark
    public SdmJson.ParsedRequest readRequest(EvaluateBenchmark.Cursor c) {
        return SdmJson.parseRequest(requests.get(c.next()));
    }

    @Benchmark
    public String writeDecision(EvaluateBenchmark.Cursor c) {
        return SdmJson.write(decisions.get(c.next()));
    }

    @Benchmark
    public String canonicalDecision(EvaluateBenchmark.Cursor c) {
        return SdmJson.writeCanonical(SdmJson.plain(decisions.get(c.next())));
    }
}
