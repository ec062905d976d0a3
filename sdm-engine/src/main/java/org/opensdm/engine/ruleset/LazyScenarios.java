package org.opensdm.engine.ruleset;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.opensdm.engine.RulesetLoadException;

/**
 * The scenario files of a version, read on first use: evaluating never opens them, so a scenario
 * file that cannot be read (too large, a FIFO, a link out of the folder) fails only the verbs
 * that run scenarios, each time with the same {@link RulesetLoadException}.
 */
final class LazyScenarios extends AbstractMap<String, String> {
    private final Supplier<Map<String, String>> reader;
    private Map<String, String> files;
    private RulesetLoadException failure;

    LazyScenarios(Supplier<Map<String, String>> reader) {
        this.reader = reader;
    }

    private synchronized Map<String, String> files() {
        if (files == null && failure == null) {
            try {
                files = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(reader.get()));
            } catch (RulesetLoadException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw new RulesetLoadException(failure.problems());
        }
        return files;
    }

    /** Reads the files now, unless done before; throws as the first read did. */
    void load() {
        files();
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return files().entrySet();
    }

    @Override
    public String get(Object key) {
        return files().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return files().containsKey(key);
    }

    @Override
    public int size() {
        return files().size();
    }

    @Override
    public String toString() {
        synchronized (this) {
            return files != null ? files.toString() : failure != null ? "{unreadable scenario files}" : "{not read yet}";
        }
    }
}
