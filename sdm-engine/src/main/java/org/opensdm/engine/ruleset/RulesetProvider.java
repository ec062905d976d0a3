package org.opensdm.engine.ruleset;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A jar's rulesets, found with {@link java.util.ServiceLoader}: a jar that ships rulesets lists an
 * implementation in {@code META-INF/services/org.opensdm.engine.ruleset.RulesetProvider}, and
 * {@code SdmEngine.builder().classpathRulesets()} (or {@link RulesetRegistry.Builder#addClasspath})
 * loads the rulesets of every provider it finds. The shipped reference rulesets come this way
 * (the {@code sdm-rulesets} jar); a jurisdiction's jar can provide its own.
 *
 * <p>A provider names its files and opens them: it never hands out a file system path or a jar
 * URL, so it works the same from a folder, a plain jar, a shaded jar or a jar nested in another
 * (as in a Spring Boot application). {@link #ofResources} makes one from class-path resources and
 * an index file; the files are then read like those of a {@code --rulesets} folder, with the same
 * checks and size limits. A jar may also carry each version's rules compiled at build time
 * ({@link #openCompiled}), so that the engine loads them without compiling at run time.
 */
public interface RulesetProvider {
    /** Where these rulesets come from, the prefix of each version's origin (e.g. {@code classpath:sdm/rulesets}). */
    String origin();

    /**
     * Every file of every version, as a path relative to the rulesets' root with {@code /} between
     * names: {@code <id>/<version>/ruleset.yaml}, {@code <id>/<version>/<file>.drl},
     * {@code <id>/<version>/scenarios/<file>.yaml}.
     */
    Set<String> files();

    /** Opens one of {@link #files()}. */
    InputStream open(String path) throws IOException;

    /**
     * The rules of {@code id} {@code version} as compiled when this provider's jar was built (a
     * {@code model.zip} written by the build, see {@link #COMPILED_SUFFIX}), or null when it carries
     * none: the engine then compiles the version's DRL at run time, through the sandbox. The engine
     * loads a compiled form only when the content hash it was built from is the hash of the
     * manifest and DRL files this provider gives for the version; a mismatch is refused
     * ({@link org.opensdm.engine.RulesetLoadException}), never recompiled.
     */
    default InputStream openCompiled(String id, String version) throws IOException {
        return null;
    }

    /** The name of the index file {@link #ofResources} reads: one relative path a line. */
    String INDEX = "index.txt";

    /**
     * Where {@link #ofResources} looks for the compiled rules of a version: beside {@code root},
     * in {@code root + COMPILED_SUFFIX + "/<id>/<version>/model.zip"} (for the shipped rulesets,
     * {@code sdm/rulesets-compiled/ref.family-risk/2.0/model.zip}).
     */
    String COMPILED_SUFFIX = "-compiled";

    /** The file name of a version's compiled rules, in its folder under the compiled root. */
    String COMPILED_MODEL = "model.zip";

    /**
     * The rulesets stored as class-path resources under {@code root} (e.g. {@code sdm/rulesets})
     * of {@code anchor}'s class loader, listed one relative path a line in {@code root/index.txt}
     * (a build step writes it: resources cannot be listed portably, least of all in nested jars).
     */
    static RulesetProvider ofResources(Class<?> anchor, String root) {
        Objects.requireNonNull(anchor);
        String base = root.endsWith("/") ? root : root + "/";
        String compiledBase = base.substring(0, base.length() - 1) + COMPILED_SUFFIX + "/";
        ClassLoader loader = anchor.getClassLoader();
        Set<String> files = new LinkedHashSet<>();
        InputStream index = loader.getResourceAsStream(base + INDEX);
        if (index == null) {
            throw new IllegalStateException("no " + base + INDEX + " beside " + anchor.getName()
                    + ": the jar's build must list its ruleset files there");
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    files.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + base + INDEX + ": " + e.getMessage(), e);
        }
        Set<String> listed = Collections.unmodifiableSet(files);
        return new RulesetProvider() {
            @Override
            public String origin() {
                return "classpath:" + root;
            }

            @Override
            public Set<String> files() {
                return listed;
            }

            @Override
            public InputStream open(String path) throws IOException {
                InputStream in = listed.contains(path) ? loader.getResourceAsStream(base + path) : null;
                if (in == null) {
                    throw new java.nio.file.NoSuchFileException(base + path);
                }
                return in;
            }

            @Override
            public InputStream openCompiled(String id, String version) {
                return listed.contains(id + "/" + version + "/ruleset.yaml")
                        ? loader.getResourceAsStream(compiledBase + id + "/" + version + "/" + COMPILED_MODEL) : null;
            }
        };
    }
}
