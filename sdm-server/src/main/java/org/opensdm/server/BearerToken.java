package org.opensdm.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Objects;

/**
 * The secret a client presents as {@code Authorization: Bearer <token>} (RFC 6750). Only its
 * SHA-256 digest is kept; a presented token is hashed and the two digests compared with
 * {@link MessageDigest#isEqual}, in time that depends on neither the token's content nor its length.
 *
 * <p>A token is at least {@value #MIN_LENGTH} characters of the RFC 6750 token alphabet (letters,
 * digits and {@code - . _ ~ + /}, then {@code =} padding), e.g. {@code openssl rand -hex 32}.
 */
public final class BearerToken {
    /** The shortest token taken. */
    public static final int MIN_LENGTH = 32;

    /** The largest token file read. */
    static final int MAX_FILE_BYTES = 4096;

    private final byte[] digest;

    private BearerToken(byte[] digest) {
        this.digest = digest;
    }

    /**
     * The token {@code secret}.
     *
     * @throws ServerConfigException shorter than {@value #MIN_LENGTH} characters, or a character outside the token alphabet
     */
    public static BearerToken of(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length() < MIN_LENGTH) {
            throw new ServerConfigException("the bearer token is " + secret.length() + " characters: it must be at least "
                    + MIN_LENGTH + " (e.g. the 64 of `openssl rand -hex 32`)");
        }
        if (!secret.matches("[A-Za-z0-9\\-._~+/]+=*")) {
            throw new ServerConfigException("the bearer token holds a character that a bearer token cannot carry "
                    + "(take letters, digits and - . _ ~ + /, then = padding only)");
        }
        return new BearerToken(sha256(secret));
    }

    /**
     * The token held by environment variable {@code name}.
     *
     * @throws ServerConfigException the variable is not set, is empty, or does not hold a valid token
     */
    public static BearerToken fromEnvironment(String name) {
        return fromEnvironment(name, System.getenv());
    }

    static BearerToken fromEnvironment(String name, Map<String, String> environment) {
        String value = environment.get(name);
        if (value == null || value.isEmpty()) {
            throw new ServerConfigException("the environment variable " + name + " that should hold the bearer token is "
                    + (value == null ? "not set" : "empty"));
        }
        try {
            return of(value);
        } catch (ServerConfigException e) {
            throw new ServerConfigException("the environment variable " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * The token in {@code file}: a regular file of at most 4 KiB holding the token, optionally followed
     * by one line end.
     *
     * @throws ServerConfigException the file is missing, not a regular file, too large, unreadable, or not a valid token
     */
    public static BearerToken fromFile(Path file) {
        String name = "the token file " + file;
        if (!Files.isRegularFile(file)) {
            throw new ServerConfigException(name + (Files.exists(file) ? " is not a regular file" : ": no such file"));
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new ServerConfigException(name + ": no such file", e);
        } catch (IOException e) {
            throw new ServerConfigException(name + " cannot be read: " + e.getMessage(), e);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new ServerConfigException(name + " is more than " + MAX_FILE_BYTES + " bytes: it should hold just the token");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.endsWith("\r\n")) {
            text = text.substring(0, text.length() - 2);
        } else if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        try {
            return of(text);
        } catch (ServerConfigException e) {
            throw new ServerConfigException(name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether an {@code Authorization} header value carries this token ({@code Bearer}, any case,
     * one space, the token). Null or another scheme: false.
     */
    public boolean matches(String authorization) {
        String presented = "";
        if (authorization != null && authorization.length() > 7 && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7);
        }
        // the digest of whatever was presented (even nothing) is compared, so every answer takes the same path
        return MessageDigest.isEqual(digest, sha256(presented)) && !presented.isEmpty();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** Never the token. */
    @Override
    public String toString() {
        return "BearerToken[not shown]";
    }
}
