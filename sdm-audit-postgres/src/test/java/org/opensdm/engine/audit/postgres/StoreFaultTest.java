package org.opensdm.engine.audit.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.audit.ChildJvm;
import org.opensdm.engine.audit.DecisionLog;
import org.opensdm.engine.audit.DecisionRecord;
import org.opensdm.engine.audit.DecisionStoreException;
import org.opensdm.engine.audit.LogVerification;
import org.opensdm.engine.audit.RecordQuery;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Faults, against a real server: writer JVMs killed with SIGKILL mid-batch, the server restarted under
 * running writers, a connection dropped mid-transaction, four JVMs of four threads appending at once.
 * Each run prints its counts (acknowledged, stored).
 */
class StoreFaultTest {
    static final PostgresServer SERVER = PostgresServer.shared();
    /** Constant: reading it does not initialise this class (a child JVM must not start a server of its own). */
    static final String PASSWORD_ENV = "SDM_TEST_PG_PASSWORD";

    @TempDir
    Path dir;

    DataSource ds;
    String schema;

    @BeforeEach
    void schema() {
        ds = SERVER.dataSource();
        schema = Fixtures.newSchema(ds);
    }

    private ProcessBuilder child(Class<?> main, String... args) {
        List<String> all = new ArrayList<>(List.of(String.valueOf(SERVER.port()), schema));
        all.addAll(List.of(args));
        ProcessBuilder pb = ChildJvm.command(main, all.toArray(String[]::new));
        pb.environment().put(PASSWORD_ENV, SERVER.password()); // not on the command line
        return pb;
    }

    private Map<Long, String> stored(String chain) {
        try (PostgresDecisionStore s = PostgresDecisionStore.builder(ds).schema(schema).chain(chain).open();
             Stream<DecisionRecord> all = s.query(RecordQuery.ALL)) {
            return all.collect(Collectors.toMap(DecisionRecord::seq, DecisionRecord::hash));
        }
    }

    private LogVerification verify(String chain) {
        try (PostgresDecisionStore s = PostgresDecisionStore.builder(ds).schema(schema).chain(chain).open()) {
            return s.verify(null);
        }
    }

    @Test
    void every_decision_acknowledged_before_a_sigkill_is_stored_and_the_chain_verifies() throws Exception {
        Random random = new Random(7);
        Map<Long, String> acknowledged = new HashMap<>();
        int rounds = 5;
        for (int round = 0; round < rounds; round++) {
            Path err = dir.resolve("child-" + round + ".err");
            Process p = child(Appender.class, "main", String.valueOf(round), "1").redirectError(err.toFile()).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertThat(first).as("round %d: the child appends; its stderr: %s", round, Files.readString(err)).isNotNull();
            record(first, acknowledged);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300 + random.nextInt(700));
            while (System.nanoTime() < until) {
                if (out.ready()) {
                    String line = out.readLine();
                    if (line == null) {
                        break;
                    }
                    record(line, acknowledged);
                } else {
                    Thread.sleep(1);
                }
            }
            assertThat(p.toHandle().destroyForcibly()).isTrue(); // SIGKILL, the pipe left open to read
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(128 + 9);
            String line;
            while ((line = out.readLine()) != null) {
                record(line, acknowledged);
            }
            LogVerification v = verify("main");
            assertThat(v.intact()).as("round %d: %s", round, v.describe()).isTrue();
        }
        Map<Long, String> stored = stored("main");
        assertThat(acknowledged).isNotEmpty();
        assertThat(stored).containsAllEntriesOf(acknowledged);
        LogVerification v = verify("main");
        assertThat(v.intact()).isTrue();
        assertThat(v.records()).isEqualTo(stored.size());
        System.out.printf("store kill test: %d SIGKILLs, %d acknowledged appends, %d records stored (%d committed but not yet "
                + "acknowledged when killed), chain intact%n", rounds, acknowledged.size(), stored.size(),
                stored.size() - acknowledged.size());
    }

    private static void record(String line, Map<Long, String> acknowledged) {
        String[] parts = line.split(" ");
        if (parts.length == 2) {
            acknowledged.put(Long.parseLong(parts[0]), parts[1]);
        }
    }

    @Test
    void four_jvms_of_four_threads_append_at_once_into_one_unbroken_chain() throws Exception {
        int jvms = 4;
        int perThread = 60;
        List<Process> children = new ArrayList<>();
        for (int j = 0; j < jvms; j++) {
            children.add(child(Appender.class, "shared", String.valueOf(100 + j), "4", String.valueOf(perThread))
                    .redirectError(dir.resolve("jvm-" + j + ".err").toFile()).start());
        }
        Map<Long, String> acknowledged = new HashMap<>();
        int lines = 0;
        for (int j = 0; j < jvms; j++) {
            Process p = children.get(j);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    String[] parts = line.split(" ");
                    assertThat(acknowledged.put(Long.parseLong(parts[0]), parts[1])).as("seq %s acknowledged twice", parts[0]).isNull();
                    lines++;
                }
            }
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(dir.resolve("jvm-" + j + ".err"))).isZero();
        }
        Map<Long, String> stored = stored("shared");
        LogVerification v = verify("shared");
        assertThat(v.intact()).as(v.describe()).isTrue();
        assertThat(stored).isEqualTo(acknowledged);
        assertThat(stored.keySet()).isEqualTo(Stream.iterate(1L, s -> s + 1).limit(stored.size()).collect(Collectors.toSet()));
        assertThat(lines).isEqualTo(stored.size());
        System.out.printf("store concurrency test: %d JVMs x 4 threads, %d acknowledged, %d stored, seq 1..%d without a gap, "
                + "chain intact%n", jvms, acknowledged.size(), stored.size(), stored.size());
    }

    /**
     * Child JVM: args port, schema, chain, seed, threads[, appends per thread]. Each thread appends single
     * records and batches of up to 32, printing "seq hash" for each record once its append returned; with
     * no count, until killed.
     */
    public static final class Appender {
        /** The child's data source, from its arguments and environment (not StoreFaultTest's: that would start a server). */
        static DataSource childDataSource(String port) {
            PGSimpleDataSource d = new PGSimpleDataSource();
            d.setServerNames(new String[] {"127.0.0.1"});
            d.setPortNumbers(new int[] {Integer.parseInt(port)});
            d.setDatabaseName("postgres");
            d.setUser(PostgresServer.USER);
            d.setPassword(System.getenv(PASSWORD_ENV));
            return d;
        }

        public static void main(String[] args) throws Exception {
            DataSource d = childDataSource(args[0]);
            int threads = Integer.parseInt(args[4]);
            long count = args.length > 5 ? Long.parseLong(args[5]) : Long.MAX_VALUE;
            long seed = Long.parseLong(args[3]);
            try (PostgresDecisionStore store = PostgresDecisionStore.builder(d).schema(args[1]).chain(args[2]).open()) {
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        Random random = new Random(seed * 31 + thread);
                        long i = 0;
                        for (long k = 0; k < count; k++) {
                            int n = random.nextInt(4) == 0 ? 1 + random.nextInt(32) : 1;
                            List<DecisionLog.Entry> batch = new ArrayList<>(n);
                            for (int b = 0; b < n; b++) {
                                batch.add(Fixtures.syntheticEntry(seed * 1_000_000_000L + thread * 10_000_000L + i++));
                            }
                            StringBuilder sb = new StringBuilder();
                            for (DecisionLog.Appended a : store.appendAll(batch)) {
                                sb.append(a.seq()).append(' ').append(a.hash()).append('\n');
                            }
                            synchronized (System.out) {
                                System.out.print(sb);
                                System.out.flush();
                            }
                        }
                        return null;
                    }));
                }
                try {
                    for (Future<?> f : done) {
                        f.get();
                    }
                } finally {
                    pool.shutdownNow(); // a failed appender ends the JVM (exit 1), it does not hang it
                }
            }
        }
    }

    @Test
    void writers_retry_through_database_restarts_and_nothing_is_half_written() throws Exception {
        int threads = 4;
        int restarts = 3;
        Map<String, Long> acknowledged = new ConcurrentHashMap<>(); // case id -> seq
        Set<String> failed = ConcurrentHashMap.newKeySet();         // case ids of appends that threw
        List<String> failures = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger appends = new AtomicInteger();
        try (PostgresDecisionStore store = PostgresDecisionStore.builder(ds).schema(schema).chain("restarts")
                .retryFor(Duration.ofSeconds(30)).open()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    long i = 0;
                    while (!stop.get()) {
                        List<DecisionLog.Entry> batch = new ArrayList<>();
                        int n = (int) (i % 5) + 1;
                        for (int b = 0; b < n; b++) {
                            batch.add(Fixtures.syntheticEntry(thread * 1_000_000L + i++));
                        }
                        try {
                            List<DecisionLog.Appended> got = store.appendAll(batch);
                            for (int b = 0; b < n; b++) {
                                acknowledged.put(batch.get(b).decision().caseId(), got.get(b).seq());
                            }
                            appends.incrementAndGet();
                        } catch (DecisionStoreException e) {
                            batch.forEach(x -> failed.add(x.decision().caseId()));
                            synchronized (failures) {
                                failures.add(e.getMessage());
                            }
                        }
                    }
                    return null;
                }));
            }
            for (int r = 0; r < restarts; r++) {
                int before = appends.get();
                while (appends.get() < before + 50) {
                    Thread.sleep(5);
                }
                SERVER.restart(); // pg_ctl restart -m fast: every connection cut, open transactions rolled back
            }
            int before = appends.get();
            while (appends.get() < before + 50) {
                Thread.sleep(5);
            }
            stop.set(true);
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }
        Map<String, Long> stored;
        try (PostgresDecisionStore s = PostgresDecisionStore.builder(ds).schema(schema).chain("restarts").open();
             Stream<DecisionRecord> all = s.query(RecordQuery.ALL)) {
            stored = all.collect(Collectors.toMap(DecisionRecord::caseId, DecisionRecord::seq));
        }
        LogVerification v = verify("restarts");
        assertThat(v.intact()).as(v.describe()).isTrue();
        assertThat(stored).containsAllEntriesOf(acknowledged);
        // a failed append is not stored, unless its failure says its commit's outcome is unknown
        Set<String> strayed = new HashSet<>(stored.keySet());
        strayed.removeAll(acknowledged.keySet());
        assertThat(failures).allSatisfy(m -> assertThat(m).containsAnyOf("nothing was recorded", "outcome is unknown")
                .doesNotContain(SERVER.password()));
        if (failures.stream().noneMatch(m -> m.contains("outcome is unknown"))) {
            assertThat(strayed).isEmpty();
        }
        System.out.printf("store restart test: %d restarts under %d writer threads, %d acknowledged, %d stored, %d appends "
                + "failed (%d records, none stored unless its outcome was unknown), chain intact%n", restarts, threads,
                acknowledged.size(), stored.size(), failures.size(), failed.size());
    }

    @Test
    void a_connection_dropped_mid_transaction_is_retried_and_the_record_is_stored_once() throws Exception {
        try (PostgresDecisionStore store = PostgresDecisionStore.builder(ds).schema(schema).chain("drop").open()) {
            store.append(Fixtures.syntheticEntry(1).request(), Fixtures.syntheticEntry(1).decision());
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try (Connection holder = ds.getConnection()) {
                holder.setAutoCommit(false);
                try (Statement st = holder.createStatement()) { // hold the chain's head: the writer's transaction waits inside
                    st.execute("SELECT * FROM \"" + schema + "\".chain WHERE name = 'drop' FOR UPDATE");
                }
                Future<DecisionLog.Appended> append = pool.submit(() -> store.append(Fixtures.syntheticEntry(2).request(),
                        Fixtures.syntheticEntry(2).decision()));
                int killed = 0;
                for (int round = 0; round < 2; round++) {
                    int pid = waitingBackend(holder);
                    try (Connection other = ds.getConnection();
                         PreparedStatement ps = other.prepareStatement("SELECT pg_terminate_backend(?)")) {
                        ps.setInt(1, pid);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            assertThat(rs.getBoolean(1)).isTrue();
                            killed++;
                        }
                    }
                }
                assertThat(append.isDone()).isFalse();
                holder.rollback(); // let it through
                DecisionLog.Appended a = append.get(30, TimeUnit.SECONDS);
                assertThat(a.seq()).isEqualTo(2);
                assertThat(killed).isEqualTo(2);
            } finally {
                pool.shutdown();
            }
        }
        LogVerification v = verify("drop");
        assertThat(v.intact()).as(v.describe()).isTrue();
        assertThat(v.records()).isEqualTo(2);
        System.out.println("store connection-drop test: 2 connections terminated mid-transaction, 1 acknowledged append, "
                + "2 records stored (1 before), chain intact");
    }

    @Test
    void without_retries_a_dropped_connection_fails_the_append_clearly_and_stores_nothing() throws Exception {
        try (PostgresDecisionStore store = PostgresDecisionStore.builder(ds).schema(schema).chain("noretry")
                .retryFor(Duration.ZERO).open()) {
            store.append(Fixtures.syntheticEntry(1).request(), Fixtures.syntheticEntry(1).decision());
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try (Connection holder = ds.getConnection()) {
                holder.setAutoCommit(false);
                try (Statement st = holder.createStatement()) {
                    st.execute("SELECT * FROM \"" + schema + "\".chain WHERE name = 'noretry' FOR UPDATE");
                }
                Future<DecisionLog.Appended> append = pool.submit(() -> store.append(Fixtures.syntheticEntry(2).request(),
                        Fixtures.syntheticEntry(2).decision()));
                int pid = waitingBackend(holder);
                try (Connection other = ds.getConnection();
                     PreparedStatement ps = other.prepareStatement("SELECT pg_terminate_backend(?)")) {
                    ps.setInt(1, pid);
                    ps.executeQuery().close();
                }
                holder.rollback();
                assertThatThrownBy(() -> append.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(DecisionStoreException.class)
                        .cause().hasMessageContaining("cannot record in").hasMessageContaining("nothing was recorded")
                        .hasMessageContaining("SQLSTATE");
            } finally {
                pool.shutdown();
            }
            // the store carries on with a new connection
            assertThat(store.append(Fixtures.syntheticEntry(3).request(), Fixtures.syntheticEntry(3).decision()).seq()).isEqualTo(2);
        }
        assertThat(verify("noretry").intact()).isTrue();
        assertThat(stored("noretry")).hasSize(2);
    }

    /**
     * The pid of the backend waiting for the chain's lock (the writer's, inside its transaction); asked on a
     * connection of its own, in autocommit (within one transaction pg_stat_activity is a snapshot).
     */
    private int waitingBackend(Connection holder) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                         + "AND query LIKE 'WITH head AS (UPDATE%' AND pid <> pg_backend_pid()")) {
                if (rs.next()) {
                    return rs.getInt(1);
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no writer waits for the chain's lock");
    }
}
