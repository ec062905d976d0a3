package org.opensdm.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.audit.DecisionLog;
import org.opensdm.engine.audit.Replay;
import org.opensdm.engine.audit.ReplayResult;

/**
 * Replay of a decision log (or, {@code source=store}, of the same records in a PostgreSQL store) of {@value #RECORDS} records (family risk 2.0 and reunification 1.0
 * alternating): read and parse every line, re-evaluate its request under the recorded version,
 * compare outcome, overrides and trail with the recorded ones. One invocation replays the whole
 * log on {@code threads} replay threads; the score is in records per second. Every record must
 * come back IDENTICAL, or the benchmark fails.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReplayBenchmark {
    static final int RECORDS = 4096;

    @Param({"1", "2"})
    public int threads;

    /** {@code log}: the log file; {@code store}: the same records in a PostgreSQL store (a server this fork starts). */
    @Param({"log"})
    public String source;

    Path dir;
    Path file;
    Replay replay;
    org.opensdm.engine.audit.postgres.PostgresServer server;
    org.opensdm.engine.audit.postgres.PostgresDecisionStore store;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        SdmEngine engine = SdmEngine.builder().classpathRulesets().build();
        List<DecisionLog.Entry> entries = DecisionLogBenchmark.entries(engine, RECORDS);
        dir = Files.createDirectories(Path.of("target", "bench-replay-" + System.nanoTime()));
        file = dir.resolve("decisions.jsonl");
        try (DecisionLog log = DecisionLog.open(file)) {
            for (int i = 0; i < entries.size(); i += 256) {
                log.appendAll(entries.subList(i, Math.min(entries.size(), i + 256)));
            }
        }
        if (source.equals("store")) {
            server = org.opensdm.engine.audit.postgres.PostgresServer.start();
            org.opensdm.engine.audit.postgres.PostgresDecisionStore.migrate(server.dataSource(), "bench");
            store = org.opensdm.engine.audit.postgres.PostgresDecisionStore.builder(server.dataSource()).schema("bench").open();
            store.importFrom(file);
        }
        replay = Replay.with(engine).threads(threads);
        replayAll(); // every path once (and the check that all is identical) before JMH's warm-up
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (store != null) {
            store.close();
            server.close();
        }
        DecisionLogBenchmark.deleteTree(dir);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public int replayAll() {
        int[] identical = {0};
        java.util.function.Consumer<ReplayResult> count = r -> {
            if (r.status() == ReplayResult.Status.IDENTICAL) {
                identical[0]++;
            }
        };
        if (store != null) {
            replay.run(store, count);
        } else {
            replay.run(file, count);
        }
        if (identical[0] != RECORDS) {
            throw new IllegalStateException("replay: " + identical[0] + " of " + RECORDS + " records identical");
        }
        return identical[0];
    }
}
