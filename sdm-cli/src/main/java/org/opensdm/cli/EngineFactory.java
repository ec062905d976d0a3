package org.opensdm.cli;

import java.nio.file.Path;
import org.opensdm.engine.SdmEngine;

/**
 * Builds the engine a verb uses: the shipped (classpath) rulesets, plus those of a folder when
 * {@code --rulesets DIR} is given. Replaceable so that tests can share one engine per class.
 */
@FunctionalInterface
public interface EngineFactory {
    /** The default: a new engine for this run. */
    EngineFactory DEFAULT = rulesetDir -> {
        SdmEngine.Builder b = SdmEngine.builder().classpathRulesets();
        if (rulesetDir != null) {
            b.rulesetDirectory(rulesetDir);
        }
        return b.build();
    };

    /**
     * @param rulesetDir the {@code --rulesets} folder, laid out as {@code <id>/<version>/ruleset.yaml};
     *                   null for the shipped rulesets only
     */
    SdmEngine create(Path rulesetDir);
}
