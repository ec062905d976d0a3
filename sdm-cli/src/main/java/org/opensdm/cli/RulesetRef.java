package org.opensdm.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A ruleset version named on the command line as {@code ID@VERSION} (e.g. {@code ref.family-risk@2.0}). */
record RulesetRef(String id, String version) {
    @Override
    public String toString() {
        return id + "@" + version;
    }

    /** picocli converter: a bad value is a usage error (exit 2). */
    static final class Converter implements ITypeConverter<RulesetRef> {
        @Override
        public RulesetRef convert(String value) {
            int at = value.indexOf('@');
            if (at <= 0 || at == value.length() - 1 || value.indexOf('@', at + 1) >= 0) {
                throw new TypeConversionException("'" + value + "' is not ID@VERSION (e.g. ref.family-risk@2.0)");
            }
            return new RulesetRef(value.substring(0, at), value.substring(at + 1));
        }
    }
}
