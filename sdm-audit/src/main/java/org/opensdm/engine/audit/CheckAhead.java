package org.opensdm.engine.audit;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads lines ahead and checks them ({@link RecordCheck#of}: parse, canonical form, hash) on a pool of
 * one thread per processor while the caller follows the chain: the checks are independent of each
 * other, the chain is not. Lines come back in order, as the wrapped reader gives them; at most
 * {@value #BATCH_LINES} lines or {@value #BATCH_BYTES} bytes a batch, two batches ahead.
 */
final class CheckAhead implements LineReader {
    private static final int BATCH_LINES = 256;
    private static final long BATCH_BYTES = 8L << 20;
    private static final int CHUNKS = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static final ExecutorService POOL = Executors.newFixedThreadPool(CHUNKS, r -> {
        Thread t = new Thread(r, "sdm-verify");
        t.setDaemon(true);
        return t;
    });

    private final LineReader in;
    private final ArrayDeque<Batch> ahead = new ArrayDeque<>();
    private Batch current;
    private int pos;
    private boolean end;
    // the checks of the last two lines returned: the verifier reads one line ahead
    private LogLines.Line lastLine;
    private RecordCheck lastCheck;
    private LogLines.Line previousLine;
    private RecordCheck previousCheck;

    CheckAhead(LineReader in) {
        this.in = in;
    }

    /** Lines and their checks, made by tasks of a chunk of lines each. */
    private static final class Batch {
        final List<LogLines.Line> lines = new ArrayList<>();
        final RecordCheck[] checks;
        final List<Future<?>> tasks = new ArrayList<>();
        boolean waited;

        Batch(List<LogLines.Line> lines) {
            this.lines.addAll(lines);
            this.checks = new RecordCheck[lines.size()];
        }

        void start() {
            int n = lines.size();
            int per = Math.max(1, (n + CHUNKS - 1) / CHUNKS);
            for (int from = 0; from < n; from += per) {
                int a = from;
                int b = Math.min(n, from + per);
                tasks.add(POOL.submit(() -> {
                    for (int i = a; i < b; i++) {
                        checks[i] = RecordCheck.of(lines.get(i));
                    }
                }));
            }
        }

        void await() throws IOException {
            if (waited) {
                return;
            }
            waited = true;
            for (Future<?> f : tasks) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while verifying", e);
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(c);
                }
            }
        }
    }

    /** Reads the next batch and starts its checks; false at the end. */
    private boolean fill() throws IOException {
        if (end) {
            return false;
        }
        List<LogLines.Line> lines = new ArrayList<>(BATCH_LINES);
        long bytes = 0;
        while (lines.size() < BATCH_LINES && bytes < BATCH_BYTES) {
            LogLines.Line l = in.next();
            if (l == null) {
                end = true;
                break;
            }
            lines.add(l);
            bytes += l.tooLong() ? 0 : l.bytes().length;
        }
        if (lines.isEmpty()) {
            return false;
        }
        Batch b = new Batch(lines);
        b.start();
        ahead.add(b);
        return true;
    }

    @Override
    public LogLines.Line next() throws IOException {
        while (current == null || pos == current.lines.size()) {
            while (ahead.size() < 2 && fill()) {
                // keep two batches in flight
            }
            current = ahead.poll();
            pos = 0;
            if (current == null) {
                return null;
            }
            current.await();
        }
        LogLines.Line l = current.lines.get(pos);
        RecordCheck c = current.checks[pos];
        pos++;
        previousLine = lastLine;
        previousCheck = lastCheck;
        lastLine = l;
        lastCheck = c;
        return l;
    }

    @Override
    public RecordCheck check(LogLines.Line line) {
        if (line == lastLine) {
            return lastCheck;
        }
        if (line == previousLine) {
            return previousCheck;
        }
        return RecordCheck.of(line);
    }

    @Override
    public String disagreement(long number, DecisionRecord record) {
        return in.disagreement(number, record);
    }

    @Override
    public void close() throws IOException {
        for (Batch b : ahead) {
            b.tasks.forEach(f -> f.cancel(false));
        }
        in.close();
    }
}
