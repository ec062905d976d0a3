package org.opensdm.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
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
import org.opensdm.engine.audit.DecisionStore;
import org.opensdm.engine.audit.LogVerification;
import org.opensdm.engine.audit.postgres.PostgresDecisionStore;
import org.opensdm.engine.audit.postgres.PostgresServer;

/**
 * Verify of {@value #RECORDS} records (family risk 2.0 and reunification 1.0 alternating): every
 * record's canonical form and hash, the chain; for the store also every row's columns against its
 * line, streamed from a server-side cursor. {@code source=log}: {@code DecisionLog.verify(file)};
 * {@code source=store}: {@code PostgresDecisionStore.verify}, the same records imported from that
 * file. The score is in records per second; the chain must be intact or the benchmark fails.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class VerifyBenchmark {
    static final int RECORDS = 20_000;

    @Param({"log", "store"})
    public String source;

    Path dir;
    Path file;
    PostgresServer server;
    DecisionStore store;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        SdmEngine engine = SdmEngine.builder().classpathRulesets().build();
        dir = Path.of("target", "bench-verify-" + System.nanoTime());
        file = StoreBenchmark.log(engine, dir, RECORDS);
        if (source.equals("store")) {
            server = PostgresServer.start();
            PostgresDecisionStore.migrate(server.dataSource(), "bench");
            PostgresDecisionStore s = PostgresDecisionStore.builder(server.dataSource()).schema("bench").open();
            s.importFrom(file);
            server.sql("VACUUM ANALYZE bench.decision_record");
            store = s;
        }
        verify();
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
    public long verify() {
        LogVerification v = store != null ? store.verify(null) : DecisionLog.verify(file);
        if (!v.intact() || v.records() != RECORDS) {
            throw new IllegalStateException("verify: " + v.describe());
        }
        return v.records();
    }
}
