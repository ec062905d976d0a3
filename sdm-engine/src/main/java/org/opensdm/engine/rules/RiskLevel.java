package org.opensdm.engine.rules;

/** Ordered risk levels: {@code LOW < MODERATE < HIGH < VERY_HIGH}. */
public enum RiskLevel {
    LOW, MODERATE, HIGH, VERY_HIGH;

    /** One level up; VERY_HIGH stays VERY_HIGH. */
    public RiskLevel next() {
        return this == VERY_HIGH ? VERY_HIGH : values()[ordinal() + 1];
    }

    public boolean isLowOrModerate() {
        return this == LOW || this == MODERATE;
    }

    public static RiskLevel max(RiskLevel a, RiskLevel b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
