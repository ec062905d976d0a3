package org.opensdm.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.opensdm.engine.analysis.Lint;
import org.opensdm.engine.analysis.LintFinding;
import org.opensdm.engine.analysis.LoadedRulesets;
import org.opensdm.engine.ruleset.RulesetRegistry;
import org.opensdm.engine.ruleset.RulesetVersion;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.UnknownRulesetException;
import org.opensdm.engine.analysis.VersionComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sdm lint [ID[@VERSION]]}: static checks of ruleset versions, each finding with file and location. */
@Command(name = "lint", mixinStandardHelpOptions = true, versionProvider = SdmCli.Version.class,
        description = {"Check ruleset versions statically; print each finding as file:line:column: [check] message.",
            "Checks: manifest (loads and validates: points of every option of a scored item, cut points without gap or "
                + "overlap over the score range the points reach, ...), drl (parses and compiles), item-unread (a manifest "
                + "item no rule reads with @item), item-unknown (an @item naming no manifest item), override (override "
                + "types, codes and values of rules and manifest agree), scenario-file (parses), scenario-version (a "
                + "scenario names another ruleset or version, or is dated where another version is in force), coverage (every option of "
                + "every item, yes and no of a yes/no item, and both sides of every cut point appear in some scenario).",
            "A version that fails to load is reported as findings. Exit 0 when clean, 1 with findings.",
            "With --compare ID@V1 ID@V2: print what differs from V1 to V2 instead, one line each: index added/removed, "
                + "cut point changed (index, level, old range -> new range), item added/removed, option added/removed, "
                + "points changed (item, option, index, old -> new), maxPoints changed, rule added/removed/changed (by "
                + "name; changed: its DRL text differs). Exit 0 (differences are not findings), 3 for an unknown version, "
                + "4 when a version does not load."})
final class LintCommand extends RulesetVerb implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "ID[@VERSION]",
            description = "A ruleset (every version of it) or one version; default: every ruleset version.")
    String selector;

    @Option(names = "--compare", arity = "2", paramLabel = "ID@VERSION", converter = RulesetRef.Converter.class,
            description = "Two versions, e.g. --compare ref.family-risk@2.0 ref.family-risk@2.1: list what differs "
                    + "between them (items, options' points, cut points, rules) instead of linting.")
    List<RulesetRef> compare;

    @Override
    public Integer call() {
        if (compare != null) {
            if (selector != null) {
                throw new InputException("give ID[@VERSION] to lint or --compare ID@V1 ID@V2, not both");
            }
            return compare(compare.get(0), compare.get(1));
        }
        PrintWriter out = out();
        LoadedRulesets loaded = AnalysisRulesets.load(parent, rulesets.dir());
        LoadedRulesets.Selection selection = loaded.select(selector);

        Map<String, List<LintFinding>> byVersion = new TreeMap<>((a, b) -> {
            int c = a.substring(0, a.lastIndexOf('@')).compareTo(b.substring(0, b.lastIndexOf('@')));
            return c != 0 ? c : RulesetRegistry.VERSION_ORDER.compare(a.substring(a.lastIndexOf('@') + 1), b.substring(b.lastIndexOf('@') + 1));
        });
        selection.failures().forEach((key, problems) -> byVersion.put(key, Lint.loadFindings(key, problems)));
        Lint lint = new Lint(loaded.engine());
        for (RulesetVersion v : selection.versions()) {
            byVersion.put(v.key(), lint.check(v));
        }
        int findings = 0;
        Map<String, Integer> perCheck = new LinkedHashMap<>();
        for (Map.Entry<String, List<LintFinding>> e : byVersion.entrySet()) {
            List<LintFinding> list = e.getValue();
            out.println(e.getKey() + ": " + (list.isEmpty() ? "ok" : TestCommand.count(list.size(), "finding")));
            for (LintFinding f : list) {
                out.println("  " + TerminalText.escape(String.valueOf(f)));
                perCheck.merge(f.check().wireName(), 1, Integer::sum);
            }
            findings += list.size();
        }
        List<String> checks = new ArrayList<>();
        perCheck.forEach((check, n) -> checks.add(check + " " + n));
        out.println();
        out.println("sdm lint: " + TestCommand.count(byVersion.size(), "ruleset version") + ", "
                + (findings == 0 ? "no findings" : TestCommand.count(findings, "finding") + " (" + String.join(", ", checks) + ")"));
        out.flush();
        return findings == 0 ? ExitCode.OK : ExitCode.FAILURE;
    }

    /** {@code --compare}: every difference from {@code a} to {@code b}, one per line. */
    private int compare(RulesetRef a, RulesetRef b) {
        SdmEngine engine = engine();
        RulesetVersion va = version(engine, a);
        RulesetVersion vb = version(engine, b);
        List<VersionComparison.Difference> differences = VersionComparison.compare(engine, va, vb);
        PrintWriter out = out();
        out.println(TerminalText.escape(a + " -> " + b + ": " + (differences.isEmpty()
                ? "no differences in indices, cut points, items, options, points or rules"
                : TestCommand.count(differences.size(), "difference"))));
        differences.forEach(d -> out.println("  " + TerminalText.escape(String.valueOf(d))));
        out.flush();
        return ExitCode.OK;
    }

    private static RulesetVersion version(SdmEngine engine, RulesetRef ref) {
        return engine.registry().find(ref.id(), ref.version()).orElseThrow(() -> {
            java.util.TreeSet<String> known = new java.util.TreeSet<>();
            engine.registry().versions().forEach(v -> known.add(v.key()));
            return new UnknownRulesetException("no ruleset version " + org.opensdm.engine.json.Printable.clip(ref.toString())
                    + " (known: " + String.join(", ", known) + ")");
        });
    }
}
