package org.opensdm.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.audit.DecisionLog;

/**
 * Decision log append, durable: {@code DecisionLog.append(request, decision)} returns once the
 * record is written and forced to the device ({@code FileChannel.force}); one operation is one
 * record. With several JMH threads the appends share forces (group commit). The decisions are
 * made before (family risk 2.0 and reunification 1.0, alternating); each iteration appends to a
 * new log in the working directory's {@code target/} (the disk under test, not a tmpfs).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DecisionLogBenchmark {
    List<DecisionLog.Entry> entries;
    Path dir;
    DecisionLog log;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        SdmEngine engine = SdmEngine.builder().classpathRulesets().build();
        entries = entries(engine, EvaluateBenchmark.REQUESTS);
        dir = Files.createDirectories(Path.of("target")).resolve("bench-logs");
        Files.createDirectories(dir);
    }

    /** {@code n} requests with their decisions, family risk 2.0 and reunification 1.0 alternating. */
    static List<DecisionLog.Entry> entries(SdmEngine engine, int n) {
        List<EvaluationRequest> fr = Workload.requests(Workload.version(engine.registry(), Workload.FAMILY_RISK), n, 42);
        List<EvaluationRequest> ru = Workload.requests(Workload.version(engine.registry(), Workload.REUNIFICATION), n, 43);
        List<DecisionLog.Entry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            EvaluationRequest r = (i % 2 == 0 ? fr : ru).get(i);
            out.add(new DecisionLog.Entry(r, engine.evaluate(r)));
        }
        return out;
    }

    @Setup(Level.Iteration)
    public void openLog() throws IOException {
        Path file = dir.resolve("append-" + System.nanoTime() + ".jsonl");
        log = DecisionLog.open(file);
    }

    @TearDown(Level.Iteration)
    public void closeLog() throws IOException {
        log.close();
        Files.deleteIfExists(log.file());
        Files.deleteIfExists(log.file().resolveSibling(log.file().getFileName() + ".lock"));
    }

    @TearDown(Level.Trial)
    public void removeDir() throws IOException {
        deleteTree(dir);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    public DecisionLog.Appended appendDurable(EvaluateBenchmark.Cursor c) {
        DecisionLog.Entry e = entries.get(c.next());
        return log.append(e.request(), e.decision());
    }
}
