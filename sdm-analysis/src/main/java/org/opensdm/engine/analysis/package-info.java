/**
 * For analysts (module sdm-analysis): scenario files and their runner, lint, the impact of a
 * ruleset revision on past cases (diff, HTML report), version comparison, a request sampler, JUnit
 * XML, and the generated ruleset reference and request JSON Schemas. Not needed to evaluate.
 */
package org.opensdm.engine.analysis;
