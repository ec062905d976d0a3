package org.opensdm.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.InvalidRequestException;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.analysis.WhatIf;
import org.opensdm.engine.json.SdmJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sdm whatif FILE|-}: every single change to a request that moves its decision, and where each index score stands. */
@Command(name = "whatif", mixinStandardHelpOptions = true, versionProvider = SdmCli.Version.class,
        description = {"Print (JSON) every single change to a request that changes its decision: each other option of each "
                + "answered item (for a multi item, each option added or removed; per child too), each override removed, "
                + "and each override added (every policy code, a discretionary override, every value of another type); "
                + "with the decision each gives. Only changes that change it are listed; a change that leaves the request "
                + "invalid (it reaches a step whose items are unanswered) is listed under \"unevaluable\" with its problems. "
                + "\"indices\" gives each index's score, its level's cut-point range, and the points to the next level up "
                + "and down.",
            "The decision key is finalLevel when the ruleset has it, else decision, else its first outcome key "
                + "(hotline: screeningDecision); --key names another. Nothing is recorded, and an exact version is "
                + "evaluated on any date. Exit codes as for evaluate."})
final class WhatIfCommand extends RulesetVerb implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE|-", description = "The request file, or - for standard input.")
    String file;

    @Option(names = "--key", paramLabel = "KEY", description = "The outcome key whose changes are listed (default: the decision key).")
    String key;

    @Option(names = "--compact", description = "Print the report on one line instead of indented.")
    boolean compact;

    @Override
    public Integer call() {
        SdmEngine engine = engine();
        byte[] json = new RequestFile(file, parent::stdin).read(engine.maxRequestBytes());
        SdmJson.ParsedRequest parsed = SdmJson.parseRequest(json);
        if (parsed.request() == null || !parsed.problems().isEmpty()) {
            throw new InvalidRequestException(parsed.problems());
        }
        EvaluationRequest request = parsed.request();
        WhatIf.Report report;
        try {
            report = new WhatIf(engine).run(request, key);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--key: " + e.getMessage());
        }
        PrintWriter out = out();
        out.println(compact ? SdmJson.write(report.toPlain()) : SdmJson.writePretty(report.toPlain()));
        out.flush();
        return ExitCode.OK;
    }
}
