package org.opensdm.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Copies a shipped ruleset version into a {@code --rulesets} folder, to edit or break it. */
final class ShippedCopy {
    private ShippedCopy() {
    }

    /**
     * Copies {@code id/version} under {@code root}; with {@code scenarioFiles}, keeps only those
     * scenario files (e.g. {@code cut-points.yaml}).
     */
    static Path copy(Path root, String id, String version, String... scenarioFiles) {
        Path from = Cli.SHIPPED_RULESETS.resolve(id).resolve(version);
        Path to = root.resolve(id).resolve(version);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                boolean scenario = p.getParent() != null && p.getParent().getFileName().toString().equals("scenarios");
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!scenario || scenarioFiles.length == 0 || List.of(scenarioFiles).contains(p.getFileName().toString())) {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }

    /** Replaces {@code from} by {@code to} in a file; fails when {@code from} is absent. */
    static void edit(Path file, String from, String to) {
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
}
