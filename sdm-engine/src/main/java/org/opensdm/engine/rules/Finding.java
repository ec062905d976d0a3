package org.opensdm.engine.rules;

import java.util.Objects;

/**
 * A named result a rule derived and inserted, for other rules to build on: e.g.
 * {@code Finding("safety", "UNSAFE")}, {@code Finding("visitation", "ACCEPTABLE")}.
 */
public final class Finding {
    private final String name;
    private final String value;

    public Finding(String name, String value) {
        this.name = Objects.requireNonNull(name);
        this.value = Objects.requireNonNull(value);
    }

    public String getName() { return name; }

    public String getValue() { return value; }

    @Override
    public String toString() { return name + "=" + value; }
}
