package org.opensdm.engine.audit;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Reads a log file line by line as bytes ({@code \n} ends a line; the last line may lack it). */
final class LogLines implements Closeable {
    /** One line: its number (from 1), its byte offset in the file, its bytes without {@code \n}, and whether {@code \n} ended it. */
    record Line(long number, long offset, byte[] bytes, boolean terminated) { }

    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private long fileOffset; // offset of buf[0]
    private long lineNo;
    private boolean eof;

    LogLines(Path file) throws IOException {
        this.in = Files.newInputStream(file);
    }

    /** The next line, or null at the end of the file. */
    Line next() throws IOException {
        byte[] acc = null;
        int accLen = 0;
        long start = fileOffset + pos;
        while (true) {
            if (pos == limit) {
                if (eof || !fill()) {
                    eof = true;
                    if (accLen == 0) {
                        return null;
                    }
                    return new Line(++lineNo, start, Arrays.copyOf(acc, accLen), false);
                }
            }
            int nl = -1;
            for (int i = pos; i < limit; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int end = nl < 0 ? limit : nl;
            int n = end - pos;
            if (acc == null) {
                acc = new byte[Math.max(n, 256)];
            } else if (accLen + n > acc.length) {
                acc = Arrays.copyOf(acc, Math.max(acc.length * 2, accLen + n));
            }
            System.arraycopy(buf, pos, acc, accLen, n);
            accLen += n;
            pos = end;
            if (nl >= 0) {
                pos++;
                return new Line(++lineNo, start, acc.length == accLen ? acc : Arrays.copyOf(acc, accLen), true);
            }
        }
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
