package org.opensdm.engine.rules;

/** A boolean input fact of the request ({@code facts}), or its manifest default. */
public final class Flag {
    private final String name;
    private final boolean value;

    public Flag(String name, boolean value) {
        this.name = name;
        this.value = value;
    }

    public String getName() { return name; }

    public boolean isValue() { return value; }

    public boolean getValue() { return value; }

    @Override
    public String toString() { return name + "=" + value; }
}
