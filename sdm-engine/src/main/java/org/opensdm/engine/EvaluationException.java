package org.opensdm.engine;

/**
 * A valid request against a loaded ruleset could not be decided because the ruleset misbehaved
 * (a rule failed, an outcome key was left unset, the firing limit was reached). No decision.
 */
public final class EvaluationException extends SdmException {
    public EvaluationException(String message, Throwable cause) {
        super(message, cause);
    }

    public EvaluationException(String message) {
        super(message);
    }
}
