package org.opensdm.engine.audit;

import java.util.function.Function;

/** A store's rows as lines: numbered by position (verify) or by the store's own numbers (replay). */
final class RowLines implements LineReader {
    private final RecordLines.Cursor cursor;
    private final boolean storeNumbers;
    private long position;
    // the checks of the last two rows returned: verify reads one line ahead
    private long lastNumber = -1;
    private Function<DecisionRecord, String> lastCheck;
    private long previousNumber = -1;
    private Function<DecisionRecord, String> previousCheck;

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
        previousNumber = lastNumber;
        previousCheck = lastCheck;
        lastNumber = number;
        lastCheck = row.check();
        byte[] b = row.line();
        return new LogLines.Line(number, 0, b, true);
    }

    @Override
    public String disagreement(long number, DecisionRecord record) {
        Function<DecisionRecord, String> check = number == lastNumber ? lastCheck : number == previousNumber ? previousCheck : null;
        return check == null ? null : check.apply(record);
    }

    @Override
    public void close() {
        cursor.close();
    }
}
