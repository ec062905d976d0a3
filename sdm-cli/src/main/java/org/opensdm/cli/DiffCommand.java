package org.opensdm.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.analysis.ImpactAnalysis;
import org.opensdm.engine.analysis.ImpactHtml;
import org.opensdm.engine.analysis.ImpactReport;
import org.opensdm.engine.analysis.IncomparableVersionsException;
import org.opensdm.engine.analysis.VersionComparison;
import org.opensdm.engine.json.SdmJson;
import org.opensdm.engine.ruleset.RulesetVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sdm diff --from ID@V1 --to ID@V2 --cases FILE.jsonl}: the impact of a version change on a set of requests. */
@Command(name = "diff", mixinStandardHelpOptions = true, versionProvider = SdmCli.Version.class,
        description = {"Evaluate every request of FILE (JSON Lines) under both versions and compare the decisions: "
                + "how many changed per outcome key, the transition matrix of the final level (rows: from, columns: to), "
                + "and each changed case with the answered items whose points differ between the versions. "
                + "What differs between the versions: each cut point changed (index, level, old range -> new range) and "
                + "each option's points changed.",
            "Each request's ruleset and version fields are replaced, and each version is applied on the request's "
                + "assessedOn even before its effectiveFrom (a what-if). The versions must share item ids. Requests that "
                + "have no decision under a version are listed on stderr (exit 2); the report covers the others."})
final class DiffCommand extends RulesetVerb implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "ID@VERSION", converter = RulesetRef.Converter.class,
            description = "The version in force now, e.g. ref.family-risk@2.0.")
    RulesetRef from;

    @Option(names = "--to", required = true, paramLabel = "ID@VERSION", converter = RulesetRef.Converter.class,
            description = "The version to compare with, e.g. ref.family-risk@2.1.")
    RulesetRef to;

    @Option(names = "--cases", required = true, paramLabel = "FILE.jsonl",
            description = "The requests, one JSON object per line (e.g. from `sdm sample`), or - for standard input.")
    String cases;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
    Path json;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write the report as one self-contained HTML page to FILE (heat map, charts, changed cases).")
    Path html;

    @Override
    public Integer call() throws Exception {
        if (!from.id().equals(to.id())) {
            throw new InputException("--from and --to must be versions of the same ruleset, not " + from.id() + " and " + to.id());
        }
        String text = "-".equals(cases) ? new String(parent.stdin().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                : AnalysisRulesets.read(Path.of(cases));
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<String> lines = Arrays.stream(text.split("\n", -1)).map(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l).toList();
        SdmEngine engine = engine();
        ImpactReport r;
        try {
            r = new ImpactAnalysis(engine).run(from.id(), from.version(), to.version(), lines);
        } catch (IncomparableVersionsException e) {
            throw new InputException(e.getMessage());
        }
        print(r, cutPointChanges(engine), out());
        if (json != null) {
            AnalysisRulesets.write(json, SdmJson.writePretty(r.toJson()) + "\n");
        }
        if (html != null) {
            AnalysisRulesets.write(html, ImpactHtml.render(r));
        }
        PrintWriter err = err();
        for (ImpactReport.FailedCase f : r.failures()) {
            err.println(TerminalText.escape("sdm: line " + f.line() + (f.version() == null ? "" : " (" + r.ruleset() + "@"
                    + f.version() + ")") + ": " + f.message()));
        }
        if (!r.failures().isEmpty()) {
            err.println("sdm: " + (r.total() - r.evaluated()) + " of " + r.total() + " requests have no decision under both versions");
        }
        err.flush();
        return r.failures().isEmpty() ? ExitCode.OK : ExitCode.INVALID_REQUEST;
    }

    /** Each level of each index whose score range differs between the two versions. */
    private List<VersionComparison.Difference> cutPointChanges(SdmEngine engine) {
        RulesetVersion a = engine.registry().find(from.id(), from.version()).orElseThrow();
        RulesetVersion b = engine.registry().find(to.id(), to.version()).orElseThrow();
        return VersionComparison.cutPoints(a.manifest(), b.manifest());
    }

    private static void print(ImpactReport r, List<VersionComparison.Difference> cutPoints, PrintWriter out) {
        out.println(r.ruleset() + " " + r.from() + " -> " + r.to() + ": " + r.total() + " requests, " + r.evaluated()
                + " with a decision under both, " + r.casesChanged() + " with a changed decision");
        out.println();
        out.println("Decisions changed per outcome key:");
        int width = r.changed().keySet().stream().mapToInt(String::length).max().orElse(0);
        r.changed().forEach((key, n) -> out.println("  " + pad(key, width) + "  " + String.format(Locale.ROOT, "%7d", n)
                + String.format(Locale.ROOT, "  %5.1f%%", r.evaluated() == 0 ? 0.0 : 100.0 * n / r.evaluated())));
        if (r.finalLevelKey() != null) {
            out.println();
            out.println(r.finalLevelKey() + " transition matrix (rows: " + r.from() + ", columns: " + r.to() + "):");
            matrix(r, r.finalLevelKey(), out);
        }
        if (!cutPoints.isEmpty() || !r.pointChanges().isEmpty()) {
            out.println();
            out.println("What differs between the versions:");
            for (VersionComparison.Difference c : cutPoints) {
                out.println("  " + c); // cut point changed: abuse MODERATE 2..3 -> 2..4
            }
            for (ImpactReport.PointChange p : r.pointChanges()) {
                out.println("  points of " + p.item() + " " + p.option() + ": " + points(p.from()) + "  ->  " + points(p.to()));
            }
        }
        out.println();
        out.println("Changed cases (" + r.casesChanged() + "):");
        for (ImpactReport.ChangedCase c : r.cases()) {
            String changes = c.changes().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue().from() + " -> " + e.getValue().to()).collect(Collectors.joining(", "));
            String items = c.items().isEmpty() ? "no item's points differ"
                    : "points differ: " + c.items().stream().map(i -> i.item() + "=" + i.answer() + " " + points(i.from()) + " -> "
                    + points(i.to())).collect(Collectors.joining("; "));
            out.println(TerminalText.escape("  line " + c.line() + (c.caseId() == null ? "" : " " + c.caseId()) + ": " + changes
                    + "; " + items)); // case ids and answers come from the requests
        }
        out.flush();
    }

    private static void matrix(ImpactReport r, String key, PrintWriter out) {
        Map<String, Map<String, Integer>> m = r.matrix().get(key);
        List<String> levels = new ArrayList<>(m.keySet());
        String corner = r.from() + " \\ " + r.to();
        int first = Math.max(corner.length(), Math.max(5, levels.stream().mapToInt(String::length).max().orElse(0)));
        int cell = Math.max(7, levels.stream().mapToInt(String::length).max().orElse(0));
        StringBuilder head = new StringBuilder("  " + pad(corner, first));
        levels.forEach(l -> head.append("  ").append(lpad(l, cell)));
        head.append("  ").append(lpad("total", cell));
        out.println(head);
        int[] totals = new int[levels.size()];
        for (String a : levels) {
            StringBuilder row = new StringBuilder("  " + pad(a, first));
            int sum = 0;
            for (int j = 0; j < levels.size(); j++) {
                int n = m.get(a).get(levels.get(j));
                totals[j] += n;
                sum += n;
                row.append("  ").append(lpad(String.valueOf(n), cell));
            }
            out.println(row.append("  ").append(lpad(String.valueOf(sum), cell)));
        }
        StringBuilder total = new StringBuilder("  " + pad("total", first));
        for (int t : totals) {
            total.append("  ").append(lpad(String.valueOf(t), cell));
        }
        out.println(total.append("  ").append(lpad(String.valueOf(Arrays.stream(totals).sum()), cell)));
    }

    private static String points(Map<String, Integer> p) {
        return p == null ? "not offered" : p.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String pad(String s, int n) {
        return s + " ".repeat(Math.max(0, n - s.length()));
    }

    private static String lpad(String s, int n) {
        return " ".repeat(Math.max(0, n - s.length())) + s;
    }
}
