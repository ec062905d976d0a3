package org.opensdm.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.opensdm.engine.Decision;
import org.opensdm.engine.InvalidRequestException;
import org.opensdm.engine.Problem;
import org.opensdm.engine.RulesetLoadException;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.audit.DecisionLog;
import org.opensdm.engine.audit.LogHead;
import org.opensdm.engine.json.SdmJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sdm evaluate FILE|-}: one request in, one decision out; with {@code --batch}, one request
 * per line in, one decision (or error object) per line out, in input order.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, versionProvider = SdmCli.Version.class,
        description = {"Evaluate a request (JSON) and print the decision (JSON) on stdout.",
            "With --batch, FILE holds one request per line (JSON Lines): each line gets one compact "
                + "decision, or {\"line\": N, \"errors\": [{\"path\": ..., \"message\": ...}]}, on the same "
                + "output line; blank lines are skipped (line numbers count physical lines). The exit code "
                + "is that of the most serious failure: 4 (ruleset fails to load), 1 (evaluation failed), "
                + "2 (invalid request), 3 (unknown ruleset or version), else 0.",
            "A request, or a batch line, over the request size limit (1 MiB) is refused with exit 2 after reading at "
                + "most one byte more; FILE must be a regular file (not a folder, FIFO or device: use - for a pipe)."})
final class EvaluateCommand extends RulesetVerb implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE|-", description = "The request file, or - for standard input.")
    String file;

    @Option(names = "--batch", description = "FILE is JSON Lines: one request per line, one decision per line (always compact).")
    boolean batch;

    @Option(names = "--compact", description = "Print the decision on one line instead of indented.")
    boolean compact;

    @Option(names = "--record", paramLabel = "LOG", description = "Append each decision to the decision log LOG "
            + "(JSON Lines, created with mode 0600 if absent) before printing it; a decision that cannot be recorded is "
            + "not printed. Afterwards stderr gets the log's head, `recorded: head SEQ:HASH`: keep it elsewhere, "
            + "`sdm log verify LOG --head SEQ:HASH` later shows whether the log was cut short or rewritten.")
    Path record;

    private RequestFile input() {
        return new RequestFile(file, parent::stdin);
    }

    @picocli.CommandLine.Mixin
    StoreOptions store;

    @Override
    public Integer call() throws IOException {
        if (store.given() && record != null) {
            throw new InputException("--record LOG and --store JDBC_URL: give one");
        }
        SdmEngine engine = engine();
        if (store.given()) {
            try (org.opensdm.engine.audit.postgres.PostgresDecisionStore s = store.open()) {
                SdmEngine recording = engine.withDecisionSink(s);
                int exit = batch ? batch(recording) : single(recording);
                PrintWriter err = err();
                err.println("sdm: recorded: head " + s.head() + " (chain " + s.chain() + ")");
                err.flush();
                return exit;
            }
        }
        if (record != null) {
            try (DecisionLog log = DecisionLog.open(record)) {
                SdmEngine recording = engine.withDecisionSink(log);
                int exit = batch ? batch(recording) : single(recording);
                PrintWriter err = err();
                err.println("sdm: recorded: head " + new LogHead(log.lastSeq(), log.lastHash()));
                err.flush();
                return exit;
            }
        }
        return batch ? batch(engine) : single(engine);
    }

    private int single(SdmEngine engine) {
        byte[] json = input().read(engine.maxRequestBytes());
        Decision decision = engine.evaluateJson(json);
        PrintWriter out = out();
        out.println(compact ? SdmJson.write(decision) : SdmJson.writePretty(decision));
        out.flush();
        return ExitCode.OK;
    }

    private int batch(SdmEngine engine) throws IOException {
        PrintWriter out = out();
        PrintWriter err = err();
        Set<String> loadFailuresReported = new HashSet<>();
        Map<Integer, Integer> failures = new LinkedHashMap<>(); // exit code -> lines
        int lineNo = 0;
        int requests = 0;
        int failed = 0;
        int limit = engine.maxRequestBytes();
        try (InputStream in = input().open()) {
            LineReader lines = new LineReader(in, limit);
            byte[] line;
            while ((line = lines.next()) != null) {
                lineNo++;
                if (!lines.tooLong() && isBlank(line)) {
                    continue;
                }
                requests++;
                try {
                    if (lines.tooLong()) {
                        throw new InvalidRequestException(List.of(new Problem("$", "the line is " + lines.length()
                                + " bytes, more than the limit of " + limit + " bytes for a request (passed over, not read)")));
                    }
                    out.println(SdmJson.write(engine.evaluateJson(stripBom(line, lineNo))));
                } catch (RuntimeException e) {
                    failed++;
                    int code = Failures.exitCode(e);
                    failures.merge(code, 1, Integer::sum);
                    Map<String, Object> error = new LinkedHashMap<>();
                    error.put("line", lineNo);
                    error.put("errors", Failures.errors(e));
                    out.println(SdmJson.write(error));
                    // a broken ruleset fails every line that uses it: say so once
                    if (!(e instanceof RulesetLoadException) || loadFailuresReported.add(e.getMessage())) {
                        Failures.report(e, "sdm: line " + lineNo + ": ", err);
                    }
                }
                out.flush();
            }
        }
        if (failed > 0) {
            err.println("sdm: " + failed + " of " + requests + " request" + (requests == 1 ? "" : "s") + " failed");
            err.flush();
        }
        for (int code : new int[] {ExitCode.RULESET_LOAD, ExitCode.FAILURE, ExitCode.INVALID_REQUEST, ExitCode.UNKNOWN_RULESET}) {
            if (failures.containsKey(code)) {
                return code;
            }
        }
        return ExitCode.OK;
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\f') {
                return false;
            }
        }
        return true;
    }

    /** A UTF-8 byte order mark at the start of the file is not part of the first request. */
    private static byte[] stripBom(byte[] line, int lineNo) {
        if (lineNo == 1 && line.length >= 3 && (line[0] & 0xff) == 0xef && (line[1] & 0xff) == 0xbb && (line[2] & 0xff) == 0xbf) {
            return Arrays.copyOfRange(line, 3, line.length);
        }
        return line;
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
            while (true) {
                if (pos == len) {
                    if (eof) {
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

        /** The length in bytes of the line {@link #next} gave last (its newline not counted). */
        long length() {
            return length;
        }
    }

}
