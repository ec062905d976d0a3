package org.opensdm.engine.audit;

import org.opensdm.engine.SdmException;

/**
 * A decision log (or, as {@link DecisionStoreException}, another decision store) cannot be opened or appended to: locked by another process (under any name), a
 * torn last line, a last record that is not sound, a record over the line limit, the log changed
 * or replaced under its writer, an I/O failure. When an engine records into the log, the decision is withheld: a decision that
 * should have been recorded and was not must not be acted on.
 */
public class DecisionLogException extends SdmException {
    public DecisionLogException(String message) {
        super(message);
    }

    public DecisionLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
