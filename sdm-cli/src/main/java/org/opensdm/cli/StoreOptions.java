package org.opensdm.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.opensdm.engine.audit.postgres.PostgresDecisionStore;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine.Option;

/**
 * {@code --store JDBC_URL} and its options: the PostgreSQL decision store a verb reads or appends to.
 * The password comes from the file {@code --password-file} or the environment variable
 * {@value #PASSWORD_ENV}, never from the command line or the URL (a URL holding one is refused without
 * being echoed); no message names it.
 */
final class StoreOptions {
    static final String PASSWORD_ENV = "SDM_STORE_PASSWORD";

    @Option(names = "--store", paramLabel = "JDBC_URL", description = "The PostgreSQL decision store, e.g. "
            + "jdbc:postgresql://db.example:5432/cases?user=sdm (no password in it: see --password-file and "
            + PASSWORD_ENV + ").")
    String url;

    @Option(names = "--schema", paramLabel = "NAME", description = "The store's schema (default: sdm_audit).")
    String schema;

    @Option(names = "--chain", paramLabel = "NAME", description = "The chain (stream) of records (default: main).")
    String chain;

    @Option(names = "--user", paramLabel = "NAME", description = "The database user (default: the URL's user= or the driver's default).")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE", description = "Read the database password from the first line "
            + "of FILE (else from the environment variable " + PASSWORD_ENV + ", if set).")
    Path passwordFile;

    boolean given() {
        return url != null;
    }

    /** The URL without its query (user, options) for messages; the URL never holds a password. */
    String where() {
        int q = url.indexOf('?');
        return TerminalText.escape(q < 0 ? url : url.substring(0, q));
    }

    /** The DataSource of {@code --store}, checked; usage errors (exit 2) say what is wrong without echoing a secret. */
    PGSimpleDataSource dataSource() {
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new InputException("--store: a JDBC URL of PostgreSQL is expected (jdbc:postgresql://HOST:PORT/DATABASE), "
                    + "not '" + TerminalText.escape(url.length() > 40 ? url.substring(0, 40) + "…" : url) + "'");
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.contains("password=") || lower.matches("jdbc:postgresql://[^/?]*:[^/?@]*@.*")) {
            throw new InputException("--store: the JDBC URL holds a password; give it in the file --password-file or the "
                    + "environment variable " + PASSWORD_ENV + " instead (the URL is not echoed)");
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        try {
            ds.setURL(url);
        } catch (IllegalArgumentException e) {
            throw new InputException("--store " + where() + ": not a JDBC URL the PostgreSQL driver reads");
        }
        if (user != null) {
            ds.setUser(user);
        }
        String password = password();
        if (password != null) {
            ds.setPassword(password);
        }
        ds.setConnectTimeout(10);
        ds.setApplicationName("sdm");
        return ds;
    }

    private String password() {
        if (passwordFile != null) {
            String name = TerminalText.escape(passwordFile.toString());
            if (!Files.isRegularFile(passwordFile)) {
                throw new InputException("--password-file " + name + ": no such file");
            }
            try {
                String text = Files.readString(passwordFile, StandardCharsets.UTF_8);
                int nl = text.indexOf('\n');
                String first = nl < 0 ? text : text.substring(0, nl);
                return first.endsWith("\r") ? first.substring(0, first.length() - 1) : first;
            } catch (IOException e) {
                throw new InputException("--password-file " + name + ": cannot be read");
            }
        }
        String env = System.getenv(PASSWORD_ENV);
        return env == null || env.isEmpty() ? null : env;
    }

    /** Opens the store (its schema must exist: {@code sdm store init}). */
    PostgresDecisionStore open() {
        PostgresDecisionStore.Builder b = PostgresDecisionStore.builder(dataSource()).name(where());
        try {
            if (schema != null) {
                b.schema(schema);
            }
            if (chain != null) {
                b.chain(chain);
            }
        } catch (IllegalArgumentException e) {
            throw new InputException((schema != null && e.getMessage().startsWith("a schema") ? "--schema: " : "--chain: ")
                    + e.getMessage());
        }
        return b.open();
    }

    String schemaName() {
        return schema == null ? PostgresDecisionStore.DEFAULT_SCHEMA : schema;
    }
}
