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
 */
public record Scenario(
        String file,
        String name,
        Map<String, Object> request,
        Map<String, Object> outcome,
        List<Map<String, Object>> overrides,
        List<Map<String, Object>> trail,
        List<Map<String, Object>> errors) {

    public boolean expectsErrors() {
        return errors != null;
    }
}
