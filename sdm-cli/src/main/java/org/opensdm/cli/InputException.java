package org.opensdm.cli;

/** An input the user named cannot be read (missing file, a folder, not readable): exit 2, no stack trace. */
final class InputException extends RuntimeException {
    InputException(String message) {
        super(message);
    }
}
