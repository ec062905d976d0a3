package org.opensdm.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.opensdm.engine.audit.DecisionLog;
import org.opensdm.engine.audit.DecisionRecord;
import org.opensdm.engine.audit.LogVerification;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sdm log verify|show LOG}: check a decision log's hash chain, or list its records. */
@Command(name = "log", mixinStandardHelpOptions = true, versionProvider = SdmCli.Version.class,
        description = "Decision logs (written by `sdm evaluate --record LOG`): verify the hash chain, show the records.",
        subcommands = {LogCommand.Verify.class, LogCommand.Show.class})
final class LogCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing log verb: verify or show");
    }

    /** The log file named on the command line, which must exist. */
    static Path existing(String file) {
        Path p = Path.of(file);
        if (Files.isDirectory(p)) {
            throw new InputException("cannot read " + file + ": is a folder");
        }
        if (!Files.isRegularFile(p)) {
            throw new InputException("cannot read " + file + ": no such file");
        }
        if (!Files.isReadable(p)) {
            throw new InputException("cannot read " + file + ": permission denied");
        }
        return p;
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = SdmCli.Version.class,
            description = {"Verify a decision log: every line is a record in canonical form that matches its hash, "
                + "sequence numbers run 1, 2, 3, ... and each record chains to the hash of the one before it.",
                "Exit 0 when intact; 1 naming the first bad line and why (edited, rewritten, deleted, inserted, "
                    + "reordered, not a record) or a torn last line (an append cut short by a crash).",
                "With --repair, a torn last line of an otherwise intact log is truncated (exit 0 after)."})
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "LOG", description = "The decision log (JSON Lines).")
        String file;

        @Option(names = "--repair", description = "Truncate a torn last line, if that is the only problem "
                + "(refused while another process appends to the log).")
        boolean repair;

        @Override
        public Integer call() {
            Path p = existing(file);
            PrintWriter out = spec.commandLine().getOut();
            LogVerification v = DecisionLog.verify(p);
            if (repair && v.onlyTornTail()) {
                long torn = v.tornTail().getAsLong();
                v = DecisionLog.repair(p);
                out.println(file + ": repaired: truncated the torn line " + torn);
            }
            out.println(file + ": " + v.describe());
            if (v.onlyTornTail()) {
                out.println(file + ": to truncate the torn line, run: sdm log verify --repair " + file);
            } else if (repair && !v.intact()) {
                out.println(file + ": not repaired: --repair only truncates a torn last line of an otherwise intact log");
            }
            out.flush();
            return v.intact() ? ExitCode.OK : ExitCode.FAILURE;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = SdmCli.Version.class,
            description = {"List the records of a decision log: seq, recordedAt, caseId, assessedOn, ruleset, version, "
                + "sha256 (first 12 hex) and the outcome; --json prints the records themselves (one per line).",
                "Does not check hashes (see `sdm log verify`). Lines that are not records are reported on stderr "
                    + "(exit 1); a torn last line is only noted."})
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "LOG", description = "The decision log (JSON Lines).")
        String file;

        @Option(names = "--case", paramLabel = "ID", description = "Only the records of this case id.")
        String caseId;

        @Option(names = "--json", description = "Print each record as stored (canonical JSON, one per line).")
        boolean json;

        @Override
        public Integer call() {
            Path p = existing(file);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"seq", "recordedAt", "caseId", "assessedOn", "ruleset", "version", "sha256", "outcome"});
            int unreadable = 0;
            try (Stream<DecisionLog.LogEntry> entries = DecisionLog.read(p)) {
                for (DecisionLog.LogEntry e : (Iterable<DecisionLog.LogEntry>) entries::iterator) {
                    if (!e.isRecord()) {
                        err.println("sdm: " + file + ": line " + e.line() + ": " + e.problem());
                        if (!e.tornTail()) {
                            unreadable++;
                        }
                        continue;
                    }
                    DecisionRecord r = e.record();
                    if (caseId != null && !caseId.equals(r.caseId())) {
                        continue;
                    }
                    if (json) {
                        out.println(r.json());
                    } else {
                        rows.add(new String[] {String.valueOf(r.seq()), r.recordedAt().toString(), String.valueOf(r.caseId()),
                            String.valueOf(r.assessedOn()), r.rulesetId(), r.rulesetVersion(), r.rulesetSha256().substring(0, 12),
                            outcome(r.outcome())});
                    }
                }
            }
            if (!json) {
                RulesetsCommand.print(rows, out);
            }
            out.flush();
            err.flush();
            return unreadable == 0 ? ExitCode.OK : ExitCode.FAILURE;
        }

        private static String outcome(Map<String, Object> outcome) {
            return outcome.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        }
    }
}
