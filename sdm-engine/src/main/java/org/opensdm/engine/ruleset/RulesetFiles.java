package org.opensdm.engine.ruleset;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.opensdm.engine.RulesetLoadException;
import org.opensdm.engine.RulesetProblem;

/**
 * Reads ruleset versions from a folder laid out as {@code <id>/<version>/ruleset.yaml} (with the
 * DRL files the manifest lists and an optional {@code scenarios/} folder), or from every
 * classpath entry that holds {@code sdm/rulesets/README.md}.
 */
public final class RulesetFiles {
    /** The classpath folder of shipped rulesets; a jar that ships rulesets holds {@value #MARKER} in it. */
    public static final String CLASSPATH_ROOT = "sdm/rulesets";
    public static final String MARKER = CLASSPATH_ROOT + "/README.md";
    public static final String MANIFEST = "ruleset.yaml";
    public static final String SCENARIOS = "scenarios";

    private RulesetFiles() {
    }

    /** Every version under {@code root}; throws listing every problem of every version. */
    public static List<RulesetVersion> fromDirectory(Path root) {
        if (!Files.isDirectory(root)) {
            throw new RulesetLoadException(List.of(new RulesetProblem(root.toString(), 0, 0, "not a folder")));
        }
        return read(root, root.toString());
    }

    /** Every version shipped on the class path of {@code loader}. */
    public static List<RulesetVersion> fromClasspath(ClassLoader loader) {
        List<RulesetVersion> all = new ArrayList<>();
        Set<URI> seen = new LinkedHashSet<>();
        try {
            Enumeration<URL> markers = loader.getResources(MARKER);
            while (markers.hasMoreElements()) {
                URI uri = markers.nextElement().toURI();
                if (!seen.add(uri)) {
                    continue;
                }
                if ("jar".equals(uri.getScheme())) {
                    String spec = uri.toString();
                    URI jar = URI.create(spec.substring(0, spec.indexOf("!/")));
                    FileSystem fs;
                    boolean close = false;
                    try {
                        fs = FileSystems.newFileSystem(jar, Map.of());
                        close = true;
                    } catch (FileSystemAlreadyExistsException e) {
                        fs = FileSystems.getFileSystem(jar);
                    }
                    try {
                        all.addAll(read(fs.getPath("/" + CLASSPATH_ROOT), "classpath:" + CLASSPATH_ROOT));
                    } finally {
                        if (close) {
                            fs.close();
                        }
                    }
                } else {
                    all.addAll(read(Path.of(uri).getParent(), "classpath:" + CLASSPATH_ROOT));
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new RulesetLoadException(List.of(new RulesetProblem("classpath:" + MARKER, 0, 0,
                    "cannot read shipped rulesets: " + e.getMessage())));
        }
        return all;
    }

    /**
     * The versions of a folder read one by one, so that a broken version does not hide the others.
     *
     * @param versions every version that loaded
     * @param failures for each version folder that did not, its problems, keyed by
     *                 {@code <id>@<version>} of the folder names
     */
    public record Loaded(List<RulesetVersion> versions, Map<String, List<RulesetProblem>> failures) {
        public Loaded {
            versions = List.copyOf(versions);
            failures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(failures));
        }
    }

    /**
     * Every version under {@code root} that loads, and the problems of each that does not (for
     * tools that report broken versions and go on, like {@code sdm lint}).
     *
     * @throws RulesetLoadException when {@code root} is not a folder
     */
    public static Loaded readEach(Path root) {
        if (!Files.isDirectory(root)) {
            throw new RulesetLoadException(List.of(new RulesetProblem(root.toString(), 0, 0, "not a folder")));
        }
        return readEach(root, root.toString());
    }

    private static Loaded readEach(Path root, String displayRoot) {
        List<RulesetVersion> versions = new ArrayList<>();
        Map<String, List<RulesetProblem>> failures = new LinkedHashMap<>();
        for (Path idDir : children(root)) {
            if (!Files.isDirectory(idDir)) {
                continue;
            }
            for (Path versionDir : children(idDir)) {
                if (!Files.isDirectory(versionDir)) {
                    continue;
                }
                String origin = displayRoot + "/" + name(idDir) + "/" + name(versionDir);
                try {
                    versions.add(readVersion(versionDir, origin, name(idDir), name(versionDir)));
                } catch (RulesetLoadException e) {
                    failures.put(name(idDir) + "@" + name(versionDir), e.problems());
                }
            }
        }
        return new Loaded(versions, failures);
    }

    private static List<RulesetVersion> read(Path root, String displayRoot) {
        Loaded loaded = readEach(root, displayRoot);
        if (!loaded.failures().isEmpty()) {
            List<RulesetProblem> problems = new ArrayList<>();
            loaded.failures().values().forEach(problems::addAll);
            throw new RulesetLoadException(problems);
        }
        return loaded.versions();
    }

    /** Reads one version folder; its manifest id and version must match the folder names. */
    public static RulesetVersion readVersion(Path dir, String origin, String expectedId, String expectedVersion) {
        String manifestLocation = origin + "/" + MANIFEST;
        Path manifestPath = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestPath)) {
            throw new RulesetLoadException(List.of(new RulesetProblem(manifestLocation, 0, 0, "missing")));
        }
        List<RulesetProblem> problems = new ArrayList<>();
        String manifestText = text(manifestPath, manifestLocation, problems);
        if (manifestText == null) {
            throw new RulesetLoadException(problems);
        }
        RulesetManifest manifest = ManifestLoader.load(manifestLocation, manifestText);
        if (expectedId != null && !expectedId.equals(manifest.id())) {
            problems.add(new RulesetProblem(manifestLocation, 0, 0,
                    "id " + manifest.id() + " does not match its folder " + expectedId));
        }
        if (expectedVersion != null && !expectedVersion.equals(manifest.version())) {
            problems.add(new RulesetProblem(manifestLocation, 0, 0,
                    "version " + manifest.version() + " does not match its folder " + expectedVersion));
        }
        Map<String, String> files = new LinkedHashMap<>();
        files.put(MANIFEST, manifestText);
        for (String drl : manifest.rules()) {
            Path p = dir.resolve(drl);
            if (!Files.isRegularFile(p)) {
                problems.add(new RulesetProblem(origin + "/" + drl, 0, 0, "listed in " + MANIFEST + " rules but missing"));
                continue;
            }
            String content = text(p, origin + "/" + drl, problems);
            if (content != null) {
                files.put(drl, content);
            }
        }
        for (Path p : children(dir)) {
            String n = name(p);
            if (n.endsWith(".drl") && !manifest.rules().contains(n)) {
                problems.add(new RulesetProblem(origin + "/" + n, 0, 0, "DRL file not listed in " + MANIFEST + " rules"));
            }
        }
        Map<String, String> scenarios = new TreeMap<>();
        Path scenarioDir = dir.resolve(SCENARIOS);
        if (Files.isDirectory(scenarioDir)) {
            for (Path p : children(scenarioDir)) {
                String n = name(p);
                if (n.endsWith(".yaml") || n.endsWith(".yml")) {
                    String content = text(p, origin + "/" + SCENARIOS + "/" + n, problems);
                    if (content != null) {
                        scenarios.put(SCENARIOS + "/" + n, content);
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new RulesetLoadException(problems);
        }
        return new RulesetVersion(manifest, files, scenarios, ContentHash.of(files), origin);
    }

    private static List<Path> children(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted((a, b) -> name(a).compareTo(name(b))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String name(Path p) {
        Path f = p.getFileName();
        String n = f == null ? "" : f.toString();
        return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
    }

    private static String text(Path p, String location, List<RulesetProblem> problems) {
        try (InputStream in = Files.newInputStream(p)) {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(in.readAllBytes())).toString();
        } catch (CharacterCodingException e) {
            problems.add(new RulesetProblem(location, 0, 0, "not valid UTF-8 text"));
        } catch (IOException e) {
            problems.add(new RulesetProblem(location, 0, 0, "cannot read: " + e.getMessage()));
        }
        return null;
    }
}
