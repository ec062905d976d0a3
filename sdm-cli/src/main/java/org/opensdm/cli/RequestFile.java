package org.opensdm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.function.Supplier;
import org.opensdm.engine.InvalidRequestException;
import org.opensdm.engine.Problem;

/**
 * A request given on the command line: a file, or {@code -} for standard input; read with a
 * size limit (the verbs that take one request: {@code evaluate}, {@code whatif}).
 */
final class RequestFile {
    private final String file;
    private final Supplier<InputStream> stdin;

    RequestFile(String file, Supplier<InputStream> stdin) {
        this.file = file;
        this.stdin = stdin;
    }

    /**
     * The request's bytes: at most {@code limit + 1} are read, so that an endless or huge input
     * (a request piped from {@code /dev/zero}) is refused as soon as it passes the limit, with
     * the memory of one request.
     */
    byte[] read(int limit) {
        try (InputStream in = open()) {
            if (size >= 0 && size > limit) {
                throw tooLarge(size + " bytes", limit);
            }
            byte[] bytes = in.readNBytes((int) Math.min((long) limit + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > limit) {
                throw new InvalidRequestException(List.of(new Problem("$", "the request" + ("-".equals(file) ? "" : " file "
                        + TerminalText.escape(file)) + " is more than the limit of " + limit + " bytes (read no further than "
                        + bytes.length + " bytes)")));
            }
            return bytes;
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private InvalidRequestException tooLarge(String size, int limit) {
        return new InvalidRequestException(List.of(new Problem("$", "the request" + ("-".equals(file) ? "" : " file "
                + TerminalText.escape(file))
                + " is " + size + ", more than the limit of " + limit + " bytes")));
    }

    /** The size of the request file once opened (-1: standard input). */
    private long size = -1;

    /**
     * The request file, or standard input. A file must be a regular file: a folder, a FIFO (which
     * would block until some writer comes) or a device ({@code /dev/zero} never ends) is refused
     * before it is opened.
     */
    InputStream open() {
        if ("-".equals(file)) {
            return new NonClosing(stdin.get());
        }
        Path p = Path.of(file);
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            if (a.isDirectory()) {
                throw new InputException("cannot read " + TerminalText.escape(file) + ": is a folder");
            }
            if (!a.isRegularFile()) {
                throw new InputException("cannot read " + TerminalText.escape(file) + ": " + kind(p)
                        + ", not a regular file (give a file, or - to read standard input)");
            }
            size = a.size();
            return Files.newInputStream(p);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /** What a file that is neither a regular file nor a folder is, as far as the file system says. */
    static String kind(Path p) {
        return org.opensdm.engine.ruleset.RulesetFiles.specialFileKind(p);
    }

    private InputException unreadable(IOException e) {
        String why = e instanceof NoSuchFileException ? "no such file"
                : e instanceof AccessDeniedException ? "permission denied"
                : e.getMessage();
        return new InputException("cannot read " + ("-".equals(file) ? "standard input" : TerminalText.escape(file)) + ": " + why);
    }


    /** Standard input stays open for whoever owns it (tests run many commands on one JVM). */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
