package org.opensdm.server;

import java.io.Closeable;
import java.util.function.Consumer;
import org.opensdm.engine.DecisionSink;
import org.opensdm.engine.audit.DecisionRecord;
import org.opensdm.engine.audit.Replay;
import org.opensdm.engine.audit.ReplayResult;

/**
 * Where the service records its decisions, and reads them back: with a store, {@code POST /evaluate}
 * and {@code POST /evaluate/batch} record every decision before returning it (a decision that
 * cannot be recorded is withheld), and {@code GET /decisions?caseId=} and {@code POST /replay} are
 * served. {@link LogDecisionStore} keeps them in a decision log file; another store (a database)
 * implements the same three operations.
 */
public interface DecisionStore extends Closeable {
    /** The sink the service's engine records each decision through, before the decision is returned. */
    DecisionSink sink();

    /**
     * Hands the recorded decisions of case {@code caseId} to {@code each} (which may throw to stop), oldest first.
     *
     * @throws DecisionStoreException the store cannot be read, or holds something that is not a decision record
     */
    void decisionsOfCase(String caseId, Consumer<DecisionRecord> each);

    /**
     * Replays the records that {@code replay}'s filter takes, in recorded order, handing each result to
     * {@code each} (which may throw to stop).
     *
     * @throws DecisionStoreException the store cannot be read
     */
    void replay(Replay replay, Consumer<ReplayResult> each);

    /** What the store is, for people (e.g. {@code decision log /var/lib/sdm/decisions.jsonl}). */
    String description();

    /** Closes the store; with a log, the last head (or nothing). */
    @Override
    void close();
}
