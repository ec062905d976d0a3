package org.opensdm.server;

/** A decision store cannot be read, or holds something that is not a decision record. */
public final class DecisionStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DecisionStoreException(String message) {
        super(message);
    }

    public DecisionStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
