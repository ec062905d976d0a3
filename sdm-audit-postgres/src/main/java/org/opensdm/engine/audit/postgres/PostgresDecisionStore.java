package org.opensdm.engine.audit.postgres;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;
import org.opensdm.engine.audit.DecisionLog;
import org.opensdm.engine.audit.DecisionRecord;
import org.opensdm.engine.audit.DecisionStore;
import org.opensdm.engine.audit.DecisionStoreException;
import org.opensdm.engine.audit.LogHead;
import org.opensdm.engine.audit.LogVerification;
import org.opensdm.engine.audit.RecordLines;
import org.opensdm.engine.audit.RecordQuery;
import org.opensdm.engine.json.SdmJson;

/**
 * The decision store on PostgreSQL: one hash chain per named chain (stream: one per store, or one
 * per county), its records in the table {@code decision_record} of the store's own schema (default
 * {@value #DEFAULT_SCHEMA}), created and upgraded by Flyway ({@link #migrate}).
 *
 * <pre>{@code
 * DataSource ds = ...;                                   // the application's pool
 * PostgresDecisionStore.migrate(ds, "sdm_audit");        // once, at deployment (or sdm store init)
 * try (PostgresDecisionStore store = PostgresDecisionStore.builder(ds).schema("sdm_audit").chain("county-12").open()) {
 *     SdmEngine engine = SdmEngine.builder().classpathRulesets().decisionSink(store).build();
 *     engine.evaluate(request);                          // returns once the record's transaction committed
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>The records are the log file's</b>: each row holds the record's line (its canonical JSON,
 *       made by {@link DecisionRecord.Draft#seal}, the same code as the log file's) and its hash, and
 *       columns copied from it for queries (case id, {@code assessedOn}, {@code recordedAt}, ruleset
 *       id and version, final level, override applied). {@link #exportTo} writes a log file that
 *       {@link DecisionLog#verify(Path)} accepts; {@link #importFrom} takes a log file's records as
 *       they are, hash for hash.</li>
 *   <li><b>Any number of writers</b>, in any number of JVMs: an append is one statement in its own transaction,
 *       which moves the chain's head row in {@code chain} (an {@code UPDATE}, so under its row lock) from the head
 *       this store last saw to the batch's last record and inserts the batch only if the head was still that one.
 *       Writers of a chain take turns at that row lock; one that finds the head moved (nothing inserted) reads it
 *       again, checks its last record and seals its records again on it. No fork, no gap (a rolled-back statement
 *       leaves the head as it was), no duplicate sequence number (the primary key would refuse one anyway).</li>
 *   <li><b>Acknowledged = committed</b>: {@link #append} returns only after the transaction's
 *       {@code COMMIT} returned (with PostgreSQL's default {@code synchronous_commit = on}, once the
 *       commit is flushed to the server's disk). Appends from concurrent threads of one store are
 *       written together, one transaction for all that queued while the previous one committed (group
 *       commit); {@link #appendAll} is one transaction.</li>
 *   <li><b>Failures</b>: a transaction that fails because the connection broke or the server shut down
 *       (SQLSTATE class 08, 57P01-57P03, and serialization failures and deadlocks) is tried again on a
 *       new connection for up to {@link Builder#retryFor} (default 30 s); if its {@code COMMIT} itself
 *       failed, the store first looks whether it committed (its first record, by seq and hash) and
 *       does not append it twice. Otherwise, or when time is up, the append throws
 *       {@link DecisionStoreException} and nothing of it is recorded: as a decision sink, the engine
 *       withholds the decision.</li>
 *   <li><b>Appending needs a sound last record</b>: whenever the store reads the chain's head (at its first
 *       append, after another writer appended, after a failure) it checks the last record (its row's hash is the
 *       head's, its line in canonical form matching its hash) before chaining to it.</li>
 * </ul>
 * Messages name the store by its JDBC address without user or password ({@link #describe()}).
 */
public final class PostgresDecisionStore implements DecisionStore {
    /** The schema the store's tables are in unless another is given. */
    public static final String DEFAULT_SCHEMA = "sdm_audit";
    /** The chain records go to unless another is given. */
    public static final String DEFAULT_CHAIN = "main";
    /** The most records one transaction takes from the queue of concurrent appends. */
    static final int MAX_GROUP = 1000;

    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern CHAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final String COLUMNS = "seq, hash, recorded_at, case_id, assessed_on, ruleset_id, ruleset_version, "
            + "final_level, override_applied, line";

    private final DataSource dataSource;
    private final String schema;
    private final String chain;
    private final Clock clock;
    private final Duration retryFor;
    private final String where; // for messages
    private final String sqlLock;
    private final String sqlNewChain;
    private final String sqlHead;
    private final String sqlLast;
    private final String sqlInsert;
    private final String sqlMoveHead;
    private final String sqlHashAt;

    private final ReentrantLock writer = new ReentrantLock(); // one transaction at a time per store: the group's leader
    private final Object queueLock = new Object();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>(); // guarded by queueLock
    private boolean leading; // guarded by queueLock: a thread is committing a group
    private Connection connection;  // guarded by writer
    private Head seen;              // guarded by writer: the head as this store last saw it (null: read it)
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong commits = new java.util.concurrent.atomic.AtomicLong(); // appending transactions committed

    private PostgresDecisionStore(Builder b) {
        this.dataSource = b.dataSource;
        this.schema = b.schema;
        this.chain = b.chain;
        this.clock = b.clock;
        this.retryFor = b.retryFor;
        this.where = b.name == null ? "the PostgreSQL decision store" : b.name;
        String t = q(schema) + ".";
        this.sqlLock = "SELECT last_seq, last_hash FROM " + t + "chain WHERE name = ? FOR UPDATE";
        // read by a statement of its own, after the lock: a join in the locking statement would read the last record
        // from the snapshot taken before waiting for the lock, without the rows the previous holder committed
        this.sqlLast = "SELECT hash, line FROM " + t + "decision_record WHERE chain = ? AND seq = ?";
        this.sqlNewChain = "INSERT INTO " + t + "chain (name) VALUES (?) ON CONFLICT (name) DO NOTHING";
        this.sqlHead = "SELECT last_seq, last_hash FROM " + t + "chain WHERE name = ?";
        this.sqlInsert = "INSERT INTO " + t + "decision_record (chain, " + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        this.sqlMoveHead = "UPDATE " + t + "chain SET last_seq = ?, last_hash = ? WHERE name = ?";
        this.sqlHashAt = "SELECT hash FROM " + t + "decision_record WHERE chain = ? AND seq = ?";
    }

    /** How to open a store on {@code dataSource} (the application's, typically a pool). */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** The options of a store. */
    public static final class Builder {
        private final DataSource dataSource;
        private String schema = DEFAULT_SCHEMA;
        private String chain = DEFAULT_CHAIN;
        private Clock clock = Clock.systemUTC();
        private Duration retryFor = Duration.ofSeconds(30);
        private boolean migrate;
        private String name;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * The schema of the store's tables ({@value #DEFAULT_SCHEMA} unless set): lower-case letters,
         * digits and {@code _}, not starting with a digit, at most 63 characters.
         */
        public Builder schema(String s) {
            this.schema = checkSchema(s);
            return this;
        }

        /**
         * The chain (stream) to append to and read ({@value #DEFAULT_CHAIN} unless set), e.g. one per
         * county: letters, digits, {@code . _ -}, at most 64 characters. Each chain has its own sequence
         * numbers and hashes, verified on its own; a chain is created by its first append.
         */
        public Builder chain(String c) {
            this.chain = checkChain(c);
            return this;
        }

        /** The clock of {@code recordedAt} (default: the system clock, UTC). */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c);
            return this;
        }

        /**
         * How long a transaction that failed because the connection broke or the server restarted is tried
         * again (default 30 s; zero: not tried again).
         */
        public Builder retryFor(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("retryFor cannot be negative");
            }
            this.retryFor = d;
            return this;
        }

        /** Create or upgrade the schema at {@link #open()} ({@link PostgresDecisionStore#migrate}); default: only check it. */
        public Builder migrate(boolean m) {
            this.migrate = m;
            return this;
        }

        /**
         * How messages name the store (default "the PostgreSQL decision store"); the CLI gives the JDBC URL
         * without its user and password. Never put a password in it.
         */
        public Builder name(String n) {
            this.name = n;
            return this;
        }

        /**
         * Opens the store: checks (or, with {@link #migrate(boolean)}, creates or upgrades) the schema and
         * that the database encodes text as UTF-8.
         *
         * @throws DecisionStoreException the database cannot be reached, the schema is missing or older than
         *                                this library's, or the database is not UTF-8
         */
        public PostgresDecisionStore open() {
            if (migrate) {
                PostgresDecisionStore.migrate(dataSource, schema);
            }
            PostgresDecisionStore s = new PostgresDecisionStore(this);
            s.checkSchema();
            return s;
        }
    }

    static String checkSchema(String s) {
        if (s == null || !SCHEMA_NAME.matcher(s).matches()) {
            throw new IllegalArgumentException("a schema name is lower-case letters, digits and _, not starting with a digit, "
                    + "at most 63 characters" + (s == null ? "" : "; not '" + SdmJson.clip(s) + "'"));
        }
        return s;
    }

    static String checkChain(String c) {
        if (c == null || !CHAIN_NAME.matcher(c).matches()) {
            throw new IllegalArgumentException("a chain name is letters, digits, '.', '_' and '-', starting with a letter or "
                    + "digit, at most 64 characters" + (c == null ? "" : "; not '" + SdmJson.clip(c) + "'"));
        }
        return c;
    }

    /**
     * Creates the schema and its tables, or upgrades them to this library's version (Flyway, its history in
     * {@code SCHEMA.flyway_schema_history}); does nothing when they are current. Safe to run from several
     * processes at once (Flyway takes a lock).
     *
     * @return the schema version now
     * @throws DecisionStoreException the database cannot be reached or the migration failed
     */
    public static String migrate(DataSource dataSource, String schema) {
        return Migrations.migrate(dataSource, checkSchema(schema));
    }

    private void checkSchema() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SHOW server_encoding")) {
                rs.next();
                if (!"UTF8".equalsIgnoreCase(rs.getString(1))) {
                    throw new DecisionStoreException(where + ": the database's encoding is " + rs.getString(1)
                            + ", not UTF8: a record's text would not be kept byte for byte (create the database with ENCODING 'UTF8')");
                }
            }
            String found = Migrations.currentVersion(c, schema);
            if (found == null) {
                throw new DecisionStoreException(where + ": schema " + schema + " holds no decision store; create it with "
                        + "`sdm store init` or PostgresDecisionStore.migrate(dataSource, \"" + schema + "\")");
            }
            if (!found.equals(Migrations.LATEST)) {
                throw new DecisionStoreException(where + ": schema " + schema + " is at version " + found + ", this library "
                        + "needs " + Migrations.LATEST + ": upgrade it with `sdm store init` or PostgresDecisionStore.migrate");
            }
        } catch (SQLException e) {
            throw new DecisionStoreException(where + ": cannot open the store: " + Sql.describe(e), e);
        }
    }

    /** How many appending transactions this store committed (for the group commit's test). */
    long commits() {
        return commits.get();
    }

    public String schema() {
        return schema;
    }

    public String chain() {
        return chain;
    }

    @Override
    public String describe() {
        return where + " (schema " + schema + ", chain " + chain + ")";
    }

    // ------------------------------------------------------------------------------------- appending

    /** Appends queued by threads of this store, waiting for a leader to commit them. */
    private static final class Pending {
        final List<DecisionRecord.Draft> drafts;
        List<DecisionLog.Appended> result;
        RuntimeException failure;
        boolean done;

        Pending(List<DecisionRecord.Draft> drafts) {
            this.drafts = drafts;
        }
    }

    /**
     * Appends the records, in this order and consecutive in the chain, in one transaction (with the
     * appends other threads of this store queued meanwhile); returns once it committed.
     *
     * @throws DecisionStoreException not recorded (nothing of the batch is in the store)
     */
    @Override
    public List<DecisionLog.Appended> appendAll(List<DecisionLog.Entry> entries) {
        if (entries.isEmpty()) {
            return List.of();
        }
        List<DecisionRecord.Draft> drafts = new ArrayList<>(entries.size());
        for (DecisionLog.Entry e : entries) {
            drafts.add(DecisionRecord.draft(e.request(), e.decision())); // canonical JSON outside any lock
        }
        Pending mine = new Pending(drafts);
        boolean lead;
        boolean interrupted = false;
        synchronized (queueLock) {
            queue.add(mine);
            // wait until a leader committed this append, or lead: take what is queued and commit it
            while (!mine.done && leading) {
                try {
                    queueLock.wait();
                } catch (InterruptedException e) {
                    if (queue.remove(mine)) {
                        Thread.currentThread().interrupt();
                        throw new DecisionStoreException("interrupted while waiting to record; nothing was recorded");
                    }
                    interrupted = true; // already taken by a leader: wait for its outcome, then keep the interrupt
                }
            }
            lead = !mine.done;
            if (lead) {
                leading = true;
            }
        }
        if (lead) {
            try {
                writer.lock();
                try {
                    lead();
                } finally {
                    writer.unlock();
                }
            } finally {
                synchronized (queueLock) {
                    leading = false;
                    queueLock.notifyAll(); // the group's appends are done; the next waiter leads
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.result;
    }

    /**
     * As the leader: takes the queued appends (up to {@link #MAX_GROUP} records, whole appends) and commits them as
     * one transaction. The appends that queue meanwhile wait on {@code queueLock}, not on the connection, so each
     * returns as soon as its group committed.
     */
    private void lead() {
        List<Pending> group = new ArrayList<>();
        synchronized (queueLock) {
            int n = 0;
            while (!queue.isEmpty() && (group.isEmpty() || n + queue.peek().drafts.size() <= MAX_GROUP)) {
                Pending p = queue.poll();
                group.add(p);
                n += p.drafts.size();
            }
        }
        List<DecisionRecord.Draft> all = new ArrayList<>();
        group.forEach(p -> all.addAll(p.drafts));
        try {
            List<DecisionLog.Appended> done = commitWithRetry(all);
            int i = 0;
            for (Pending p : group) {
                p.result = List.copyOf(done.subList(i, i + p.drafts.size()));
                i += p.drafts.size();
            }
        } catch (RuntimeException e) {
            group.forEach(p -> p.failure = e);
        } finally {
            synchronized (queueLock) {
                group.forEach(p -> p.done = true);
            }
        }
    }

    private List<DecisionLog.Appended> commitWithRetry(List<DecisionRecord.Draft> drafts) {
        long deadline = System.nanoTime() + retryFor.toNanos();
        long backoff = 25;
        List<DecisionRecord.Sealed> unsure = null; // sealed by an attempt whose COMMIT failed: may have committed
        while (true) {
            if (closed) {
                throw new DecisionStoreException(describe() + " is closed; nothing was recorded");
            }
            Attempt a = new Attempt();
            try {
                Connection c = writerConnection();
                if (unsure != null) {
                    if (committed(c, unsure.get(0))) {
                        return receipts(unsure);
                    }
                    unsure = null; // not committed: append it now
                }
                return receipts(transaction(c, drafts, a));
            } catch (SQLException e) {
                discardConnection();
                if (a.committing) {
                    unsure = a.sealed;
                }
                if (!Sql.transient_(e) || System.nanoTime() - deadline > 0) {
                    if (unsure != null) { // no more tries, but look once whether it committed
                        try {
                            if (committed(writerConnection(), unsure.get(0))) {
                                return receipts(unsure);
                            }
                            unsure = null;
                        } catch (SQLException again) {
                            discardConnection();
                        }
                    }
                    throw new DecisionStoreException("cannot record in " + describe() + ": " + Sql.describe(e)
                            + (unsure != null ? "; the last commit's outcome is unknown: the records may be stored "
                            + "(seq " + unsure.get(0).seq() + ", hash " + unsure.get(0).hash() + "); run verify"
                            : "; nothing was recorded"), e);
                }
                sleep(backoff);
                backoff = Math.min(1000, backoff * 2);
            } catch (RuntimeException e) {
                discardConnection();
                throw e;
            }
        }
    }

    /** What one attempt got to: its records, and whether its COMMIT was sent. */
    private static final class Attempt {
        List<DecisionRecord.Sealed> sealed;
        boolean committing;
    }

    private static List<DecisionLog.Appended> receipts(List<DecisionRecord.Sealed> sealed) {
        List<DecisionLog.Appended> out = new ArrayList<>(sealed.size());
        sealed.forEach(s -> out.add(new DecisionLog.Appended(s.seq(), s.hash())));
        return out;
    }

    private boolean committed(Connection c, DecisionRecord.Sealed first) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sqlHashAt)) {
            ps.setString(1, chain);
            ps.setLong(2, first.seq());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && first.hash().equals(rs.getString(1));
            }
        }
    }

    /**
     * One statement, in autocommit, so one round trip and one commit: move the chain's head from the head this store
     * last saw to the batch's last record, and insert the batch, only if the head was still that one. The UPDATE takes
     * the row lock on the head (writers of the chain in other processes wait for it, then find the head moved); the
     * INSERT happens only when the UPDATE matched. When another writer appended meanwhile (nothing inserted), the head
     * is read again, its last record checked, and the batch sealed again on it.
     */
    private List<DecisionRecord.Sealed> transaction(Connection c, List<DecisionRecord.Draft> drafts, Attempt a) throws SQLException {
        boolean chunked = drafts.size() > STATEMENT_ROWS; // more than one statement holds: one explicit transaction
        while (true) {
            if (seen == null) {
                seen = readHead(c);
            }
            Head head = seen;
            long seq = head.seq;
            String prev = head.hash;
            Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS); // recordedAt is kept to the millisecond
            List<DecisionRecord.Sealed> sealed = new ArrayList<>(drafts.size());
            for (DecisionRecord.Draft d : drafts) {
                DecisionRecord.Sealed s = d.seal(++seq, at, prev);
                sealed.add(s);
                prev = s.hash();
            }
            a.sealed = sealed;
            if (chunked) {
                c.setAutoCommit(false);
            }
            int inserted = 0;
            try {
                Head from = head;
                for (int k = 0; k < sealed.size(); k += STATEMENT_ROWS) {
                    List<DecisionRecord.Sealed> part = sealed.subList(k, Math.min(sealed.size(), k + STATEMENT_ROWS));
                    a.committing = !chunked; // autocommit: the statement is the commit
                    int n = insert(c, from, part, drafts.subList(k, k + part.size()), at);
                    inserted += n;
                    if (n != part.size()) {
                        break;
                    }
                    DecisionRecord.Sealed last = part.get(part.size() - 1);
                    from = new Head(last.seq(), last.hash());
                }
                if (chunked) {
                    if (inserted == sealed.size()) {
                        a.committing = true;
                        c.commit();
                    } else {
                        c.rollback();
                    }
                }
            } finally {
                if (chunked) {
                    c.setAutoCommit(true);
                }
            }
            a.committing = false;
            if (inserted == sealed.size()) {
                seen = new Head(seq, prev);
                commits.incrementAndGet();
                return sealed;
            }
            if (inserted != 0 && !chunked) {
                throw new DecisionStoreException(describe() + ": " + inserted + " of " + sealed.size()
                        + " records were inserted in one statement; run `sdm log verify --store ...`");
            }
            seen = null; // another writer appended: read the head again
        }
    }

    /** The most records one append statement carries (11 parameters each; a statement takes at most 65,535). */
    static final int STATEMENT_ROWS = 1000;

    /** One append statement: the records {@code part} after the head {@code from}; returns how many were inserted. */
    private int insert(Connection c, Head from, List<DecisionRecord.Sealed> part, List<DecisionRecord.Draft> drafts, Instant at)
            throws SQLException {
        DecisionRecord.Sealed last = part.get(part.size() - 1);
        try (PreparedStatement ps = c.prepareStatement(appendSql(part.size()))) {
            int i = 1;
            ps.setLong(i++, last.seq());
            ps.setString(i++, last.hash());
            ps.setString(i++, chain);
            ps.setLong(i++, from.seq);
            ps.setString(i++, from.hash);
            for (int k = 0; k < part.size(); k++) {
                DecisionRecord.Sealed s = part.get(k);
                i = bindRow(ps, i, s.seq(), s.hash(), at, drafts.get(k).index(), s.line());
            }
            return ps.executeUpdate();
        }
    }

    /** The append statement for {@code n} records (see {@link #transaction}). */
    private String appendSql(int n) {
        String t = q(schema) + ".";
        StringBuilder sb = new StringBuilder(200 + n * 120)
                .append("WITH head AS (UPDATE ").append(t).append("chain SET last_seq = ?, last_hash = ? ")
                .append("WHERE name = ? AND last_seq = ? AND last_hash = ? RETURNING name) ")
                .append("INSERT INTO ").append(t).append("decision_record (chain, ").append(COLUMNS).append(") ")
                .append("SELECT v.* FROM (VALUES ");
        for (int k = 0; k < n; k++) {
            sb.append(k == 0 ? "" : ", ").append("(?::text, ?::bigint, ?::char(64), ?::timestamptz, ?::text, ?::date, ?::text, "
                    + "?::text, ?::text, ?::boolean, ?::text)");
        }
        return sb.append(") AS v WHERE EXISTS (SELECT 1 FROM head)").toString();
    }

    /**
     * The chain's head as its row holds it now (the row created for a new chain), its last record checked: the head
     * this store appends to until it finds it moved.
     */
    private Head readHead(Connection c) throws SQLException {
        Head head = null;
        for (int round = 0; round < 2 && head == null; round++) {
            try (PreparedStatement ps = c.prepareStatement(sqlHead)) {
                ps.setString(1, chain);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        head = new Head(rs.getLong(1), rs.getString(2));
                    }
                }
            }
            if (head == null) {
                try (PreparedStatement ps = c.prepareStatement(sqlNewChain)) { // the chain's first append
                    ps.setString(1, chain);
                    ps.executeUpdate();
                }
            }
        }
        if (head == null) {
            throw new DecisionStoreException(describe() + ": the chain's row cannot be created; nothing was recorded");
        }
        if (head.seq > 0) {
            checkLast(c, head);
        }
        return head;
    }

    /** The chain's head as its locked row holds it. */
    private record Head(long seq, String hash) { }

    private Head lockHead(Connection c) throws SQLException {
        for (int round = 0; round < 2; round++) {
            try (PreparedStatement ps = c.prepareStatement(sqlLock)) {
                ps.setString(1, chain);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return new Head(rs.getLong(1), rs.getString(2));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(sqlNewChain)) { // the chain's first append
                ps.setString(1, chain);
                ps.executeUpdate();
            }
        }
        throw new DecisionStoreException(describe() + ": the chain's row cannot be created; nothing was recorded");
    }

    private void checkLast(Connection c, Head head) throws SQLException {
        long seq = head.seq;
        String rowHash = null;
        String rowLine = null;
        try (PreparedStatement ps = c.prepareStatement(sqlLast)) {
            ps.setString(1, chain);
            ps.setLong(2, seq);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    rowHash = rs.getString(1);
                    rowLine = rs.getString(2);
                }
            }
        }
        String why;
        if (rowLine == null) {
            why = "its last record, seq " + seq + ", is missing";
        } else if (!head.hash.equals(rowHash)) {
            why = "its last record, seq " + seq + ", has another hash than the chain's head";
        } else {
            why = null;
            try {
                DecisionRecord r = DecisionRecord.checked(rowLine.getBytes(StandardCharsets.UTF_8));
                if (r.seq() != seq || !r.hash().equals(head.hash)) {
                    why = "its last record's row, seq " + seq + ", holds record seq " + r.seq();
                }
            } catch (IllegalArgumentException e) {
                why = "its last record, seq " + seq + ", is not sound (" + e.getMessage() + ")";
            }
        }
        if (why != null) {
            throw new DecisionStoreException(describe() + ": " + why + "; nothing can be appended to the chain: "
                    + "run `sdm log verify --store ...`; nothing was recorded");
        }
    }

    private void moveHead(Connection c, long seq, String hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sqlMoveHead)) {
            ps.setLong(1, seq);
            ps.setString(2, hash);
            ps.setString(3, chain);
            ps.executeUpdate();
        }
    }

    /** Binds a record's row from parameter {@code i} on; returns the next parameter's index. */
    private int bindRow(PreparedStatement ps, int i, long seq, String hash, Instant at, DecisionRecord.Index index, String line)
            throws SQLException {
        ps.setString(i, chain);
        ps.setLong(i + 1, seq);
        ps.setString(i + 2, hash);
        ps.setObject(i + 3, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
        ps.setString(i + 4, index.caseId());
        if (index.assessedOn() == null) {
            ps.setNull(i + 5, Types.DATE);
        } else {
            ps.setDate(i + 5, Date.valueOf(index.assessedOn()));
        }
        ps.setString(i + 6, index.rulesetId());
        ps.setString(i + 7, index.rulesetVersion());
        ps.setString(i + 8, index.finalLevel());
        ps.setBoolean(i + 9, index.overrideApplied());
        ps.setString(i + 10, line);
        return i + 11;
    }

    private Connection writerConnection() throws SQLException {
        if (connection == null) {
            Connection c = dataSource.getConnection();
            try {
                c.setAutoCommit(true); // an append is one statement (see transaction); an import sets its own transactions
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            } catch (SQLException e) {
                closeQuietly(c);
                throw e;
            }
            connection = c;
        }
        return connection;
    }

    private void discardConnection() {
        Connection c = connection;
        connection = null;
        seen = null; // what happened is unknown: read the head again
        if (c != null) {
            try {
                c.rollback();
            } catch (SQLException e) {
                // a broken connection: nothing to roll back here, the server does it
            }
            closeQuietly(c);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DecisionStoreException("interrupted while waiting to retry; nothing was recorded");
        }
    }

    static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // closing: nothing more to do
            }
        }
    }

    // --------------------------------------------------------------------------------------- reading

    /** The chain's head as its row holds it now (seq 0 and 64 zeros for a chain never appended to). */
    @Override
    public LogHead head() {
        try (Connection c = dataSource.getConnection()) {
            return head(c);
        } catch (SQLException e) {
            throw new DecisionStoreException("cannot read " + describe() + ": " + Sql.describe(e), e);
        }
    }

    private LogHead head(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT last_seq, last_hash FROM " + q(schema) + ".chain WHERE name = ?")) {
            ps.setString(1, chain);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new LogHead(rs.getLong(1), rs.getString(2)) : new LogHead(0, DecisionRecord.GENESIS_HASH);
            }
        }
    }

    /**
     * Verifies the chain in one snapshot, streaming its rows in seq order (a server-side cursor), with the
     * log file's verifier: line N is the chain's N-th record in seq order, its line in an export. Each
     * row's columns must agree with its line (EDITED, naming the column). Without a noted head, the chain's
     * own row (its head as of the last append) is the head: records deleted from the end are
     * {@code TRUNCATED}.
     *
     * @param noted a head noted earlier, or null
     */
    @Override
    public LogVerification verify(LogHead noted) {
        Connection c = null;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(false);
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ); // both passes see one snapshot
            LogHead own = head(c);
            Connection conn = c;
            RecordLines lines = () -> rows(conn, "WHERE chain = ? ORDER BY seq", List.of(chain), true);
            LogVerification v = DecisionLog.verify(lines, noted != null ? noted : own.seq() > 0 ? own : null);
            c.rollback();
            return v;
        } catch (SQLException e) {
            throw new DecisionStoreException("cannot verify " + describe() + ": " + Sql.describe(e), e);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof SQLException s) {
                throw new DecisionStoreException("cannot verify " + describe() + ": " + Sql.describe(s), s);
            }
            throw e;
        } finally {
            closeQuietly(c);
        }
    }

    /** Reading a row failed: carried out of a cursor as an unchecked exception, its cause the SQLException. */
    private static final class ReadFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReadFailure(SQLException e) {
            super(e);
        }
    }

    /**
     * A cursor over rows of the chain ({@code condition} and its parameters after FROM), fetched in
     * pages from a server-side cursor (needs {@code c} outside autocommit).
     */
    private RecordLines.Cursor rows(Connection c, String condition, List<Object> params, boolean withCheck) {
        try {
            PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + q(schema) + ".decision_record " + condition,
                    ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            ResultSet rs;
            try {
                ps.setFetchSize(1000);
                bind(ps, params);
                rs = ps.executeQuery();
            } catch (SQLException e) {
                closeQuietly(ps);
                throw e;
            }
            return new RecordLines.Cursor() {
                @Override
                public RecordLines.Row next() {
                    try {
                        if (!rs.next()) {
                            return null;
                        }
                        long seq = rs.getLong(1);
                        // a text column's value as the driver received it: UTF-8 (client_encoding UTF8), the line's bytes
                        byte[] line = rs.getBytes(10);
                        if (!withCheck) {
                            return new RecordLines.Row(seq, line, null);
                        }
                        Columns cols = new Columns(seq, rs.getString(2), rs.getObject(3, OffsetDateTime.class), rs.getString(4),
                                rs.getObject(5, LocalDate.class), rs.getString(6), rs.getString(7), rs.getString(8),
                                rs.getBoolean(9));
                        return new RecordLines.Row(seq, line, cols::disagreement);
                    } catch (SQLException e) {
                        throw new ReadFailure(e);
                    }
                }

                @Override
                public void close() {
                    closeQuietly(rs);
                    closeQuietly(ps);
                }
            };
        } catch (SQLException e) {
            throw new ReadFailure(e);
        }
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        int i = 1;
        for (Object p : params) {
            if (p instanceof LocalDate d) {
                ps.setDate(i++, Date.valueOf(d));
            } else if (p instanceof Instant t) {
                ps.setObject(i++, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
            } else if (p instanceof Boolean b) {
                ps.setBoolean(i++, b);
            } else if (p instanceof Long l) {
                ps.setLong(i++, l);
            } else {
                ps.setString(i++, (String) p);
            }
        }
    }

    /** A row's columns beside its line, checked against the record read from the line. */
    private record Columns(long seq, String hash, OffsetDateTime recordedAt, String caseId, LocalDate assessedOn, String rulesetId,
                           String rulesetVersion, String finalLevel, boolean overrideApplied) {
        String disagreement(DecisionRecord r) {
            DecisionRecord.Index i = r.index();
            List<String> why = new ArrayList<>();
            differs(why, "seq", seq, r.seq());
            differs(why, "hash", hash, r.hash());
            differs(why, "recorded_at", recordedAt == null ? null : recordedAt.toInstant(), r.recordedAt());
            differs(why, "case_id", caseId, i.caseId());
            differs(why, "assessed_on", assessedOn, i.assessedOn());
            differs(why, "ruleset_id", rulesetId, i.rulesetId());
            differs(why, "ruleset_version", rulesetVersion, i.rulesetVersion());
            differs(why, "final_level", finalLevel, i.finalLevel());
            differs(why, "override_applied", overrideApplied, i.overrideApplied());
            return why.isEmpty() ? null : "its row's " + String.join(", ", why);
        }

        private static void differs(List<String> why, String column, Object stored, Object recorded) {
            if (!Objects.equals(stored, recorded)) {
                why.add("column " + column + " says " + SdmJson.clip(String.valueOf(stored)) + ", its record "
                        + SdmJson.clip(String.valueOf(recorded)));
            }
        }
    }

    /**
     * The records of this chain that {@code query} asks for, in seq order, read lazily from a server-side
     * cursor (close the stream: it holds a connection). The filter runs in the database, on the indexed
     * columns. Hashes and the chain are not checked: {@link #verify} does that.
     */
    @Override
    public Stream<DecisionRecord> query(RecordQuery query) {
        Connection c = null;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(false);
            c.setReadOnly(true);
            List<Object> params = new ArrayList<>();
            String condition = condition(query, params);
            RecordLines.Cursor cursor = rows(c, condition, params, false);
            Connection conn = c;
            Iterator<DecisionRecord> it = new Iterator<>() {
                private RecordLines.Row next;
                private boolean started;

                private RecordLines.Row advance() {
                    try {
                        return cursor.next();
                    } catch (ReadFailure e) {
                        throw new DecisionStoreException("cannot read " + describe() + ": "
                                + Sql.describe((SQLException) e.getCause()), e.getCause());
                    }
                }

                @Override
                public boolean hasNext() {
                    if (!started) {
                        started = true;
                        next = advance();
                    }
                    return next != null;
                }

                @Override
                public DecisionRecord next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    RecordLines.Row row = next;
                    next = advance();
                    try {
                        byte[] b = row.line();
                        return DecisionRecord.fromJson(SdmJson.readValue(b, 0, b.length));
                    } catch (IllegalArgumentException e) {
                        throw new DecisionStoreException(describe() + ": the row of seq " + row.number()
                                + " does not hold a decision record (" + e.getMessage() + "): run `sdm log verify --store ...`");
                    }
                }
            };
            return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false)
                    .onClose(() -> {
                        cursor.close();
                        try {
                            conn.rollback();
                        } catch (SQLException e) {
                            // closing anyway
                        }
                        closeQuietly(conn);
                    });
        } catch (SQLException | ReadFailure e) {
            closeQuietly(c);
            SQLException s = e instanceof SQLException x ? x : (SQLException) e.getCause();
            throw new DecisionStoreException("cannot query " + describe() + ": " + Sql.describe(s), s);
        }
    }

    /** {@code AND test} with its parameter, when the query sets {@code value}. */
    private static void and(StringBuilder sb, List<Object> params, String test, Object value) {
        if (value != null) {
            sb.append(" AND ").append(test);
            params.add(value);
        }
    }

    /** WHERE ... ORDER BY seq for a query, its parameters added to {@code params}. */
    private String condition(RecordQuery q, List<Object> params) {
        StringBuilder sb = new StringBuilder("WHERE chain = ?");
        params.add(chain);
        and(sb, params, "case_id = ?", q.caseId());
        and(sb, params, "assessed_on >= ?", q.assessedFrom());
        and(sb, params, "assessed_on <= ?", q.assessedTo());
        and(sb, params, "recorded_at >= ?", q.recordedFrom());
        and(sb, params, "recorded_at < ?", q.recordedTo());
        and(sb, params, "ruleset_id = ?", q.rulesetId());
        and(sb, params, "ruleset_version = ?", q.rulesetVersion());
        and(sb, params, "final_level = ?", q.finalLevel());
        and(sb, params, "override_applied = ?", q.overrideApplied());
        return sb.append(" ORDER BY seq").toString();
    }

    /** The lines of the records {@code query} asks for, in seq order, each numbered by its seq; each pass reads on a connection of its own. */
    @Override
    public RecordLines lines(RecordQuery query) {
        return () -> {
            Connection c = null;
            try {
                c = dataSource.getConnection();
                c.setAutoCommit(false);
                c.setReadOnly(true);
                List<Object> params = new ArrayList<>();
                RecordLines.Cursor cursor = rows(c, condition(query, params), params, false);
                Connection conn = c;
                return new RecordLines.Cursor() {
                    @Override
                    public RecordLines.Row next() {
                        try {
                            return cursor.next();
                        } catch (ReadFailure e) {
                            throw new DecisionStoreException("cannot read " + describe() + ": "
                                    + Sql.describe((SQLException) e.getCause()), e.getCause());
                        }
                    }

                    @Override
                    public void close() {
                        cursor.close();
                        try {
                            conn.rollback();
                        } catch (SQLException e) {
                            // closing anyway
                        }
                        closeQuietly(conn);
                    }
                };
            } catch (SQLException | ReadFailure e) {
                closeQuietly(c);
                SQLException s = e instanceof SQLException x ? x : (SQLException) e.getCause();
                throw new DecisionStoreException("cannot read " + describe() + ": " + Sql.describe(s), s);
            }
        };
    }

    // ----------------------------------------------------------------------------- export and import

    /** What an export wrote: how many records, and the head of the file (its last record). */
    public record Exported(long records, LogHead head) { }

    /**
     * Writes the chain to a new log file (mode 0600), one record per line, each line exactly as stored
     * (so {@link DecisionLog#verify(Path)} checks the same bytes and hashes), from one snapshot; the file is
     * forced to disk before this returns.
     *
     * @throws DecisionStoreException the file exists or cannot be written, or the store cannot be read
     */
    public Exported exportTo(Path file) {
        Connection c = null;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(false);
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            long n = 0;
            long lastSeq = 0;
            String lastHash = DecisionRecord.GENESIS_HASH;
            try (FileChannel ch = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                 Writer w = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(ch), StandardCharsets.UTF_8), 1 << 16);
                 PreparedStatement ps = c.prepareStatement("SELECT seq, hash, line FROM " + q(schema)
                         + ".decision_record WHERE chain = ? ORDER BY seq")) {
                ps.setFetchSize(1000);
                ps.setString(1, chain);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        w.write(rs.getString(3));
                        w.write('\n');
                        n++;
                        lastSeq = rs.getLong(1);
                        lastHash = rs.getString(2);
                    }
                }
                w.flush();
                ch.force(true);
            }
            c.rollback();
            return new Exported(n, new LogHead(lastSeq, lastHash));
        } catch (FileAlreadyExistsException e) {
            throw new DecisionStoreException("cannot export " + describe() + " to " + file + ": the file exists (an export "
                    + "writes a new file)", e);
        } catch (IOException e) {
            throw new DecisionStoreException("cannot export " + describe() + " to " + file + ": " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new DecisionStoreException("cannot export " + describe() + ": " + Sql.describe(e), e);
        } catch (IllegalArgumentException e) { // a stored hash that is not a head's: reported by verify
            throw new DecisionStoreException("cannot export " + describe() + ": " + e.getMessage() + "; run verify", e);
        } finally {
            closeQuietly(c);
        }
    }

    /** What an import did: records read from the file, added to the chain, and already in it (identical). */
    public record Imported(long read, long added, long alreadyStored, LogHead head) { }

    /**
     * Takes the records of a log file into this chain as they are (the same lines and hashes): the file
     * must verify intact; its records up to the chain's head must be the chain's own (hash for hash: an
     * import can be run again, or resumed), and the rest must continue the chain. Written in transactions
     * of up to {@value #MAX_GROUP} records under the chain's lock, each committed before the next.
     *
     * @throws DecisionStoreException the file does not verify, does not fit the chain, or the store fails
     */
    public Imported importFrom(Path file) {
        LogVerification v = DecisionLog.verify(file);
        if (!v.intact()) {
            throw new DecisionStoreException("cannot import " + file + " into " + describe() + ": the log is not intact: "
                    + v.describe());
        }
        long read = 0;
        long added = 0;
        long already = 0;
        writer.lock();
        try (Stream<DecisionLog.LogEntry> entries = DecisionLog.read(file)) {
            Iterator<DecisionLog.LogEntry> it = entries.iterator();
            List<DecisionRecord> batch = new ArrayList<>(MAX_GROUP);
            while (it.hasNext() || !batch.isEmpty()) {
                if (it.hasNext() && batch.size() < MAX_GROUP) {
                    batch.add(it.next().record());
                    read++;
                    continue;
                }
                long[] counts = importBatch(batch, file);
                added += counts[0];
                already += counts[1];
                batch.clear();
            }
            return new Imported(read, added, already, head());
        } catch (SQLException e) {
            discardConnection();
            throw new DecisionStoreException("cannot import into " + describe() + ": " + Sql.describe(e)
                    + "; the transactions committed before stay (run the import again to resume)", e);
        } finally {
            writer.unlock();
        }
    }

    private long[] importBatch(List<DecisionRecord> batch, Path file) throws SQLException {
        Connection c = writerConnection();
        c.setAutoCommit(false);
        seen = null;
        try {
            return importTransaction(c, batch, file);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private long[] importTransaction(Connection c, List<DecisionRecord> batch, Path file) throws SQLException {
        Head head = lockHead(c);
        long added = 0;
        long already = 0;
        long seq = head.seq;
        String prev = head.hash;
        try (PreparedStatement ps = c.prepareStatement(sqlInsert); PreparedStatement at = c.prepareStatement(sqlHashAt)) {
            for (DecisionRecord r : batch) {
                if (r.seq() <= head.seq) {
                    at.setString(1, chain);
                    at.setLong(2, r.seq());
                    try (ResultSet rs = at.executeQuery()) {
                        if (!rs.next() || !r.hash().equals(rs.getString(1))) {
                            throw new DecisionStoreException("cannot import " + file + " into " + describe() + ": its record seq "
                                    + r.seq() + " is not the chain's record seq " + r.seq() + " (another hash): the file is not "
                                    + "this chain's; nothing of this batch was imported");
                        }
                    }
                    already++;
                    continue;
                }
                if (r.seq() != seq + 1 || !r.previousHash().equals(prev)) {
                    throw new DecisionStoreException("cannot import " + file + " into " + describe() + ": its record seq "
                            + r.seq() + " does not continue the chain, whose head is " + seq + ":" + prev
                            + "; nothing of this batch was imported");
                }
                bindRow(ps, 1, r.seq(), r.hash(), r.recordedAt(), r.index(), r.json());
                ps.addBatch();
                seq = r.seq();
                prev = r.hash();
                added++;
            }
            if (added > 0) {
                ps.executeBatch();
                moveHead(c, seq, prev);
            }
        }
        c.commit();
        return new long[] {added, already};
    }

    /** Closes the writer's connection (not the DataSource, which is the application's). Idempotent. */
    @Override
    public void close() {
        closed = true;
        writer.lock();
        try {
            discardConnection();
        } finally {
            writer.unlock();
        }
    }

    /** A quoted SQL identifier (the names are checked: no quote can be in them). */
    static String q(String identifier) {
        return "\"" + identifier + "\"";
    }
}
