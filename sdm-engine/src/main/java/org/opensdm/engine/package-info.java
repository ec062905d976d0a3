/**
 * The engine's API: {@link org.opensdm.engine.SdmEngine} evaluates one assessment
 * ({@link org.opensdm.engine.EvaluationRequest}) against a versioned ruleset and returns a
 * {@link org.opensdm.engine.Decision} with its audit trail; errors are the typed exceptions of this
 * package. Decisions go to {@link org.opensdm.engine.DecisionSink}s (the decision log of sdm-audit).
 */
package org.opensdm.engine;
