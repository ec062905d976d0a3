package org.opensdm.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.opensdm.engine.Decision;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.analysis.RequestSampler;
import org.opensdm.engine.analysis.Study;
import org.opensdm.engine.analysis.SyntheticOutcomes;
import org.opensdm.engine.json.SdmJson;

/**
 * A validation study of 1,000,000 decisions with their outcomes ({@code Study.run}, one shot in a
 * JVM of 1 GB heap): the outcomes are read, then the decisions file once, line by line, each line parsed by the
 * engine's JSON reader. The files (1,000,000 family risk 2.0 decisions with trails, about 3 GB,
 * made from 2,000 evaluated sampled requests with fresh case ids; synthetic outcomes with one
 * group column) are written once under {@code target/study} and kept for later runs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StudyBenchmark {
    static final int DECISIONS = 1_000_000;

    Path decisions;
    Path outcomes;

    @Setup(Level.Trial)
    public void files() throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "study"));
        decisions = dir.resolve("decisions-" + DECISIONS + ".jsonl");
        outcomes = dir.resolve("outcomes-" + DECISIONS + ".csv");
        if (Files.exists(decisions) && Files.exists(outcomes)) {
            return;
        }
        SdmEngine engine = SdmEngine.builder().classpathRulesets().build();
        List<Map<String, Object>> sample = new RequestSampler(engine).sample("ref.family-risk", "2.0", 2_000, 9).requests();
        List<Decision> made = sample.stream().map(r -> engine.evaluate(SdmJson.parseRequest(r).request())).toList();
        List<SyntheticOutcomes.Case> cases = new ArrayList<>(DECISIONS);
        Path partial = dir.resolve("decisions.partial");
        try (BufferedWriter w = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            for (int i = 0; i < DECISIONS; i++) {
                Decision d = made.get(i % made.size());
                String caseId = String.format("C-%07d", i);
                // the same decision under a fresh case id: the case id is written once, as "caseId":"..."
                w.write(SdmJson.write(d).replace("\"caseId\":\"" + d.caseId() + "\"", "\"caseId\":\"" + caseId + "\""));
                w.write('\n');
                cases.add(new SyntheticOutcomes.Case(caseId, (String) d.outcome().get("finalLevel")));
            }
        }
        StringBuilder csv = new StringBuilder(DECISIONS * 24);
        SyntheticOutcomes.write(cases, 9, csv);
        Files.writeString(outcomes, csv, StandardCharsets.UTF_8);
        Files.move(partial, decisions);
    }

    @Benchmark
    public Map<String, Object> study() throws IOException {
        try (Reader csv = Files.newBufferedReader(outcomes, StandardCharsets.UTF_8)) {
            Map<String, Object> report = Study.run(lines(), csv, new Study.Options("finalLevel", "HIGH", List.of("group")));
            if (!Long.valueOf(DECISIONS).equals(report.get("n"))) {
                throw new IllegalStateException("studied " + report.get("n") + " cases, not " + DECISIONS);
            }
            return report;
        }
    }

    @SuppressWarnings("unchecked")
    private Stream<Map<String, Object>> lines() {
        try {
            return Files.lines(decisions, StandardCharsets.UTF_8).map(l -> (Map<String, Object>) SdmJson.readPlain(l));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
