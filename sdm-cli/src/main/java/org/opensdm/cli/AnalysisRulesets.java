package org.opensdm.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.opensdm.engine.RulesetLoadException;
import org.opensdm.engine.analysis.LoadedRulesets;

/** Shared by the analyst verbs: rulesets that keep going past a broken version, and writing report files. */
final class AnalysisRulesets {
    private AnalysisRulesets() {
    }

    /**
     * The engine of the run; when a version of the {@code --rulesets} folder does not load, the
     * versions that do, with the problems of those that do not (reported, never replaced by the
     * shipped version of the same id and version).
     */
    static LoadedRulesets load(SdmCli parent, Path dir) {
        try {
            return LoadedRulesets.of(parent.engine(dir));
        } catch (RulesetLoadException e) {
            if (dir == null) {
                throw e;
            }
            return LoadedRulesets.load(dir);
        }
    }

    /** Writes a report file (UTF-8); a file that cannot be written is a user error (exit 2). */
    static void write(Path file, String content) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new InputException("cannot write " + file + ": no such folder " + parent);
            }
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (AccessDeniedException e) {
            throw new InputException("cannot write " + file + ": permission denied");
        } catch (IOException e) {
            throw new InputException("cannot write " + file + ": " + e.getMessage());
        }
    }

    /** Reads an input file (UTF-8); a missing or unreadable one is a user error (exit 2). */
    static String read(Path file) {
        if (Files.isDirectory(file)) {
            throw new InputException("cannot read " + TerminalText.escape(file.toString()) + ": is a folder");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // a FIFO would block until a writer comes, a device never end: refused before it is opened
            throw new InputException("cannot read " + TerminalText.escape(file.toString()) + ": " + RequestFile.kind(file)
                    + ", not a regular file");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InputException("cannot read " + file + ": no such file");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new InputException("cannot read " + file + ": not UTF-8 text");
        } catch (AccessDeniedException e) {
            throw new InputException("cannot read " + file + ": permission denied");
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
