/**
 * The fact types a ruleset's DRL is written against: the only engine types a rule may name.
 *
 * <p>The engine inserts one {@link org.opensdm.engine.rules.Answer} per answered item (with the
 * points the manifest gives the chosen option), one {@link org.opensdm.engine.rules.CutPoints}
 * per scored index, one {@link org.opensdm.engine.rules.OverrideGiven} per requested override and
 * one {@link org.opensdm.engine.rules.Flag} per declared input fact; it binds the globals
 * {@code scores} ({@link org.opensdm.engine.rules.Scores}), {@code outcome}
 * ({@link org.opensdm.engine.rules.Outcome}) and {@code validation}
 * ({@link org.opensdm.engine.rules.Validation}). Rules derive {@link org.opensdm.engine.rules.Level}
 * facts. Every call that changes the result is recorded in the audit trail entry of the rule
 * that made it.
 */
package org.opensdm.engine.rules;
