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
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.opensdm.engine.Decision;
import org.opensdm.engine.DecisionSink;
import org.opensdm.engine.EvaluationRequest;

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
 *   <li><b>Concurrency</b>: safe for many threads of one process. One process appends at a time,
 *       whatever name it reaches the log by. Three locks, each for a reason:
 *       <ol>
 *         <li>a lock on a sidecar file named from the log's <em>real</em> path ({@code toRealPath()}
 *             + {@code .lock}, never deleted), so a symlink, {@code ..} or a relative name all meet
 *             at one lock file. It is taken on a file no reader opens, because POSIX record locks
 *             (what {@code FileLock} is on Linux and macOS) belong to the process and the file, and
 *             closing <em>any</em> handle of the file in the process releases them: a lock on the
 *             log itself would vanish whenever this process verifies, reads or replays it;</li>
 *         <li>a lock on a byte (far past the end) of the log file itself, taken at open: hard links
 *             have different real paths but are one file (one inode), and this lock is per file. A
 *             second opener through a hard link is refused by it. Because of the POSIX rule above
 *             it can be released behind this log's back (by a verify in this process), so it is
 *             taken again before every write;</li>
 *         <li>around every write, a lock on another byte of the log file itself, and under it the
 *             writer checks the file's size against the size it left: if another writer got in
 *             anyway (through a hard link in the moment the second lock was down), the log's last
 *             record is read again, checked (canonical form and hash) and chained to; a log that
 *             shrank or ends in a record that is not sound is refused, and so is a log renamed,
 *             deleted or replaced at its path while open (its records would go where no one looks).
 *             The file is open in append mode, so no write lands anywhere but at its end.</li>
 *       </ol>
 *       Nothing acknowledged is overwritten or forked: the worst another writer through another
 *       name can do is append in turn. Within this process, a second {@code open} of the same file
 *       under any name is refused before any handle is opened. New logs and lock files are created
 *       with mode 0600 (owner only) where the file system has POSIX permissions.</li>
 *   <li><b>Torn tail</b>: a crash during an append can leave the last line incomplete (no
 *       terminating newline, or not JSON). {@code open} then fails with a clear message unless
 *       asked to repair ({@link Builder#repairTornTail}), which truncates that last line only, after
 *       checking that the line before it is a sound record; a last line that is a complete, sound
 *       record lacking only its newline gets the newline instead. A last record that is not sound
 *       (edited, not in canonical form, not a record) is never appended to. Opening reads only the
 *       last record; {@link #verify} checks the whole log.</li>
 *   <li><b>Bounded lines</b>: no record longer than {@link #DEFAULT_MAX_LINE_BYTES} (16 MiB, see
 *       {@link Builder#maxLineBytes}) is written, and the readers report a longer line as not a record
 *       without holding it in memory.</li>
 * </ul>
 * Deleting records from the end of the log, or rewriting it from its first record, cannot be seen
 * from the log alone: keep its head, the last sequence number and hash ({@link #lastSeq()},
 * {@link #lastHash()}, {@link LogVerification}, printed by {@code sdm evaluate --record}), somewhere
 * else and check against it with {@link #verify(Path, LogHead)}.
 */
public final class DecisionLog implements DecisionStore, Closeable {
    /**
     * The default longest line (16 MiB) of a log: the writer refuses to write a longer record, and the
     * readers ({@link #verify}, {@link #read}, {@link Replay}) report a longer line as not a record
     * (MALFORMED, "line too long") without holding it in memory.
     */
    public static final long DEFAULT_MAX_LINE_BYTES = 16L << 20;

    // Bytes of the log file itself that writers lock (far beyond any content: a lock need not cover
    // data, and these do not get in the way of readers where locks are mandatory).
    private static final long OPEN_LOCK_POSITION = 1L << 62;
    private static final long WRITE_LOCK_POSITION = OPEN_LOCK_POSITION + 1;

    private final Path file;
    private final Path real;      // the file's real path at open
    private final Object fileKey; // its identity (device and inode), null where the platform has none
    private final Clock clock;
    private final int maxLine;
    private final List<Object> keys;
    private final FileChannel channel; // APPEND: every write goes to the end of the file, whatever its size now
    private final FileChannel reader;  // the same file, to re-read its tail (READ and APPEND cannot share a channel)
    private final FileChannel lockChannel;
    private final FileLock lock;

    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock syncLock = new ReentrantLock();
    // guarded by writeLock
    private FileLock openLock;
    private long size;
    private long lastSeq;
    private String lastHash;
    private boolean closed;
    // written under writeLock, read under syncLock
    private volatile long written;
    private volatile Throwable failure;
    // guarded by syncLock
    private long durable;

    private DecisionLog(Path file, Path real, Object fileKey, Clock clock, int maxLine, List<Object> keys, FileChannel channel,
                        FileChannel reader, FileChannel lockChannel, FileLock lock, FileLock openLock, long size, long lastSeq,
                        String lastHash) {
        this.file = file;
        this.real = real;
        this.fileKey = fileKey;
        this.clock = clock;
        this.maxLine = maxLine;
        this.keys = keys;
        this.channel = channel;
        this.reader = reader;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.openLock = openLock;
        this.size = size;
        this.lastSeq = lastSeq;
        this.lastHash = lastHash;
        this.written = lastSeq;
        this.durable = lastSeq;
    }

    /**
     * Opens (or creates, mode 0600) a log for appending; fails on a torn last line or an unsound last
     * record, and while another process or another {@code DecisionLog} of this one appends to it.
     */
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
        private long maxLineBytes = DEFAULT_MAX_LINE_BYTES;

        private Builder(Path file) {
            this.file = Objects.requireNonNull(file);
        }

        /** The clock of {@code recordedAt} (default: the system clock, UTC). */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c);
            return this;
        }

        /**
         * Repairs a torn last line (an append cut short by a crash) instead of refusing to open.
         * A last line that is a complete record, in canonical form and matching its hash, and only
         * lacks its final newline gets the newline (the record stays); any other torn last line (cut
         * short, not JSON, not matching its hash) is truncated. Only that line is touched, and the
         * log opens only when its last record after the repair is sound.
         */
        public Builder repairTornTail(boolean r) {
            this.repair = r;
            return this;
        }

        /**
         * The longest record line this log may hold ({@link #DEFAULT_MAX_LINE_BYTES} unless set): a longer
         * record is refused ({@link DecisionLogException}, nothing recorded), and a longer last line is not
         * read into memory.
         *
         * @throws IllegalArgumentException below 1 or above what a Java array holds
         */
        public Builder maxLineBytes(long max) {
            LogLines.checkLimit(max);
            this.maxLineBytes = max;
            return this;
        }

        /**
         * Opens the log, creating it (mode 0600 where the file system has POSIX permissions) when absent.
         *
         * @throws DecisionLogException the log is open in another process or elsewhere in this one
         *                              (under any name: a symlink or a hard link to it), its last line
         *                              is torn (and repair was not asked for), its last record is not
         *                              sound (naming the line and why), or it cannot be read or written
         */
        public DecisionLog open() {
            return DecisionLog.open(file, clock, repair, LogLines.checkLimit(maxLineBytes));
        }
    }

    private static DecisionLog open(Path file, Clock clock, boolean repair, int maxLine) {
        FileChannel lockChannel = null;
        FileChannel channel = null;
        FileChannel reader = null;
        List<Object> keys = List.of();
        try {
            if (Files.isDirectory(file)) {
                throw new DecisionLogException("cannot open decision log " + file + ": is a folder");
            }
            boolean created = createPrivate(file);
            if (created) {
                syncDirectory(file);
            }
            // every route to the file (symlinks, '..', hard links) comes to the same real path or file key
            Path real = file.toRealPath();
            BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) { // a FIFO would block the open, a device is no log
                throw new DecisionLogException("cannot open decision log " + file + ": "
                        + (file.equals(real) ? "" : real + " ") + "is not a regular file");
            }
            Path lockFile = real.resolveSibling(real.getFileName() + ".lock");
            Object fileKey = attributes.fileKey();
            keys = fileKey == null ? List.of("path:" + real) : List.of("path:" + real, "key:" + fileKey);
            // refused before opening anything: closing a handle of the file in this process would drop its locks
            if (!register(keys)) {
                keys = List.of();
                throw new DecisionLogException("decision log " + file + " is already open for appending in this process"
                        + (file.equals(real) ? "" : " (it is " + real + ")"));
            }
            createPrivate(lockFile);
            lockChannel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                throw new DecisionLogException("decision log " + file + " is already open for appending in this process");
            }
            if (lock == null) {
                throw new DecisionLogException("decision log " + file + " is open for appending in another process ("
                        + lockFile + " is locked); only one process may append to a log");
            }
            channel = FileChannel.open(real, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            FileLock openLock;
            try {
                openLock = channel.tryLock(OPEN_LOCK_POSITION, 1, false);
            } catch (OverlappingFileLockException e) {
                throw new DecisionLogException("decision log " + file + " is already open for appending in this process"
                        + " under another name (a hard link to the same file)");
            }
            if (openLock == null) {
                throw new DecisionLogException("decision log " + file + " is open for appending in another process "
                        + "under another name (the log file itself is locked: a hard link to the same file?); "
                        + "only one process may append to a log");
            }
            reader = FileChannel.open(real, StandardOpenOption.READ);
            Tail tail = Tail.read(reader, maxLine);
            if (tail.torn) {
                long line = countLines(reader, tail.lineStart) + 1;
                if (!repair) {
                    throw new DecisionLogException("decision log " + file + " has a torn last line (line " + line
                            + ": " + tail.why + "), left by a crash during an append; nothing was appended. "
                            + "Repair it (" + (tail.complete ? "add the missing newline" : "truncate that line")
                            + ") with `sdm log verify --repair " + file + "` or DecisionLog.builder(file).repairTornTail(true)");
                }
                if (tail.complete) { // a whole, sound record: keep it, end its line
                    ByteBuffer nl = ByteBuffer.wrap(new byte[] {'\n'});
                    while (nl.hasRemaining()) {
                        channel.write(nl);
                    }
                } else {
                    channel.truncate(tail.lineStart);
                }
                channel.force(true);
                tail = Tail.read(reader, maxLine);
                if (tail.torn) {
                    throw new DecisionLogException("decision log " + file + " is damaged beyond its last line (line "
                            + (line - 1) + " is not a record either): run `sdm log verify " + file + "`");
                }
            }
            if (tail.check != null && !tail.check.sound()) {
                throw unsound(file, reader, tail, "nothing can be appended to it");
            }
            long seq = tail.check == null ? 0 : tail.check.seq();
            String hash = tail.check == null ? DecisionRecord.GENESIS_HASH : tail.check.hash();
            return new DecisionLog(file, real, fileKey, clock, maxLine, keys, channel, reader, lockChannel, lock, openLock,
                    reader.size(), seq, hash);
        } catch (IOException e) {
            closeQuietly(reader);
            closeQuietly(channel);
            closeQuietly(lockChannel);
            unregister(keys);
            throw new DecisionLogException("cannot open decision log " + file + ": " + describe(e), e);
        } catch (RuntimeException e) {
            closeQuietly(reader);
            closeQuietly(channel);
            closeQuietly(lockChannel);
            unregister(keys);
            throw e;
        }
    }

    /** The last record is not sound (requirement of every append): a message naming its line and why. */
    private static DecisionLogException unsound(Path file, FileChannel reader, Tail tail, String consequence)
            throws IOException {
        long line = countLines(reader, tail.lineStart) + 1;
        String why = tail.check.record == null ? "not a decision record: " + tail.check.malformed : tail.check.unsoundWhy();
        return new DecisionLogException("decision log " + file + ": its last record (line " + line + ") is not sound: "
                + why + "; " + consequence + ": run `sdm log verify " + file + "`");
    }

    /** Logs open for appending in this JVM, by real path and file key (both routes, symlinks and hard links). */
    private static final Set<Object> OPEN_IN_THIS_PROCESS = new HashSet<>();

    private static boolean register(List<Object> keys) {
        synchronized (OPEN_IN_THIS_PROCESS) {
            for (Object k : keys) {
                if (OPEN_IN_THIS_PROCESS.contains(k)) {
                    return false;
                }
            }
            OPEN_IN_THIS_PROCESS.addAll(keys);
            return true;
        }
    }

    private static void unregister(List<Object> keys) {
        synchronized (OPEN_IN_THIS_PROCESS) {
            OPEN_IN_THIS_PROCESS.removeAll(keys);
        }
    }

    /**
     * Creates the file, readable and writable by its owner only (mode 0600, set at creation, so that
     * it is never readable by others even for a moment) unless it exists. On a file system without
     * POSIX permissions the file is created with that file system's defaults.
     *
     * @return whether this call created it
     */
    static boolean createPrivate(Path file) throws IOException {
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                try {
                    Files.createFile(file, OWNER_ONLY);
                    return true;
                } catch (UnsupportedOperationException e) {
                    // a POSIX view but no permissions at creation: the file system's defaults
                }
            }
            Files.createFile(file);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    /**
     * The last line of a log file: where it starts, and whether it is torn or which record it is.
     * {@code complete}: a torn line (no newline at its end) that is nevertheless a whole record in
     * canonical form matching its hash; {@code check} then holds it.
     */
    private record Tail(long lineStart, boolean torn, String why, RecordCheck check, boolean complete) {
        static Tail read(FileChannel ch, int maxLine) throws IOException {
            long size = ch.size();
            if (size == 0) {
                return new Tail(0, false, null, null, false);
            }
            boolean terminated = readByte(ch, size - 1) == '\n';
            long end = terminated ? size - 1 : size;
            long start = lineStart(ch, end);
            long length = end - start;
            RecordCheck c;
            if (length > maxLine) { // not read into memory
                c = RecordCheck.of(new LogLines.Line(0, start, null, terminated, length, maxLine));
            } else {
                ByteBuffer buf = ByteBuffer.allocate((int) length);
                while (buf.hasRemaining()) {
                    if (ch.read(buf, start + buf.position()) < 0) {
                        throw new IOException("file shrank while being read");
                    }
                }
                c = RecordCheck.of(new LogLines.Line(0, start, buf.array(), terminated, length, maxLine));
            }
            if (!terminated) {
                return c.sound() ? new Tail(start, true, "a complete record, but no newline at its end", c, true)
                        : new Tail(start, true, "no newline at its end", null, false);
            }
            if (c.notJson) {
                return new Tail(start, true, "not JSON", null, false);
            }
            return new Tail(start, false, null, c, false);
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
        List<DecisionRecord.Draft> prepared = new ArrayList<>(entries.size());
        int estimate = 0;
        for (Entry e : entries) {
            DecisionRecord.Draft d = DecisionRecord.draft(e.request(), e.decision());
            prepared.add(d);
            estimate += d.estimatedLength();
        }
        List<Appended> out = new ArrayList<>(entries.size());
        long last;
        writeLock.lock();
        FileLock writing = null;
        try {
            usable();
            writing = lockForWrite();
            catchUp();
            StringBuilder lines = new StringBuilder(estimate);
            long seq = lastSeq;
            String prev = lastHash;
            java.time.Instant at = clock.instant();
            for (DecisionRecord.Draft d : prepared) {
                DecisionRecord.Sealed line = d.seal(++seq, at, prev);
                lines.append(line.line()).append('\n');
                out.add(new Appended(seq, line.hash()));
                prev = line.hash();
            }
            byte[] bytes = lines.toString().getBytes(StandardCharsets.UTF_8);
            if (bytes.length > maxLine) {
                checkLineLengths(bytes, lastSeq);
            }
            write(bytes);
            lastSeq = seq;
            lastHash = prev;
            written = seq;
            last = seq;
        } finally {
            try {
                if (writing != null) {
                    try {
                        writing.release();
                    } catch (IOException | RuntimeException e) {
                        // closing the channel releases it
                    }
                }
            } finally {
                writeLock.unlock();
            }
        }
        sync(last);
        return out;
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

    /**
     * Locks the log file against other writers for one write (a lock on the file itself, so writers
     * reaching it through a hard link are held off too), and takes again the lock that refuses other
     * openers, in case a handle of the log closed elsewhere in this process released it.
     */
    private FileLock lockForWrite() {
        FileLock w;
        try {
            w = channel.lock(WRITE_LOCK_POSITION, 1, false);
        } catch (OverlappingFileLockException e) {
            throw new DecisionLogException("decision log " + file + " is open for appending twice in this process "
                    + "(under two names); nothing was recorded");
        } catch (IOException e) {
            throw new DecisionLogException("cannot lock decision log " + file + " for writing: " + describe(e)
                    + "; nothing was recorded", e);
        }
        try {
            if (openLock != null) {
                openLock.release();
            }
            openLock = channel.tryLock(OPEN_LOCK_POSITION, 1, false); // null: another process opened it meanwhile
        } catch (IOException | OverlappingFileLockException e) {
            openLock = null; // the write lock still keeps writers apart
        }
        return w;
    }

    /**
     * Under the write lock, before writing: the file must still be the log (not renamed, deleted or
     * replaced), and if it is not the size this writer left it, another writer got in (through a
     * name the locks did not cover): re-read its last record, check it, and chain to it; refuse when
     * the file shrank or its last record is not sound.
     */
    private void catchUp() {
        stillTheLog();
        try {
            long now = reader.size();
            if (now == size) {
                return;
            }
            if (now < size) {
                throw new DecisionLogException("decision log " + file + " shrank from " + size + " to " + now
                        + " bytes since this writer last wrote to it (records removed?); nothing was recorded: "
                        + "run `sdm log verify " + file + "`");
            }
            Tail tail = Tail.read(reader, maxLine);
            if (tail.torn) {
                long line = countLines(reader, tail.lineStart) + 1;
                throw new DecisionLogException("decision log " + file + " was appended to by another writer, which left "
                        + "a torn last line (line " + line + ": " + tail.why + "); nothing was recorded");
            }
            if (!tail.check.sound()) {
                throw unsound(file, reader, tail, "it was appended to by another writer; nothing was recorded");
            }
            if (tail.check.seq() <= lastSeq) {
                throw new DecisionLogException("decision log " + file + " changed under this writer: its last record is "
                        + "now seq " + tail.check.seq() + ", after this writer's seq " + lastSeq
                        + "; nothing was recorded: run `sdm log verify " + file + "`");
            }
            lastSeq = tail.check.seq();
            lastHash = tail.check.hash();
            written = Math.max(written, lastSeq);
            size = now;
        } catch (IOException e) {
            throw new DecisionLogException("cannot read decision log " + file + ": " + describe(e)
                    + "; nothing was recorded", e);
        }
    }

    /**
     * The file open here must still be the one at the log's real path: a log renamed or deleted and
     * replaced while open would take records no one looks for (and let another writer start a new
     * log at the path).
     */
    private void stillTheLog() {
        if (fileKey == null) {
            return;
        }
        Object now;
        try {
            now = Files.readAttributes(real, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            throw new DecisionLogException("decision log " + file + " was renamed or deleted while open for appending ("
                    + describe(e) + "); nothing was recorded: close it and open the log again");
        }
        if (!fileKey.equals(now)) {
            throw new DecisionLogException("decision log " + file + " was replaced while open for appending (" + real
                    + " is another file now); nothing was recorded: close it and open the log again");
        }
    }

    /** Refuses a batch holding a record longer than the line limit (readers would not read it). */
    private void checkLineLengths(byte[] bytes, long firstSeq) {
        int start = 0;
        long seq = firstSeq;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                seq++;
                if (i - start > maxLine) {
                    throw new DecisionLogException("cannot append to decision log " + file + ": the record (seq " + seq
                            + ") would be " + (i - start) + " bytes long, over the log's line limit of " + maxLine
                            + " bytes; nothing was recorded");
                }
                start = i + 1;
            }
        }
    }

    /** Appends (the channel is in append mode); on failure cuts the file back so that no partial line stays (or marks the log failed). */
    private void write(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        try {
            while (buf.hasRemaining()) {
                channel.write(buf);
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

    /**
     * The sequence number of the last record as this log last wrote or read it (0 for an empty log):
     * after its own appends, their last; records another writer appended since are seen at the next
     * append.
     */
    public long lastSeq() {
        writeLock.lock();
        try {
            return lastSeq;
        } finally {
            writeLock.unlock();
        }
    }

    /** The hash of the record {@link #lastSeq()} (64 zeros for an empty log). */
    public String lastHash() {
        writeLock.lock();
        try {
            return lastHash;
        } finally {
            writeLock.unlock();
        }
    }

    /** This log's head as its writer last wrote or read it ({@link #lastSeq()}, {@link #lastHash()}). */
    @Override
    public LogHead head() {
        writeLock.lock();
        try {
            return new LogHead(lastSeq, lastHash);
        } finally {
            writeLock.unlock();
        }
    }

    /** {@link #verify(Path, LogHead, long)} of this log's file, with its line limit. */
    @Override
    public LogVerification verify(LogHead noted) {
        return verify(file, noted, maxLine);
    }

    /**
     * The records of this log that {@code query} asks for, in log order (close the stream). A torn last
     * line is left out (never acknowledged); any other line that is not a record fails the read.
     */
    @Override
    public Stream<DecisionRecord> query(RecordQuery query) {
        Objects.requireNonNull(query, "query");
        return read(file, maxLine).filter(e -> {
            if (e.isRecord() || e.tornTail()) {
                return e.isRecord();
            }
            throw new DecisionLogException("decision log " + file + ": line " + e.line() + ": " + e.problem());
        }).map(LogEntry::record).filter(query::test);
    }

    /** This log's lines, numbered as lines; the query is applied by the reader. */
    @Override
    public RecordLines lines(RecordQuery query) {
        return () -> {
            LogLines lines;
            try {
                lines = new LogLines(file, maxLine);
            } catch (IOException e) {
                throw new DecisionLogException("cannot read decision log " + file + ": " + describe(e), e);
            }
            return new RecordLines.Cursor() {
                @Override
                public RecordLines.Row next() {
                    try {
                        LogLines.Line l = lines.next();
                        return l == null ? null : new RecordLines.Row(l.number(), l.bytes(), null);
                    } catch (IOException e) {
                        throw new DecisionLogException("cannot read decision log " + file + ": " + describe(e), e);
                    }
                }

                @Override
                public void close() {
                    closeQuietly(lines);
                }
            };
        };
    }

    @Override
    public String describe() {
        return "decision log " + file;
    }

    /** Forces what was written, releases the locks and closes the file. Idempotent. */
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
            closeQuietly(reader);
            closeQuietly(channel); // releases the locks on the log file itself
            try {
                lock.release();
            } catch (IOException | RuntimeException e) {
                // closing its channel releases it too
            }
            closeQuietly(lockChannel);
            unregister(keys);
        } finally {
            writeLock.unlock();
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
        return read(file, DEFAULT_MAX_LINE_BYTES);
    }

    /**
     * As {@link #read(Path)}, with a line length limit: a longer line is an entry without a record
     * ("line too long"), not read into memory.
     *
     * @throws IllegalArgumentException the limit is below 1 or above what a Java array holds
     */
    public static Stream<LogEntry> read(Path file, long maxLineBytes) {
        LogLines lines;
        try {
            lines = new LogLines(file, maxLineBytes);
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
        return verify(file, null, DEFAULT_MAX_LINE_BYTES);
    }

    /**
     * As {@link #verify(Path)}, and checks the log against a head noted earlier (printed by
     * {@code sdm evaluate --record}, or {@link #lastSeq()}/{@link #lastHash()} kept elsewhere): when
     * the chain is otherwise sound, a log without the record {@code head.seq()} was cut short
     * ({@link LogVerification.Kind#TRUNCATED}), and a log whose record {@code head.seq()} has
     * another hash was rewritten ({@link LogVerification.Kind#HEAD_MISMATCH}).
     *
     * @param head the noted head, or null for none
     * @throws DecisionLogException the file cannot be read
     */
    public static LogVerification verify(Path file, LogHead head) {
        return verify(file, head, DEFAULT_MAX_LINE_BYTES);
    }

    /**
     * As {@link #verify(Path, LogHead)}, reading lines of at most {@code maxLineBytes}: a longer line
     * is MALFORMED ("line too long"), found without holding it in memory.
     *
     * @throws IllegalArgumentException the limit is below 1 or above what a Java array holds
     * @throws DecisionLogException     the file cannot be read
     */
    public static LogVerification verify(Path file, LogHead head, long maxLineBytes) {
        LogLines.checkLimit(maxLineBytes);
        try {
            return new Verifier(file, () -> new LogLines(file, maxLineBytes), true, head).run();
        } catch (IOException e) {
            throw new DecisionLogException("cannot read decision log " + file + ": " + describe(e), e);
        }
    }

    /**
     * Verifies the records of another store exactly as a log file's lines are verified (see
     * {@link #verify(Path, LogHead)}): line N is the store's N-th record in chain order, the line it
     * has in an export to a log file. What the store keeps beside each line (its key, hash, index
     * columns) must agree with the record ({@link RecordLines.Row#check}); a row that disagrees is
     * {@link LogVerification.Kind#EDITED}. A store has no torn tail: a last line that is not JSON is
     * {@link LogVerification.Kind#MALFORMED}. The verification's {@code file} is null.
     *
     * @param head a head noted earlier, or null
     * @throws DecisionLogException the store cannot be read
     */
    public static LogVerification verify(RecordLines lines, LogHead head) {
        Objects.requireNonNull(lines, "lines");
        try {
            return new Verifier(null, () -> new RowLines(lines.open(), false), false, head).run();
        } catch (IOException e) {
            throw new DecisionLogException("cannot read the decision store: " + describe(e), e);
        }
    }

    /** Opens a pass over a log's lines. */
    interface Opener {
        LineReader open() throws IOException;
    }

    /**
     * Verifies, then repairs a torn last line if that is the only problem (truncates it, or adds the
     * missing newline of a complete record: see {@link Builder#repairTornTail}); returns the
     * verification after it.
     *
     * @throws DecisionLogException the log is open for appending elsewhere, or cannot be read or written
     */
    public static LogVerification repair(Path file) {
        return repair(file, DEFAULT_MAX_LINE_BYTES);
    }

    /** As {@link #repair(Path)}, with a line length limit (see {@link #verify(Path, LogHead, long)}). */
    public static LogVerification repair(Path file, long maxLineBytes) {
        LogVerification v = verify(file, null, maxLineBytes);
        if (!v.onlyTornTail()) {
            return v;
        }
        builder(file).repairTornTail(true).maxLineBytes(maxLineBytes).open().close();
        return verify(file, null, maxLineBytes);
    }

    private static final class Verifier {
        private final Path file;
        private final Opener opener;
        private final boolean tornPossible; // a log file's last line can be torn by a crash; a store's cannot
        private final LogHead head;
        private long headLine;
        private String headHash;

        Verifier(Path file, Opener opener, boolean tornPossible, LogHead head) {
            this.file = file;
            this.opener = opener;
            this.tornPossible = tornPossible;
            this.head = head;
        }

        LogVerification run() throws IOException {
            RecordCheck prev = null;
            RecordCheck prevPrev = null;
            long count = 0;
            try (LineReader lines = new CheckAhead(opener.open())) {
                LogLines.Line cur = lines.next();
                while (cur != null) {
                    LogLines.Line next = lines.next();
                    boolean last = next == null;
                    if (last && !cur.terminated()) {
                        RecordCheck c = lines.check(cur);
                        // a record there, only its newline missing (repair adds it), counts for the head
                        boolean chained = c.sound() && follows(prev, c);
                        if (chained && head != null && c.seq() == head.seq()) {
                            headLine = cur.number();
                            headHash = c.hash();
                        }
                        return finish(count, prev, cur.number(), c.sound(), chained ? count + 1 : count);
                    }
                    RecordCheck c = lines.check(cur);
                    if (last && c.notJson && tornPossible) {
                        return finish(count, prev, cur.number(), false, count);
                    }
                    if (!c.sound() || !follows(prev, c)) {
                        return classify(c, prev, prevPrev, count);
                    }
                    String disagrees = lines.disagreement(cur.number(), c.record);
                    if (disagrees != null) {
                        return result(count, prev, problem(cur.number(), LogVerification.Kind.EDITED,
                                "record seq " + c.seq() + " was altered: " + disagrees), -1);
                    }
                    if (head != null && c.seq() == head.seq()) {
                        headLine = cur.number();
                        headHash = c.hash();
                    }
                    prevPrev = prev;
                    prev = c;
                    count++;
                    cur = next;
                }
            }
            return finish(count, prev, -1, false, count);
        }

        /**
         * The chain is sound up to {@code count} records (seq 1..count), and up to {@code reach} with a
         * last record that only lacks its newline: check the noted head against it.
         */
        private LogVerification finish(long count, RecordCheck last, long torn, boolean tailComplete, long reach) {
            LogVerification.Problem p = null;
            if (head != null && head.seq() > 0) {
                if (reach < head.seq()) {
                    long from = reach + 1;
                    String missing = head.seq() == from ? "record seq " + from + " is" : "records seq " + from + " to " + head.seq() + " are";
                    p = problem(from, LogVerification.Kind.TRUNCATED, "cut short: the log ends at seq " + reach
                            + ", before the head noted earlier (" + head.seq() + ":" + head.hash() + "): " + missing
                            + " missing (removed from the end)");
                } else if (!head.hash().equals(headHash)) {
                    p = problem(headLine, LogVerification.Kind.HEAD_MISMATCH, "record seq " + head.seq() + " has hash "
                            + headHash + ", not the hash of the head noted earlier (" + head.hash()
                            + "): the log was rewritten, its hashes recomputed");
                }
            }
            return new LogVerification(file, count, last == null ? 0 : last.seq(),
                    last == null ? DecisionRecord.GENESIS_HASH : last.hash(), Optional.ofNullable(p),
                    torn > 0 ? OptionalLong.of(torn) : OptionalLong.empty(), torn > 0 && tailComplete);
        }

        private LogVerification result(long count, RecordCheck last, LogVerification.Problem problem, long torn) {
            return new LogVerification(file, count, last == null ? 0 : last.seq(),
                    last == null ? DecisionRecord.GENESIS_HASH : last.hash(), Optional.ofNullable(problem),
                    torn > 0 ? OptionalLong.of(torn) : OptionalLong.empty(), false);
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
            try (LineReader lines = opener.open()) {
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
                        lastTorn = tornPossible && n > i && (!l.terminated() || RecordCheck.of(l).notJson);
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
                    return result(count, null, problem(i, LogVerification.Kind.BROKEN_CHAIN,
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
