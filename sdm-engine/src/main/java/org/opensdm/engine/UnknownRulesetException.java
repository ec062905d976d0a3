package org.opensdm.engine;

/** The request names a ruleset, or a version, that the registry does not hold. */
public final class UnknownRulesetException extends SdmException {
    public UnknownRulesetException(String message) {
        super(message);
    }
}
