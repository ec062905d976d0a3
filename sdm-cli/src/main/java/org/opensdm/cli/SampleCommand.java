package org.opensdm.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.opensdm.engine.Decision;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.analysis.RequestSampler;
import org.opensdm.engine.analysis.SyntheticOutcomes;
import org.opensdm.engine.json.SdmJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/** {@code sdm sample ID@VERSION --count N [--seed S]}: random valid requests that reach every level. */
@Command(name = "sample", mixinStandardHelpOptions = true, versionProvider = SdmCli.Version.class,
        description = {"Write N random valid requests for a ruleset version, one JSON object per line (JSON Lines), "
                + "for impact analysis (sdm diff) when no real corpus is at hand.",
            "The requests spread over every level: every band of every index the points can reach, and every level "
                + "of each level-valued outcome key (e.g. finalLevel); now and then one carries an override. The same "
                + "seed gives the same file. Exit 1 (the sample still written) when N is too small to reach every level."})
final class SampleCommand extends RulesetVerb implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID@VERSION", converter = RulesetRef.Converter.class,
            description = "The ruleset version, e.g. ref.family-risk@2.0.")
    RulesetRef version;

    @Option(names = "--count", required = true, paramLabel = "N", description = "How many requests.")
    int count;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Option(names = "--outcomes", paramLabel = "FILE.csv", description = "Also write SYNTHETIC outcomes for the requests, "
            + "for trying sdm study without real data: group A or B (one half each), an outcome with probability LOW 0.05, "
            + "MODERATE 0.12, HIGH 0.25, VERY_HIGH 0.45 at the request's final level, times 0.6 for group B. The file says "
            + "it is synthetic. Needs a ruleset with a finalLevel.")
    Path outcomes;

    @Override
    public Integer call() {
        if (count < 1) {
            throw new ParameterException(spec.commandLine(), "--count must be at least 1, not " + count);
        }
        RequestSampler.Sample sample;
        try {
            sample = new RequestSampler(engine()).sample(version.id(), version.version(), count, seed);
        } catch (IllegalStateException e) {
            err().println("sdm: cannot sample " + version + ": " + e.getMessage());
            return ExitCode.FAILURE;
        }
        StringBuilder lines = new StringBuilder(count * 256);
        for (Map<String, Object> request : sample.requests()) {
            lines.append(SdmJson.write(request)).append('\n');
        }
        if (outcomes != null) {
            List<SyntheticOutcomes.Case> cases = new ArrayList<>();
            SdmEngine engine = engine().whatIf();
            for (Map<String, Object> request : sample.requests()) {
                Decision d = engine.evaluate(SdmJson.parseRequest(request).request());
                if (!(d.outcome().get("finalLevel") instanceof String level)) {
                    throw new InputException("--outcomes: " + version + " has no finalLevel outcome");
                }
                cases.add(new SyntheticOutcomes.Case(d.caseId(), level));
            }
            StringBuilder csv = new StringBuilder();
            SyntheticOutcomes.write(cases, seed, csv);
            AnalysisRulesets.write(outcomes, csv.toString());
        }
        if (output != null) {
            AnalysisRulesets.write(output, lines.toString());
        } else {
            PrintWriter out = out();
            out.print(lines);
            out.flush();
        }
        if (!sample.unreached().isEmpty()) {
            PrintWriter err = err();
            err.println("sdm: " + count + " requests do not reach every level; not reached: " + String.join(", ", sample.unreached()));
            err.flush();
            return ExitCode.FAILURE;
        }
        return ExitCode.OK;
    }
}
