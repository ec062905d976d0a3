package org.opensdm.engine.ruleset;

import java.util.Map;

/**
 * One loaded ruleset version: its manifest, the text of its behavior-defining files (relative
 * path to content), its scenario files (not part of the hash; read from a folder on first use,
 * and then a {@link org.opensdm.engine.RulesetLoadException} when they cannot be read), its content hash, and where it came from (a classpath or folder location).
 * {@code compiled} is where the rules compiled when its jar was built may be read (null: none; a
 * version from a folder never has them), see {@link PrecompiledRules}.
 */
public record RulesetVersion(
        RulesetManifest manifest, Map<String, String> files, Map<String, String> scenarios, String sha256, String origin,
        PrecompiledRules compiled) {
    /** A version without build-time compiled rules: its DRL is compiled at run time. */
    public RulesetVersion(RulesetManifest manifest, Map<String, String> files, Map<String, String> scenarios, String sha256,
                          String origin) {
        this(manifest, files, scenarios, sha256, origin, null);
    }

    public RulesetVersion {
        files = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(files));
        // scenario files read on first use stay so (see LazyScenarios)
        scenarios = scenarios instanceof LazyScenarios ? scenarios
                : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(scenarios));
    }

    /**
     * The scenario files, by relative path; read from their folder on the first call.
     *
     * @throws org.opensdm.engine.RulesetLoadException a scenario file cannot be read (each call, naming every such file)
     */
    @Override
    public Map<String, String> scenarios() {
        if (scenarios instanceof LazyScenarios lazy) {
            lazy.load();
        }
        return scenarios;
    }

    /** The scenario files as held, not read if they are read on first use (for a copy of this version). */
    Map<String, String> scenariosAsHeld() {
        return scenarios;
    }

    /** This version with {@code rules} as its build-time compiled rules (null: none). */
    public RulesetVersion withCompiled(PrecompiledRules rules) {
        return new RulesetVersion(manifest, files, scenarios, sha256, origin, rules);
    }

    public String id() {
        return manifest.id();
    }

    public String version() {
        return manifest.version();
    }

    /** {@code id@version}. */
    public String key() {
        return manifest.key();
    }

    /** Display path of a file of this version, for error messages. */
    public String location(String relativePath) {
        return origin + "/" + relativePath;
    }
}
