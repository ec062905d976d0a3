package org.opensdm.engine.ruleset;

/** Whether a ruleset's numbers are this project's reference values or a jurisdiction's certified ones. */
public enum RulesetStatus {
    REFERENCE, CERTIFIED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
