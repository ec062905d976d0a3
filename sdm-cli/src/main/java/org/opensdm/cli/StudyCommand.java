package org.opensdm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.analysis.Study;
import org.opensdm.engine.json.SdmJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sdm study --decisions FILE --outcomes FILE.csv}: a validation study of a risk assessment. */
@Command(name = "study", mixinStandardHelpOptions = true, versionProvider = SdmCli.Version.class,
        description = {"A validation study: how the levels of the decisions relate to a later outcome, overall, per group "
                + "(e.g. race or ethnicity), per item option, and for overrides: share of cases and outcome rate per level "
                + "(Wilson 95 % intervals), whether rates rise with the level, AUC (DeLong 95 % interval), false-positive "
                + "and false-negative rates at the threshold; per option the outcome rate and each group's share choosing "
                + "it, flagged when it is more associated with the group than with the outcome (Cramér's V).",
            "--decisions is JSON Lines of decisions (as evaluate --batch prints them; its error lines are counted and "
                + "left out) or a decision log (sdm evaluate --record). One decision per case: the last by assessedOn. "
                + "--outcomes is CSV with a header: caseId, outcome (1/0 or true/false), and the --group columns; lines "
                + "starting with # are comments. Unmatched cases on either side are counted in \"unmatched\".",
            "Prints the report (JSON) on stdout, or writes it to --json. Exit 2 when a file cannot be read or the "
                + "outcomes CSV lacks a column, has an outcome other than 1/0/true/false, or a case twice (each named)."})
final class StudyCommand extends RulesetVerb implements Callable<Integer> {
    @Option(names = "--decisions", required = true, paramLabel = "FILE", description = "Decisions (JSON Lines) or a decision log.")
    Path decisions;

    @Option(names = "--outcomes", required = true, paramLabel = "FILE.csv", description = "The outcomes CSV.")
    Path outcomes;

    @Option(names = "--group", paramLabel = "COLUMN", description = "A group column of the outcomes CSV (repeatable).")
    List<String> groups = new ArrayList<>();

    @Option(names = "--level-key", paramLabel = "KEY", defaultValue = "finalLevel",
            description = "The outcome key of the level studied (default: ${DEFAULT-VALUE}).")
    String levelKey;

    @Option(names = "--threshold", paramLabel = "LEVEL", defaultValue = "HIGH",
            description = "The level at and above which a case counts as flagged, for FPR and FNR (default: ${DEFAULT-VALUE}).")
    String threshold;

    @Option(names = "--json", paramLabel = "OUT", description = "Write the report here instead of standard output.")
    Path json;

    @Option(names = "--html", paramLabel = "OUT", description = "Also write the report as one self-contained HTML page with charts.")
    Path html;

    @Option(names = "--csv", paramLabel = "DIR", description = "Also write the tables as CSV into DIR: levels.csv, summary.csv, items.csv.")
    Path csvDir;

    @Option(names = "--as-version", paramLabel = "V", description = "Also study the same requests re-evaluated under version V "
            + "of their ruleset (what-if: on any date, nothing recorded), side by side under \"asVersion\". Needs a decision "
            + "log: its records carry the requests.")
    String asVersion;

    /** Decision lines are at most this long (a decision with its trail is a few KB). */
    static final int MAX_LINE_BYTES = 4 << 20;

    @Override
    public Integer call() {
        Study.Options options;
        try {
            options = new Study.Options(levelKey, threshold, groups);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--threshold: " + e.getMessage());
        }
        readable(decisions);
        readable(outcomes);
        Map<String, Object> report;
        try (Reader csv = Files.newBufferedReader(outcomes, StandardCharsets.UTF_8)) {
            report = Study.run(lines(decisions, null), csv, options);
        } catch (Study.OutcomesException e) {
            PrintWriter err = err();
            err.println("sdm: " + TerminalText.escape(outcomes.toString()) + ": " + e.problems().size()
                    + (e.problems().size() == 1 ? " problem:" : " problems:"));
            e.problems().forEach(p -> err.println("  " + TerminalText.escape(p)));
            err.flush();
            return ExitCode.INVALID_REQUEST;
        } catch (IOException | UncheckedIOException e) {
            throw new InputException("cannot read " + TerminalText.escape(outcomes.toString()) + ": " + e.getMessage());
        }
        if (asVersion != null) {
            SdmEngine whatIf = engine().whatIf();
            Map<String, Object> again;
            try (Reader csv = Files.newBufferedReader(outcomes, StandardCharsets.UTF_8)) {
                again = Study.run(lines(decisions, whatIf), csv, options);
            } catch (IOException e) {
                throw new InputException("cannot read " + TerminalText.escape(outcomes.toString()) + ": " + e.getMessage());
            }
            Map<String, Object> both = new java.util.LinkedHashMap<>(report);
            Map<String, Object> as = new java.util.LinkedHashMap<>();
            as.put("version", asVersion);
            as.putAll(again);
            both.put("asVersion", as);
            report = both;
        }
        if (html != null) {
            AnalysisRulesets.write(html, org.opensdm.engine.analysis.StudyHtml.render(report, "Validation study: "
                    + decisions.getFileName()));
        }
        if (csvDir != null) {
            try {
                Files.createDirectories(csvDir);
            } catch (IOException e) {
                throw new InputException("cannot create " + TerminalText.escape(csvDir.toString()) + ": " + e.getMessage());
            }
            org.opensdm.engine.analysis.StudyTables.of(report).forEach((name, text) -> AnalysisRulesets.write(csvDir.resolve(name), text));
        }
        String text = SdmJson.writePretty(report);
        if (json != null) {
            AnalysisRulesets.write(json, text + "\n");
        } else {
            PrintWriter out = out();
            out.println(text);
            out.flush();
        }
        return ExitCode.OK;
    }

    /** The record's request evaluated under {@code --as-version}, as plain values; a request the version refuses gives its case without a level. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> reEvaluated(Map<String, Object> record, SdmEngine engine) {
        Map<String, Object> request = (Map<String, Object>) record.get("request");
        EvaluationRequest r = SdmJson.parseRequest(request).request();
        Map<String, Object> d = (Map<String, Object>) record.get("decision");
        try {
            EvaluationRequest pinned = new EvaluationRequest(r.ruleset(), asVersion, r.assessedOn(), r.caseId(), r.answers(),
                    r.overrides(), r.facts(), r.children());
            return (Map<String, Object>) SdmJson.plain(engine.evaluate(pinned));
        } catch (org.opensdm.engine.InvalidRequestException e) {
            // counted under withoutLevel: the case is kept, without a level under that version
            Map<String, Object> none = new java.util.LinkedHashMap<>();
            none.put("caseId", d.get("caseId"));
            none.put("assessedOn", d.get("assessedOn"));
            none.put("outcome", Map.of());
            return none;
        }
    }

    private static void readable(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InputException("cannot read " + TerminalText.escape(file.toString()) + ": "
                    + (Files.exists(file) ? RequestFile.kind(file) + ", not a regular file" : "no such file"));
        }
    }

    /**
     * The decisions of the file as plain values, one per non-blank line: a decision log's record
     * gives its {@code decision}; a line that is not JSON stops the study, naming it.
     */
    private Stream<Map<String, Object>> lines(Path file, SdmEngine asVersionEngine) {
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (IOException e) {
            throw new InputException("cannot read " + TerminalText.escape(file.toString()) + ": " + e.getMessage());
        }
        Lines reader = new Lines(in);
        Iterator<Map<String, Object>> it = new Iterator<>() {
            private Map<String, Object> next;
            private long lineNo;

            @Override
            public boolean hasNext() {
                while (next == null) {
                    byte[] line;
                    try {
                        line = reader.next();
                    } catch (IOException e) {
                        throw new InputException("cannot read " + TerminalText.escape(file.toString()) + ": " + e.getMessage());
                    }
                    if (line == null) {
                        return false;
                    }
                    lineNo++;
                    if (line.length > MAX_LINE_BYTES) {
                        throw new InputException(TerminalText.escape(file.toString()) + " line " + lineNo + ": longer than "
                                + MAX_LINE_BYTES + " bytes");
                    }
                    if (new String(line, StandardCharsets.UTF_8).isBlank()) {
                        continue;
                    }
                    Object value;
                    try {
                        value = SdmJson.readValue(line, 0, line.length);
                    } catch (IllegalArgumentException e) {
                        throw new InputException(TerminalText.escape(file.toString()) + " line " + lineNo + ": "
                                + TerminalText.escape(e.getMessage()));
                    }
                    if (!(value instanceof Map<?, ?> map)) {
                        throw new InputException(TerminalText.escape(file.toString()) + " line " + lineNo + ": not a JSON object");
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) map;
                    boolean record = m.containsKey("seq") && m.get("decision") instanceof Map<?, ?>;
                    if (asVersionEngine != null) {
                        if (!record) {
                            throw new InputException(TerminalText.escape(file.toString()) + " line " + lineNo + ": not a "
                                    + "decision record: --as-version needs a decision log, whose records carry the requests");
                        }
                        next = reEvaluated(m, asVersionEngine);
                        continue;
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> d = record ? (Map<String, Object>) m.get("decision") : m;
                    next = d;
                }
                return true;
            }

            @Override
            public Map<String, Object> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Map<String, Object> d = next;
                next = null;
                return d;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED), false).onClose(() -> {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * The lines of a stream as bytes (without the newline; a '\r' before it dropped). A line over
     * {@link #MAX_LINE_BYTES} is returned cut at one byte more, so that the caller refuses it
     * without holding the rest.
     */
    private static final class Lines {
        private final InputStream in;
        private final byte[] chunk = new byte[65536];
        private int pos;
        private int len;
        private final java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream(4096);

        Lines(InputStream in) {
            this.in = in;
        }

        byte[] next() throws IOException {
            buf.reset();
            boolean any = false;
            while (true) {
                if (pos == len) {
                    len = in.read(chunk);
                    pos = 0;
                    if (len <= 0) {
                        len = 0;
                        return any ? line() : null;
                    }
                }
                any = true;
                int start = pos;
                while (pos < len && chunk[pos] != '\n') {
                    pos++;
                }
                if (buf.size() <= MAX_LINE_BYTES) {
                    buf.write(chunk, start, Math.min(pos - start, MAX_LINE_BYTES + 1 - buf.size()));
                }
                if (pos < len) {
                    pos++; // the newline
                    return line();
                }
            }
        }

        private byte[] line() {
            byte[] b = buf.toByteArray();
            return b.length > 0 && b[b.length - 1] == '\r' ? java.util.Arrays.copyOf(b, b.length - 1) : b;
        }
    }
}
