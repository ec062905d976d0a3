/**
 * Ruleset versions: manifests (SnakeYAML, every problem with file, line and column), the files of a
 * version and its content hash, the registry that chooses a version by id, version or date, and
 * {@link org.opensdm.engine.ruleset.RulesetProvider}, how a jar offers its rulesets (ServiceLoader).
 */
package org.opensdm.engine.ruleset;
