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
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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
        return fromDirectory(root, RulesetLimits.DEFAULT);
    }

    /**
     * Every version under {@code root}, each file no larger than {@code limits} allow; throws
     * listing every problem of every version.
     */
    public static List<RulesetVersion> fromDirectory(Path root, RulesetLimits limits) {
        if (!Files.isDirectory(root)) {
            throw new RulesetLoadException(List.of(new RulesetProblem(root.toString(), 0, 0, "not a folder")));
        }
        return read(root, root.toString(), limits);
    }

    /** Every version shipped on the class path of {@code loader}. */
    public static List<RulesetVersion> fromClasspath(ClassLoader loader) {
        return fromClasspath(loader, RulesetLimits.DEFAULT);
    }

    /** Every version shipped on the class path of {@code loader}, each file no larger than {@code limits} allow. */
    public static List<RulesetVersion> fromClasspath(ClassLoader loader, RulesetLimits limits) {
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
                        all.addAll(read(fs.getPath("/" + CLASSPATH_ROOT), "classpath:" + CLASSPATH_ROOT, limits, true));
                    } finally {
                        if (close) {
                            fs.close();
                        }
                    }
                } else {
                    all.addAll(read(Path.of(uri).getParent(), "classpath:" + CLASSPATH_ROOT, limits));
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
        return readEach(root, RulesetLimits.DEFAULT);
    }

    /** As {@link #readEach(Path)}, each file no larger than {@code limits} allow. */
    public static Loaded readEach(Path root, RulesetLimits limits) {
        if (!Files.isDirectory(root)) {
            throw new RulesetLoadException(List.of(new RulesetProblem(root.toString(), 0, 0, "not a folder")));
        }
        return readEach(root, root.toString(), limits, false);
    }

    private static Loaded readEach(Path root, String displayRoot, RulesetLimits limits, boolean scenariosNow) {
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
                    versions.add(readVersion(new Folder(root, limits), versionDir, origin, name(idDir), name(versionDir),
                            scenariosNow));
                } catch (RulesetLoadException e) {
                    failures.put(name(idDir) + "@" + name(versionDir), e.problems());
                }
            }
        }
        return new Loaded(versions, failures);
    }

    private static List<RulesetVersion> read(Path root, String displayRoot, RulesetLimits limits) {
        return read(root, displayRoot, limits, false);
    }

    /**
     * @param scenariosNow read the scenario files now (a jar file system is closed after reading):
     *                     otherwise they are read on first use
     */
    private static List<RulesetVersion> read(Path root, String displayRoot, RulesetLimits limits, boolean scenariosNow) {
        Loaded loaded = readEach(root, displayRoot, limits, scenariosNow);
        if (!loaded.failures().isEmpty()) {
            List<RulesetProblem> problems = new ArrayList<>();
            loaded.failures().values().forEach(problems::addAll);
            throw new RulesetLoadException(problems);
        }
        return loaded.versions();
    }

    /** Reads one version folder; its manifest id and version must match the folder names. */
    public static RulesetVersion readVersion(Path dir, String origin, String expectedId, String expectedVersion) {
        return readVersion(new Folder(dir, RulesetLimits.DEFAULT), dir, origin, expectedId, expectedVersion, false);
    }

    /** The folder every file must be inside (its real path), and the size limits. */
    private record Folder(Path root, RulesetLimits limits) { }

    private static RulesetVersion readVersion(Folder folder, Path dir, String origin, String expectedId, String expectedVersion,
                                              boolean scenariosNow) {
        String manifestLocation = origin + "/" + MANIFEST;
        Path manifestPath = dir.resolve(MANIFEST);
        List<RulesetProblem> problems = new ArrayList<>();
        String manifestText = text(folder, manifestPath, manifestLocation, folder.limits().manifestBytes(), "manifest", "missing",
                problems);
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
            String content = text(folder, dir.resolve(drl), origin + "/" + drl, folder.limits().drlBytes(), "DRL file",
                    "listed in " + MANIFEST + " rules but missing", problems);
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
        if (!problems.isEmpty()) {
            throw new RulesetLoadException(problems);
        }
        // scenario files are not part of the version's behaviour: read only by what runs them (test, lint)
        Map<String, String> scenarios = new LazyScenarios(() -> scenarios(folder, dir, origin));
        if (scenariosNow) {
            try {
                scenarios = new TreeMap<>(scenarios);
            } catch (RulesetLoadException e) {
                RulesetLoadException failed = e;
                scenarios = new LazyScenarios(() -> {
                    throw new RulesetLoadException(failed.problems());
                });
            }
        }
        return new RulesetVersion(manifest, files, scenarios, ContentHash.of(files), origin);
    }

    /** The scenario files of a version folder ({@code scenarios/*.yaml}), by relative path; throws naming every problem. */
    private static Map<String, String> scenarios(Folder folder, Path dir, String origin) {
        List<RulesetProblem> problems = new ArrayList<>();
        Map<String, String> scenarios = new TreeMap<>();
        Path scenarioDir = dir.resolve(SCENARIOS);
        if (Files.isDirectory(scenarioDir)) {
            for (Path p : children(scenarioDir)) {
                String n = name(p);
                if (n.endsWith(".yaml") || n.endsWith(".yml")) {
                    String content = text(folder, p, origin + "/" + SCENARIOS + "/" + n, folder.limits().scenarioBytes(),
                            "scenario file", "missing", problems);
                    if (content != null) {
                        scenarios.put(SCENARIOS + "/" + n, content);
                    }
                }
            }
        } else if (Files.exists(scenarioDir, LinkOption.NOFOLLOW_LINKS)) {
            problems.add(new RulesetProblem(origin + "/" + SCENARIOS, 0, 0, "not a folder"));
        }
        if (!problems.isEmpty()) {
            throw new RulesetLoadException(problems);
        }
        return scenarios;
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

    /**
     * The text of a ruleset file, or null after adding its problem. The file is checked before it is
     * opened, without following a link: it must be a regular file (a FIFO would block the reader,
     * a device never end), whose real path is inside the ruleset folder (a symbolic link may point
     * only within it), no larger than {@code limit}; then at most {@code limit + 1} bytes are read
     * (a file growing meanwhile is refused too), and they must be UTF-8.
     */
    private static String text(Folder folder, Path p, String location, long limit, String what, String missing,
                               List<RulesetProblem> problems) {
        Path real;
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            real = p.toRealPath();
            Path root = folder.root().toRealPath();
            if (!real.startsWith(root)) {
                problems.add(new RulesetProblem(location, 0, 0, (attrs.isSymbolicLink() ? "a symbolic link to " : "resolves to ")
                        + real + ", outside the ruleset folder " + root + ": a ruleset file must be inside it"));
                return null;
            }
            if (attrs.isSymbolicLink()) {
                attrs = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (NoSuchFileException e) {
            problems.add(new RulesetProblem(location, 0, 0, Files.isSymbolicLink(p) ? "a symbolic link to a missing file" : missing));
            return null;
        } catch (IOException e) {
            problems.add(new RulesetProblem(location, 0, 0, "cannot read: " + e.getMessage()));
            return null;
        }
        if (attrs.isDirectory()) {
            problems.add(new RulesetProblem(location, 0, 0, "a folder, not a file: a " + what + " must be a regular file"));
            return null;
        }
        if (!attrs.isRegularFile()) {
            problems.add(new RulesetProblem(location, 0, 0, kind(real) + ", not a regular file: a " + what
                    + " must be a regular file (not read)"));
            return null;
        }
        if (attrs.size() > limit) {
            problems.add(tooLarge(location, what, attrs.size() + " bytes", limit));
            return null;
        }
        // the checked file, not whatever a link put there since (a jar's file system takes no such option)
        try (InputStream in = real.getFileSystem() == FileSystems.getDefault()
                ? Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS) : Files.newInputStream(real)) {
            byte[] bytes = in.readNBytes((int) limit + 1);
            if (bytes.length > limit) {
                problems.add(tooLarge(location, what, "more than " + limit + " bytes (it grew while read)", limit));
                return null;
            }
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            problems.add(new RulesetProblem(location, 0, 0, "not valid UTF-8 text"));
        } catch (IOException e) {
            problems.add(new RulesetProblem(location, 0, 0, "cannot read: " + e.getMessage()));
        }
        return null;
    }

    private static RulesetProblem tooLarge(String location, String what, String size, long limit) {
        return new RulesetProblem(location, 0, 0, "too large: " + size + ", more than the limit of " + limit
                + " bytes for a " + what);
    }

    /** What a file that is neither a regular file, a folder nor a link is, as far as the file system says. */
    private static String kind(Path p) {
        try {
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            switch (mode & 0xf000) {
                case 0x1000:
                    return "a FIFO (named pipe)";
                case 0x2000:
                    return "a character device";
                case 0x6000:
                    return "a block device";
                case 0xc000:
                    return "a socket";
                default:
                    break;
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            // not a Unix file system: say what is known
        }
        return "a special file (FIFO, device or socket)";
    }
}
