package org.opensdm.engine.audit.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.audit.DecisionLog;
import org.opensdm.engine.audit.DecisionLogException;
import org.opensdm.engine.audit.DecisionRecord;
import org.opensdm.engine.audit.DecisionStoreException;
import org.opensdm.engine.audit.LogHead;
import org.opensdm.engine.audit.LogVerification;
import org.opensdm.engine.audit.RecordQuery;
import org.opensdm.engine.audit.Replay;
import org.opensdm.engine.audit.ReplayFilter;
import org.opensdm.engine.audit.ReplayReport;
import org.opensdm.engine.audit.ReplayResult;

/** The store against a real PostgreSQL server: append, the records the log file's, verify, query, replay, export, import. */
class PostgresDecisionStoreTest {
    static final PostgresServer SERVER = PostgresServer.shared();

    @TempDir
    Path dir;

    DataSource ds;
    String schema;

    @BeforeEach
    void schema() {
        ds = SERVER.dataSource();
        schema = Fixtures.newSchema(ds);
    }

    PostgresDecisionStore open(String chain) {
        return PostgresDecisionStore.builder(ds).schema(schema).chain(chain).clock(Fixtures.CLOCK).open();
    }

    @Test
    void the_records_are_the_log_files_byte_for_byte_and_each_exports_and_imports_hash_identical() throws Exception {
        Path log = dir.resolve("log.jsonl");
        List<DecisionLog.Appended> inStore = new ArrayList<>();
        List<DecisionLog.Appended> inLog = new ArrayList<>();
        try (PostgresDecisionStore store = open("main"); DecisionLog file = DecisionLog.builder(log).clock(Fixtures.CLOCK).open()) {
            for (int i = 1; i <= 40; i++) {
                DecisionLog.Entry e = Fixtures.entry(i);
                inStore.add(store.append(e.request(), e.decision()));
                inLog.add(file.append(e.request(), e.decision()));
            }
            assertThat(store.head()).isEqualTo(file.head());
        }
        assertThat(inStore).isEqualTo(inLog);

        // export: the very bytes of the log file
        try (PostgresDecisionStore store = open("main")) {
            Path exported = dir.resolve("export.jsonl");
            PostgresDecisionStore.Exported x = store.exportTo(exported);
            assertThat(x.records()).isEqualTo(40);
            assertThat(Files.readAllBytes(exported)).isEqualTo(Files.readAllBytes(log));
            assertThat(DecisionLog.verify(exported, x.head()).intact()).isTrue();
            assertThatThrownBy(() -> store.exportTo(exported)).isInstanceOf(DecisionStoreException.class)
                    .hasMessageContaining("the file exists");
        }
        // import the log file into another chain: the same rows, then again: nothing added
        try (PostgresDecisionStore other = open("imported")) {
            PostgresDecisionStore.Imported in = other.importFrom(log);
            assertThat(in.added()).isEqualTo(40);
            assertThat(in.head()).isEqualTo(new LogHead(40, inLog.get(39).hash()));
            assertThat(other.verify(null).intact()).isTrue();
            PostgresDecisionStore.Imported again = other.importFrom(log);
            assertThat(again.added()).isZero();
            assertThat(again.alreadyStored()).isEqualTo(40);
            Path back = dir.resolve("back.jsonl");
            other.exportTo(back);
            assertThat(Files.readAllBytes(back)).isEqualTo(Files.readAllBytes(log));
            // and appends continue the imported chain
            DecisionLog.Entry e = Fixtures.entry(41);
            assertThat(other.append(e.request(), e.decision()).seq()).isEqualTo(41);
            assertThat(other.verify(null).intact()).isTrue();
        }
    }

    @Test
    void an_engine_records_into_the_store_before_returning_and_the_chain_verifies() {
        try (PostgresDecisionStore store = open("county-12")) {
            SdmEngine recording = Fixtures.ENGINE.withDecisionSink(store);
            for (int i = 1; i <= 25; i++) {
                recording.evaluate(Fixtures.request(i));
            }
            assertThat(store.head().seq()).isEqualTo(25);
            LogVerification v = store.verify(null);
            assertThat(v.intact()).as(v.describe()).isTrue();
            assertThat(v.records()).isEqualTo(25);
            assertThat(v.file()).isNull();
        }
        try (PostgresDecisionStore other = open("county-13")) {
            assertThat(other.head()).isEqualTo(new LogHead(0, DecisionRecord.GENESIS_HASH));
            assertThat(other.verify(null).records()).isZero();
        }
    }

    @Test
    void queries_by_case_dates_ruleset_version_level_and_override_run_in_the_database() {
        try (PostgresDecisionStore store = open("main")) {
            List<DecisionLog.Entry> entries = new ArrayList<>();
            for (int i = 1; i <= 60; i++) {
                entries.add(Fixtures.entry(i));
            }
            store.appendAll(entries);
            List<DecisionRecord> all = records(store, RecordQuery.ALL);
            assertThat(all).hasSize(60);
            for (RecordQuery q : List.of(RecordQuery.ALL.withCaseId("C-7"),
                    RecordQuery.ALL.withAssessed(LocalDate.of(2024, 3, 5), LocalDate.of(2024, 3, 9)),
                    RecordQuery.ALL.withRuleset("test.toy", "2.0"),
                    RecordQuery.ALL.withRuleset("test.toy", null).withOverrideApplied(true),
                    RecordQuery.ALL.withOverrideApplied(false),
                    RecordQuery.ALL.withRecorded(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-02T00:00:00Z")),
                    RecordQuery.ALL.withRecorded(null, Instant.parse("2026-03-01T09:30:00.125Z")))) {
                List<Long> expected = all.stream().filter(q::test).map(DecisionRecord::seq).toList();
                assertThat(records(store, q).stream().map(DecisionRecord::seq).toList()).as(q.toString()).isEqualTo(expected);
            }
            assertThat(records(store, RecordQuery.ALL.withCaseId("C-7"))).hasSize(1);
            assertThat(records(store, RecordQuery.ALL.withRuleset("test.toy", "2.0"))).hasSize(12);
            assertThat(records(store, RecordQuery.ALL.withOverrideApplied(true))).isNotEmpty();
            assertThat(records(store, RecordQuery.ALL.withRecorded(null, Instant.parse("2026-03-01T09:30:00.125Z")))).isEmpty();
        }
    }

    @Test
    void a_final_level_query_finds_every_decision_of_that_level() {
        try (PostgresDecisionStore store = open("main")) {
            List<DecisionLog.Entry> entries = new ArrayList<>();
            for (int i = 1; i <= 30; i++) {
                entries.add(Fixtures.entry(i));
            }
            store.appendAll(entries);
            Map<String, Long> byLevel = records(store, RecordQuery.ALL).stream()
                    .filter(r -> r.index().finalLevel() != null)
                    .collect(Collectors.groupingBy(r -> r.index().finalLevel(), Collectors.counting()));
            assertThat(byLevel).isNotEmpty();
            byLevel.forEach((level, n) -> assertThat(records(store, RecordQuery.ALL.withFinalLevel(level))).hasSize(n.intValue()));
        }
    }

    private static List<DecisionRecord> records(PostgresDecisionStore store, RecordQuery q) {
        try (Stream<DecisionRecord> s = store.query(q)) {
            return s.toList();
        }
    }

    @Test
    void replay_from_the_store_gives_what_replay_of_its_log_file_gives() {
        Path log = dir.resolve("log.jsonl");
        try (PostgresDecisionStore store = open("main")) {
            List<DecisionLog.Entry> entries = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                entries.add(Fixtures.entry(i));
            }
            store.appendAll(entries);
            store.exportTo(log);
            for (ReplayFilter f : List.of(ReplayFilter.ALL, ReplayFilter.ALL.withCaseId("C-3"),
                    ReplayFilter.ALL.withFrom(LocalDate.of(2024, 3, 10)).withTo(LocalDate.of(2024, 3, 12)))) {
                ReplayReport fromStore = Replay.with(Fixtures.ENGINE).filter(f).run(store);
                ReplayReport fromLog = Replay.with(Fixtures.ENGINE).filter(f).run(log);
                assertThat(fromStore.results()).isEqualTo(fromLog.results());
                assertThat(fromStore.summary()).isEqualTo(fromLog.summary());
            }
            ReplayReport all = Replay.with(Fixtures.ENGINE).run(store);
            assertThat(all.results()).hasSize(50).allMatch(r -> r.status() == ReplayResult.Status.IDENTICAL);
            // what-if under 2.0: the same on both sides
            assertThat(Replay.with(Fixtures.ENGINE).asVersion("2.0").run(store).results())
                    .isEqualTo(Replay.with(Fixtures.ENGINE).asVersion("2.0").run(log).results());
        }
    }

    @Test
    void a_record_changed_or_deleted_by_hand_through_sql_is_named_by_verify() {
        try (PostgresDecisionStore store = open("main")) {
            List<DecisionLog.Entry> entries = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                entries.add(Fixtures.entry(i));
            }
            store.appendAll(entries);
        }
        String t = "\"" + schema + "\".decision_record";
        // an UPDATE of a record's line (the outcome changed)
        SERVER.sql("UPDATE " + t + " SET line = replace(line, '\"caseId\":\"C-7\"', '\"caseId\":\"C-8\"') WHERE seq = 7");
        LogVerification v = verify();
        assertThat(v.problem()).get().extracting(LogVerification.Problem::kind).isEqualTo(LogVerification.Kind.EDITED);
        assertThat(v.problem().get().message()).contains("record seq 7 was altered");
        assertThat(v.records()).isEqualTo(6);
        SERVER.sql("UPDATE " + t + " SET line = replace(line, '\"caseId\":\"C-8\"', '\"caseId\":\"C-7\"') WHERE seq = 7");
        assertThat(verify().intact()).isTrue();

        // an UPDATE of an index column only: queries would lie, verify says which column
        SERVER.sql("UPDATE " + t + " SET override_applied = NOT override_applied WHERE seq = 12");
        v = verify();
        assertThat(v.problem().get().kind()).isEqualTo(LogVerification.Kind.EDITED);
        assertThat(v.problem().get().message()).contains("record seq 12 was altered").contains("column override_applied");
        SERVER.sql("UPDATE " + t + " SET override_applied = NOT override_applied WHERE seq = 12");

        // a DELETE in the middle
        SERVER.sql("CREATE TABLE \"" + schema + "\".saved AS SELECT * FROM " + t + " WHERE seq = 9");
        SERVER.sql("DELETE FROM " + t + " WHERE seq = 9");
        v = verify();
        assertThat(v.problem().get().kind()).isEqualTo(LogVerification.Kind.DELETED);
        assertThat(v.problem().get().message()).contains("record seq 9 is missing");
        SERVER.sql("INSERT INTO " + t + " SELECT * FROM \"" + schema + "\".saved");

        // two records' lines swapped
        SERVER.sql("UPDATE " + t + " d SET line = o.line FROM " + t + " o WHERE (d.seq, o.seq) IN ((4, 5), (5, 4))");
        v = verify();
        assertThat(v.problem().get().kind()).isIn(LogVerification.Kind.REORDERED, LogVerification.Kind.EDITED);
        assertThat(v.problem().get().message()).contains("seq 4").contains("5");
        SERVER.sql("UPDATE " + t + " d SET line = o.line FROM " + t + " o WHERE (d.seq, o.seq) IN ((4, 5), (5, 4))");
        assertThat(verify().intact()).isTrue();

        // a DELETE of the last records: the chain's own head row says it was cut short
        SERVER.sql("DELETE FROM " + t + " WHERE seq >= 19");
        v = verify();
        assertThat(v.problem().get().kind()).isEqualTo(LogVerification.Kind.TRUNCATED);
        assertThat(v.problem().get().message()).contains("records seq 19 to 20 are missing");
        // and nothing more is appended to it
        try (PostgresDecisionStore store = open("main")) {
            DecisionLog.Entry e = Fixtures.entry(21);
            assertThatThrownBy(() -> store.append(e.request(), e.decision())).isInstanceOf(DecisionLogException.class)
                    .hasMessageContaining("its last record, seq 20, is missing").hasMessageContaining("nothing was recorded");
        }
    }

    @Test
    void a_line_that_is_not_json_is_malformed_not_a_torn_tail() {
        try (PostgresDecisionStore store = open("main")) {
            store.appendAll(List.of(Fixtures.entry(1), Fixtures.entry(2)));
        }
        SERVER.sql("UPDATE \"" + schema + "\".decision_record SET line = '{\"cut' WHERE seq = 2");
        LogVerification v = verify();
        assertThat(v.tornTail()).isEmpty();
        assertThat(v.problem().get().kind()).isEqualTo(LogVerification.Kind.MALFORMED);
    }

    private LogVerification verify() {
        try (PostgresDecisionStore store = open("main")) {
            return store.verify(null);
        }
    }

    @Test
    void an_unknown_schema_or_a_bad_name_is_refused_clearly() {
        assertThatThrownBy(() -> PostgresDecisionStore.builder(ds).schema("nowhere").open())
                .isInstanceOf(DecisionStoreException.class)
                .hasMessageContaining("schema nowhere holds no decision store").hasMessageContaining("sdm store init");
        assertThatThrownBy(() -> PostgresDecisionStore.builder(ds).schema("x\"; drop"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a schema name is");
        assertThatThrownBy(() -> PostgresDecisionStore.builder(ds).chain("a b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a chain name is");
        // migrate is idempotent
        assertThat(PostgresDecisionStore.migrate(ds, schema)).isEqualTo("1");
    }

    @Test
    void appends_of_concurrent_threads_share_transactions_and_each_gets_its_own_receipt() throws Exception {
        int threads = 8;
        int each = 40;
        try (PostgresDecisionStore store = open("group")) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            List<java.util.concurrent.Future<List<DecisionLog.Appended>>> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                all.add(pool.submit(() -> {
                    List<DecisionLog.Appended> mine = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        DecisionLog.Entry e = Fixtures.syntheticEntry(thread * 1000L + i);
                        mine.add(store.append(e.request(), e.decision()));
                    }
                    return mine;
                }));
            }
            java.util.Set<Long> seqs = new java.util.HashSet<>();
            for (var f : all) {
                f.get().forEach(a -> assertThat(seqs.add(a.seq())).isTrue());
            }
            pool.shutdown();
            assertThat(seqs).hasSize(threads * each);
            assertThat(store.verify(null).records()).isEqualTo(threads * each);
            // fewer transactions than appends: the appends that queued while one committed went into the next
            assertThat(store.commits()).isLessThan(threads * each);
            System.out.printf("group commit: %d appends from %d threads in %d transactions (%.1f a transaction)%n",
                    threads * each, threads, store.commits(), (double) threads * each / store.commits());
        }
    }

    @Test
    void a_batch_larger_than_one_statement_is_one_transaction() {
        int n = PostgresDecisionStore.STATEMENT_ROWS * 2 + 7;
        try (PostgresDecisionStore store = open("big")) {
            store.append(Fixtures.syntheticEntry(0).request(), Fixtures.syntheticEntry(0).decision());
            List<DecisionLog.Entry> entries = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                entries.add(Fixtures.syntheticEntry(i));
            }
            List<DecisionLog.Appended> got = store.appendAll(entries);
            assertThat(got).hasSize(n);
            assertThat(got.get(0).seq()).isEqualTo(2);
            assertThat(got.get(n - 1).seq()).isEqualTo(n + 1);
            assertThat(store.head()).isEqualTo(new LogHead(n + 1, got.get(n - 1).hash()));
            LogVerification v = store.verify(null);
            assertThat(v.intact()).as(v.describe()).isTrue();
            assertThat(v.records()).isEqualTo(n + 1);
            // and the next append goes on from it
            assertThat(store.append(Fixtures.syntheticEntry(-1).request(), Fixtures.syntheticEntry(-1).decision()).seq()).isEqualTo(n + 2);
        }
    }

    @Test
    void a_lone_line_check_says_what_is_wrong() {
        assertThatThrownBy(() -> DecisionRecord.checked("{}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not a decision record");
    }
}
