package org.opensdm.engine.analysis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.opensdm.engine.RulesetLoadException;
import org.opensdm.engine.RulesetProblem;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.UnknownRulesetException;
import org.opensdm.engine.ruleset.RulesetFiles;
import org.opensdm.engine.ruleset.RulesetRegistry;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * Rulesets for tools that must go on past a broken version ({@code sdm test}, {@code sdm lint}):
 * an engine over every version that loads, and the load problems of each version that does not,
 * keyed by {@code id@version}. A broken folder version is not replaced by the shipped version of
 * the same id and version: it is reported, never silently swapped.
 *
 * @param engine   an engine over the versions that load
 * @param failures the problems of each version that does not, by {@code id@version}
 */
public record LoadedRulesets(SdmEngine engine, Map<String, List<RulesetProblem>> failures) {
    public LoadedRulesets {
        failures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    }

    /** An engine whose rulesets all loaded. */
    public static LoadedRulesets of(SdmEngine engine) {
        return new LoadedRulesets(engine, Map.of());
    }

    /**
     * The shipped rulesets and those of {@code dir}, version by version.
     *
     * @throws RulesetLoadException {@code dir} is not a folder, or the shipped rulesets do not load
     */
    public static LoadedRulesets load(Path dir) {
        RulesetFiles.Loaded folder = RulesetFiles.readEach(dir);
        Map<String, List<RulesetProblem>> failures = new LinkedHashMap<>(folder.failures());
        RulesetRegistry.Builder builder = RulesetRegistry.builder();
        for (RulesetVersion v : RulesetFiles.fromClasspath(RulesetRegistry.class.getClassLoader())) {
            if (!failures.containsKey(v.key())) {
                builder.add(v);
            }
        }
        folder.versions().forEach(builder::add);
        RulesetRegistry registry = builder.buildSkippingBroken(failures);
        return new LoadedRulesets(SdmEngine.builder().registry(registry).build(), failures);
    }

    /** The versions, and failed versions, a selection names. */
    public record Selection(List<RulesetVersion> versions, Map<String, List<RulesetProblem>> failures) {
        public Selection {
            versions = List.copyOf(versions);
            failures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(failures));
        }
    }

    /**
     * Every version (null), every version of an id ({@code ref.family-risk}) or one version
     * ({@code ref.family-risk@2.0}), with the failed versions the selector names.
     *
     * @throws UnknownRulesetException the selector names nothing that loaded or failed
     */
    public Selection select(String selector) {
        String id = selector;
        String version = null;
        if (selector != null && selector.contains("@")) {
            id = selector.substring(0, selector.indexOf('@'));
            version = selector.substring(selector.indexOf('@') + 1);
        }
        List<RulesetVersion> versions = new ArrayList<>();
        for (RulesetVersion v : engine.registry().versions()) {
            if (selector == null || v.id().equals(id) && (version == null || v.version().equals(version))) {
                versions.add(v);
            }
        }
        Map<String, List<RulesetProblem>> failed = new LinkedHashMap<>();
        for (Map.Entry<String, List<RulesetProblem>> f : failures.entrySet()) {
            String key = f.getKey();
            if (selector == null || (version == null ? key.startsWith(id + "@") : key.equals(id + "@" + version))) {
                failed.put(key, f.getValue());
            }
        }
        if (versions.isEmpty() && failed.isEmpty()) {
            TreeSet<String> known = new TreeSet<>();
            engine.registry().versions().forEach(v -> known.add(v.key()));
            known.addAll(failures.keySet());
            throw new UnknownRulesetException("no ruleset version matches '" + selector + "' (known: "
                    + String.join(", ", known) + ")");
        }
        return new Selection(versions, failed);
    }
}
