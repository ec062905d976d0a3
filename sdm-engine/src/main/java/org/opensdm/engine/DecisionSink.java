package org.opensdm.engine;

/**
 * Receives every decision an engine makes, with the request it answers (e.g. a decision log).
 * Called on the evaluating thread before {@code evaluate} returns; if it throws, the evaluation
 * fails with that exception and the caller gets no decision: a decision that was meant to be
 * recorded and was not must not be acted on. Every sink gets the same {@link Decision} object the
 * caller gets; it is deeply immutable, so no sink can change what another one sees or records.
 */
@FunctionalInterface
public interface DecisionSink {
    void accept(EvaluationRequest request, Decision decision);
}
