package org.opensdm.engine.rules;

import java.util.Objects;

/**
 * A level a rule derived and inserted, named by what it is: {@code "neglect"}, {@code "abuse"},
 * {@code "scored"}, {@code "final"}, {@code "risk"} ...
 */
public final class Level {
    private final String name;
    private final RiskLevel level;

    public Level(String name, RiskLevel level) {
        this.name = Objects.requireNonNull(name);
        this.level = Objects.requireNonNull(level);
    }

    public String getName() { return name; }

    public RiskLevel getLevel() { return level; }

    @Override
    public String toString() { return name + "=" + level; }
}
