package org.opensdm.engine.analysis;

import java.util.List;
import java.util.Map;

/**
 * One scenario of a scenario file: a request and what its decision must show.
 *
 * @param file     the scenario file, for reports
 * @param name     the scenario's name
 * @param request  the request, as plain JSON values (base merged in)
 * @param outcome  expected outcome keys (a subset of the decision's)
 * @param overrides expected overrides: one map per override given, each a subset of the result's fields
 * @param trail    trail entries that must appear (each a subset of some entry's fields), in order
 * @param errors   for an invalid request: the problems expected, each a path and optionally a
 *                 fragment of the message; null when the request must be valid
 * @param sources  where each top-level request field comes from, for reports: {@code base.version}
 *                 or {@code scenarios[3].version} (empty when not known)
 */
public record Scenario(
        String file,
        String name,
        Map<String, Object> request,
        Map<String, Object> outcome,
        List<Map<String, Object>> overrides,
        List<Map<String, Object>> trail,
        List<Map<String, Object>> errors,
        Map<String, String> sources) {

    public Scenario {
        sources = sources == null ? Map.of() : Map.copyOf(sources);
    }

    /** A scenario without the sources of its fields. */
    public Scenario(String file, String name, Map<String, Object> request, Map<String, Object> outcome,
                    List<Map<String, Object>> overrides, List<Map<String, Object>> trail, List<Map<String, Object>> errors) {
        this(file, name, request, outcome, overrides, trail, errors, Map.of());
    }

    /** Where a request field comes from ({@code base.version}, {@code scenarios[3].version}), or the field's name. */
    public String source(String field) {
        return sources.getOrDefault(field, field);
    }

    public boolean expectsErrors() {
        return errors != null;
    }
}
