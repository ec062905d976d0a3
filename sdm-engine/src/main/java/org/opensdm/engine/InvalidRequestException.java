package org.opensdm.engine;

import java.util.List;

/** The request is invalid; {@link #problems()} names every problem found, in request order. */
public final class InvalidRequestException extends SdmException {
    private final List<Problem> problems;

    public InvalidRequestException(List<Problem> problems) {
        super(summary(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid request needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String summary(List<Problem> problems) {
        StringBuilder sb = new StringBuilder("invalid request (" + problems.size()
                + (problems.size() == 1 ? " problem)" : " problems)"));
        for (Problem p : problems) {
            sb.append("\n  ").append(org.opensdm.engine.json.Printable.escape(p.toString())); // no raw control of the request
        }
        return sb.toString();
    }
}
