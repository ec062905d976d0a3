package org.opensdm.engine;

import java.util.List;

/** A ruleset failed to load or compile; {@link #problems()} gives each with file and location. */
public final class RulesetLoadException extends SdmException {
    private final List<RulesetProblem> problems;

    public RulesetLoadException(List<RulesetProblem> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    public List<RulesetProblem> problems() {
        return problems;
    }

    private static String summary(List<RulesetProblem> problems) {
        StringBuilder sb = new StringBuilder("ruleset failed to load (" + problems.size()
                + (problems.size() == 1 ? " problem)" : " problems)"));
        for (RulesetProblem p : problems) {
            sb.append("\n  ").append(p);
        }
        return sb.toString();
    }
}
