package org.opensdm.engine.audit;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a log file line by line as bytes ({@code \n} ends a line; the last line may lack it).
 *
 * <p>Memory is bounded: a line longer than {@code maxLineBytes} is not kept. It comes back as a
 * line without bytes ({@link Line#tooLong()}), with its length, and reading goes on with the
 * next line; the over-long line is only scanned for its end, in the fixed read buffer.
 */
final class LogLines implements LineReader {
    /** The largest line length a Java array can hold (a little below {@code Integer.MAX_VALUE}). */
    static final long MAX_LIMIT = Integer.MAX_VALUE - 16;

    /**
     * One line: its number (from 1), its byte offset in the file, its bytes without {@code \n}
     * ({@code null} when the line is longer than the reader's limit), whether {@code \n} ended
     * it, its length in bytes (without {@code \n}), and the limit it was read under.
     */
    record Line(long number, long offset, byte[] bytes, boolean terminated, long length, long limit) {
        Line(long number, long offset, byte[] bytes, boolean terminated) {
            this(number, offset, bytes, terminated, bytes.length, MAX_LIMIT);
        }

        /** The line is longer than the reader's limit: its bytes were not kept. */
        boolean tooLong() {
            return bytes == null;
        }
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buf = new byte[1 << 18];
    private int pos;
    private int limit;
    private long fileOffset; // offset of buf[0]
    private long lineNo;
    private boolean eof;

    LogLines(Path file, long maxLineBytes) throws IOException {
        this.maxLineBytes = checkLimit(maxLineBytes);
        this.in = Files.newInputStream(file);
    }

    /** The limit, checked: at least 1, at most {@link #MAX_LIMIT}. */
    static int checkLimit(long maxLineBytes) {
        if (maxLineBytes < 1 || maxLineBytes > MAX_LIMIT) {
            throw new IllegalArgumentException("the line length limit must be from 1 to " + MAX_LIMIT + " bytes, not "
                    + maxLineBytes);
        }
        return (int) maxLineBytes;
    }

    /** The next line, or null at the end of the file. */
    @Override
    public Line next() throws IOException {
        byte[] acc = null;
        int accLen = 0;
        long length = 0; // bytes of this line so far; past maxLineBytes, acc is dropped and only counted
        long start = fileOffset + pos;
        while (true) {
            if (pos == limit) {
                if (eof || !fill()) {
                    eof = true;
                    if (length == 0) {
                        return null;
                    }
                    return line(start, acc, accLen, length, false);
                }
            }
            int nl = indexOfNewline(buf, pos, limit);
            int end = nl < 0 ? limit : nl;
            int n = end - pos;
            if (length + n > maxLineBytes) {
                acc = null; // too long: stop keeping it, go on counting
            } else {
                if (acc == null) {
                    acc = new byte[Math.max(n, 256)];
                } else if (accLen + n > acc.length) {
                    // grow by doubling, in long arithmetic, never past the limit
                    long grown = Math.min(Math.max(2L * acc.length, (long) accLen + n), maxLineBytes);
                    acc = Arrays.copyOf(acc, (int) grown);
                }
                System.arraycopy(buf, pos, acc, accLen, n);
                accLen += n;
            }
            length += n;
            pos = end;
            if (nl >= 0) {
                pos++;
                return line(start, acc, accLen, length, true);
            }
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /** The index of the first '\n' in {@code b[from, to)}, or -1; eight bytes at a time (a line can be gigabytes). */
    static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ NEWLINES; // a zero byte where b has '\n'
            long zero = (x - ONES) & ~x & HIGHS;       // exact for the lowest zero byte
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private Line line(long start, byte[] acc, int accLen, long length, boolean terminated) {
        if (length > maxLineBytes) {
            return new Line(++lineNo, start, null, terminated, length, maxLineBytes);
        }
        byte[] bytes = acc == null ? new byte[0] : acc.length == accLen ? acc : Arrays.copyOf(acc, accLen);
        return new Line(++lineNo, start, bytes, terminated, length, maxLineBytes);
    }

    private boolean fill() throws IOException {
        fileOffset += limit;
        pos = 0;
        limit = 0;
        int n = in.read(buf);
        if (n <= 0) {
            return false;
        }
        limit = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
