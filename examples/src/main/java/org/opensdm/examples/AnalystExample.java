package org.opensdm.examples;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.analysis.ImpactAnalysis;
import org.opensdm.engine.analysis.ImpactReport;
import org.opensdm.engine.analysis.Lint;
import org.opensdm.engine.analysis.LintFinding;
import org.opensdm.engine.analysis.RequestSampler;
import org.opensdm.engine.analysis.ScenarioSuite;
import org.opensdm.engine.json.SdmJson;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * How an analyst checks a ruleset change before it goes live, through the library (the
 * {@code sdm test}, {@code sdm lint}, {@code sdm sample} and {@code sdm diff} verbs do the same):
 * the new version's scenarios pass, its lint is clean, and on a sampled corpus this many
 * families would get a different final level, moving this way.
 */
public final class AnalystExample {
    private AnalystExample() {
    }

    public static void main(String[] args) {
        run(SdmEngine.builder().classpathRulesets().build(), "ref.family-risk", "2.0", "2.1", 2_000, System.out);
    }

    /** Checks {@code id@to} and measures its impact against {@code id@from}; returns the impact report. */
    public static ImpactReport run(SdmEngine engine, String id, String from, String to, int cases, PrintStream out) {
        RulesetVersion next = engine.registry().find(id, to).orElseThrow();

        ScenarioSuite suite = ScenarioSuite.run(engine, next);
        out.printf("scenarios of %s: %d passed, %d failed%n", next.key(), suite.passed(), suite.failed());

        List<LintFinding> findings = new Lint(engine).check(next);
        out.printf("lint of %s: %s%n", next.key(), findings.isEmpty() ? "no findings" : findings.size() + " findings");
        findings.forEach(f -> out.println("  " + f));

        List<String> corpus = new RequestSampler(engine).sample(id, from, cases, 1L).requests().stream()
                .map(SdmJson::write).toList();
        ImpactReport impact = new ImpactAnalysis(engine).run(id, from, to, corpus);
        out.printf("impact %s %s -> %s over %d sampled requests: %d decisions changed%n", id, from, to,
                impact.total(), impact.casesChanged());
        impact.changed().forEach((key, n) -> out.printf("  %-16s %5d changed%n", key, n));
        Map<String, Map<String, Integer>> finalLevel = impact.matrix().get(impact.finalLevelKey());
        out.println("  final level moves (from -> to: count):");
        finalLevel.forEach((fromLevel, row) -> row.forEach((toLevel, n) -> {
            if (n > 0 && !fromLevel.equals(toLevel)) {
                out.printf("    %s -> %s: %d%n", fromLevel, toLevel, n);
            }
        }));
        impact.cutPointChanges().forEach(c -> out.printf("  cut points of %s: %s -> %s%n", c.index(), c.from(), c.to()));
        impact.pointChanges().forEach(c -> out.printf("  points of %s %s: %s -> %s%n", c.item(), c.option(), c.from(), c.to()));
        return impact;
    }
}
