package org.opensdm.engine.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome a ruleset produces (global {@code outcome}). Only keys the manifest declares may be
 * set, each once; a second set of the same key is a ruleset bug and fails the evaluation.
 */
public final class Outcome {
    private final Map<String, Object> values = new LinkedHashMap<>();
    /** A handful of keys: a scan of the list beats building a set per evaluation. */
    private final List<String> declared;
    private final Recorder recorder;

    public Outcome(List<String> declaredKeys, Recorder recorder) {
        this.declared = List.copyOf(declaredKeys);
        this.recorder = recorder;
    }

    public void set(String key, Object value) {
        check(key);
        if (values.containsKey(key)) {
            throw new IllegalStateException("outcome key " + key + " set twice (was " + values.get(key) + ", now " + value + ")");
        }
        Object stored = value instanceof Enum<?> e ? e.name() : value;
        values.put(key, stored);
        recorder.effect(key, stored);
    }

    /** Appends to a list-valued outcome key (created empty on first use). */
    @SuppressWarnings("unchecked")
    public void add(String key, Object element) {
        check(key);
        Object stored = element instanceof Enum<?> e ? e.name() : element;
        ((List<Object>) values.computeIfAbsent(key, k -> new ArrayList<>())).add(stored);
        recorder.effect(key, stored);
    }

    /** Puts an entry into a map-valued outcome key (created empty on first use). */
    @SuppressWarnings("unchecked")
    public void put(String key, String mapKey, Object element) {
        check(key);
        Object stored = element instanceof Enum<?> e ? e.name() : element;
        ((Map<String, Object>) values.computeIfAbsent(key, k -> new LinkedHashMap<>())).put(mapKey, stored);
        recorder.effect(key + "." + mapKey, stored);
    }

    /**
     * Records a remark in the trail entry of the firing rule without setting any outcome key:
     * e.g. {@code outcome.note("notApplicable", "criteria")} when a step's answer is ignored.
     */
    public void note(String key, Object value) {
        recorder.effect(key, value instanceof Enum<?> e ? e.name() : value);
    }

    public boolean has(String key) { return values.containsKey(key); }

    public Object get(String key) { return values.get(key); }

    /** The values set so far, in the order they were set. */
    public Map<String, Object> values() { return Collections.unmodifiableMap(values); }

    private void check(String key) {
        if (!declared.contains(key)) {
            throw new IllegalStateException("outcome key " + key + " is not declared in the manifest");
        }
    }
}
