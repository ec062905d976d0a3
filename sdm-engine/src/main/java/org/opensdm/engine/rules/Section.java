package org.opensdm.engine.rules;

import java.util.Objects;

/**
 * A section (step) of a tool that applies to this assessment. A rule inserts it when the
 * section is reached; the engine then requires the section's required items, and answers to a
 * section never inserted are not applicable (the tool's rules say so in the trail).
 */
public final class Section {
    private final String name;

    public Section(String name) {
        this.name = Objects.requireNonNull(name);
    }

    public String getName() { return name; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Section s && s.name.equals(name);
    }

    @Override
    public int hashCode() { return name.hashCode(); }

    @Override
    public String toString() { return "section " + name; }
}
