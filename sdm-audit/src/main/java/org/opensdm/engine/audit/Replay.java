package org.opensdm.engine.audit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.opensdm.engine.Decision;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.InvalidRequestException;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.SdmException;
import org.opensdm.engine.audit.ReplayResult.Difference;
import org.opensdm.engine.audit.ReplayResult.Status;
import org.opensdm.engine.json.SdmJson;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * Re-decides recorded decisions and compares: for each record (that the {@link ReplayFilter}
 * lets through), find the recorded ruleset version in the engine's registry
 * ({@code RULESET_MISSING} when it is not there), check its content hash against the recorded
 * one ({@code RULESET_CHANGED} when it differs), evaluate the recorded request again under that
 * exact version and on the recorded {@code assessedOn}, and compare the decision's
 * {@code outcome}, {@code overrides} and {@code trail} with the recorded ones field by field:
 * {@code IDENTICAL}, or {@code DIFFERENT} with each field that differs. Replay evaluates through
 * {@link SdmEngine#whatIf()}: a record is re-decided under its (or the what-if) version whatever
 * its {@code assessedOn}, even a date before that version's {@code effectiveFrom}, and the
 * engine's decision sinks are not used.
 *
 * <p>Replay re-decides; it does not check the hash chain: {@link DecisionLog#verify} proves that
 * the log was not altered. An auditor runs both. The engine's decision sinks (a decision log)
 * are left out: no re-evaluation is recorded.
 *
 * <pre>{@code
 * ReplayReport r = Replay.with(engine).filter(ReplayFilter.ALL.withCaseId("C-1001")).run(log);
 * r.summary().allIdentical();
 * }</pre>
 */
public final class Replay {
    private static final int BATCH = 512;

    private final SdmEngine engine;
    private final ReplayFilter filter;
    private final String asVersion;
    private final int threads;
    private final long maxLineBytes;

    private Replay(SdmEngine engine, ReplayFilter filter, String asVersion, int threads, long maxLineBytes) {
        this.engine = engine;
        this.filter = filter;
        this.asVersion = asVersion;
        this.threads = threads;
        this.maxLineBytes = maxLineBytes;
    }

    /** Replays with the rulesets of {@code engine}, every record, on as many threads as processors. */
    public static Replay with(SdmEngine engine) {
        // what-if view: a recorded decision is re-decided under its version whatever its date, and nothing is recorded
        return new Replay(Objects.requireNonNull(engine).whatIf(), ReplayFilter.ALL, null,
                Math.max(1, Runtime.getRuntime().availableProcessors()), DecisionLog.DEFAULT_MAX_LINE_BYTES);
    }

    public Replay filter(ReplayFilter f) {
        return new Replay(engine, Objects.requireNonNull(f), asVersion, threads, maxLineBytes);
    }

    /**
     * What-if: re-evaluate every record under {@code version} of its ruleset instead of the
     * recorded version (e.g. a new version with changed cut points); no content hash check, and
     * each result is {@code IDENTICAL} or {@code DIFFERENT} (or {@code RULESET_MISSING}). Null: the
     * recorded version.
     */
    public Replay asVersion(String version) {
        return new Replay(engine, filter, version, threads, maxLineBytes);
    }

    public Replay threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be positive");
        }
        return new Replay(engine, filter, asVersion, n, maxLineBytes);
    }

    /**
     * The longest line read ({@link DecisionLog#DEFAULT_MAX_LINE_BYTES} unless set): a longer line is
     * {@code UNREADABLE} ("line too long"), not read into memory.
     *
     * @throws IllegalArgumentException below 1 or above what a Java array holds
     */
    public Replay maxLineBytes(long max) {
        LogLines.checkLimit(max);
        return new Replay(engine, filter, asVersion, threads, max);
    }

    /** Replays every matching record of the log. */
    public ReplayReport run(Path log) {
        List<ReplayResult> results = new ArrayList<>();
        long torn = run(log, results::add);
        return new ReplayReport(results, summarize(results), torn);
    }

    /**
     * Replays every matching record of the log, handing each result to {@code each} in log order
     * (without keeping them); returns the line number of a torn last line (left out), or 0.
     *
     * <p>This thread only cuts the file into lines; reading each line as a record, the filter and
     * the re-evaluation run on the replay threads, a batch of lines at a time, and the results
     * come back in log order. Each line is read as {@link DecisionLog#read} reads it.
     */
    public long run(Path log, Consumer<ReplayResult> each) {
        try {
            return run(() -> new LogLines(log, maxLineBytes), true, each);
        } catch (java.io.IOException e) {
            throw new DecisionLogException("cannot read decision log " + log + ": " + DecisionLog.describe(e), e);
        }
    }

    /**
     * Replays every matching record of a store (a {@link DecisionLog} as {@link #run(Path)} does its
     * file): the same results as replaying the log file it exports to, each result's line being the
     * record's sequence number. The store is asked only for the records the filter lets through.
     *
     * @throws DecisionLogException the store cannot be read
     */
    public ReplayReport run(DecisionStore store) {
        List<ReplayResult> results = new ArrayList<>();
        long torn = run(store, results::add);
        return new ReplayReport(results, summarize(results), torn);
    }

    /** As {@link #run(DecisionStore)}, handing each result to {@code each} in chain order; returns a log's torn last line, or 0. */
    public long run(DecisionStore store, Consumer<ReplayResult> each) {
        if (store instanceof DecisionLog log) {
            return run(log.file(), each); // its lines as a file: a torn or over-long line as the file reader says
        }
        RecordLines lines = store.lines(RecordQuery.of(filter));
        try {
            return run(() -> new RowLines(lines.open(), true), false, each);
        } catch (java.io.IOException e) {
            throw new DecisionLogException("cannot read " + store.describe() + ": " + DecisionLog.describe(e), e);
        }
    }

    private long run(DecisionLog.Opener opener, boolean tornPossible, Consumer<ReplayResult> each) throws java.io.IOException {
        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sdm-replay");
            t.setDaemon(true);
            return t;
        }) : null;
        long[] torn = {0};
        try (LineReader lines = opener.open()) {
            // this thread reads the next batch while the replay threads replay the one before
            LogLines.Line[] cur = {lines.next()};
            List<Pending> batch = readBatch(lines, cur, tornPossible);
            List<Future<Done>> inFlight = submit(batch, pool);
            while (!batch.isEmpty()) {
                List<Pending> next = readBatch(lines, cur, tornPossible);
                deliverAll(batch, inFlight, each, torn);
                batch = next;
                inFlight = submit(batch, pool);
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        return torn[0];
    }

    /** A line of the log to replay, and whether it is the last one (only the last line can be torn). */
    private record Pending(LogLines.Line line, boolean last) { }

    /** What one line gave: a result, nothing (filtered out), or a torn last line. */
    private record Done(ReplayResult result, long tornLine) { }

    private static final Done SKIPPED = new Done(null, 0);

    /** Counts the statuses of {@code results}. */
    public static ReplaySummary summarize(List<ReplayResult> results) {
        Map<Status, Long> counts = new EnumMap<>(Status.class);
        results.forEach(r -> counts.merge(r.status(), 1L, Long::sum));
        return new ReplaySummary(results.size(), counts);
    }

    /** Up to {@link #BATCH} lines from {@code cur[0]} on; {@code cur[0]} is left at the first line not taken. */
    private static List<Pending> readBatch(LineReader lines, LogLines.Line[] cur, boolean tornPossible) throws java.io.IOException {
        List<Pending> batch = new ArrayList<>(BATCH);
        while (cur[0] != null && batch.size() < BATCH) {
            LogLines.Line next = lines.next();
            batch.add(new Pending(cur[0], tornPossible && next == null));
            cur[0] = next;
        }
        return batch;
    }

    /** The batch's replays started on the pool (null: none, replayed on this thread when delivered). */
    private List<Future<Done>> submit(List<Pending> batch, ExecutorService pool) {
        if (pool == null || batch.size() < 2) {
            return null;
        }
        List<Future<Done>> futures = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            futures.add(pool.submit(() -> replay(p)));
        }
        return futures;
    }

    /** Hands the batch's results on in order, waiting for each (or replaying it here when it was not submitted). */
    private void deliverAll(List<Pending> batch, List<Future<Done>> futures, Consumer<ReplayResult> each, long[] torn) {
        if (futures == null) {
            batch.forEach(p -> deliver(replay(p), each, torn));
            return;
        }
        for (Future<Done> f : futures) {
            try {
                deliver(f.get(), each, torn);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("replay interrupted", ex);
            } catch (ExecutionException ex) {
                Throwable c = ex.getCause();
                throw c instanceof RuntimeException re ? re : new IllegalStateException(c);
            }
        }
    }

    private static void deliver(Done d, Consumer<ReplayResult> each, long[] torn) {
        if (d.tornLine() > 0) {
            torn[0] = d.tornLine();
        } else if (d.result() != null) {
            each.accept(d.result());
        }
    }

    /** One line, as {@link DecisionLog#read} reads it, then filtered and replayed. */
    private Done replay(Pending p) {
        LogLines.Line line = p.line();
        if (p.last() && !line.terminated()) {
            return new Done(null, line.number()); // torn tail: no newline at its end
        }
        RecordCheck c = RecordCheck.parse(line);
        if (c.record == null) {
            if (p.last() && c.notJson) {
                return new Done(null, line.number()); // torn tail: not JSON
            }
            return new Done(new ReplayResult(line.number(), 0, null, null, null, null, null, Status.UNREADABLE, List.of(),
                    "not a decision record: " + c.malformed), 0);
        }
        if (!filter.test(c.record)) {
            return SKIPPED;
        }
        return new Done(replay(line.number(), c.record), 0);
    }

    /** Replays one record ({@code line}: its line in the log, for the result). */
    public ReplayResult replay(long line, DecisionRecord r) {
        String version = asVersion != null ? asVersion : r.rulesetVersion();
        Optional<RulesetVersion> found = engine.registry().find(r.rulesetId(), version);
        if (found.isEmpty()) {
            return result(line, r, version, Status.RULESET_MISSING, List.of(), missing(r.rulesetId(), version));
        }
        RulesetVersion v = found.get();
        boolean changed = asVersion == null && !v.sha256().equals(r.rulesetSha256());
        String changedWhy = changed ? "ruleset " + r.rulesetId() + " " + version + " changed: recorded sha256 "
                + r.rulesetSha256() + ", now " + v.sha256() + " (" + v.origin() + ")" : null;
        Decision d;
        try {
            EvaluationRequest given = r.evaluationRequest();
            EvaluationRequest pinned = new EvaluationRequest(r.rulesetId(), version, r.assessedOn(), given.caseId(),
                    given.answers(), given.overrides(), given.facts(), given.children());
            d = engine.evaluate(pinned);
        } catch (InvalidRequestException ex) {
            // one problem per line
            String why = "the recorded request is not valid under " + r.rulesetId() + " " + version + " ("
                    + ex.problems().size() + (ex.problems().size() == 1 ? " problem" : " problems") + "):\n"
                    + String.join("\n", ex.problems().stream().map(p -> "  " + oneLine(p.path() + ": " + p.message())).toList());
            return result(line, r, version, changed ? Status.RULESET_CHANGED : Status.FAILED, List.of(),
                    changed ? changedWhy + "\n" + why : why);
        } catch (SdmException ex) {
            String why = "re-evaluation failed: " + oneLine(String.valueOf(ex.getMessage()));
            return result(line, r, version, changed ? Status.RULESET_CHANGED : Status.FAILED, List.of(),
                    changed ? changedWhy + "\n" + why : why);
        }
        List<Difference> diffs = compare(r.decision(), SdmJson.plain(d));
        if (changed) {
            return result(line, r, version, Status.RULESET_CHANGED, diffs, changedWhy);
        }
        return result(line, r, version, diffs.isEmpty() ? Status.IDENTICAL : Status.DIFFERENT, diffs, null);
    }

    /** A message part on one line: the lines of a message are its parts. */
    private static String oneLine(String s) {
        return s.replaceAll("\\s*\\R\\s*", " ");
    }

    private String missing(String id, String version) {
        List<RulesetVersion> of = engine.registry().versions().stream().filter(v -> v.id().equals(id)).toList();
        if (of.isEmpty()) {
            return "ruleset " + id + " is not available";
        }
        return "ruleset " + id + " version " + version + " is not available (available: "
                + String.join(", ", of.stream().map(RulesetVersion::version).toList()) + ")";
    }

    private static ReplayResult result(long line, DecisionRecord r, String version, Status status, List<Difference> diffs,
                                       String message) {
        return new ReplayResult(line, r.seq(), r.caseId(), r.assessedOn(), r.rulesetId(), r.rulesetVersion(), version,
                status, diffs, message);
    }

    /** The fields of {@code outcome}, {@code overrides} and {@code trail} that differ, recorded against replayed. */
    static List<Difference> compare(Map<String, Object> recorded, Object replayed) {
        Map<?, ?> again = (Map<?, ?>) replayed;
        List<Difference> out = new ArrayList<>();
        for (String field : List.of("outcome", "overrides", "trail")) {
            diff(field, recorded.containsKey(field), recorded.get(field), again.containsKey(field), again.get(field), out);
        }
        return out;
    }

    private static void diff(String path, boolean hasA, Object a, boolean hasB, Object b, List<Difference> out) {
        if (!hasA && !hasB || hasA && hasB && Objects.equals(a, b)) {
            return;
        }
        if (hasA && hasB && a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            Set<Object> keys = new LinkedHashSet<>(); // the engine's order (outcome keys as the manifest lists them); records are sorted
            keys.addAll(mb.keySet());
            keys.addAll(ma.keySet());
            for (Object k : keys) {
                diff(path + "." + k, ma.containsKey(k), ma.get(k), mb.containsKey(k), mb.get(k), out);
            }
            return;
        }
        if (hasA && hasB && a instanceof List<?> la && b instanceof List<?> lb) {
            for (int i = 0; i < Math.max(la.size(), lb.size()); i++) {
                diff(path + "[" + i + "]", i < la.size(), i < la.size() ? la.get(i) : null, i < lb.size(),
                        i < lb.size() ? lb.get(i) : null, out);
            }
            return;
        }
        String ca = hasA ? CanonicalJson.write(a) : null;
        String cb = hasB ? CanonicalJson.write(b) : null;
        if (!Objects.equals(ca, cb)) {
            out.add(new Difference(path, ca, cb));
        }
    }
}
