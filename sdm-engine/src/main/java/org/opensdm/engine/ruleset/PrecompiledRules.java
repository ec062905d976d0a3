package org.opensdm.engine.ruleset;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Where the build-time compiled rules of a ruleset version may be read: the {@code model.zip} a
 * {@link RulesetProvider} offers through {@link RulesetProvider#openCompiled}. Nothing is read
 * until the engine loads the version; a provider that carries none for the version then gives
 * null and the engine compiles the DRL at run time.
 *
 * @param location where the compiled rules come from, for messages (e.g. {@code classpath:sdm/rulesets-compiled/ref.safety/1.0/model.zip})
 * @param source   opens them, or gives null when there are none
 */
public record PrecompiledRules(String location, Source source) {
    /** Opens the compiled rules. */
    @FunctionalInterface
    public interface Source {
        /** The {@code model.zip} bytes, or null when there is none. */
        InputStream open() throws IOException;
    }

    public PrecompiledRules {
        Objects.requireNonNull(location);
        Objects.requireNonNull(source);
    }

    /** The compiled rules {@code provider} offers for {@code id} {@code version}, if any (read when opened). */
    public static PrecompiledRules of(RulesetProvider provider, String id, String version) {
        String root = provider.origin();
        return new PrecompiledRules(root + RulesetProvider.COMPILED_SUFFIX + "/" + id + "/" + version + "/"
                + RulesetProvider.COMPILED_MODEL, () -> provider.openCompiled(id, version));
    }
}
