package org.opensdm.engine.audit;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.opensdm.engine.Decision;
import org.opensdm.engine.DecisionSink;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.json.SdmJson;

/**
 * An append-only, hash-chained log of decision records: a JSON Lines file, one
 * {@link DecisionRecord} per line, each carrying the hash of the one before it.
 *
 * <pre>{@code
 * try (DecisionLog log = DecisionLog.open(Path.of("decisions.jsonl"))) {
 *     SdmEngine engine = SdmEngine.builder().classpathRulesets().decisionSink(log).build();
 *     engine.evaluate(request);            // returns only once the decision is recorded
 * }
 * LogVerification v = DecisionLog.verify(Path.of("decisions.jsonl"));
 * }</pre>
 *
 * <ul>
 *   <li><b>Durable</b>: {@link #append} returns once its record is written and forced to the
 *       device ({@code FileChannel.force}); {@link #appendAll} forces once for the batch, and
 *       appends from concurrent threads share forces (group commit). If a write or force fails,
 *       the append throws {@link DecisionLogException}; as a {@link DecisionSink} the engine then
 *       withholds the decision.</li>
 *   <li><b>Concurrency</b>: safe for many threads of one process. A second process (or a second
 *       {@code open} in this one) is refused while the log is open: the lock is held on a
 *       sidecar file {@code <log>.lock}, never deleted, because closing any handle of the log
 *       itself would release a lock held on it (POSIX record locks), e.g. when this process
 *       verifies or reads the log it is appending to.</li>
 *   <li><b>Torn tail</b>: a crash during an append can leave the last line incomplete (no
 *       terminating newline, or not JSON). {@code open} then fails with a clear message unless
 *       asked to repair ({@link Builder#repairTornTail}), which truncates that last line only,
 *       after checking that the line before it is a sound record. Opening reads only the last
 *       record; {@link #verify} checks the whole log.</li>
 * </ul>
 * Deleting records from the end of the log cannot be seen from the log alone: keep the last
 * sequence number and hash ({@link #lastSeq()}, {@link #lastHash()}, {@link LogVerification})
 * somewhere else to check against.
 */
public final class DecisionLog implements DecisionSink, Closeable {
    private static final DateTimeFormatter RECORDED_AT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path file;
    private final Clock clock;
    private final FileChannel channel;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock syncLock = new ReentrantLock();
    // guarded by writeLock
    private long size;
    private long lastSeq;
    private String lastHash;
    private boolean closed;
    // written under writeLock, read under syncLock
    private volatile long written;
    private volatile Throwable failure;
    // guarded by syncLock
    private long durable;

    private DecisionLog(Path file, Clock clock, FileChannel channel, FileChannel lockChannel, FileLock lock, long size,
                        long lastSeq, String lastHash) {
        this.file = file;
        this.clock = clock;
        this.channel = channel;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.size = size;
        this.lastSeq = lastSeq;
        this.lastHash = lastHash;
        this.written = lastSeq;
        this.durable = lastSeq;
    }

    /** Opens (or creates) a log for appending; fails on a torn last line. */
    public static DecisionLog open(Path file) {
        return builder(file).open();
    }

    public static Builder builder(Path file) {
        return new Builder(file);
    }

    /** How to open a log. */
    public static final class Builder {
        private final Path file;
        private Clock clock = Clock.systemUTC();
        private boolean repair;

        private Builder(Path file) {
            this.file = Objects.requireNonNull(file);
        }

        /** The clock of {@code recordedAt} (default: the system clock, UTC). */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c);
            return this;
        }

        /**
         * Truncates a torn last line (an append cut short by a crash) instead of refusing to open.
         * Only that line is removed, and only when the line before it is a sound record.
         */
        public Builder repairTornTail(boolean r) {
            this.repair = r;
            return this;
        }

        /**
         * Opens the log, creating it when absent.
         *
         * @throws DecisionLogException the log is open in another process or elsewhere in this one,
         *                              its last line is torn (and repair was not asked for), its last
         *                              record is not sound, or it cannot be read or written
         */
        public DecisionLog open() {
            return DecisionLog.open(file, clock, repair);
        }
    }

    private static DecisionLog open(Path file, Clock clock, boolean repair) {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        FileChannel lockChannel = null;
        FileChannel channel = null;
        try {
            if (Files.isDirectory(file)) {
                throw new DecisionLogException("cannot open decision log " + file + ": is a folder");
            }
            lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                throw new DecisionLogException("decision log " + file + " is already open for appending in this process");
            }
            if (lock == null) {
                throw new DecisionLogException("decision log " + file + " is open for appending in another process ("
                        + lockFile.getFileName() + " is locked); only one process may append to a log");
            }
            boolean existed = Files.exists(file);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            if (!existed) {
                syncDirectory(file);
            }
            Tail tail = Tail.read(channel);
            if (tail.torn) {
                long line = countLines(channel, tail.lineStart) + 1;
                if (!repair) {
                    throw new DecisionLogException("decision log " + file + " has a torn last line (line " + line
                            + ": " + tail.why + "), left by a crash during an append; nothing was appended. "
                            + "Repair it (truncate that line) with `sdm log verify --repair " + file
                            + "` or DecisionLog.builder(file).repairTornTail(true)");
                }
                channel.truncate(tail.lineStart);
                channel.force(true);
                tail = Tail.read(channel);
                if (tail.torn) {
                    throw new DecisionLogException("decision log " + file + " is damaged beyond its last line (line "
                            + (line - 1) + " is not a record either): run `sdm log verify " + file + "`");
                }
            }
            if (tail.check != null && !tail.check.sound()) {
                String why = tail.check.record == null ? "not a decision record: " + tail.check.malformed
                        : "it does not match its hash";
                throw new DecisionLogException("decision log " + file + ": its last record is not sound (" + why
                        + "); nothing can be appended to it: run `sdm log verify " + file + "`");
            }
            long seq = tail.check == null ? 0 : tail.check.seq();
            String hash = tail.check == null ? DecisionRecord.GENESIS_HASH : tail.check.hash();
            return new DecisionLog(file, clock, channel, lockChannel, lock, channel.size(), seq, hash);
        } catch (IOException e) {
            closeQuietly(channel);
            closeQuietly(lockChannel);
            throw new DecisionLogException("cannot open decision log " + file + ": " + describe(e), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            closeQuietly(lockChannel);
            throw e;
        }
    }

    /** The last line of a log file: where it starts, and whether it is torn or which record it is. */
    private record Tail(long lineStart, boolean torn, String why, RecordCheck check) {
        static Tail read(FileChannel ch) throws IOException {
            long size = ch.size();
            if (size == 0) {
                return new Tail(0, false, null, null);
            }
            boolean terminated = readByte(ch, size - 1) == '\n';
            long end = terminated ? size - 1 : size;
            long start = lineStart(ch, end);
            if (!terminated) {
                return new Tail(start, true, "no newline at its end", null);
            }
            ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(end - start));
            while (buf.hasRemaining()) {
                if (ch.read(buf, start + buf.position()) < 0) {
                    throw new IOException("file shrank while being read");
                }
            }
            RecordCheck c = RecordCheck.of(new LogLines.Line(0, start, buf.array(), true));
            if (c.notJson) {
                return new Tail(start, true, "not JSON", null);
            }
            return new Tail(start, false, null, c);
        }

        private static byte readByte(FileChannel ch, long pos) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, pos);
            return b.get(0);
        }

        /** The offset just after the last '\n' before {@code end}, or 0. */
        private static long lineStart(FileChannel ch, long end) throws IOException {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            long pos = end;
            while (pos > 0) {
                int n = (int) Math.min(buf.capacity(), pos);
                buf.clear().limit(n);
                long from = pos - n;
                while (buf.hasRemaining()) {
                    if (ch.read(buf, from + buf.position()) < 0) {
                        throw new IOException("file shrank while being read");
                    }
                }
                for (int i = n - 1; i >= 0; i--) {
                    if (buf.get(i) == '\n') {
                        return from + i + 1;
                    }
                }
                pos = from;
            }
            return 0;
        }
    }

    private static long countLines(FileChannel ch, long end) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        long lines = 0;
        long pos = 0;
        while (pos < end) {
            buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
            int n = ch.read(buf, pos);
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (buf.get(i) == '\n') {
                    lines++;
                }
            }
            pos += n;
        }
        return lines;
    }

    /** A new file's directory entry must be durable too, or a crash could lose the whole file. */
    private static void syncDirectory(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can open or force a directory; the file's own force still applies
        }
    }

    /** A request and the decision that answers it, to append. */
    public record Entry(EvaluationRequest request, Decision decision) {
        public Entry {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(decision, "decision");
        }
    }

    /** Where a record went: its sequence number and hash (a receipt a case system may keep). */
    public record Appended(long seq, String hash) { }

    /** Records the decision; throws DecisionLogException when it cannot (the engine then withholds the decision). */
    @Override
    public void accept(EvaluationRequest request, Decision decision) {
        append(request, decision);
    }

    /**
     * Appends one record and returns once it is durable (written and forced).
     *
     * @throws DecisionLogException the record could not be written or forced, or the log is closed
     */
    public Appended append(EvaluationRequest request, Decision decision) {
        return appendAll(List.of(new Entry(request, decision))).get(0);
    }

    /**
     * Appends records in the given order as one write and one force; returns once all are
     * durable. On failure none of them is in the log (a partly written batch is truncated).
     */
    public List<Appended> appendAll(List<Entry> entries) {
        if (entries.isEmpty()) {
            return List.of();
        }
        List<String[]> prepared = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            prepared.add(prepare(e));
        }
        List<Appended> out = new ArrayList<>(entries.size());
        long last;
        writeLock.lock();
        try {
            usable();
            StringBuilder lines = new StringBuilder(prepared.size() * (prepared.get(0)[1].length() + prepared.get(0)[2].length() + 600));
            long seq = lastSeq;
            String prev = lastHash;
            String at = RECORDED_AT.format(clock.instant());
            for (String[] p : prepared) {
                seq++;
                DecisionRecord.Body body = DecisionRecord.body(seq, at, p[0], p[3], p[4], p[5], p[1], p[2], prev);
                String hash = CanonicalJson.sha256(body.withoutHash().getBytes(StandardCharsets.UTF_8));
                lines.append(body.withHash(hash)).append('\n');
                out.add(new Appended(seq, hash));
                prev = hash;
            }
            write(lines.toString().getBytes(StandardCharsets.UTF_8));
            lastSeq = seq;
            lastHash = prev;
            written = seq;
            last = seq;
        } finally {
            writeLock.unlock();
        }
        sync(last);
        return out;
    }

    /** engineVersion, request JSON, decision JSON, ruleset id, version, sha256: the work done outside the lock. */
    private static String[] prepare(Entry e) {
        Decision d = e.decision();
        if (d.ruleset() == null) {
            throw new IllegalArgumentException("a decision without its ruleset cannot be recorded");
        }
        return new String[] {String.valueOf(d.engineVersion()), CanonicalJson.write(SdmJson.requestTree(e.request())),
            CanonicalJson.write(SdmJson.tree(d)), d.ruleset().id(), d.ruleset().version(), d.ruleset().sha256()};
    }

    private void usable() {
        if (closed) {
            throw new DecisionLogException("decision log " + file + " is closed; nothing was recorded");
        }
        Throwable f = failure;
        if (f != null) {
            throw new DecisionLogException("decision log " + file + " failed earlier (" + describe(f)
                    + "); nothing was recorded: close it and open it again", f);
        }
    }

    /** Writes at the end; on failure cuts the file back so that no partial line stays (or marks the log failed). */
    private void write(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        try {
            while (buf.hasRemaining()) {
                channel.write(buf, size + buf.position());
            }
            size += bytes.length;
        } catch (IOException e) {
            try {
                channel.truncate(size);
            } catch (IOException | RuntimeException t) {
                failure = e;
            }
            throw new DecisionLogException("cannot append to decision log " + file + ": " + describe(e)
                    + "; nothing was recorded", e);
        }
    }

    /** Group commit: one force covers every record written before it started. */
    private void sync(long seq) {
        syncLock.lock();
        try {
            if (durable >= seq) {
                return;
            }
            Throwable f = failure;
            if (f != null) {
                throw new DecisionLogException("decision log " + file + " failed (" + describe(f)
                        + "): the record may not be durable", f);
            }
            long target = written;
            try {
                channel.force(false);
            } catch (IOException e) {
                failure = e;
                throw new DecisionLogException("cannot force decision log " + file + " to disk: " + describe(e)
                        + "; the record may not be durable", e);
            }
            durable = target;
        } finally {
            syncLock.unlock();
        }
    }

    public Path file() {
        return file;
    }

    /** The sequence number of the last record (0 for an empty log). */
    public long lastSeq() {
        writeLock.lock();
        try {
            return lastSeq;
        } finally {
            writeLock.unlock();
        }
    }

    /** The hash of the last record (64 zeros for an empty log). */
    public String lastHash() {
        writeLock.lock();
        try {
            return lastHash;
        } finally {
            writeLock.unlock();
        }
    }

    /** Forces what was written, releases the lock and closes the file. Idempotent. */
    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            syncLock.lock();
            try {
                if (failure == null && durable < written) {
                    channel.force(false);
                    durable = written;
                }
            } catch (IOException e) {
                failure = e;
            } finally {
                syncLock.unlock();
            }
        } finally {
            writeLock.unlock();
            closeQuietly(channel);
            try {
                lock.release();
            } catch (IOException | RuntimeException e) {
                // closing the channel releases it too
            }
            closeQuietly(lockChannel);
        }
    }

    private static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing more to do
            }
        }
    }

    static String describe(Throwable e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or folder: " + e.getMessage();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + e.getMessage();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    // ---------------------------------------------------------------- reading and verifying

    /**
     * One line of a log as read: the record, or why the line is not one. A torn last line
     * ({@code tornTail}) is an append cut short by a crash, never acknowledged to its caller.
     */
    public record LogEntry(long line, DecisionRecord record, String problem, boolean tornTail) {
        public boolean isRecord() {
            return record != null;
        }
    }

    /**
     * Reads the log's lines in order, lazily (close the stream). Each line's layout is checked,
     * not its hash or the chain: use {@link #verify} for that.
     *
     * @throws DecisionLogException the file cannot be read
     */
    public static Stream<LogEntry> read(Path file) {
        LogLines lines;
        try {
            lines = new LogLines(file);
        } catch (IOException e) {
            throw new DecisionLogException("cannot read decision log " + file + ": " + describe(e), e);
        }
        Spliterator<LogEntry> it = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL) {
            private LogLines.Line next;
            private boolean started;

            private LogLines.Line nextLine() {
                try {
                    return lines.next();
                } catch (IOException e) {
                    throw new DecisionLogException("cannot read decision log " + file + ": " + describe(e), e);
                }
            }

            @Override
            public boolean tryAdvance(Consumer<? super LogEntry> action) {
                if (!started) {
                    started = true;
                    next = nextLine();
                }
                LogLines.Line cur = next;
                if (cur == null) {
                    return false;
                }
                next = nextLine();
                boolean last = next == null;
                if (last && !cur.terminated()) {
                    action.accept(new LogEntry(cur.number(), null, "torn tail: no newline at its end", true));
                    return true;
                }
                RecordCheck c = RecordCheck.parse(cur); // the layout only: verify checks hashes and the chain
                if (c.record == null) {
                    action.accept(new LogEntry(cur.number(), null, (last && c.notJson ? "torn tail: " : "not a decision record: ")
                            + c.malformed, last && c.notJson));
                } else {
                    action.accept(new LogEntry(cur.number(), c.record, null, false));
                }
                return true;
            }
        };
        return StreamSupport.stream(it, false).onClose(() -> {
            try {
                lines.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * Checks the whole log: every line is a record in canonical form that matches its own hash,
     * sequence numbers run 1, 2, 3, … and each record's {@code previousHash} is the hash of the
     * line before (64 zeros for the first). Reports the first bad line with what was done to it
     * (edited, rewritten, deleted, inserted, reordered records, or a line that is not a record)
     * and a torn last line. Reading only: safe while the log is open elsewhere, though a record
     * being appended at that moment may show as a torn tail.
     *
     * @throws DecisionLogException the file cannot be read
     */
    public static LogVerification verify(Path file) {
        try {
            return new Verifier(file).run();
        } catch (IOException e) {
            throw new DecisionLogException("cannot read decision log " + file + ": " + describe(e), e);
        }
    }

    /** Verifies, then truncates a torn last line if that is the only problem; returns the verification after it. */
    public static LogVerification repair(Path file) {
        LogVerification v = verify(file);
        if (!v.onlyTornTail()) {
            return v;
        }
        builder(file).repairTornTail(true).open().close();
        return verify(file);
    }

    private static final class Verifier {
        private final Path file;

        Verifier(Path file) {
            this.file = file;
        }

        LogVerification run() throws IOException {
            RecordCheck prev = null;
            RecordCheck prevPrev = null;
            long count = 0;
            try (LogLines lines = new LogLines(file)) {
                LogLines.Line cur = lines.next();
                while (cur != null) {
                    LogLines.Line next = lines.next();
                    boolean last = next == null;
                    if (last && !cur.terminated()) {
                        return result(count, prev, null, cur.number());
                    }
                    RecordCheck c = RecordCheck.of(cur);
                    if (last && c.notJson) {
                        return result(count, prev, null, cur.number());
                    }
                    if (!c.sound() || !follows(prev, c)) {
                        return classify(c, prev, prevPrev, count);
                    }
                    prevPrev = prev;
                    prev = c;
                    count++;
                    cur = next;
                }
            }
            return result(count, prev, null, -1);
        }

        private LogVerification result(long count, RecordCheck last, LogVerification.Problem problem, long torn) {
            return new LogVerification(file, count, last == null ? 0 : last.seq(),
                    last == null ? DecisionRecord.GENESIS_HASH : last.hash(), Optional.ofNullable(problem),
                    torn > 0 ? OptionalLong.of(torn) : OptionalLong.empty());
        }

        private static boolean follows(RecordCheck prev, RecordCheck c) {
            return prev == null ? c.seq() == 1 && c.previousHash().equals(DecisionRecord.GENESIS_HASH)
                    : c.seq() == prev.seq() + 1 && c.previousHash().equals(prev.hash());
        }

        /** The first line that is not sound or does not follow: say what happened, looking at the lines around it. */
        private LogVerification classify(RecordCheck c, RecordCheck prev, RecordCheck prevPrev, long count) throws IOException {
            long i = c.line.number();
            // one more pass: the lines after i, the line holding seq c.seq() before i, and the last line
            long e = prev == null ? 1 : prev.seq() + 1;
            String ph = prev == null ? DecisionRecord.GENESIS_HASH : prev.hash();
            RecordCheck n1 = null;
            long seqEAt = -1;
            String hashOfSameSeq = null;
            long lastLine = i;
            boolean lastTorn = false;
            boolean searchE = c.record != null && c.sound() && c.seq() > e;
            long sameSeqLine = c.record != null && c.sound() && c.seq() < e ? c.seq() : -1; // seq k is on line k before i
            try (LogLines lines = new LogLines(file)) {
                LogLines.Line l = lines.next();
                while (l != null) {
                    LogLines.Line next = lines.next();
                    long n = l.number();
                    if (n == sameSeqLine) {
                        RecordCheck s = RecordCheck.of(l);
                        hashOfSameSeq = s.record == null ? null : s.hash();
                    }
                    if (n == i + 1 || (n > i && searchE && seqEAt < 0)) {
                        RecordCheck s = n == i + 1 && n1 != null ? n1 : RecordCheck.of(l);
                        if (n == i + 1) {
                            n1 = s;
                        }
                        if (searchE && seqEAt < 0 && s.sound() && s.seq() == e) {
                            seqEAt = n;
                        }
                    }
                    if (next == null) {
                        lastLine = n;
                        lastTorn = n > i && (!l.terminated() || RecordCheck.of(l).notJson);
                    }
                    l = next;
                }
            }
            long torn = lastTorn ? lastLine : -1;
            if (c.record == null) {
                return result(count, prev, problem(i, LogVerification.Kind.MALFORMED, "not a decision record: " + c.malformed), torn);
            }
            long s = c.seq();
            if (!c.hashMatches) {
                return result(count, prev, problem(i, LogVerification.Kind.EDITED,
                        "record seq " + s + " was altered: its content does not match its hash"), torn);
            }
            if (!c.canonical) {
                return result(count, prev, problem(i, LogVerification.Kind.EDITED,
                        "record seq " + s + " was altered: it is not in canonical form"), torn);
            }
            boolean n1Sound = n1 != null && n1.sound();
            if (s == e) { // right seq, wrong previous hash
                if (prev == null) {
                    return result(count, prev, problem(i, LogVerification.Kind.BROKEN_CHAIN,
                            "record seq 1 does not start a chain: its previousHash is not 64 zeros"), torn);
                }
                if (n1Sound && n1.seq() == s + 1 && n1.previousHash().equals(c.hash())) {
                    return result(count - 1, prevPrev, problem(i - 1, LogVerification.Kind.REWRITTEN,
                            "record seq " + prev.seq() + " was rewritten (its hash recomputed): line " + i
                                    + " (seq " + s + ") chains to a different hash"), torn);
                }
                return result(count, prev, problem(i, LogVerification.Kind.BROKEN_CHAIN,
                        "record seq " + s + " does not chain to line " + (i - 1)
                                + ": its previousHash is not that record's hash"), torn);
            }
            if (s == e + 1 && n1Sound && n1.seq() == e && c.previousHash().equals(n1.hash()) && n1.previousHash().equals(ph)) {
                return result(count, prev, problem(i, LogVerification.Kind.REORDERED,
                        "records seq " + e + " and " + s + " are swapped: seq " + s + " is on line " + i + ", seq " + e
                                + " on line " + (i + 1)), torn);
            }
            if (n1Sound && n1.seq() == e && n1.previousHash().equals(ph)) {
                String what = s < e && c.hash().equals(hashOfSameSeq)
                        ? "a copy of line " + s + " (seq " + s + ") was inserted here"
                        : "inserted: this record (seq " + s + ") does not belong to the chain; line " + (i + 1)
                                + " continues it from line " + (i - 1);
                return result(count, prev, problem(i, LogVerification.Kind.INSERTED, what), torn);
            }
            if (s > e) {
                if (seqEAt > 0) {
                    return result(count, prev, problem(i, LogVerification.Kind.REORDERED,
                            "out of order: seq " + s + " where seq " + e + " belongs; record seq " + e + " is at line " + seqEAt), torn);
                }
                if (c.previousHash().equals(ph)) {
                    return result(count, prev, problem(i, LogVerification.Kind.BROKEN_CHAIN,
                            "seq " + s + " does not follow seq " + (e - 1) + ", though the record chains to line " + (i - 1)), torn);
                }
                String missing = s == e + 1 ? "record seq " + e + " is" : "records seq " + e + " to " + (s - 1) + " are";
                return result(count, prev, problem(i, LogVerification.Kind.DELETED,
                        missing + " missing before this line (deleted)"), torn);
            }
            // s < e: a seq seen before
            if (c.hash().equals(hashOfSameSeq)) {
                return result(count, prev, problem(i, LogVerification.Kind.INSERTED,
                        "a copy of line " + s + " (seq " + s + ") was inserted here"), torn);
            }
            if (prevPrev != null && s == prev.seq() && c.previousHash().equals(prevPrev.hash())) {
                return result(count - 1, prevPrev, problem(i - 1, LogVerification.Kind.INSERTED,
                        "inserted: this record (seq " + prev.seq() + ") does not belong to the chain; line " + i
                                + " has the same seq and continues the chain from line " + (i - 2)), torn);
            }
            if (prev.seq() == 1 && s == 1 && c.previousHash().equals(DecisionRecord.GENESIS_HASH)) {
                return result(0, null, problem(i - 1, LogVerification.Kind.INSERTED,
                        "inserted: this record (seq 1) does not belong to the chain; line " + i
                                + " has the same seq and starts the chain"), torn);
            }
            return result(count, prev, problem(i, LogVerification.Kind.INSERTED,
                    "inserted: seq " + s + " appears a second time (line " + s + " has it)"), torn);
        }

        private static LogVerification.Problem problem(long line, LogVerification.Kind kind, String message) {
            return new LogVerification.Problem(line, kind, message);
        }
    }
}
