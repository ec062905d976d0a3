package org.opensdm.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;

/** The toy test rulesets under src/test/resources/rulesets, and copies of them to break. */
public final class Toy {
    private Toy() {
    }

    /** Where the toy rulesets were unpacked, when this class runs from the engine's test jar (other modules' tests). */
    private static Path unpacked;

    /** The toy rulesets folder: in the test classes, or unpacked from the test jar once. */
    public static synchronized Path rulesets() {
        try {
            java.net.URI uri = Toy.class.getResource("/rulesets").toURI();
            if (!"jar".equals(uri.getScheme())) {
                return Path.of(uri);
            }
            if (unpacked == null) {
                Path dir = Files.createTempDirectory("sdm-toy-rulesets");
                try (java.nio.file.FileSystem jar = java.nio.file.FileSystems.newFileSystem(uri, Map.of());
                     Stream<Path> files = Files.walk(jar.getPath("/rulesets"))) {
                    Path root = jar.getPath("/rulesets");
                    for (Path p : (Iterable<Path>) files::iterator) {
                        Path target = dir.resolve(root.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(target);
                        } else {
                            Files.copy(p, target);
                        }
                    }
                }
                unpacked = dir;
            }
            return unpacked;
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies the toy rulesets into {@code dir} and returns it. */
    public static Path copy(Path dir) {
        Path src = rulesets();
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = dir.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** Replaces {@code from} by {@code to} in a file of a copy; fails when {@code from} is absent. */
    /** Appends {@code text} to {@code file}. */
    public static void append(Path file, String text) {
        try {
            Files.writeString(file, text, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void edit(Path file, String from, String to) {
        try {
            String s = Files.readString(file);
            if (!s.contains(from)) {
                throw new IllegalArgumentException(file + " has no '" + from + "'");
            }
            Files.writeString(file, s.replace(from, to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SdmEngine engine() {
        return SdmEngine.builder().rulesetDirectory(rulesets()).build();
    }

    /** A valid toy 1.0 request builder: Q1 b (1), Q2 [x] (1), Q3 false → score 2, MODERATE. */
    public static EvaluationRequest.Builder request() {
        return EvaluationRequest.builder("test.toy").version("1.0").caseId("C-1")
                .assessedOn(java.time.LocalDate.of(2024, 3, 1))
                .answers(Map.of("Q1", "b", "Q3", false))
                .answer("Q2", java.util.List.of("x"));
    }
}
