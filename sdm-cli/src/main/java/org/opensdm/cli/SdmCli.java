package org.opensdm.cli;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.opensdm.engine.SdmEngine;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code sdm} command: one subcommand per verb. New verbs ({@code test}, {@code lint},
 * {@code diff}, {@code log}, {@code replay}) are added to {@code subcommands} below; a verb that
 * reads rulesets mixes in {@link RulesetSource} and gets its engine from {@link #engine(Path)},
 * reads standard input from {@link #stdin()}, writes through {@code spec.commandLine().getOut()/getErr()}
 * and lets engine exceptions propagate: {@link #commandLine} maps them to exit codes.
 */
@Command(name = "sdm",
        mixinStandardHelpOptions = true,
        versionProvider = SdmCli.Version.class,
        description = "Structured Decision Making assessments: evaluate requests against versioned rulesets.",
        subcommands = {RulesetsCommand.class, EvaluateCommand.class, LogCommand.class, ReplayCommand.class, StoreCommand.class,
            TestCommand.class, LintCommand.class, DiffCommand.class, SampleCommand.class, WhatIfCommand.class, StudyCommand.class,
            ServeCommand.class, DocsCommand.class,
            CommandLine.HelpCommand.class},
        synopsisSubcommandLabel = "VERB",
        commandListHeading = "%nVerbs:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:ok",
            "1:anything else (a ruleset misbehaved, a decision could not be recorded, internal error); "
                + "log verify: the log is not intact; replay: not every record IDENTICAL",
            "2:invalid request (every problem on stderr); also bad usage, an unreadable input file or a --rulesets that is not a folder",
            "3:unknown ruleset or version, or an exact version not yet in force on assessedOn",
            "4:a ruleset fails to load or compile (file:line:column: message on stderr)"})
public final class SdmCli implements Runnable {
    private final InputStream stdin;
    private final EngineFactory engines;

    @Spec
    CommandSpec spec;

    public SdmCli(InputStream stdin, EngineFactory engines) {
        this.stdin = stdin;
        this.engines = engines;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code;
        try {
            CommandLine cmd = commandLine(System.in, EngineFactory.DEFAULT);
            cmd.setOut(out);
            cmd.setErr(err);
            code = cmd.execute(args);
        } catch (Throwable e) { // an Error escaping picocli's handlers: still one line, no stack trace
            err.println("sdm: internal error: " + Failures.describe(e));
            code = ExitCode.FAILURE;
        }
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * The configured command line. Callers set its out and err writers, then {@code execute(args)}
     * returns the exit code; nothing calls {@code System.exit}.
     */
    public static CommandLine commandLine(InputStream stdin, EngineFactory engines) {
        CommandLine cmd = new CommandLine(new SdmCli(stdin, engines));
        cmd.getCommandSpec().exitCodeOnInvalidInput(ExitCode.INVALID_REQUEST);
        cmd.getCommandSpec().exitCodeOnExecutionException(ExitCode.FAILURE);
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Failures.report(e, "sdm: ", commandLine.getErr());
            return Failures.exitCode(e);
        });
        return cmd;
    }

    /** {@code sdm} without a verb: a usage error. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing verb: one of " + String.join(", ",
                spec.subcommands().keySet()));
    }

    /**
     * The engine for this run, with the rulesets of {@code rulesetDir} (null: the shipped ones only).
     *
     * @throws InputException {@code rulesetDir} is missing or not a folder (a usage error, exit 2)
     */
    SdmEngine engine(Path rulesetDir) {
        checkFolder(rulesetDir);
        return engines.create(rulesetDir);
    }

    /** A {@code --rulesets} value that names no folder is a usage error (exit 2), before anything is read. */
    static void checkFolder(Path dir) {
        if (dir == null || java.nio.file.Files.isDirectory(dir)) {
            return;
        }
        String name = TerminalText.escape(dir.toString());
        if (!java.nio.file.Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new InputException("--rulesets " + name + ": no such folder");
        }
        if (!java.nio.file.Files.exists(dir)) {
            throw new InputException("--rulesets " + name + ": a symbolic link to nothing, not a folder");
        }
        String what = java.nio.file.Files.isRegularFile(dir) ? "a file" : RequestFile.kind(dir);
        throw new InputException("--rulesets " + name + ": " + what + ", not a folder (give the folder that holds "
                + "<id>/<version>/ruleset.yaml)");
    }

    InputStream stdin() {
        return stdin;
    }

    /** {@code sdm --version}: the engine version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"sdm " + SdmEngine.VERSION};
        }
    }
}
