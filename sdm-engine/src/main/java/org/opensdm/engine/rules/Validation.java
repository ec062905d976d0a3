package org.opensdm.engine.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Cross-item validation a ruleset states in DRL (global {@code validation}): a rule that finds a
 * problem reports it with the request path it concerns. Any report makes the evaluation fail with
 * an invalid-request error and no decision.
 */
public final class Validation {
    /** A reported problem: the request path (e.g. {@code answers.interventions}) and why. */
    public record Report(String path, String message) { }

    private final List<Report> reports = new ArrayList<>();
    private final Recorder recorder;

    public Validation(Recorder recorder) {
        this.recorder = recorder;
    }

    public void report(String path, String message) {
        reports.add(new Report(path, message));
        recorder.effect("invalid", path);
    }

    public List<Report> reports() { return reports.isEmpty() ? List.of() : List.copyOf(reports); }
}
