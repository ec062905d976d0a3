package org.opensdm.cli;

/** The exit codes of every {@code sdm} verb (the CLI contract in the design notes). */
public final class ExitCode {
    /** Done. */
    public static final int OK = 0;
    /** Anything else: a ruleset misbehaved on a valid request, or an internal error. */
    public static final int FAILURE = 1;
    /** Invalid request (every problem on stderr); also bad command-line usage and unreadable input files. */
    public static final int INVALID_REQUEST = 2;
    /** The request names a ruleset or version that is not known. */
    public static final int UNKNOWN_RULESET = 3;
    /** A ruleset fails to load or compile (each problem as file:line:column: message on stderr). */
    public static final int RULESET_LOAD = 4;

    private ExitCode() {
    }
}
