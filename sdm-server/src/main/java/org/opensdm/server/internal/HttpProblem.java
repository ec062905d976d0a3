package org.opensdm.server.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opensdm.engine.UnknownRulesetException;
import org.opensdm.engine.json.SdmJson;
import org.opensdm.server.DecisionStoreException;
import org.opensdm.server.Problems;

/**
 * An error answer of the service: an RFC 9457 problem ({@code application/problem+json}) with
 * {@code type} ({@code urn:opensdm:problem:KIND}), {@code title}, {@code status}, {@code detail}
 * and {@code problems}, the list of {@code {"path", "message"}} that {@code sdm} gives for the same
 * failure. Never a stack trace.
 */
final class HttpProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static final String MEDIA_TYPE = "application/problem+json";
    static final String TYPE_PREFIX = "urn:opensdm:problem:";

    final int status;
    final String kind;
    final String title;
    final transient List<Map<String, Object>> problems;
    final transient Map<String, String> headers;

    HttpProblem(int status, String kind, String title, List<Map<String, Object>> problems, Map<String, String> headers) {
        super(kind, null, false, false);
        this.status = status;
        this.kind = kind;
        this.title = title;
        this.problems = List.copyOf(problems);
        this.headers = Map.copyOf(headers);
    }

    static HttpProblem of(int status, String kind, String title, String path, String message) {
        return new HttpProblem(status, kind, title, List.of(Problems.problem(path, message)), Map.of());
    }

    HttpProblem withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpProblem(status, kind, title, problems, h);
    }

    /** The problem for an exception the engine, a store or this service threw. */
    static HttpProblem from(Throwable e) {
        if (e instanceof HttpProblem p) {
            return p;
        }
        if (e instanceof DecisionStoreException) {
            return of(500, "decision-store", "The decision store cannot be read", "$", e.getMessage());
        }
        String kind = Problems.kind(e);
        List<Map<String, Object>> problems = Problems.of(e, false);
        return switch (kind) {
            case "invalid-request" -> new HttpProblem(400, kind, "Invalid request", problems, Map.of());
            case "unknown-ruleset" -> new HttpProblem(e instanceof UnknownRulesetException ? 422 : 500, kind,
                    "Unknown ruleset or version", problems, Map.of());
            case "ruleset-load" -> new HttpProblem(500, kind, "A ruleset fails to load", problems, Map.of());
            case "evaluation-failed" -> new HttpProblem(500, kind, "The evaluation failed", problems, Map.of());
            case "not-recorded" -> new HttpProblem(503, kind, "The decision could not be recorded, so it is withheld", problems,
                    Map.of());
            default -> new HttpProblem(500, "internal", "Internal error", problems, Map.of());
        };
    }

    /** The body: one line of JSON and a line end. */
    byte[] body() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("type", TYPE_PREFIX + kind);
        o.put("title", title);
        o.put("status", status);
        o.put("detail", problems.size() == 1 ? String.valueOf(problems.get(0).get("message"))
                : problems.size() + " problems: every one is listed under problems");
        o.put("problems", problems);
        return (SdmJson.write(o) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
