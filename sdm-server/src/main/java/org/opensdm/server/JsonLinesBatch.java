package org.opensdm.server;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.opensdm.engine.Decision;
import org.opensdm.engine.InvalidRequestException;
import org.opensdm.engine.Problem;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.json.SdmJson;

/**
 * A batch of requests as JSON Lines: one request per line in, one line per request out, in input
 * order: the decision (compact, as {@link SdmJson#write} writes it), or
 * {@code {"line": N, "errors": [{"path": ..., "message": ...}]}} ({@link Problems#of}). Blank
 * lines are skipped (line numbers count physical lines); a UTF-8 byte order mark before the first
 * line is not part of it; a {@code \r} before a line's {@code \n} is dropped. {@code sdm evaluate
 * --batch} and the HTTP service's {@code POST /evaluate/batch} both run this, so they give the same
 * lines for the same input.
 *
 * <p>A line longer than the engine's request size limit is passed over without being kept in
 * memory and gets an error line. With a {@linkplain #maxBytes byte limit} or a
 * {@linkplain #timeLimit time limit}, the line at which the limit is reached gets an error line
 * saying so, and nothing after it is read.
 */
public final class JsonLinesBatch {
    /** Where the output lines go (each without its line end). */
    @FunctionalInterface
    public interface LineWriter {
        void line(String json) throws IOException;
    }

    /** Told of every line's result, in order. */
    public interface Listener {
        /** Line {@code line} was decided. */
        default void decided(int line, Decision decision) {
        }

        /** Line {@code line} failed with {@code e} (its error line is written). */
        default void failed(int line, RuntimeException e) {
        }

        /** A limit stopped the batch at line {@code line} (its error line is written); {@code why} is that line's message. */
        default void stopped(int line, String why) {
        }
    }

    /** How a batch went: the requests read (blank lines not counted), and how many of them failed. */
    public record Summary(int requests, int failed, boolean stopped) {
    }

    private static final Listener NONE = new Listener() {
    };

    private final SdmEngine engine;
    private final boolean revealInternal;
    private final long maxBytes;
    private final Duration timeLimit;
    private final Listener listener;

    private JsonLinesBatch(SdmEngine engine, boolean revealInternal, long maxBytes, Duration timeLimit, Listener listener) {
        this.engine = engine;
        this.revealInternal = revealInternal;
        this.maxBytes = maxBytes;
        this.timeLimit = timeLimit;
        this.listener = listener;
    }

    /** A batch on {@code engine}: each line at most its request size limit, no other limit, unexpected errors named. */
    public static JsonLinesBatch on(SdmEngine engine) {
        return new JsonLinesBatch(Objects.requireNonNull(engine), true, Long.MAX_VALUE, null, NONE);
    }

    /** Whether an unexpected exception's message goes into its error line (see {@link Problems#of}). */
    public JsonLinesBatch revealInternalErrors(boolean reveal) {
        return new JsonLinesBatch(engine, reveal, maxBytes, timeLimit, listener);
    }

    /** At most {@code bytes} of input are read; the line that passes the limit gets an error line and the batch stops. */
    public JsonLinesBatch maxBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        return new JsonLinesBatch(engine, revealInternal, bytes, timeLimit, listener);
    }

    /** The first line read after {@code limit} (from the start of {@link #run}) gets an error line and the batch stops. */
    public JsonLinesBatch timeLimit(Duration limit) {
        return new JsonLinesBatch(engine, revealInternal, maxBytes, limit, listener);
    }

    public JsonLinesBatch listener(Listener l) {
        return new JsonLinesBatch(engine, revealInternal, maxBytes, timeLimit, Objects.requireNonNull(l));
    }

    /**
     * Evaluates every line of {@code in}, writing one line to {@code out} per request.
     *
     * @throws IOException reading {@code in} or writing to {@code out} failed (the batch stops there)
     */
    public Summary run(InputStream in, LineWriter out) throws IOException {
        long start = System.nanoTime();
        int limit = engine.maxRequestBytes();
        Counting counted = new Counting(in, maxBytes == Long.MAX_VALUE ? Long.MAX_VALUE : maxBytes + 1);
        LineReader lines = new LineReader(counted, limit);
        int lineNo = 0;
        int requests = 0;
        int failed = 0;
        byte[] line;
        while ((line = lines.next()) != null) {
            lineNo++;
            boolean cut = counted.count > maxBytes && lines.atEnd();
            if (!cut && !lines.tooLong() && isBlank(line)) {
                continue;
            }
            requests++;
            String stop = cut ? "the batch is more than the limit of " + maxBytes + " bytes: this line and any after it were not read"
                    : timeLimit != null && System.nanoTime() - start > timeLimit.toNanos()
                    ? "the batch's time limit of " + timeLimit.toMillis() + " ms passed: this line and any after it were not evaluated"
                    : null;
            if (stop != null) {
                failed++;
                out.line(SdmJson.write(error(lineNo, List.of(Problems.problem("$", stop)))));
                listener.stopped(lineNo, stop);
                return new Summary(requests, failed, true);
            }
            try {
                if (lines.tooLong()) {
                    throw new InvalidRequestException(List.of(new Problem("$", "the line is " + lines.length()
                            + " bytes, more than the limit of " + limit + " bytes for a request (passed over, not read)")));
                }
                Decision d = engine.evaluateJson(stripBom(line, lineNo));
                String json = SdmJson.write(d);
                listener.decided(lineNo, d);
                out.line(json);
            } catch (RuntimeException e) {
                failed++;
                listener.failed(lineNo, e);
                out.line(SdmJson.write(error(lineNo, Problems.of(e, revealInternal))));
            }
        }
        if (counted.count > maxBytes) { // every line read was whole, but the input goes on past the limit
            lineNo++;
            String stop = "the batch is more than the limit of " + maxBytes + " bytes: this line and any after it were not read";
            out.line(SdmJson.write(error(lineNo, List.of(Problems.problem("$", stop)))));
            listener.stopped(lineNo, stop);
            return new Summary(requests + 1, failed + 1, true);
        }
        return new Summary(requests, failed, false);
    }

    private static Map<String, Object> error(int line, List<Map<String, Object>> errors) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("line", line);
        error.put("errors", errors);
        return error;
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\f') {
                return false;
            }
        }
        return true;
    }

    /** A UTF-8 byte order mark at the start of the input is not part of the first request. */
    private static byte[] stripBom(byte[] line, int lineNo) {
        if (lineNo == 1 && line.length >= 3 && (line[0] & 0xff) == 0xef && (line[1] & 0xff) == 0xbb && (line[2] & 0xff) == 0xbf) {
            return Arrays.copyOfRange(line, 3, line.length);
        }
        return line;
    }

    /** Counts the bytes read, and reads no more than {@code max}. */
    private static final class Counting extends FilterInputStream {
        private final long max;
        long count;

        Counting(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            if (count >= max) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (count >= max) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, max - count));
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    /**
     * Splits bytes at '\n' (a '\r' before it is dropped), so that each line's bytes go to the JSON
     * reader as they are. A line longer than the limit is passed over, not kept: {@link #next}
     * gives an empty array and {@link #tooLong()} is true, so memory stays at one line of the limit.
     */
    static final class LineReader {
        private static final byte[] NONE = new byte[0];
        private final InputStream in;
        private final int max;
        private final byte[] chunk = new byte[65536];
        private int pos;
        private int len;
        private boolean eof;
        private boolean atEnd;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream(1024);
        private boolean tooLong;
        private long length;

        LineReader(InputStream in, int maxLineBytes) {
            this.in = in;
            this.max = maxLineBytes;
        }

        /** The next line, or null at the end. */
        byte[] next() throws IOException {
            buf.reset();
            tooLong = false;
            length = 0;
            atEnd = false;
            while (true) {
                if (pos == len) {
                    if (eof) {
                        atEnd = true;
                        return length == 0 ? null : finish();
                    }
                    int n = in.read(chunk);
                    pos = 0;
                    len = Math.max(n, 0);
                    eof = n < 0;
                    continue;
                }
                int nl = pos;
                while (nl < len && chunk[nl] != '\n') {
                    nl++;
                }
                int n = nl - pos;
                length += n;
                if (!tooLong) {
                    if (length > (long) max + 1) { // one byte more may be the '\r' of a CRLF line
                        tooLong = true;
                        buf.reset();
                    } else {
                        buf.write(chunk, pos, n);
                    }
                }
                if (nl < len) {
                    pos = nl + 1;
                    return finish();
                }
                pos = len;
            }
        }

        private byte[] finish() {
            if (tooLong) {
                return NONE;
            }
            byte[] line = buf.toByteArray();
            if (line.length > 0 && line[line.length - 1] == '\r') {
                line = Arrays.copyOf(line, line.length - 1);
            }
            if (line.length > max) {
                tooLong = true;
                return NONE;
            }
            return line;
        }

        /** True when the line {@link #next} gave last is longer than the limit (and was not kept). */
        boolean tooLong() {
            return tooLong;
        }

        /** True when the line {@link #next} gave last ended at the end of the input, not at a '\n'. */
        boolean atEnd() {
            return atEnd;
        }

        /** The length in bytes of the line {@link #next} gave last (its newline not counted). */
        long length() {
            return length;
        }
    }
}
