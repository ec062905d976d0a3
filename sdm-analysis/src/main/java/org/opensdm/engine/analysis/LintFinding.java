package org.opensdm.engine.analysis;

/**
 * One problem {@link Lint} found in a ruleset version, with where it is.
 *
 * @param ruleset the version, {@code id@version} (for a version that did not load: its folder names)
 * @param check   which check found it
 * @param file    the file, as a display path (a classpath location or a folder path)
 * @param line    1-based line, 0 when not known
 * @param column  1-based column, 0 when not known
 * @param message what is wrong
 */
public record LintFinding(String ruleset, Check check, String file, int line, int column, String message) {
    /** The checks of {@link Lint}. */
    public enum Check {
        /** The manifest (or a file it names) does not load: YAML, fields, points, cut points, includes. */
        MANIFEST("manifest"),
        /** The DRL does not parse or compile. */
        DRL("drl"),
        /** A manifest item that no rule reads ({@code @item}). */
        ITEM_UNREAD("item-unread"),
        /** A rule's {@code @item} names no manifest item. */
        ITEM_UNKNOWN("item-unknown"),
        /** Override types, codes or values in the rules and the manifest disagree. */
        OVERRIDE("override"),
        /** A scenario file does not parse. */
        SCENARIO_FILE("scenario-file"),
        /** A scenario of a version's files names another ruleset or version, or is dated where another version is in force. */
        SCENARIO_VERSION("scenario-version"),
        /** A scenario's expectation does not hold (the one check that evaluates: it runs the scenarios). */
        SCENARIO("scenario"),
        /** An option, or a side of a cut point, that no scenario reaches. */
        COVERAGE("coverage");

        private final String wireName;

        Check(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** {@code file:line:column: [check] message}, leaving out what is not known. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        return sb.append(": [").append(check.wireName()).append("] ").append(message).toString();
    }
}
