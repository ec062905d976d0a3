package org.opensdm.engine.audit;

import java.util.function.Function;

/**
 * A store's records as the lines of a log: each record's canonical JSON (exactly the bytes of its
 * line in a log file, without the newline), in chain order. What a {@link DecisionStore} other than
 * the log file gives {@link DecisionLog#verify(RecordLines, LogHead)} and {@link Replay}, so that its
 * records are checked and replayed by the same code as a log file's.
 */
public interface RecordLines {
    /**
     * Opens a pass over the lines, in order (verify makes a second pass to say what happened at the
     * first bad record).
     *
     * @throws DecisionLogException the store cannot be read
     */
    Cursor open();

    /** One pass over the lines. */
    interface Cursor extends AutoCloseable {
        /**
         * The next row, or null after the last.
         *
         * @throws DecisionLogException the store cannot be read
         */
        Row next();

        @Override
        void close();
    }

    /**
     * One stored record.
     *
     * @param number the number a replay result gives it: its sequence number as the store keys it
     * @param line   its canonical JSON, UTF-8, without a newline
     * @param check  given the record read from {@code line}: why what the store keeps beside the line
     *               (its key, hash and index columns) disagrees with it, or null when it agrees; null
     *               for a store that keeps nothing beside the line
     */
    record Row(long number, byte[] line, Function<DecisionRecord, String> check) { }
}
