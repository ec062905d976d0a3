package org.opensdm.engine.audit;

/**
 * A decision store other than the log file cannot be opened, read or appended to: the database
 * cannot be reached, a transaction failed, the chain's last record is not sound. It is a
 * {@link DecisionLogException}, so code that handles the log's failures handles a store's too: when
 * an engine records into the store, the decision is withheld. Its message never holds a password.
 */
public class DecisionStoreException extends DecisionLogException {
    public DecisionStoreException(String message) {
        super(message);
    }

    public DecisionStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
