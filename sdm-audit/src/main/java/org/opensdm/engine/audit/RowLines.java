package org.opensdm.engine.audit;

import java.util.ArrayDeque;
import java.util.function.Function;

/** A store's rows as lines: numbered by position (verify) or by the store's own numbers (replay). */
final class RowLines implements LineReader {
    private final RecordLines.Cursor cursor;
    private final boolean storeNumbers;
    private long position;
    /** The column checks of the rows returned and not yet asked about, in order (verify reads ahead). */
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    private record Pending(long number, Function<DecisionRecord, String> check) { }

    RowLines(RecordLines.Cursor cursor, boolean storeNumbers) {
        this.cursor = cursor;
        this.storeNumbers = storeNumbers;
    }

    @Override
    public LogLines.Line next() {
        RecordLines.Row row = cursor.next();
        if (row == null) {
            return null;
        }
        long number = storeNumbers ? row.number() : ++position;
        if (row.check() != null) {
            pending.add(new Pending(number, row.check()));
        }
        return new LogLines.Line(number, 0, row.line(), true);
    }

    /** Asked in increasing line order: the checks of lines passed over are dropped. */
    @Override
    public String disagreement(long number, DecisionRecord record) {
        while (!pending.isEmpty() && pending.peek().number() < number) {
            pending.poll();
        }
        if (!pending.isEmpty() && pending.peek().number() == number) {
            return pending.poll().check().apply(record);
        }
        return null;
    }

    @Override
    public void close() {
        cursor.close();
    }
}
