package org.opensdm.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.opensdm.engine.Decision;
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
                + "2 (invalid request), 3 (unknown ruleset or version), else 0."})
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

    @Override
    public Integer call() throws IOException {
        SdmEngine engine = engine();
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
        byte[] json = read();
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
        try (InputStream in = open()) {
            LineReader lines = new LineReader(in);
            byte[] line;
            while ((line = lines.next()) != null) {
                lineNo++;
                if (isBlank(line)) {
                    continue;
                }
                requests++;
                try {
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

    private byte[] read() {
        try (InputStream in = open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private InputStream open() {
        if ("-".equals(file)) {
            return new NonClosing(parent.stdin());
        }
        Path p = Path.of(file);
        if (Files.isDirectory(p)) {
            throw new InputException("cannot read " + file + ": is a folder");
        }
        try {
            return Files.newInputStream(p);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private InputException unreadable(IOException e) {
        String why = e instanceof NoSuchFileException ? "no such file"
                : e instanceof AccessDeniedException ? "permission denied"
                : e.getMessage();
        return new InputException("cannot read " + ("-".equals(file) ? "standard input" : file) + ": " + why);
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

    /** Splits bytes at '\n' (a '\r' before it is dropped), so that each line's bytes go to the JSON reader as they are. */
    static final class LineReader {
        private final InputStream in;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream(1024);
        private boolean eof;

        LineReader(InputStream in) {
            this.in = new BufferedInputStream(in, 65536);
        }

        byte[] next() throws IOException {
            if (eof) {
                return null;
            }
            buf.reset();
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    return trimCr(buf.toByteArray());
                }
                buf.write(b);
            }
            eof = true;
            return buf.size() == 0 ? null : trimCr(buf.toByteArray());
        }

        private static byte[] trimCr(byte[] line) {
            return line.length > 0 && line[line.length - 1] == '\r' ? Arrays.copyOf(line, line.length - 1) : line;
        }
    }

    /** Standard input stays open for whoever owns it (tests run many commands on one JVM). */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
