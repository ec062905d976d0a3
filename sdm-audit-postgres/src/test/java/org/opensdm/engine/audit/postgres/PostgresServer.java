package org.opensdm.engine.audit.postgres;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real, throwaway PostgreSQL server for tests: {@code initdb} into a temporary folder, started by
 * {@code pg_ctl} on a free port of 127.0.0.1 (and a Unix socket in that folder), stopped and deleted
 * at the end of the JVM (or by {@link #close()}). PostgreSQL refuses to run as root: when the tests run
 * as root, the server runs as the OS user {@code postgres} ({@code su postgres}), which owns the folder.
 *
 * <p>The server binaries are looked for under {@code /usr/lib/postgresql/<version>/bin} (Debian's
 * layout, newest version first) and then on the PATH. Without them the tests fail, saying so: install
 * PostgreSQL ({@code apt-get install -y postgresql}; {@code .ci/run} does it when it is missing).
 *
 * <p>Connections need a password (scram-sha-256), as in production: user {@value #USER}, password
 * {@link #password()}.
 */
public final class PostgresServer implements AutoCloseable {
    public static final String USER = "sdm";
    private static PostgresServer shared;

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final int port;
    private final String password;
    private final boolean asPostgres;
    private boolean stopped;

    private PostgresServer(Path bin, Path dir, int port, String password, boolean asPostgres) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
        this.password = password;
        this.asPostgres = asPostgres;
    }

    /** The server of this JVM's tests, started on first use and stopped when the JVM exits. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            PostgresServer s = start();
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "stop-postgres"));
            shared = s;
        }
        return shared;
    }

    /** Starts a new server (initdb, then pg_ctl start). */
    public static PostgresServer start() {
        Path bin = findBin();
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path dir = Files.createTempDirectory("sdm-pg-");
            String password = "pw-" + Long.toHexString(Double.doubleToLongBits(Math.random())) + "-\u00e9'\"$ x";
            Path pw = dir.resolve("pwfile");
            Files.writeString(pw, password + "\n", StandardCharsets.UTF_8);
            if (root) {
                UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
                UserPrincipal postgres = users.lookupPrincipalByName("postgres");
                Files.setOwner(dir, postgres);
                Files.setOwner(pw, postgres);
            }
            PostgresServer s = new PostgresServer(bin, dir, freePort(), password, root);
            s.run(120, bin.resolve("initdb").toString(), "-D", s.data.toString(), "-U", USER, "--pwfile=" + pw,
                    "--auth=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync");
            Files.delete(pw);
            s.startServer();
            s.watchdog();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a PostgreSQL server for the tests", e);
        }
    }

    /**
     * A shell that outlives this JVM if it is killed (SIGKILL runs no shutdown hook): once the JVM is gone,
     * it stops the server and deletes its folder, so that no server is left running.
     */
    private void watchdog() {
        String stop = shellQuote(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop");
        String script = "while [ -d /proc/" + ProcessHandle.current().pid() + " ]; do sleep 1; done; "
                + (asPostgres ? "su postgres -s /bin/sh -c " + shellQuote(stop) : stop) + " >/dev/null 2>&1; rm -rf "
                + shellQuote(dir.toString());
        try {
            new ProcessBuilder("setsid", "sh", "-c", script).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            // no setsid: the shutdown hook still stops the server when the JVM exits normally
        }
    }

    private static Path findBin() {
        List<Path> candidates = new ArrayList<>();
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.sorted(Comparator.comparing((Path p) -> versionNumber(p.getFileName().toString())).reversed())
                        .forEach(v -> candidates.add(v.resolve("bin")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String p : path.split(File.pathSeparator)) {
                if (!p.isEmpty()) {
                    candidates.add(Path.of(p));
                }
            }
        }
        for (Path c : candidates) {
            if (Files.isExecutable(c.resolve("initdb")) && Files.isExecutable(c.resolve("pg_ctl"))) {
                return c;
            }
        }
        throw new IllegalStateException("PostgreSQL is not installed: no initdb and pg_ctl under /usr/lib/postgresql/*/bin "
                + "or on the PATH. The PostgreSQL store's tests run a real server: install it (Debian: apt-get install -y "
                + "postgresql; .ci/run does this when it is missing)");
    }

    private static int versionNumber(String name) {
        try {
            return Integer.parseInt(name.replaceAll("[^0-9].*", ""));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void startServer() {
        run(120, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(), "-w",
                "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=100 "
                        + "-c shared_buffers=64MB -c fsync=on -c synchronous_commit=on", "start");
    }

    /** Runs a server binary (as postgres when this JVM is root); fails with its output when it fails. */
    private String run(int seconds, String... command) {
        List<String> cmd = new ArrayList<>();
        if (asPostgres) {
            cmd.addAll(List.of("su", "postgres", "-s", "/bin/sh", "-c", shellQuote(command)));
        } else {
            cmd.addAll(List.of(command));
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            // pg_ctl start leaves the server holding no pipe of ours (-l): reading to the end is safe
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command[0] + " did not finish in " + seconds + " s: " + out);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + out
                        + serverLog());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String serverLog() {
        try {
            Path log = dir.resolve("server.log");
            return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String shellQuote(String... words) {
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            sb.append(sb.length() == 0 ? "" : " ").append('\'').append(w.replace("'", "'\\''")).append('\'');
        }
        return sb.toString();
    }

    public int port() {
        return port;
    }

    public String password() {
        return password;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/postgres} (no user, no password). */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** A plain (unpooled) DataSource: user {@value #USER} and the password. */
    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName("postgres");
        ds.setUser(USER);
        ds.setPassword(password);
        ds.setConnectTimeout(10);
        return ds;
    }

    /** Runs SQL as the superuser (e.g. to create a schema, to tamper with a record, or pg_terminate_backend). */
    public void sql(String sql) {
        try (Connection c = dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** {@code pg_ctl restart -m fast}: every connection is cut (the server rolls back their transactions). */
    public void restart() {
        run(120, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop");
        startServer();
    }

    /** Stops the server ({@code -m immediate}) and deletes its folder. Idempotent. */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            run(60, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
        } catch (RuntimeException e) {
            // already stopped
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary folder: left behind
        }
    }
}
