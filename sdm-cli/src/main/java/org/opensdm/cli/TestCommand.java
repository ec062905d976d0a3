package org.opensdm.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.opensdm.engine.RulesetProblem;
import org.opensdm.engine.analysis.JUnitXml;
import org.opensdm.engine.analysis.LoadedRulesets;
import org.opensdm.engine.analysis.ScenarioSuite;
import org.opensdm.engine.ruleset.RulesetRegistry;
import org.opensdm.engine.ruleset.RulesetVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sdm test [ID[@VERSION]]}: runs the scenario files of one or every ruleset version. */
@Command(name = "test", mixinStandardHelpOptions = true, versionProvider = SdmCli.Version.class,
        description = {"Run the scenario files of one ruleset version, every version of a ruleset, or every version.",
            "Prints one line per scenario (PASS or FAIL); for a failure, expected and actual of each outcome key, override "
                + "or trail entry that differs, then the decision's trail. An ERROR line names a defect of the rules (an item "
                + "no rule reads, an @item naming no item, override types, codes or values the rules and the manifest "
                + "disagree on) or a scenario file that does not parse.",
            "The scenarios of a version's folder run against that version only: a scenario that pins another version "
                + "(in base or its own patch), names another ruleset, or names no version and is dated where another "
                + "version is in force FAILs naming both versions, without running.",
            "Exit 0 when every scenario passes, 1 when one fails or there is an ERROR, 4 when a ruleset version fails "
                + "to load or compile (its problems on stderr; the other versions still run)."})
final class TestCommand extends RulesetVerb implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "ID[@VERSION]",
            description = "A ruleset (every version of it) or one version; default: every ruleset version.")
    String selector;

    @Option(names = "--junit-xml", paramLabel = "FILE", description = "Also write a JUnit XML report to FILE, for CI servers.")
    Path junitXml;

    @Override
    public Integer call() {
        PrintWriter out = out();
        PrintWriter err = err();
        LoadedRulesets loaded = AnalysisRulesets.load(parent, rulesets.dir());
        LoadedRulesets.Selection selection = loaded.select(selector);

        List<ScenarioSuite> suites = new ArrayList<>();
        selection.failures().forEach((key, problems) -> suites.add(ScenarioSuite.notLoaded(key, problems)));
        for (RulesetVersion v : selection.versions()) {
            suites.add(ScenarioSuite.run(loaded.engine(), v));
        }
        suites.sort(Comparator.comparing((ScenarioSuite s) -> id(s.ruleset()))
                .thenComparing(s -> version(s.ruleset()), RulesetRegistry.VERSION_ORDER));

        int passed = 0;
        int failed = 0;
        int broken = 0;
        for (ScenarioSuite suite : suites) {
            if (!suite.loaded()) {
                broken++;
                out.println("ERROR " + suite.ruleset() + ": ruleset failed to load (" + count(suite.problems().size(), "problem") + ")");
                suite.problems().forEach(p -> out.println(TerminalText.escape("      " + Failures.location(p) + ": " + p.message())));
                err.println("sdm: " + suite.ruleset() + ": ruleset failed to load (" + count(suite.problems().size(), "problem") + "):");
                suite.problems().forEach(p -> err.println(TerminalText.escape("  " + Failures.location(p) + ": " + p.message())));
                continue;
            }
            for (RulesetProblem p : suite.problems()) {
                out.println(TerminalText.escape("ERROR " + suite.ruleset() + "  " + Failures.location(p) + ": " + p.message()));
            }
            for (ScenarioSuite.Run run : suite.runs()) {
                String file = run.result().scenario().file();
                file = file.substring(file.lastIndexOf('/') + 1);
                out.println(TerminalText.escape((run.passed() ? "PASS  " : "FAIL  ") + suite.ruleset() + "  " + file + "  "
                        + run.result().scenario().name()));
                if (!run.passed()) {
                    // expected and actual values, the trail: request data
                    JUnitXml.details(run.result()).lines().forEach(l -> out.println("      " + TerminalText.escape(l)));
                }
            }
            passed += suite.passed();
            failed += suite.failed();
            if (suite.runs().isEmpty() && suite.problems().isEmpty()) {
                out.println("NOTE  " + suite.ruleset() + ": no scenarios");
            }
        }
        int fileErrors = (int) suites.stream().filter(s -> s.loaded() && !s.problems().isEmpty()).count();
        out.println();
        out.println("sdm test: " + count(passed + failed, "scenario") + " in " + count(suites.size(), "ruleset version") + ": "
                + passed + " passed, " + failed + " failed"
                + (fileErrors > 0 ? ", " + count(fileErrors, "version") + " with errors" : "")
                + (broken > 0 ? ", " + count(broken, "version") + " failed to load" : ""));
        out.flush();
        err.flush();
        if (junitXml != null) {
            StringWriter xml = new StringWriter();
            JUnitXml.write(suites, xml);
            AnalysisRulesets.write(junitXml, xml.toString());
        }
        if (broken > 0) {
            return ExitCode.RULESET_LOAD;
        }
        return failed > 0 || fileErrors > 0 ? ExitCode.FAILURE : ExitCode.OK;
    }

    private static String id(String key) {
        return key.substring(0, key.lastIndexOf('@'));
    }

    private static String version(String key) {
        return key.substring(key.lastIndexOf('@') + 1);
    }

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
