package org.opensdm.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.opensdm.engine.audit.DecisionRecord;
import org.opensdm.engine.audit.RecordQuery;
import org.opensdm.engine.audit.postgres.PostgresDecisionStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sdm store init|query|export|import --store JDBC_URL}: the PostgreSQL decision store. */
@Command(name = "store", mixinStandardHelpOptions = true, versionProvider = SdmCli.Version.class,
        description = {"The PostgreSQL decision store (--store JDBC_URL; the password from --password-file FILE or the "
            + "environment variable " + StoreOptions.PASSWORD_ENV + "): create or upgrade its schema, query its records, "
            + "export a chain to a log file, import a log file into a chain.",
            "`sdm evaluate --store`, `sdm log verify --store`, `sdm log show --store` and `sdm replay --store` append to, "
                + "verify, list and replay it as they do a log file."},
        subcommands = {StoreCommand.Init.class, StoreCommand.Query.class, StoreCommand.Export.class, StoreCommand.Import.class})
final class StoreCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing store verb: init, query, export or import");
    }

    static void need(StoreOptions store) {
        if (!store.given()) {
            throw new InputException("--store JDBC_URL is required");
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true, versionProvider = SdmCli.Version.class,
            description = "Create the store's schema and tables (Flyway), or upgrade them to this version; nothing when "
                + "they are current. Safe to run again, and from several machines at once.")
    static final class Init implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            need(store);
            String version;
            try {
                version = PostgresDecisionStore.migrate(store.dataSource(), store.schemaName());
            } catch (IllegalArgumentException e) {
                throw new InputException("--schema: " + e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(store.where() + ": schema " + store.schemaName() + " is at version " + version);
            out.flush();
            return ExitCode.OK;
        }
    }

    @Command(name = "query", mixinStandardHelpOptions = true, versionProvider = SdmCli.Version.class,
            description = {"List the records of a chain that match every filter given (in the database, on indexed "
                + "columns), in seq order: the table of `sdm log show`, or with --json the records as stored.",
                "E.g. every VERY_HIGH decision with an override applied, recorded in the first quarter of 2026: "
                    + "--level VERY_HIGH --override yes --recorded-from 2026-01-01T00:00:00Z --recorded-to 2026-04-01T00:00:00Z"})
    static final class Query implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions store;

        @Mixin
        RulesetSource rulesets;

        @Option(names = "--case", paramLabel = "ID", description = "Only the records of this case id.")
        String caseId;

        @Option(names = "--from", paramLabel = "DATE", description = "Only decisions assessed on or after DATE (YYYY-MM-DD).")
        LocalDate from;

        @Option(names = "--to", paramLabel = "DATE", description = "Only decisions assessed on or before DATE (YYYY-MM-DD).")
        LocalDate to;

        @Option(names = "--recorded-from", paramLabel = "INSTANT", description = "Only records recorded at or after "
                + "INSTANT (2026-01-01T00:00:00Z).")
        String recordedFrom;

        @Option(names = "--recorded-to", paramLabel = "INSTANT", description = "Only records recorded before INSTANT.")
        String recordedTo;

        @Option(names = "--ruleset", paramLabel = "ID[@VERSION]", description = "Only decisions of this ruleset (and version).")
        String ruleset;

        @Option(names = "--level", paramLabel = "LEVEL", description = "Only decisions whose outcome finalLevel is LEVEL.")
        String level;

        @Option(names = "--override", paramLabel = "yes|no", description = "Only decisions with (yes) or without (no) an "
                + "override applied.")
        String override;

        @Option(names = "--json", description = "Print each record as stored (canonical JSON, one per line).")
        boolean json;

        @Override
        public Integer call() {
            need(store);
            RecordQuery q = RecordQuery.ALL.withCaseId(caseId).withAssessed(from, to)
                    .withRecorded(instant("--recorded-from", recordedFrom), instant("--recorded-to", recordedTo))
                    .withFinalLevel(level);
            if (ruleset != null) {
                int at = ruleset.indexOf('@');
                q = at < 0 ? q.withRuleset(ruleset, null) : q.withRuleset(ruleset.substring(0, at), ruleset.substring(at + 1));
            }
            if (override != null) {
                if (!override.equals("yes") && !override.equals("no")) {
                    throw new InputException("--override is yes or no, not '" + TerminalText.escape(override) + "'");
                }
                q = q.withOverrideApplied(override.equals("yes"));
            }
            SdmCli.checkFolder(rulesets.dir());
            try (PostgresDecisionStore s = store.open(); Stream<DecisionRecord> records = s.query(q)) {
                LogCommand.Show.print(records, json, rulesets, spec.commandLine().getOut());
            }
            return ExitCode.OK;
        }

        private static Instant instant(String option, String text) {
            if (text == null) {
                return null;
            }
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new InputException(option + ": an instant such as 2026-01-01T00:00:00Z is expected, not '"
                        + TerminalText.escape(text) + "'");
            }
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, versionProvider = SdmCli.Version.class,
            description = "Write a chain to a new log file (mode 0600), each record's line as stored: the file verifies with "
                + "`sdm log verify` and replays with `sdm replay`, hash for hash. Prints the file's head.")
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions store;

        @Parameters(index = "0", paramLabel = "FILE", description = "The log file to write (must not exist).")
        Path file;

        @Override
        public Integer call() {
            need(store);
            if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new InputException("cannot export to " + TerminalText.escape(file.toString()) + ": the file exists "
                        + "(an export writes a new file)");
            }
            try (PostgresDecisionStore s = store.open()) {
                PostgresDecisionStore.Exported x = s.exportTo(file);
                PrintWriter out = spec.commandLine().getOut();
                out.println(TerminalText.escape(file.toString()) + ": exported " + x.records() + (x.records() == 1 ? " record" : " records")
                        + " of chain " + s.chain() + ", head " + x.head());
                out.flush();
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true, versionProvider = SdmCli.Version.class,
            description = {"Take the records of a log file into a chain as they are (the same lines and hashes). The file "
                + "must verify intact; its records up to the chain's head must be the chain's own (so an import can be "
                + "run again, or resumed), the rest must continue the chain.",
                "Exit 0 after printing what was added; 1 when the file does not verify or does not fit the chain."})
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions store;

        @Parameters(index = "0", paramLabel = "LOG", description = "The decision log (JSON Lines).")
        String file;

        @Override
        public Integer call() {
            need(store);
            Path p = LogCommand.existing(file);
            try (PostgresDecisionStore s = store.open()) {
                PostgresDecisionStore.Imported in = s.importFrom(p);
                PrintWriter out = spec.commandLine().getOut();
                out.println(TerminalText.escape(file) + ": imported into chain " + s.chain() + ": " + in.read() + " read, "
                        + in.added() + " added, " + in.alreadyStored() + " already stored; head " + in.head());
                out.flush();
            }
            return ExitCode.OK;
        }
    }
}
