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
import org.opensdm.engine.audit.LogHead;
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

    /** The {@code --max-line-bytes} value, checked; the default when not given. */
    static long maxLine(Long n) {
        if (n == null) {
            return DecisionLog.DEFAULT_MAX_LINE_BYTES;
        }
        if (n < 1 || n > Integer.MAX_VALUE - 16) {
            throw new InputException("--max-line-bytes must be from 1 to " + (Integer.MAX_VALUE - 16) + ", not " + n);
        }
        return n;
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = SdmCli.Version.class,
            description = {"Verify a decision log: every line is a record in canonical form that matches its hash, "
                + "sequence numbers run 1, 2, 3, ... and each record chains to the hash of the one before it.",
                "Exit 0 when intact; 1 naming the first bad line and why (edited, rewritten, deleted, inserted, "
                    + "reordered, not a record, line too long) or a torn last line (an append cut short by a crash).",
                "With --head SEQ:HASH (as `sdm evaluate --record` prints it), also exit 1 when the log was cut short "
                    + "(no record SEQ any more) or rewritten (record SEQ has another hash).",
                "With --repair, a torn last line of an otherwise intact log is truncated, or, when it is a complete "
                    + "record lacking only its final newline, the newline is added (exit 0 after)."})
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "LOG", description = "The decision log (JSON Lines); or --store.")
        String file;

        @picocli.CommandLine.Mixin
        StoreOptions store;

        @Option(names = "--repair", description = "Repair a torn last line, if that is the only problem: truncate it, "
                + "or add the missing newline of a complete record (refused while another process appends to the log).")
        boolean repair;

        @Option(names = "--head", paramLabel = "SEQ:HASH", description = "A head noted earlier (`recorded: head SEQ:HASH` "
                + "on the stderr of `sdm evaluate --record`): the log must still hold record SEQ with that hash.")
        String head;

        @Option(names = "--max-line-bytes", paramLabel = "N", description = "The longest line read (default: 16 MiB, "
                + "16777216); a longer line is reported as not a record (line too long) without being read into memory.")
        Long maxLineBytes;

        @Override
        public Integer call() {
            if (store.given()) {
                return verifyStore();
            }
            Path p = existing(logOrStore(file, store));
            LogHead noted = null;
            if (head != null) {
                try {
                    noted = LogHead.parse(head);
                } catch (IllegalArgumentException e) {
                    throw new InputException("--head " + TerminalText.escape(head) + ": " + e.getMessage());
                }
            }
            long max = maxLine(maxLineBytes);
            String name = TerminalText.escape(file);
            PrintWriter out = spec.commandLine().getOut();
            LogVerification v = DecisionLog.verify(p, noted, max);
            if (repair && v.onlyTornTail()) {
                long torn = v.tornTail().getAsLong();
                boolean newline = v.tailLacksNewlineOnly();
                DecisionLog.repair(p, max);
                v = DecisionLog.verify(p, noted, max);
                out.println(name + ": repaired: " + (newline
                        ? "added the missing newline at the end of line " + torn + " (a complete record, kept)"
                        : "truncated the torn line " + torn));
            }
            out.println(name + ": " + TerminalText.escape(v.describe()));
            if (noted != null && v.intact()) {
                out.println(name + ": holds the head noted earlier: record seq " + noted.seq() + " has hash " + noted.hash());
            }
            if (v.onlyTornTail()) {
                out.println(name + ": to " + (v.tailLacksNewlineOnly() ? "add the missing newline" : "truncate the torn line")
                        + ", run: sdm log verify --repair " + name);
            } else if (repair && !v.intact()) {
                out.println(name + ": not repaired: --repair only mends a torn last line of an otherwise intact log");
            }
            out.flush();
            return v.intact() ? ExitCode.OK : ExitCode.FAILURE;
        }

        /** {@code --store}: the chain's records, as a log's lines (line N: the N-th record in seq order). */
        private int verifyStore() {
            if (file != null) {
                throw new InputException("give a LOG or --store, not both");
            }
            if (repair) {
                throw new InputException("--repair mends a log file's torn last line; a store has none");
            }
            if (maxLineBytes != null) {
                throw new InputException("--max-line-bytes applies to a log file, not to --store");
            }
            LogHead noted = null;
            if (head != null) {
                try {
                    noted = LogHead.parse(head);
                } catch (IllegalArgumentException e) {
                    throw new InputException("--head " + TerminalText.escape(head) + ": " + e.getMessage());
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            try (org.opensdm.engine.audit.postgres.PostgresDecisionStore s = store.open()) {
                String name = store.where() + " chain " + s.chain();
                LogVerification v = s.verify(noted);
                out.println(name + ": " + TerminalText.escape(v.describe()));
                if (noted != null && v.intact()) {
                    out.println(name + ": holds the head noted earlier: record seq " + noted.seq() + " has hash " + noted.hash());
                }
                out.flush();
                return v.intact() ? ExitCode.OK : ExitCode.FAILURE;
            }
        }
    }

    /** The LOG argument, which is required unless --store is given. */
    static String logOrStore(String file, StoreOptions store) {
        if (file == null) {
            throw new InputException("give the decision LOG, or --store JDBC_URL");
        }
        return file;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = SdmCli.Version.class,
            description = {"List the records of a decision log: seq, recordedAt, caseId, assessedOn, ruleset, version, "
                + "sha256 (first 12 hex) and the outcome; --json prints the records themselves (one per line).",
                "The outcome keys are listed in the order of the recorded version's manifest (the shipped rulesets and "
                    + "--rulesets DIR); keys it does not declare, and every key of a version not available, follow in "
                    + "the record's (alphabetical) order.",
                "Does not check hashes (see `sdm log verify`). Lines that are not records are reported on stderr "
                    + "(exit 1); a torn last line is only noted.",
                "In the table, control characters and Unicode bidi controls from the records are printed escaped "
                    + "(\\u001b, \\u202e; a backslash as \\\\); --json prints the records as stored."})
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "LOG", description = "The decision log (JSON Lines); or --store.")
        String file;

        @picocli.CommandLine.Mixin
        StoreOptions store;

        @Option(names = "--case", paramLabel = "ID", description = "Only the records of this case id.")
        String caseId;

        @Option(names = "--json", description = "Print each record as stored (canonical JSON, one per line).")
        boolean json;

        @picocli.CommandLine.Mixin
        RulesetSource rulesets;

        /** The outcome keys of each recorded version, in manifest order, by {@code id@version}; read on first use. */
        private final Map<String, List<String>> keyOrder = new java.util.HashMap<>();
        private org.opensdm.engine.ruleset.RulesetRegistry registry;

        @Option(names = "--max-line-bytes", paramLabel = "N", description = "The longest line read (default: 16 MiB, "
                + "16777216); a longer line is reported as not a record (line too long) without being read into memory.")
        Long maxLineBytes;

        @Override
        public Integer call() {
            if (store.given()) {
                if (file != null) {
                    throw new InputException("give a LOG or --store, not both");
                }
                if (maxLineBytes != null) {
                    throw new InputException("--max-line-bytes applies to a log file, not to --store");
                }
                SdmCli.checkFolder(rulesets.dir());
                try (org.opensdm.engine.audit.postgres.PostgresDecisionStore s = store.open();
                     Stream<DecisionRecord> records = s.query(org.opensdm.engine.audit.RecordQuery.ALL.withCaseId(caseId))) {
                    print(records, json, rulesets, spec.commandLine().getOut());
                }
                return ExitCode.OK;
            }
            Path p = existing(logOrStore(file, store));
            SdmCli.checkFolder(rulesets.dir());
            long max = maxLine(maxLineBytes);
            String name = TerminalText.escape(file);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"seq", "recordedAt", "caseId", "assessedOn", "ruleset", "version", "sha256", "outcome"});
            int unreadable = 0;
            try (Stream<DecisionLog.LogEntry> entries = DecisionLog.read(p, max)) {
                for (DecisionLog.LogEntry e : (Iterable<DecisionLog.LogEntry>) entries::iterator) {
                    if (!e.isRecord()) {
                        err.println("sdm: " + name + ": line " + e.line() + ": " + TerminalText.escape(e.problem()));
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
                        // every cell comes from the log: escaped, so that no control or bidi character reaches the terminal
                        rows.add(Stream.of(String.valueOf(r.seq()), r.recordedAt().toString(), String.valueOf(r.caseId()),
                            String.valueOf(r.assessedOn()), r.rulesetId(), r.rulesetVersion(),
                            r.rulesetSha256().substring(0, Math.min(12, r.rulesetSha256().length())),
                            outcome(r.outcome(), keys(r.rulesetId(), r.rulesetVersion())))
                            .map(TerminalText::escape).toArray(String[]::new));
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

        /** Records as `log show` prints them: the table (every cell escaped), or each record as stored. */
        static void print(Stream<DecisionRecord> records, boolean json, RulesetSource rulesets, PrintWriter out) {
            Show show = new Show();
            show.rulesets = rulesets;
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"seq", "recordedAt", "caseId", "assessedOn", "ruleset", "version", "sha256", "outcome"});
            for (DecisionRecord r : (Iterable<DecisionRecord>) records::iterator) {
                if (json) {
                    out.println(r.json());
                } else {
                    rows.add(show.row(r));
                }
            }
            if (!json) {
                RulesetsCommand.print(rows, out);
            }
            out.flush();
        }

        private String[] row(DecisionRecord r) {
            return Stream.of(String.valueOf(r.seq()), r.recordedAt().toString(), String.valueOf(r.caseId()),
                    String.valueOf(r.assessedOn()), r.rulesetId(), r.rulesetVersion(),
                    r.rulesetSha256().substring(0, Math.min(12, r.rulesetSha256().length())),
                    outcome(r.outcome(), keys(r.rulesetId(), r.rulesetVersion())))
                    .map(TerminalText::escape).toArray(String[]::new);
        }

        /** The outcome in the manifest's key order; keys the manifest does not declare follow, in the record's order. */
        static String outcome(Map<String, Object> outcome, List<String> order) {
            List<String> keys = new ArrayList<>(order.stream().filter(outcome::containsKey).toList());
            outcome.keySet().stream().filter(k -> !keys.contains(k)).forEach(keys::add);
            return keys.stream().map(k -> k + "=" + outcome.get(k)).collect(Collectors.joining(" "));
        }

        /** The recorded version's outcome keys in manifest order; empty when that version is not available. */
        private List<String> keys(String id, String version) {
            if (id == null || version == null) {
                return List.of();
            }
            return keyOrder.computeIfAbsent(id + "@" + version, k -> {
                if (registry == null) {
                    SdmCli.checkFolder(rulesets.dir());
                    org.opensdm.engine.ruleset.RulesetRegistry.Builder b = org.opensdm.engine.ruleset.RulesetRegistry.builder()
                            .addClasspath();
                    if (rulesets.dir() != null) {
                        b.addDirectory(rulesets.dir());
                    }
                    registry = b.build();
                }
                return registry.find(id, version).map(v -> v.manifest().outcomes().stream()
                        .map(org.opensdm.engine.ruleset.RulesetManifest.OutcomeDef::key).toList()).orElse(List.of());
            });
        }
    }
}
