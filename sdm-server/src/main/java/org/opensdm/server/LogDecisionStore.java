package org.opensdm.server;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.opensdm.engine.DecisionSink;
import org.opensdm.engine.audit.DecisionLog;
import org.opensdm.engine.audit.DecisionLogException;
import org.opensdm.engine.audit.DecisionRecord;
import org.opensdm.engine.audit.LogHead;
import org.opensdm.engine.audit.Replay;
import org.opensdm.engine.audit.ReplayResult;

/**
 * Decisions in a decision log file ({@code sdm serve --record LOG}): appended, hash-chained and
 * forced to disk one by one ({@link DecisionLog}); read back by reading the file. Reading a case's
 * decisions reads the whole log (the file has no index): fine for the log of one service, slow for
 * millions of records, where a database store belongs.
 */
public final class LogDecisionStore implements DecisionStore {
    private final DecisionLog log;

    private LogDecisionStore(DecisionLog log) {
        this.log = log;
    }

    /**
     * Opens (or creates, mode 0600) the decision log {@code file} for appending; only one process may
     * append to it.
     *
     * @throws DecisionLogException the log cannot be opened (locked by another process, its last record not sound, ...)
     */
    public static LogDecisionStore open(Path file) {
        return new LogDecisionStore(DecisionLog.open(Objects.requireNonNull(file)));
    }

    /** A store over a log the caller opened (and closes through this store). */
    public static LogDecisionStore of(DecisionLog log) {
        return new LogDecisionStore(Objects.requireNonNull(log));
    }

    @Override
    public DecisionSink sink() {
        return log;
    }

    /** The log's file. */
    public Path file() {
        return log.file();
    }

    /** The head of the log: its last record's seq and hash (seq 0 for an empty log). */
    public LogHead head() {
        return new LogHead(log.lastSeq(), log.lastHash());
    }

    @Override
    public void decisionsOfCase(String caseId, Consumer<DecisionRecord> each) {
        try (Stream<DecisionLog.LogEntry> entries = DecisionLog.read(log.file())) {
            entries.forEach(e -> {
                if (!e.isRecord()) {
                    throw new DecisionStoreException("line " + e.line() + " of the decision log is not a decision record ("
                            + e.problem() + "): run `sdm log verify` on it");
                }
                if (caseId.equals(e.record().caseId())) {
                    each.accept(e.record());
                }
            });
        } catch (DecisionLogException e) {
            throw new DecisionStoreException(e.getMessage(), e);
        }
    }

    @Override
    public void replay(Replay replay, Consumer<ReplayResult> each) {
        try {
            replay.run(log.file(), each);
        } catch (DecisionLogException e) {
            throw new DecisionStoreException(e.getMessage(), e);
        }
    }

    @Override
    public String description() {
        return "decision log " + log.file();
    }

    @Override
    public void close() {
        log.close();
    }
}
