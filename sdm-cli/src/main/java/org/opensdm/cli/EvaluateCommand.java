package org.opensdm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
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
import org.opensdm.server.JsonLinesBatch;
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
        JsonLinesBatch.Summary summary;
        try (InputStream in = input().open()) {
            summary = JsonLinesBatch.on(engine).listener(new JsonLinesBatch.Listener() {
                @Override
                public void failed(int line, RuntimeException e) {
                    failures.merge(Failures.exitCode(e), 1, Integer::sum);
                    // a broken ruleset fails every line that uses it: say so once
                    if (!(e instanceof RulesetLoadException) || loadFailuresReported.add(e.getMessage())) {
                        Failures.report(e, "sdm: line " + line + ": ", err);
                    }
                }
            }).run(in, json -> {
                out.println(json);
                out.flush();
            });
        }
        if (summary.failed() > 0) {
            err.println("sdm: " + summary.failed() + " of " + summary.requests() + " request"
                    + (summary.requests() == 1 ? "" : "s") + " failed");
            err.flush();
        }
        for (int code : new int[] {ExitCode.RULESET_LOAD, ExitCode.FAILURE, ExitCode.INVALID_REQUEST, ExitCode.UNKNOWN_RULESET}) {
            if (failures.containsKey(code)) {
                return code;
            }
        }
        return ExitCode.OK;
    }
}
