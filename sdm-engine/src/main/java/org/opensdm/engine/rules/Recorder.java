package org.opensdm.engine.rules;

/**
 * Receives what a rule's consequence changed, for the audit trail entry of the rule now firing.
 * Implemented by the engine; rules never call it directly.
 */
public interface Recorder {
    void effect(String key, Object value);
}
