package org.opensdm.engine.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opensdm.engine.RulesetLoadException;
import org.opensdm.engine.RulesetProblem;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * The scenario files of one ruleset version, run against that version ({@link ScenarioRunner#forVersion}:
 * a scenario naming another version fails without running): each scenario's result and time, in file and
 * scenario order, and the problems besides: a scenario file that does not parse, a defect of the
 * rules that {@link Lint#ruleChecks} finds (an item no rule reads, an {@code @item} naming no
 * item, override types, codes or values of rules and manifest that disagree), or a version that
 * does not load or compile (then nothing runs).
 *
 * @param ruleset  {@code id@version}
 * @param runs     the scenarios that ran
 * @param problems what could not be read or loaded, and rule defects, each with its file (and line, column when known)
 * @param loaded   false when the version itself did not load or compile
 */
public record ScenarioSuite(String ruleset, List<Run> runs, List<RulesetProblem> problems, boolean loaded) {
    public ScenarioSuite {
        runs = List.copyOf(runs);
        problems = List.copyOf(problems);
    }

    /** One scenario's result and how long it took. */
    public record Run(ScenarioRunner.Result result, long nanos) {
        public boolean passed() {
            return result.passed();
        }
    }

    /** Runs every scenario of every scenario file of {@code version} (compiling it first). */
    public static ScenarioSuite run(SdmEngine engine, RulesetVersion version) {
        try {
            engine.compile(version.id(), version.version());
        } catch (RulesetLoadException e) {
            return notLoaded(version.key(), e.problems());
        }
        ScenarioRunner runner = ScenarioRunner.forVersion(engine, version); // each scenario against this version only
        List<Run> runs = new ArrayList<>();
        List<RulesetProblem> problems = new ArrayList<>();
        // a defect of the rules (an item no rule reads, an override no rule applies) fails the suite too
        for (LintFinding f : new Lint(engine).ruleChecks(version)) {
            problems.add(new RulesetProblem(f.file(), f.line(), f.column(), "[" + f.check().wireName() + "] " + f.message()));
        }
        Map<String, String> files;
        try {
            files = version.scenarios(); // read now, on first use: a file that cannot be read fails the version's load
        } catch (RulesetLoadException e) {
            return notLoaded(version.key(), e.problems());
        }
        for (Map.Entry<String, String> file : files.entrySet()) {
            String location = version.location(file.getKey());
            List<Scenario> scenarios;
            try {
                scenarios = ScenarioFile.parse(location, file.getValue());
            } catch (IllegalArgumentException e) {
                String message = e.getMessage().startsWith(location + ": ") ? e.getMessage().substring(location.length() + 2)
                        : e.getMessage();
                problems.add(new RulesetProblem(location, 0, 0, message));
                continue;
            }
            for (Scenario s : scenarios) {
                long start = System.nanoTime();
                ScenarioRunner.Result r = runner.run(s);
                runs.add(new Run(r, System.nanoTime() - start));
            }
        }
        return new ScenarioSuite(version.key(), runs, problems, true);
    }

    /** A version that did not load or compile: no scenario of it ran. */
    public static ScenarioSuite notLoaded(String ruleset, List<RulesetProblem> problems) {
        return new ScenarioSuite(ruleset, List.of(), problems, false);
    }

    public int passed() {
        return (int) runs.stream().filter(Run::passed).count();
    }

    public int failed() {
        return runs.size() - passed();
    }

    /** Every scenario ran and passed. */
    public boolean ok() {
        return loaded && problems.isEmpty() && failed() == 0;
    }
}
