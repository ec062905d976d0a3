package org.opensdm.rulesets;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import org.opensdm.engine.ruleset.RulesetProvider;

/**
 * The shipped reference rulesets: the resources under {@code sdm/rulesets} of this jar, listed in
 * {@code sdm/rulesets/index.txt} (written by the build), each version with its rules compiled when
 * this jar was built (so the engine loads them without compiling DRL). Found by {@link java.util.ServiceLoader}
 * through {@code META-INF/services/org.opensdm.engine.ruleset.RulesetProvider}.
 */
public final class ShippedRulesets implements RulesetProvider {
    private final RulesetProvider resources = RulesetProvider.ofResources(ShippedRulesets.class, "sdm/rulesets");

    @Override
    public String origin() {
        return resources.origin();
    }

    @Override
    public Set<String> files() {
        return resources.files();
    }

    @Override
    public InputStream open(String path) throws IOException {
        return resources.open(path);
    }

    /** The version compiled at build time ({@code sdm/rulesets-compiled/<id>/<version>/model.zip}, written by the build). */
    @Override
    public InputStream openCompiled(String id, String version) throws IOException {
        return resources.openCompiled(id, version);
    }
}
