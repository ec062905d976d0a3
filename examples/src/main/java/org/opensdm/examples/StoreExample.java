package org.opensdm.examples;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.opensdm.engine.Decision;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.audit.DecisionLog;
import org.opensdm.engine.audit.DecisionRecord;
import org.opensdm.engine.audit.LogVerification;
import org.opensdm.engine.audit.RecordQuery;
import org.opensdm.engine.audit.Replay;
import org.opensdm.engine.audit.ReplayReport;
import org.opensdm.engine.audit.postgres.PostgresDecisionStore;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * How a case system with several application servers records decisions in PostgreSQL:
 * <ol>
 *   <li>the schema is created (or upgraded) once, at deployment: {@code PostgresDecisionStore.migrate};</li>
 *   <li>each application server opens a store on its own {@code DataSource} (its pool), one chain per
 *       county, and hands it to its engine as the decision sink: {@code evaluate} returns once the
 *       record's transaction committed; here four threads decide at once, into two counties' chains;</li>
 *   <li>an auditor asks the database: every decision for one case, every VERY_HIGH decision with an
 *       override applied; verifies each chain and replays it (all IDENTICAL), and exports a chain to a
 *       log file that {@code DecisionLog.verify} accepts, hash for hash.</li>
 * </ol>
 * Run: {@code SDM_STORE_PASSWORD=... java ... org.opensdm.examples.StoreExample jdbc:postgresql://HOST:PORT/DB?user=USER}
 * (the schema {@code sdm_example} is created in that database; the export goes to a new temporary folder).
 */
public final class StoreExample {
    private StoreExample() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: StoreExample JDBC_URL (the password in the environment variable SDM_STORE_PASSWORD)");
            System.exit(2);
        }
        PGSimpleDataSource ds = new PGSimpleDataSource(); // an application would use its pool (HikariCP, its server's)
        ds.setURL(args[0]);
        String password = System.getenv("SDM_STORE_PASSWORD");
        if (password != null) {
            ds.setPassword(password);
        }
        run(ds, "sdm_example", Files.createTempDirectory("sdm-store"), SdmEngine.builder().classpathRulesets().build(), System.out);
    }

    /** What the example found, for its test. */
    record Findings(long recorded, List<DecisionRecord> caseRecords, List<DecisionRecord> veryHighOverridden,
                    LogVerification north, LogVerification south, ReplayReport replay, Path export,
                    LogVerification exportVerified) { }

    static Findings run(DataSource ds, String schema, Path dir, SdmEngine shipped, PrintStream out) throws Exception {
        // 1. At deployment (or `sdm store init --store URL --schema ...`): create or upgrade the schema.
        out.println("1. schema " + schema + " at version " + PostgresDecisionStore.migrate(ds, schema));

        // 2. An application server: one store per chain (county), each the decision sink of an engine.
        //    Several servers do the same against the same database: each chain stays one unbroken chain.
        long recorded = 0;
        try (PostgresDecisionStore north = PostgresDecisionStore.builder(ds).schema(schema).chain("north").open();
             PostgresDecisionStore south = PostgresDecisionStore.builder(ds).schema(schema).chain("south").open()) {
            SdmEngine northEngine = shipped.withDecisionSink(north);
            SdmEngine southEngine = shipped.withDecisionSink(south);
            ExecutorService workers = Executors.newFixedThreadPool(4);
            List<Future<Decision>> decisions = new ArrayList<>();
            for (int i = 1; i <= 40; i++) {
                int n = i;
                SdmEngine engine = n % 2 == 0 ? northEngine : southEngine;
                decisions.add(workers.submit(() -> engine.evaluate(FamilyRiskRequests.request(n)))); // returns once committed
            }
            for (Future<Decision> d : decisions) {
                d.get();
                recorded++;
            }
            workers.shutdown();
            out.println("2. recorded " + recorded + " decisions from 4 threads: chain north head " + north.head()
                    + ", chain south head " + south.head());
        }

        // 3. The auditor: queries run in the database, on indexed columns.
        try (PostgresDecisionStore north = PostgresDecisionStore.builder(ds).schema(schema).chain("north").open();
             PostgresDecisionStore south = PostgresDecisionStore.builder(ds).schema(schema).chain("south").open()) {
            List<DecisionRecord> forCase;
            try (Stream<DecisionRecord> s = north.query(RecordQuery.ALL.withCaseId("C-12"))) {
                forCase = s.toList();
            }
            out.println("3. every decision for case C-12: " + forCase.size());
            List<DecisionRecord> veryHigh = new ArrayList<>();
            for (PostgresDecisionStore store : List.of(north, south)) {
                try (Stream<DecisionRecord> s = store.query(RecordQuery.ALL.withFinalLevel("VERY_HIGH").withOverrideApplied(true))) {
                    s.forEach(veryHigh::add);
                }
            }
            out.println("   every VERY_HIGH decision with an override applied: " + veryHigh.size());
            veryHigh.forEach(r -> out.println("     " + r.caseId() + " " + r.assessedOn() + " " + r.rulesetId() + " "
                    + r.rulesetVersion() + " (seq " + r.seq() + ")"));

            LogVerification vn = north.verify(null);
            LogVerification vs = south.verify(null);
            out.println("4. verify north: " + vn.describe());
            out.println("   verify south: " + vs.describe());
            ReplayReport replay = Replay.with(shipped).run(north);
            out.println("   replay north: " + replay.summary().describe());

            Path export = dir.resolve("north.jsonl");
            north.exportTo(export);
            LogVerification ev = DecisionLog.verify(export, north.head());
            out.println("5. exported north to " + export + ": " + ev.describe());
            return new Findings(recorded, forCase, veryHigh, vn, vs, replay, export, ev);
        }
    }
}
