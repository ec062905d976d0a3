package org.opensdm.engine.audit;

import java.io.Closeable;
import java.io.IOException;

/** Lines of a log, from a file ({@link LogLines}) or a store ({@link RowLines}), for verify and replay. */
interface LineReader extends Closeable {
    /** The next line, or null after the last. */
    LogLines.Line next() throws IOException;

    /** The check of a line this reader returned (a reader may have made it ahead, on other threads). */
    default RecordCheck check(LogLines.Line line) {
        return RecordCheck.of(line);
    }

    /**
     * Why what the store keeps beside line {@code number} (one of the last two returned) disagrees with
     * its record, or null; a file keeps nothing beside its lines.
     */
    default String disagreement(long number, DecisionRecord record) {
        return null;
    }
}
