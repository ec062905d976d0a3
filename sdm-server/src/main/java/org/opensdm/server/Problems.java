package org.opensdm.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opensdm.engine.EvaluationException;
import org.opensdm.engine.InvalidRequestException;
import org.opensdm.engine.RulesetLoadException;
import org.opensdm.engine.RulesetProblem;
import org.opensdm.engine.UnknownRulesetException;
import org.opensdm.engine.audit.DecisionLogException;

/**
 * What went wrong with a request, for machines: its kind and its list of problems, each a JSON
 * path and why. The same list is the {@code errors} of a failed line of {@code sdm evaluate --batch}
 * and of {@code POST /evaluate/batch}, and the {@code problems} of the HTTP service's
 * {@code application/problem+json} errors; so a case system reads every failure the same way.
 */
public final class Problems {
    private Problems() {
    }

    /**
     * The kind of a failure: {@code invalid-request}, {@code unknown-ruleset}, {@code ruleset-load},
     * {@code evaluation-failed}, {@code not-recorded} (a decision log could not record the decision:
     * it is withheld) or {@code internal}.
     */
    public static String kind(Throwable e) {
        if (e instanceof InvalidRequestException) {
            return "invalid-request";
        }
        if (e instanceof UnknownRulesetException) {
            return "unknown-ruleset";
        }
        if (e instanceof RulesetLoadException) {
            return "ruleset-load";
        }
        if (e instanceof EvaluationException) {
            return "evaluation-failed";
        }
        if (e instanceof DecisionLogException) {
            return "not-recorded";
        }
        return "internal";
    }

    /**
     * The problems of a failure, each {@code {"path": ..., "message": ...}}: every problem of an
     * invalid request with its JSON path; {@code ruleset} for an unknown ruleset or one that fails to
     * load (one entry per problem, with its file, line and column); {@code $} otherwise.
     *
     * @param revealInternal whether the message of an unexpected exception is given ({@code sdm} on
     *                       one's own machine) or only that there was one (a service: the details go
     *                       to its log, not to the client)
     */
    public static List<Map<String, Object>> of(Throwable e, boolean revealInternal) {
        List<Map<String, Object>> errors = new ArrayList<>();
        if (e instanceof InvalidRequestException ire) {
            ire.problems().forEach(p -> errors.add(problem(p.path(), p.message())));
        } else if (e instanceof UnknownRulesetException) {
            errors.add(problem("ruleset", e.getMessage()));
        } else if (e instanceof RulesetLoadException rle) {
            rle.problems().forEach(p -> errors.add(problem("ruleset", "ruleset failed to load: " + location(p) + ": " + p.message())));
        } else if (e instanceof EvaluationException) {
            errors.add(problem("$", "evaluation failed: " + e.getMessage()));
        } else if (e instanceof DecisionLogException) {
            errors.add(problem("$", "not recorded, decision withheld: " + e.getMessage()));
        } else if (revealInternal) {
            String m = e.getMessage();
            errors.add(problem("$", "internal error: " + (m == null || m.isBlank() ? e.getClass().getName() : m)));
        } else {
            errors.add(problem("$", "internal error (the service's log has the details)"));
        }
        return errors;
    }

    /** One problem: {@code {"path": path, "message": message}}. */
    public static Map<String, Object> problem(String path, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path);
        m.put("message", message);
        return m;
    }

    /** {@code file:line:column} of a ruleset problem, leaving out what is not known (0). */
    public static String location(RulesetProblem p) {
        StringBuilder sb = new StringBuilder(p.file());
        if (p.line() > 0) {
            sb.append(':').append(p.line());
            if (p.column() > 0) {
                sb.append(':').append(p.column());
            }
        }
        return sb.toString();
    }
}
