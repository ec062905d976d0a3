package org.opensdm.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.opensdm.engine.audit.Replay;
import org.opensdm.engine.audit.ReplayFilter;
import org.opensdm.engine.audit.ReplayResult;
import org.opensdm.engine.audit.ReplayResult.Status;
import org.opensdm.engine.audit.ReplaySummary;
import org.opensdm.engine.json.SdmJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sdm replay LOG}: re-decide recorded decisions under the exact ruleset version and compare. */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = SdmCli.Version.class,
        description = {"Replay the decisions of a decision log: for each record, load the recorded ruleset version, "
            + "check its content hash (RULESET_CHANGED when it differs, RULESET_MISSING when the version is not "
            + "available), evaluate the recorded request again on its recorded assessedOn, and compare outcome, "
            + "overrides and trail: IDENTICAL, or DIFFERENT with each field that differs. FAILED: the re-evaluation "
            + "failed; UNREADABLE: the line is not a record.",
            "Prints every record that is not IDENTICAL, then a count per status. Exit 0 when every replayed record "
                + "is IDENTICAL, else 1. Replay does not check the hash chain: run `sdm log verify` too."})
final class ReplayCommand extends RulesetVerb implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "LOG", description = "The decision log (JSON Lines); or --store.")
    String file;

    @picocli.CommandLine.Mixin
    StoreOptions store;

    @Option(names = "--case", paramLabel = "ID", description = "Only the records of this case id.")
    String caseId;

    @Option(names = "--from", paramLabel = "DATE", description = "Only decisions assessed on or after DATE (YYYY-MM-DD).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "DATE", description = "Only decisions assessed on or before DATE (YYYY-MM-DD).")
    LocalDate to;

    @Option(names = "--ruleset", paramLabel = "ID", description = "Only decisions of this ruleset id.")
    String rulesetId;

    @Option(names = "--as-version", paramLabel = "VERSION", description = "What-if: evaluate each record under this "
            + "version of its ruleset instead of the recorded one (no hash check; IDENTICAL or DIFFERENT).")
    String asVersion;

    @Option(names = "--threads", paramLabel = "N", description = "Evaluate on N threads (default: one per processor).")
    Integer threads;

    @Option(names = "--max-line-bytes", paramLabel = "N", description = "The longest line read (default: 16 MiB, "
            + "16777216); a longer line is UNREADABLE (line too long) without being read into memory.")
    Long maxLineBytes;

    @Option(names = "--all", description = "Also list the IDENTICAL records.")
    boolean all;

    @Option(names = "--json", description = "Print one JSON document: the summary and every result.")
    boolean json;

    @Override
    public Integer call() {
        if (store.given() && file != null) {
            throw new InputException("give a LOG or --store, not both");
        }
        if (store.given() && maxLineBytes != null) {
            throw new InputException("--max-line-bytes applies to a log file, not to --store");
        }
        Path log = store.given() ? null : LogCommand.existing(LogCommand.logOrStore(file, store));
        if (from != null && to != null && from.isAfter(to)) {
            throw new InputException("--from " + from + " is after --to " + to);
        }
        long maxLine = LogCommand.maxLine(maxLineBytes);
        Replay replay = Replay.with(engine())
                .filter(new ReplayFilter(caseId, from, to, rulesetId)).asVersion(asVersion).maxLineBytes(maxLine);
        if (threads != null) {
            if (threads < 1) {
                throw new InputException("--threads must be at least 1");
            }
            replay = replay.threads(threads);
        }
        PrintWriter out = out();
        PrintWriter err = err();
        Map<Status, Long> counts = new LinkedHashMap<>();
        List<Map<String, Object>> jsonResults = new ArrayList<>();
        long[] n = {0};
        java.util.function.Consumer<ReplayResult> each = r -> {
            n[0]++;
            counts.merge(r.status(), 1L, Long::sum);
            if (json) {
                jsonResults.add(r.toPlain());
            } else if (all || r.status() != Status.IDENTICAL) {
                print(r, out);
            }
        };
        long torn;
        if (log == null) {
            try (org.opensdm.engine.audit.postgres.PostgresDecisionStore s = store.open()) {
                torn = replay.run(s, each); // a result's line is the record's seq
            }
        } else {
            torn = replay.run(log, each);
        }
        ReplaySummary summary = new ReplaySummary(n[0], counts);
        if (torn > 0) {
            err.println("sdm: " + TerminalText.escape(String.valueOf(file)) + ": line " + torn + " is a torn last line (an append cut short by a crash), not replayed");
        }
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("summary", summary.toPlain());
            doc.put("results", jsonResults);
            out.println(SdmJson.writePretty(doc));
        } else {
            out.println("replayed " + summary.describe());
        }
        out.flush();
        err.flush();
        return summary.allIdentical() ? ExitCode.OK : ExitCode.FAILURE;
    }

    private static void print(ReplayResult r, PrintWriter out) {
        StringBuilder sb = new StringBuilder("line ").append(r.line());
        if (r.seq() > 0) {
            sb.append("  seq ").append(r.seq()).append("  case ").append(TerminalText.escape(r.caseId())).append("  ")
                    .append(r.assessedOn()).append("  ").append(TerminalText.escape(r.rulesetId())).append(' ')
                    .append(TerminalText.escape(r.rulesetVersion()));
            if (r.replayedVersion() != null && !r.replayedVersion().equals(r.rulesetVersion())) {
                sb.append(" as ").append(TerminalText.escape(r.replayedVersion()));
            }
        }
        sb.append("  ").append(r.status());
        out.println(TerminalText.escape(sb.toString())); // case id, versions: from the log
        if (r.message() != null) {
            // one problem per line
            r.message().lines().forEach(l -> out.println("    " + TerminalText.escape(l)));
        }
        r.differences().forEach(d -> out.println("    " + TerminalText.escape(String.valueOf(d))));
    }
}
