package org.opensdm.engine.analysis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.opensdm.engine.RulesetLoadException;
import org.opensdm.engine.RulesetProblem;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.analysis.LintFinding.Check;
import org.opensdm.engine.ruleset.ManifestLocations;
import org.opensdm.engine.ruleset.RuleInfo;
import org.opensdm.engine.ruleset.RuleInfo.OverridePattern;
import org.opensdm.engine.ruleset.RulesetFiles;
import org.opensdm.engine.ruleset.RulesetManifest;
import org.opensdm.engine.ruleset.RulesetManifest.ItemDef;
import org.opensdm.engine.ruleset.RulesetManifest.OverrideCode;
import org.opensdm.engine.ruleset.RulesetManifest.OverrideDef;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * Static checks of ruleset versions, each finding with its file and location:
 * <ul>
 * <li>{@code manifest}: the manifest loads and validates (fields, kinds, points of every option of
 *     a scored item, cut points without gap or overlap covering every score the points reach,
 *     sources, includes): the loader's own problems, reported as findings;</li>
 * <li>{@code drl}: the DRL parses and compiles;</li>
 * <li>{@code item-unread} / {@code item-unknown}: every manifest item is read by some rule
 *     ({@code @item}), and every {@code @item} names a manifest item;</li>
 * <li>{@code override}: the override types, codes and values the rules match are declared in
 *     the manifest, and every declared one is matched by some rule;</li>
 * <li>{@code scenario-version}: each scenario of a version's files would be decided under that
 *     version (no {@code ruleset} or {@code version} naming another one, no date where another
 *     version is in force: {@link ScenarioRunner#versionProblem});</li>
 * <li>{@code scenario-file} / {@code scenario} / {@code coverage}: the scenario files parse, each
 *     scenario's expectation holds (the one check that evaluates requests), and every option of
 *     every item and both sides of every cut point appear in some scenario
 *     ({@link ScenarioCoverage}).</li>
 * </ul>
 */
public final class Lint {
    private final SdmEngine engine;

    /** Lints the versions of {@code engine}'s registry (it compiles them to check the DRL). */
    public Lint(SdmEngine engine) {
        this.engine = engine;
    }

    /** The findings of a selection: its failed versions' load problems, then each version's checks. */
    public static List<LintFinding> run(LoadedRulesets loaded, LoadedRulesets.Selection selection) {
        List<LintFinding> findings = new ArrayList<>();
        selection.failures().forEach((key, problems) -> findings.addAll(loadFindings(key, problems)));
        Lint lint = new Lint(loaded.engine());
        for (RulesetVersion v : selection.versions()) {
            findings.addAll(lint.check(v));
        }
        return findings;
    }

    /** A version's load problems as findings ({@code manifest}, or {@code drl} for a DRL file). */
    public static List<LintFinding> loadFindings(String ruleset, List<RulesetProblem> problems) {
        List<LintFinding> out = new ArrayList<>();
        for (RulesetProblem p : problems) {
            out.add(new LintFinding(ruleset, p.file().endsWith(".drl") ? Check.DRL : Check.MANIFEST, p.file(), p.line(),
                    p.column(), p.message()));
        }
        return out;
    }

    /** Every finding of one loaded version; empty when it is clean. */
    public List<LintFinding> check(RulesetVersion version) {
        List<LintFinding> findings = new ArrayList<>(ruleChecks(version));
        String key = version.key();
        List<Scenario> scenarios = new ArrayList<>();
        ScenarioRunner runner = ScenarioRunner.forVersion(engine, version);
        boolean compiles = findings.stream().noneMatch(f -> f.check() == Check.DRL);
        Map<String, String> scenarioFiles;
        try {
            scenarioFiles = version.scenarios();
        } catch (org.opensdm.engine.RulesetLoadException e) {
            scenarioFiles = Map.of();
            for (RulesetProblem p : e.problems()) {
                findings.add(new LintFinding(key, Check.SCENARIO_FILE, p.file(), p.line(), p.column(), p.message()));
            }
        }
        for (Map.Entry<String, String> file : scenarioFiles.entrySet()) {
            String location = version.location(file.getKey());
            List<Scenario> parsed;
            try {
                parsed = ScenarioFile.parse(location, file.getValue());
            } catch (IllegalArgumentException e) {
                String message = e.getMessage().startsWith(location + ": ") ? e.getMessage().substring(location.length() + 2)
                        : e.getMessage();
                findings.add(new LintFinding(key, Check.SCENARIO_FILE, location, 0, 0, message));
                continue;
            }
            scenarios.addAll(parsed);
            Map<String, Integer> lines = ScenarioFile.lines(file.getValue());
            List<Scenario> runnable = new ArrayList<>();
            for (Scenario s : parsed) {
                String wrongVersion = runner.versionProblem(s);
                if (wrongVersion == null) {
                    runnable.add(s);
                } else {
                    findings.add(new LintFinding(key, Check.SCENARIO_VERSION, location, lines.getOrDefault(s.name(), 0), 0,
                            "scenario \"" + s.name() + "\": " + wrongVersion));
                }
            }
            if (!compiles) {
                continue;
            }
            for (Scenario s : runnable) {
                ScenarioRunner.Result r = runner.run(s);
                if (!r.passed()) {
                    findings.add(new LintFinding(key, Check.SCENARIO, location, lines.getOrDefault(s.name(), 0), 0,
                            "scenario \"" + s.name() + "\" fails: " + String.join("; ", r.mismatches())));
                }
            }
        }
        checkCoverage(version, scenarios, new Locator(version, engine.registry()), findings);
        return findings;
    }

    /**
     * The checks of the rules themselves, without scenarios: the DRL parses and compiles, every
     * item is read by a rule and every {@code @item} names an item, and the override types, codes
     * and values of rules and manifest agree.
     */
    public List<LintFinding> ruleChecks(RulesetVersion version) {
        String key = version.key();
        List<LintFinding> findings = new ArrayList<>();
        List<RuleInfo> rules = null;
        List<RulesetProblem> parseProblems = List.of();
        try {
            rules = engine.rules(version.id(), version.version());
        } catch (RulesetLoadException e) {
            parseProblems = e.problems();
        }
        // a rule reading an unknown item is refused at load too; it is reported once, below, as item-unknown
        Set<String> items = new HashSet<>();
        version.manifest().items().forEach(i -> items.add(i.id()));
        version.manifest().childItems().forEach(i -> items.add(i.id()));
        List<String> unknownItems = rules == null ? List.of() : rules.stream().map(RuleInfo::item)
                .filter(i -> i != null && !"*".equals(i) && !items.contains(i)).map(i -> "@item(\"" + i + "\")").toList();
        try {
            engine.compile(version.id(), version.version());
        } catch (RulesetLoadException e) {
            for (RulesetProblem p : e.problems()) {
                if (unknownItems.stream().noneMatch(p.message()::contains)) {
                    findings.add(finding(key, Check.DRL, p));
                }
            }
        }
        if (rules == null && findings.isEmpty()) {
            parseProblems.forEach(p -> findings.add(finding(key, Check.DRL, p)));
        }
        if (rules != null) {
            Locator at = new Locator(version, engine.registry());
            checkItems(version, rules, at, findings);
            checkOverrides(version, rules, at, findings);
        }
        return findings;
    }

    private void checkItems(RulesetVersion version, List<RuleInfo> rules, Locator at, List<LintFinding> findings) {
        RulesetManifest m = version.manifest();
        Set<String> items = new HashSet<>();
        m.items().forEach(i -> items.add(i.id()));
        m.childItems().forEach(i -> items.add(i.id()));
        Set<String> read = new HashSet<>();
        for (RuleInfo r : rules) {
            if (r.item() == null || "*".equals(r.item())) {
                continue;
            }
            read.add(r.item());
            if (!items.contains(r.item())) {
                findings.add(new LintFinding(version.key(), Check.ITEM_UNKNOWN, version.location(r.file()), r.line(), 0,
                        "rule \"" + r.name() + "\" reads @item(\"" + r.item() + "\"), which is not an item of the manifest"));
            }
        }
        List<ItemDef> all = new ArrayList<>(m.items());
        all.addAll(m.childItems());
        for (ItemDef item : all) {
            if (!read.contains(item.id())) {
                Locator.Where w = at.item(item.id());
                findings.add(new LintFinding(version.key(), Check.ITEM_UNREAD, w.file(), w.line(), w.column(),
                        "item " + item.id() + " is read by no rule (no rule carries @item(\"" + item.id() + "\")): its answer "
                                + "would be required and then ignored"));
            }
        }
    }

    private void checkOverrides(RulesetVersion version, List<RuleInfo> rules, Locator at, List<LintFinding> findings) {
        RulesetManifest m = version.manifest();
        Map<String, OverrideDef> declared = new LinkedHashMap<>();
        m.overrides().forEach(o -> declared.put(o.type(), o));
        String declaredTypes = declared.isEmpty() ? "none" : String.join(", ", declared.keySet());
        for (RuleInfo r : rules) {
            for (OverridePattern p : r.overrides()) {
                String where = version.location(r.file());
                int line = p.line() > 0 ? p.line() : r.line();
                String rule = "rule \"" + r.name() + "\"";
                for (String type : new TreeSet<>(p.types())) {
                    if (!declared.containsKey(type)) {
                        findings.add(new LintFinding(version.key(), Check.OVERRIDE, where, line, 0, rule + " matches override type \""
                                + type + "\", which the manifest does not declare (declared: " + declaredTypes + ")"));
                    }
                }
                List<OverrideDef> candidates = p.types().isEmpty() ? List.copyOf(declared.values())
                        : p.types().stream().filter(declared::containsKey).map(declared::get).toList();
                for (String code : new TreeSet<>(p.codes())) {
                    if (candidates.stream().noneMatch(o -> o.codes().stream().anyMatch(c -> c.code().equals(code)))) {
                        findings.add(new LintFinding(version.key(), Check.OVERRIDE, where, line, 0, rule + " matches override code \""
                                + code + "\", which the manifest does not declare" + codesOf(candidates)));
                    }
                }
                for (String value : new TreeSet<>(p.values())) {
                    if (candidates.stream().noneMatch(o -> o.values().contains(value))) {
                        findings.add(new LintFinding(version.key(), Check.OVERRIDE, where, line, 0, rule + " matches override value \""
                                + value + "\", which the manifest does not declare" + valuesOf(candidates)));
                    }
                }
            }
        }
        for (OverrideDef o : declared.values()) {
            List<OverridePattern> matching = new ArrayList<>();
            for (RuleInfo r : rules) {
                for (OverridePattern p : r.overrides()) {
                    if (p.types().contains(o.type()) || p.types().isEmpty() && p.bound()) {
                        matching.add(p);
                    }
                }
            }
            if (matching.isEmpty()) {
                Locator.Where w = at.override(o.type(), null);
                findings.add(new LintFinding(version.key(), Check.OVERRIDE, w.file(), w.line(), w.column(), "override type \""
                        + o.type() + "\" is declared but no rule matches it: such an override would be accepted and never applied"));
                continue;
            }
            List<String> keys = new ArrayList<>(o.codes().stream().map(OverrideCode::code).toList());
            boolean codes = !keys.isEmpty();
            keys.addAll(o.values());
            for (String k : keys) {
                boolean handled = matching.stream().anyMatch(p -> codes
                        ? p.codes().isEmpty() || p.codes().contains(k)
                        : p.values().isEmpty() || p.values().contains(k));
                if (!handled) {
                    Locator.Where w = at.override(o.type(), k);
                    findings.add(new LintFinding(version.key(), Check.OVERRIDE, w.file(), w.line(), w.column(), "override "
                            + o.type() + " " + (codes ? "code" : "value") + " \"" + k
                            + "\" is declared but no rule matches it: such an override would be accepted and never applied"));
                }
            }
        }
    }

    private static String codesOf(List<OverrideDef> candidates) {
        TreeSet<String> codes = new TreeSet<>();
        candidates.forEach(o -> o.codes().forEach(c -> codes.add(c.code())));
        return codes.isEmpty() ? "" : " (declared: " + String.join(", ", codes) + ")";
    }

    private static String valuesOf(List<OverrideDef> candidates) {
        TreeSet<String> values = new TreeSet<>();
        candidates.forEach(o -> values.addAll(o.values()));
        return values.isEmpty() ? "" : " (declared: " + String.join(", ", values) + ")";
    }

    /** True when the version has no scenario files (or they cannot be read: that is a finding of its own). */
    private static boolean noScenarioFiles(RulesetVersion version) {
        try {
            return version.scenarios().isEmpty();
        } catch (org.opensdm.engine.RulesetLoadException e) {
            return true;
        }
    }

    private void checkCoverage(RulesetVersion version, List<Scenario> scenarios, Locator at, List<LintFinding> findings) {
        ScenarioCoverage coverage = ScenarioCoverage.of(version, scenarios, engine.registry());
        String key = version.key();
        if (coverage.scenariosCounted() == 0) {
            findings.add(new LintFinding(key, Check.COVERAGE, version.location(RulesetFiles.SCENARIOS), 0, 0,
                    "no scenario expects a decision of " + key + (noScenarioFiles(version) ? " (no scenario files)" : "")));
        }
        for (ScenarioCoverage.MissingOptions missing : coverage.missingOptions()) {
            Locator.Where w = at.item(missing.item());
            findings.add(new LintFinding(key, Check.COVERAGE, w.file(), w.line(), w.column(), "no scenario answers "
                    + missing.item() + " with " + (missing.options().size() == 1 ? "option " : "options ")
                    + String.join(", ", missing.options())));
        }
        for (ScenarioCoverage.UnreachableBand band : coverage.unreachableBands()) {
            Locator.Where w = at.band(band.index(), band.band());
            findings.add(new LintFinding(key, Check.COVERAGE, w.file(), w.line(), w.column(), "index " + band.index() + ": no "
                    + "combination of answers reaches the " + band.level() + " band, so no scenario can test it"));
        }
        for (ScenarioCoverage.MissingScore missing : coverage.missingScores()) {
            Locator.Where w = at.band(missing.index(), missing.band());
            boolean below = missing.level().compareTo(missing.across()) < 0;
            findings.add(new LintFinding(key, Check.COVERAGE, w.file(), w.line(), w.column(), "no scenario scores "
                    + missing.index() + " " + missing.score() + " (" + missing.level() + ", the " + (below ? "highest" : "lowest")
                    + " reachable score " + (below ? "below" : "above") + " the " + (below ? missing.level() + "|" + missing.across()
                    : missing.across() + "|" + missing.level()) + " cut point)"));
        }
    }

    private static LintFinding finding(String key, Check check, RulesetProblem p) {
        return new LintFinding(key, check, p.file(), p.line(), p.column(), p.message());
    }

    /** Locates items, bands and overrides in the version's manifest, or in the manifest of an include. */
    private static final class Locator {
        record Where(String file, int line, int column) { }

        private final Map<String, ManifestLocations> manifests = new LinkedHashMap<>();
        private final Map<String, String> display = new LinkedHashMap<>();

        Locator(RulesetVersion version, org.opensdm.engine.ruleset.RulesetRegistry registry) {
            manifests.put(RulesetFiles.MANIFEST, ManifestLocations.of(version.files().getOrDefault(RulesetFiles.MANIFEST, "")));
            display.put(RulesetFiles.MANIFEST, version.location(RulesetFiles.MANIFEST));
            for (RulesetManifest.IncludeDef inc : version.manifest().includes()) {
                // an included manifest is shown where it lives, not under the including version
                String path = "include/" + inc.ruleset() + "/" + inc.version() + "/" + RulesetFiles.MANIFEST;
                String text = version.files().get(path);
                if (text != null) {
                    manifests.put(path, ManifestLocations.of(text));
                    display.put(path, registry.find(inc.ruleset(), inc.version()).map(v -> v.location(RulesetFiles.MANIFEST))
                            .orElse(version.location(path)));
                }
            }
        }

        Where item(String id) {
            return find(l -> l.item(id));
        }

        Where band(String index, int band) {
            return find(l -> l.band(index, band));
        }

        Where override(String type, String codeOrValue) {
            return find(l -> l.override(type, codeOrValue));
        }

        private Where find(java.util.function.Function<ManifestLocations, java.util.Optional<ManifestLocations.Position>> f) {
            // the version's own manifest first, then the manifests of its includes
            for (Map.Entry<String, ManifestLocations> e : manifests.entrySet()) {
                var pos = f.apply(e.getValue());
                if (pos.isPresent()) {
                    return new Where(display.get(e.getKey()), pos.get().line(), pos.get().column());
                }
            }
            return new Where(display.get(RulesetFiles.MANIFEST), 0, 0);
        }
    }
}
