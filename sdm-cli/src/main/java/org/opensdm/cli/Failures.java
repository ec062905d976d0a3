package org.opensdm.cli;

import java.io.PrintWriter;
import java.util.List;
import org.opensdm.engine.EvaluationException;
import org.opensdm.engine.InvalidRequestException;
import org.opensdm.engine.Problem;
import org.opensdm.engine.RulesetLoadException;
import org.opensdm.engine.RulesetProblem;
import org.opensdm.engine.UnknownRulesetException;
import org.opensdm.server.Problems;
import org.opensdm.server.ServerConfigException;

/**
 * Turns an exception into an exit code and a message for people (stderr); for machines (the error
 * object of a batch line) the same failure is {@link Problems#of}. What people read has request data
 * escaped ({@link TerminalText}).
 * User errors never show a stack trace; an unexpected exception
 * shows one line, unless the environment variable {@code SDM_DEBUG} is set.
 */
final class Failures {
    private Failures() {
    }

    static int exitCode(Throwable e) {
        if (e instanceof InvalidRequestException || e instanceof InputException || e instanceof ServerConfigException) {
            return ExitCode.INVALID_REQUEST;
        }
        if (e instanceof UnknownRulesetException) {
            return ExitCode.UNKNOWN_RULESET;
        }
        if (e instanceof RulesetLoadException) {
            return ExitCode.RULESET_LOAD;
        }
        return ExitCode.FAILURE;
    }

    /**
     * Writes the failure to stderr, each line starting with {@code prefix} ("sdm: " or "sdm: line 3: ").
     * Messages can quote data (a request's keys, a log's member names): each is one line, its control
     * and bidi characters escaped ({@link TerminalText}).
     */
    static void report(Throwable e, String prefix, PrintWriter err) {
        if (e instanceof InvalidRequestException ire) {
            List<Problem> problems = ire.problems();
            err.println(prefix + "invalid request (" + count(problems.size(), "problem") + "):");
            for (Problem p : problems) {
                err.println("  " + oneLine(p.path()) + ": " + oneLine(p.message()));
            }
        } else if (e instanceof RulesetLoadException rle) {
            err.println(prefix + "ruleset failed to load (" + count(rle.problems().size(), "problem") + "):");
            for (RulesetProblem p : rle.problems()) {
                err.println("  " + oneLine(location(p)) + ": " + oneLine(p.message()));
            }
        } else if (e instanceof UnknownRulesetException || e instanceof InputException || e instanceof ServerConfigException
                || e instanceof org.opensdm.engine.audit.DecisionLogException) {
            err.println(prefix + oneLine(e.getMessage()));
        } else if (e instanceof EvaluationException) {
            err.println(prefix + "evaluation failed: " + oneLine(e.getMessage()));
            debug(e, err);
        } else {
            err.println(prefix + "internal error: " + describe(e));
            debug(e, err);
        }
        err.flush();
    }

    /** {@code file:line:column}, leaving out what is not known (0). */
    static String location(RulesetProblem p) {
        return Problems.location(p);
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getName() : oneLine(m);
    }

    /** One line of text for a terminal: line breaks become spaces, other controls and bidi characters are escaped. */
    private static String oneLine(String s) {
        return s == null ? "" : TerminalText.escape(s.replaceAll("\\s*\\R\\s*", " ").trim());
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static void debug(Throwable e, PrintWriter err) {
        String flag = System.getenv("SDM_DEBUG");
        if (flag != null && !flag.isEmpty() && !"0".equals(flag)) {
            e.printStackTrace(err);
        }
    }
}
