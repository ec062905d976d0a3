package org.opensdm.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.audit.DecisionLog;
import org.opensdm.engine.audit.LogVerification;
import org.opensdm.engine.audit.Replay;
import org.opensdm.engine.audit.ReplayReport;

/**
 * Measures the decision log on this machine: N family-risk decisions (default 100,000) appended
 * with a force per record, with one force per batch of 100, and from 4 threads at once (group
 * commit); the log verified; every record replayed (must be IDENTICAL). Not part of the tests.
 *
 * <p>Run: {@code mvn -B -q -o -f examples/pom.xml compile exec:java
 * -Dexec.mainClass=org.opensdm.examples.AuditBenchmark [-Dexec.args="100000 /some/folder"]}
 * (the folder must be on the disk to measure; default: a temporary folder, deleted after).
 */
public final class AuditBenchmark {
    private AuditBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        boolean temp = args.length < 2;
        Path dir = temp ? Files.createTempDirectory("sdm-audit-bench") : Files.createDirectories(Path.of(args[1]));
        PrintStream out = System.out;
        try {
            run(n, dir, out);
        } finally {
            if (temp) {
                try (Stream<Path> s = Files.walk(dir)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    static void run(int n, Path dir, PrintStream out) throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        out.printf("audit benchmark: %,d records, %d processors, folder %s%n", n, cpus, dir);
        SdmEngine engine = SdmEngine.builder().classpathRulesets().build().compileAll();
        for (int i = 0; i < 20_000; i++) { // warm-up
            engine.evaluate(FamilyRiskRequests.request(-1 - i));
        }

        long t = System.nanoTime();
        List<DecisionLog.Entry> entries = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            EvaluationRequest r = FamilyRiskRequests.request(i);
            entries.add(new DecisionLog.Entry(r, engine.evaluate(r)));
        }
        report(out, "evaluate (1 thread, no log)", n, t);

        Path perRecord = dir.resolve("per-record.jsonl");
        t = System.nanoTime();
        try (DecisionLog log = DecisionLog.open(perRecord)) {
            for (DecisionLog.Entry e : entries) {
                log.append(e.request(), e.decision());
            }
        }
        report(out, "append, force per record (1 thread)", n, t);

        Path batched = dir.resolve("batched.jsonl");
        t = System.nanoTime();
        try (DecisionLog log = DecisionLog.open(batched)) {
            for (int i = 0; i < n; i += 100) {
                log.appendAll(entries.subList(i, Math.min(n, i + 100)));
            }
        }
        report(out, "append, one force per batch of 100", n, t);

        Path concurrent = dir.resolve("concurrent.jsonl");
        int threads = 4;
        t = System.nanoTime();
        try (DecisionLog log = DecisionLog.open(concurrent)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> fs = new ArrayList<>();
            for (int k = 0; k < threads; k++) {
                int from = k * n / threads;
                int to = (k + 1) * n / threads;
                fs.add(pool.submit(() -> {
                    for (int i = from; i < to; i++) {
                        log.append(entries.get(i).request(), entries.get(i).decision());
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            pool.shutdown();
        }
        report(out, "append, force per record, 4 threads (shared forces)", n, t);
        entries.clear();

        out.printf("  log size: %,d bytes (%,d bytes per record)%n", Files.size(perRecord), Files.size(perRecord) / n);
        for (Path p : List.of(perRecord, batched, concurrent)) {
            t = System.nanoTime();
            LogVerification v = DecisionLog.verify(p);
            report(out, "verify " + p.getFileName() + ": " + (v.intact() ? "intact" : "NOT INTACT: " + v.describe()), n, t);
            if (!v.intact() || v.records() != n) {
                throw new IllegalStateException("verification failed: " + v.describe());
            }
        }

        for (int threadsReplay : new int[] {1, cpus}) {
            t = System.nanoTime();
            ReplayReport r = Replay.with(engine).threads(threadsReplay).run(perRecord);
            report(out, "replay, " + threadsReplay + " thread" + (threadsReplay == 1 ? "" : "s") + ": " + r.summary().describe(), n, t);
            if (!r.summary().allIdentical() || r.summary().records() != n) {
                throw new IllegalStateException("replay not identical: " + r.summary().describe());
            }
        }
    }

    private static void report(PrintStream out, String what, int n, long startNanos) throws IOException {
        double s = (System.nanoTime() - startNanos) / 1e9;
        out.printf("  %-75s %8.2f s %,10.0f records/s%n", what, s, n / s);
    }
}
