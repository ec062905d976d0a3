package org.opensdm.engine;

/**
 * One thing wrong with a ruleset: the file, the line and column (0 when not known) and why.
 */
public record RulesetProblem(String file, int line, int column, String message) {
    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ": " + message;
    }
}
