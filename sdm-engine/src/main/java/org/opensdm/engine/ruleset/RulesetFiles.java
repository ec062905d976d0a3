package org.opensdm.engine.ruleset;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.opensdm.engine.RulesetLoadException;
import org.opensdm.engine.RulesetProblem;

/**
 * Reads ruleset versions from a folder laid out as {@code <id>/<version>/ruleset.yaml} (with the
 * DRL files the manifest lists and an optional {@code scenarios/} folder), or from the
 * {@link RulesetProvider}s on a class path (the same layout, listed by the provider).
 */
public final class RulesetFiles {
    /** The class-path folder of the shipped rulesets (see {@code org.opensdm.rulesets.ShippedRulesets}). */
    public static final String CLASSPATH_ROOT = "sdm/rulesets";
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

    /** Every version that the {@link RulesetProvider}s on the class path of {@code loader} provide. */
    public static List<RulesetVersion> fromClasspath(ClassLoader loader) {
        return fromClasspath(loader, RulesetLimits.DEFAULT);
    }

    /**
     * Every version that the {@link RulesetProvider}s found by {@link ServiceLoader} on the class path
     * of {@code loader} provide, each file no larger than {@code limits} allow.
     */
    public static List<RulesetVersion> fromClasspath(ClassLoader loader, RulesetLimits limits) {
        List<RulesetVersion> all = new ArrayList<>();
        List<RulesetProblem> problems = new ArrayList<>();
        try {
            for (RulesetProvider provider : ServiceLoader.load(RulesetProvider.class, loader)) {
                try {
                    all.addAll(fromProvider(provider, limits));
                } catch (RulesetLoadException e) {
                    problems.addAll(e.problems());
                }
            }
        } catch (ServiceConfigurationError | IllegalStateException e) {
            problems.add(new RulesetProblem("classpath:META-INF/services/" + RulesetProvider.class.getName(), 0, 0,
                    "cannot load a ruleset provider: " + e.getMessage()));
        }
        if (!problems.isEmpty()) {
            throw new RulesetLoadException(problems);
        }
        return all;
    }

    /** Every version {@code provider} provides, read with the checks and limits of a folder's; throws naming every problem. */
    public static List<RulesetVersion> fromProvider(RulesetProvider provider, RulesetLimits limits) {
        Map<String, Set<String>> versionsOf = new TreeMap<>();
        for (String f : provider.files()) {
            String[] parts = f.split("/", 3);
            if (parts.length == 3) {
                versionsOf.computeIfAbsent(parts[0], k -> new java.util.TreeSet<>()).add(parts[1]);
            }
        }
        List<RulesetVersion> versions = new ArrayList<>();
        List<RulesetProblem> problems = new ArrayList<>();
        versionsOf.forEach((id, vs) -> vs.forEach(v -> {
            try {
                versions.add(readVersion(new ProviderTree(provider, id + "/" + v + "/", limits),
                        provider.origin() + "/" + id + "/" + v, id, v, false).withCompiled(PrecompiledRules.of(provider, id, v)));
            } catch (RulesetLoadException e) {
                problems.addAll(e.problems());
            }
        }));
        if (!problems.isEmpty()) {
            throw new RulesetLoadException(problems);
        }
        return versions;
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
                    versions.add(readVersion(new FolderTree(new Folder(root, limits), versionDir), origin, name(idDir),
                            name(versionDir), scenariosNow));
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
        return readVersion(new FolderTree(new Folder(dir, RulesetLimits.DEFAULT), dir), origin, expectedId, expectedVersion, false);
    }

    /** The folder every file must be inside (its real path), and the size limits. */
    private record Folder(Path root, RulesetLimits limits) { }

    /** The files of one version folder, by path relative to it, wherever they are stored. */
    private interface Tree {
        RulesetLimits limits();

        /** The text of a file, or null after adding its problem ({@code missing} if it is not there). */
        String text(String path, String location, long limit, String what, String missing, List<RulesetProblem> problems);

        /** The names in a folder of the version (sorted; none if it is not there). */
        List<String> names(String dir);

        /** Whether {@code path} is a folder; a problem for it if it is there but not a folder. */
        boolean isFolder(String path, String location, List<RulesetProblem> problems);
    }

    /** A version folder on a file system: every file checked as {@link #text(Folder, Path, String, long, String, String, List)} says. */
    private record FolderTree(Folder folder, Path dir) implements Tree {
        @Override
        public RulesetLimits limits() {
            return folder.limits();
        }

        @Override
        public String text(String path, String location, long limit, String what, String missing, List<RulesetProblem> problems) {
            return RulesetFiles.text(folder, dir.resolve(path), location, limit, what, missing, problems);
        }

        @Override
        public List<String> names(String sub) {
            Path p = sub.isEmpty() ? dir : dir.resolve(sub);
            return Files.isDirectory(p) ? children(p).stream().map(RulesetFiles::name).toList() : List.of();
        }

        @Override
        public boolean isFolder(String path, String location, List<RulesetProblem> problems) {
            Path p = dir.resolve(path);
            if (Files.isDirectory(p)) {
                return true;
            }
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                problems.add(new RulesetProblem(location, 0, 0, "not a folder"));
            }
            return false;
        }
    }

    /** A version of a {@link RulesetProvider}: the files under {@code prefix} of its list. */
    private record ProviderTree(RulesetProvider provider, String prefix, RulesetLimits limits) implements Tree {
        @Override
        public String text(String path, String location, long limit, String what, String missing, List<RulesetProblem> problems) {
            if (!provider.files().contains(prefix + path)) {
                problems.add(new RulesetProblem(location, 0, 0, missing));
                return null;
            }
            try (InputStream in = provider.open(prefix + path)) {
                return utf8(in.readNBytes((int) limit + 1), location, what, limit, problems);
            } catch (IOException e) {
                problems.add(new RulesetProblem(location, 0, 0, "cannot read: " + e.getMessage()));
                return null;
            }
        }

        @Override
        public List<String> names(String sub) {
            String base = prefix + (sub.isEmpty() ? "" : sub + "/");
            return provider.files().stream().filter(f -> f.startsWith(base))
                    .map(f -> f.substring(base.length()))
                    .map(rest -> rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest)
                    .distinct().sorted().toList();
        }

        @Override
        public boolean isFolder(String path, String location, List<RulesetProblem> problems) {
            String base = prefix + path + "/";
            return provider.files().stream().anyMatch(f -> f.startsWith(base));
        }
    }

    private static RulesetVersion readVersion(Tree tree, String origin, String expectedId, String expectedVersion,
                                              boolean scenariosNow) {
        String manifestLocation = origin + "/" + MANIFEST;
        List<RulesetProblem> problems = new ArrayList<>();
        String manifestText = tree.text(MANIFEST, manifestLocation, tree.limits().manifestBytes(), "manifest", "missing",
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
            String content = tree.text(drl, origin + "/" + drl, tree.limits().drlBytes(), "DRL file",
                    "listed in " + MANIFEST + " rules but missing", problems);
            if (content != null) {
                files.put(drl, content);
            }
        }
        for (String n : tree.names("")) {
            if (n.endsWith(".drl") && !manifest.rules().contains(n)) {
                problems.add(new RulesetProblem(origin + "/" + n, 0, 0, "DRL file not listed in " + MANIFEST + " rules"));
            }
        }
        if (!problems.isEmpty()) {
            throw new RulesetLoadException(problems);
        }
        // scenario files are not part of the version's behaviour: read only by what runs them (test, lint)
        Map<String, String> scenarios = new LazyScenarios(() -> scenarios(tree, origin));
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
    private static Map<String, String> scenarios(Tree tree, String origin) {
        List<RulesetProblem> problems = new ArrayList<>();
        Map<String, String> scenarios = new TreeMap<>();
        if (tree.isFolder(SCENARIOS, origin + "/" + SCENARIOS, problems)) {
            for (String n : tree.names(SCENARIOS)) {
                if (n.endsWith(".yaml") || n.endsWith(".yml")) {
                    String content = tree.text(SCENARIOS + "/" + n, origin + "/" + SCENARIOS + "/" + n,
                            tree.limits().scenarioBytes(), "scenario file", "missing", problems);
                    if (content != null) {
                        scenarios.put(SCENARIOS + "/" + n, content);
                    }
                }
            }
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
            return utf8(in.readNBytes((int) limit + 1), location, what, limit, problems);
        } catch (IOException e) {
            problems.add(new RulesetProblem(location, 0, 0, "cannot read: " + e.getMessage()));
        }
        return null;
    }

    /** The text of at most {@code limit} bytes read (limit + 1 were asked for), or null after adding its problem. */
    private static String utf8(byte[] bytes, String location, String what, long limit, List<RulesetProblem> problems) {
        if (bytes.length > limit) {
            problems.add(tooLarge(location, what, "more than " + limit + " bytes", limit));
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            problems.add(new RulesetProblem(location, 0, 0, "not valid UTF-8 text"));
            return null;
        }
    }

    private static RulesetProblem tooLarge(String location, String what, String size, long limit) {
        return new RulesetProblem(location, 0, 0, "too large: " + size + ", more than the limit of " + limit
                + " bytes for a " + what);
    }

    /** What a file that is neither a regular file, a folder nor a link is, as far as the file system says. */
    private static String kind(Path p) {
        return specialFileKind(p, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * What a file that is neither a regular file nor a folder is ("a FIFO (named pipe)", "a character
     * device" ...), as far as the file system says, for messages that refuse to read it.
     */
    public static String specialFileKind(Path p, LinkOption... options) {
        try {
            int mode = (Integer) Files.getAttribute(p, "unix:mode", options);
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
