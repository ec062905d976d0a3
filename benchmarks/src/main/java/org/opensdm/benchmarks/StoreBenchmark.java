package org.opensdm.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.audit.DecisionLog;
import org.opensdm.engine.audit.postgres.PostgresDecisionStore;
import org.opensdm.engine.audit.postgres.PostgresServer;

/**
 * PostgreSQL decision store append, durable: {@code PostgresDecisionStore.append(request, decision)}
 * returns once the record's transaction committed, on a real server this fork starts (the tests'
 * {@link PostgresServer}: {@code fsync = on}, {@code synchronous_commit = on}, on the disk under
 * {@code /tmp}). One operation is one record. With several JMH threads the appends of one store
 * queue while a transaction commits and go into the next one together (group commit); each
 * transaction locks the chain's head row. Decisions are made before (family risk 2.0 and
 * reunification 1.0, alternating), as in {@link DecisionLogBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StoreBenchmark {
    List<DecisionLog.Entry> entries;
    PostgresServer server;
    PostgresDecisionStore store;

    @Setup(Level.Trial)
    public void setUp() {
        SdmEngine engine = SdmEngine.builder().classpathRulesets().build();
        entries = DecisionLogBenchmark.entries(engine, EvaluateBenchmark.REQUESTS);
        server = PostgresServer.start();
        DataSource ds = server.dataSource();
        PostgresDecisionStore.migrate(ds, "bench");
        store = PostgresDecisionStore.builder(ds).schema("bench").open();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
        server.close();
    }

    @Benchmark
    public DecisionLog.Appended appendDurable(EvaluateBenchmark.Cursor c) {
        DecisionLog.Entry e = entries.get(c.next());
        return store.append(e.request(), e.decision());
    }

    /** A log of {@code n} records (FR 2.0 and RU 1.0 alternating) in {@code dir}, and the same records in a store. */
    static Path log(SdmEngine engine, Path dir, int n) throws IOException {
        List<DecisionLog.Entry> entries = DecisionLogBenchmark.entries(engine, n);
        Files.createDirectories(dir);
        Path file = dir.resolve("decisions.jsonl");
        try (DecisionLog log = DecisionLog.open(file)) {
            for (int i = 0; i < entries.size(); i += 256) {
                log.appendAll(entries.subList(i, Math.min(entries.size(), i + 256)));
            }
        }
        return file;
    }
}
