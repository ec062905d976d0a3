package org.opensdm.engine;

/** Base of every error the engine reports to its caller; each subtype carries structured detail. */
public abstract class SdmException extends RuntimeException {
    protected SdmException(String message) {
        super(message);
    }

    protected SdmException(String message, Throwable cause) {
        super(message, cause);
    }
}
