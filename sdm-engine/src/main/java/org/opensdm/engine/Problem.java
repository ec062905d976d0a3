package org.opensdm.engine;

/**
 * One thing wrong with a request: the JSON path it concerns ({@code answers.R3},
 * {@code overrides[0].reason}, {@code $} for the whole document) and why.
 */
public record Problem(String path, String message) {
    @Override
    public String toString() {
        return path + ": " + message;
    }
}
