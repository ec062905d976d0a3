package org.opensdm.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opensdm.engine.EvaluationException;
import org.opensdm.engine.InvalidRequestException;
import org.opensdm.engine.Problem;
import org.opensdm.engine.RulesetLoadException;
import org.opensdm.engine.RulesetProblem;
import org.opensdm.engine.UnknownRulesetException;

/**
 * Turns an exception into an exit code and a message for people (stderr) or for machines (the
 * error object of a batch line). What people read has request data escaped ({@link TerminalText}).
 * User errors never show a stack trace; an unexpected exception
 * shows one line, unless the environment variable {@code SDM_DEBUG} is set.
 */
final class Failures {
    private Failures() {
    }

    static int exitCode(Throwable e) {
        if (e instanceof InvalidRequestException || e instanceof InputException) {
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
        } else if (e instanceof UnknownRulesetException || e instanceof InputException
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

    /** The {@code errors} of a batch line's error object: a list of {path, message}. */
    static List<Map<String, Object>> errors(Throwable e) {
        List<Map<String, Object>> errors = new ArrayList<>();
        if (e instanceof InvalidRequestException ire) {
            ire.problems().forEach(p -> errors.add(error(p.path(), p.message())));
        } else if (e instanceof UnknownRulesetException) {
            errors.add(error("ruleset", e.getMessage()));
        } else if (e instanceof RulesetLoadException rle) {
            rle.problems().forEach(p -> errors.add(error("ruleset", "ruleset failed to load: " + location(p) + ": " + p.message())));
        } else if (e instanceof EvaluationException) {
            errors.add(error("$", "evaluation failed: " + e.getMessage()));
        } else if (e instanceof org.opensdm.engine.audit.DecisionLogException) {
            errors.add(error("$", "not recorded, decision withheld: " + e.getMessage()));
        } else {
            errors.add(error("$", "internal error: " + describe(e)));
        }
        return errors;
    }

    /** {@code file:line:column}, leaving out what is not known (0). */
    static String location(RulesetProblem p) {
        StringBuilder sb = new StringBuilder(p.file());
        if (p.line() > 0) {
            sb.append(':').append(p.line());
            if (p.column() > 0) {
                sb.append(':').append(p.column());
            }
        }
        return sb.toString();
    }

    private static Map<String, Object> error(String path, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path);
        m.put("message", message);
        return m;
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
