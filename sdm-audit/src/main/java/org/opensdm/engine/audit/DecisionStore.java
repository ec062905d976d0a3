package org.opensdm.engine.audit;

import java.util.List;
import java.util.stream.Stream;
import org.opensdm.engine.Decision;
import org.opensdm.engine.DecisionSink;
import org.opensdm.engine.EvaluationRequest;

/**
 * Where decisions are recorded: one hash chain of {@link DecisionRecord}s, appended to durably,
 * verified, queried and replayed. Two implementations: {@link DecisionLog}, the JSON Lines file (the
 * embedded default, one appending process), and the PostgreSQL store of the module
 * {@code sdm-audit-postgres} (any number of appending processes). A record's line and hash are the
 * same bytes in both, so a record exported from one verifies in the other.
 *
 * <p>As a {@link DecisionSink}, a store records every decision before the engine returns it; when it
 * cannot, {@link #append} throws {@link DecisionLogException} ({@link DecisionStoreException} for a
 * store other than the log) and the engine withholds the decision.
 */
public interface DecisionStore extends DecisionSink, AutoCloseable {
    /** Records the decision; throws DecisionLogException when it cannot (the engine then withholds the decision). */
    @Override
    default void accept(EvaluationRequest request, Decision decision) {
        append(request, decision);
    }

    /**
     * Appends one record; returns once it is durable (for a database: once its transaction committed).
     *
     * @throws DecisionLogException it was not recorded
     */
    default DecisionLog.Appended append(EvaluationRequest request, Decision decision) {
        return appendAll(List.of(new DecisionLog.Entry(request, decision))).get(0);
    }

    /**
     * Appends records in the given order, consecutive in the chain; returns once all are durable. On
     * failure none of them is recorded.
     *
     * @throws DecisionLogException they were not recorded
     */
    List<DecisionLog.Appended> appendAll(List<DecisionLog.Entry> entries);

    /** The chain's head: its last record's seq and hash (seq 0 and 64 zeros when empty). */
    LogHead head();

    /**
     * Checks the whole chain, as {@link DecisionLog#verify(java.nio.file.Path, LogHead)} checks a log
     * file: each record in canonical form matching its hash, seq 1, 2, 3, … and each chained to the one
     * before; names the first record edited, rewritten, deleted, inserted or reordered; with a head
     * noted earlier (null: none), also a chain cut short or rewritten since.
     *
     * @throws DecisionLogException the store cannot be read
     */
    LogVerification verify(LogHead noted);

    /**
     * The records that {@code query} asks for, in chain order, read lazily (close the stream). Hashes
     * and the chain are not checked here: {@link #verify} does that.
     *
     * @throws DecisionLogException the store cannot be read, or holds a line that is not a record
     */
    Stream<DecisionRecord> query(RecordQuery query);

    /** The lines of the records that {@code query} asks for (the store may pass others too), for {@link Replay}. */
    RecordLines lines(RecordQuery query);

    /** Where the store is, for messages: a log's path; a database's address, schema and chain (never a password). */
    String describe();

    /** Releases what the store holds; what was acknowledged stays recorded. Idempotent. */
    @Override
    void close();
}
