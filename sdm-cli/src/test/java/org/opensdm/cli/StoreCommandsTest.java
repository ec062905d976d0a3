package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.audit.postgres.PostgresServer;

/** {@code --store JDBC_URL} on evaluate, log verify|show and replay, and {@code sdm store init|query|export|import}, on a real server. */
class StoreCommandsTest {
    static final PostgresServer SERVER = PostgresServer.shared();
    private static int schemas;

    @TempDir
    Path dir;

    String schema;
    Path passwordFile;

    @BeforeEach
    void setUp() throws IOException {
        schema = "cli_" + (++schemas);
        passwordFile = dir.resolve("pw");
        Files.writeString(passwordFile, SERVER.password() + "\n", StandardCharsets.UTF_8);
    }

    private String url() {
        return SERVER.jdbcUrl() + "?user=" + PostgresServer.USER;
    }

    /** sdm ARGS with --store, --schema and --password-file added. */
    private Cli.Result sdm(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--store", url(), "--schema", schema, "--password-file", passwordFile.toString()));
        Cli.Result r = Cli.run(all.toArray(String[]::new));
        assertThat(r.out() + r.err()).doesNotContain(SERVER.password());
        return r;
    }

    private void recordThree() throws IOException {
        Path batch = dir.resolve("batch.jsonl");
        Files.writeString(batch, String.join("\n",
                withCase(Cli.familyRisk2("2.0", "2024-03-01", "R1", "\"b\""), "A"),
                withCase(Cli.familyRisk2(null, "2026-02-01", "R3", "\"b\""), "B"),
                withCase(Cli.familyRisk1("2020-05-05"), "C")) + "\n");
        Cli.Result r = sdm("evaluate", "--batch", batch.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.outLines()).hasSize(3);
        assertThat(r.err()).containsPattern("sdm: recorded: head 3:[0-9a-f]{64} \\(chain main\\)");
    }

    private static String withCase(String request, String caseId) {
        return request.replaceFirst("\\{", "{\"caseId\":\"" + caseId + "\",");
    }

    @Test
    void init_evaluate_verify_show_query_replay_export_and_import() throws IOException {
        Cli.Result init = sdm("store", "init");
        assertThat(init.exit()).as(init.err()).isZero();
        assertThat(init.out()).contains("schema " + schema + " is at version 1").doesNotContain("user=");
        assertThat(sdm("store", "init").exit()).isZero(); // again: nothing to do

        recordThree();
        Cli.Result single = sdm("evaluate", Cli.resource("requests/family-risk-2.0.json"));
        assertThat(single.exit()).as(single.err()).isZero();
        assertThat(single.err()).contains("recorded: head 4:");

        Cli.Result verify = sdm("log", "verify");
        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("chain main: intact: 4 records");

        Cli.Result show = sdm("log", "show", "--case", "B");
        assertThat(show.exit()).isZero();
        assertThat(show.outLines()).hasSize(2);
        assertThat(show.out()).contains("ref.family-risk").contains("2.1");

        Cli.Result query = sdm("store", "query", "--ruleset", "ref.family-risk@2.0", "--json");
        assertThat(query.exit()).as(query.err()).isZero();
        assertThat(query.outLines()).hasSize(2).allMatch(l -> l.contains("\"version\":\"2.0\""));
        Cli.Result dated = sdm("store", "query", "--from", "2026-01-01", "--to", "2026-12-31");
        assertThat(dated.outLines()).hasSize(2); // header and B
        assertThat(sdm("store", "query", "--override", "maybe").exit()).isEqualTo(2);
        assertThat(sdm("store", "query", "--recorded-from", "yesterday").exit()).isEqualTo(2);

        Cli.Result replay = sdm("replay");
        assertThat(replay.exit()).as(replay.out() + replay.err()).isZero();
        assertThat(replay.out()).contains("replayed 4 records: 4 IDENTICAL");

        Path exported = dir.resolve("export.jsonl");
        Cli.Result export = sdm("store", "export", exported.toString());
        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(export.out()).contains("exported 4 records of chain main, head 4:");
        Cli.Result fileVerify = Cli.run("log", "verify", exported.toString(), "--head", verify.out().replaceAll("(?s).*\\(head (\\d+:[0-9a-f]{64})\\).*", "$1"));
        assertThat(fileVerify.exit()).as(fileVerify.out()).isZero();
        assertThat(Cli.run("replay", exported.toString()).out()).contains("replayed 4 records: 4 IDENTICAL");
        assertThat(sdm("store", "export", exported.toString()).exit()).isEqualTo(2); // exists

        Cli.Result imported = sdm("store", "import", exported.toString(), "--chain", "copy");
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("4 read, 4 added, 0 already stored");
        assertThat(sdm("log", "verify", "--chain", "copy").out()).contains("intact: 4 records");

        // tampering by hand through SQL: named by seq
        SERVER.sql("UPDATE " + schema + ".decision_record SET line = replace(line, '\"caseId\":\"B\"', '\"caseId\":\"X\"') "
                + "WHERE chain = 'main' AND seq = 2");
        Cli.Result tampered = sdm("log", "verify");
        assertThat(tampered.exit()).isEqualTo(1);
        assertThat(tampered.out()).contains("line 2: record seq 2 was altered");
        SERVER.sql("DELETE FROM " + schema + ".decision_record WHERE chain = 'copy' AND seq = 3");
        assertThat(sdm("log", "verify", "--chain", "copy").out()).contains("record seq 3 is missing");
    }

    @Test
    void usage_errors_exit_2_and_a_password_never_shows() throws IOException {
        assertThat(Cli.run("store", "init").err()).contains("--store JDBC_URL is required");
        assertThat(Cli.run("log", "verify").err()).contains("give the decision LOG, or --store JDBC_URL");
        Cli.Result inUrl = Cli.run("store", "init", "--store", SERVER.jdbcUrl() + "?user=sdm&password=hunter2-secret");
        assertThat(inUrl.exit()).isEqualTo(2);
        assertThat(inUrl.err()).contains("the JDBC URL holds a password").doesNotContain("hunter2-secret");
        Cli.Result notPg = Cli.run("store", "init", "--store", "jdbc:mysql://x/y");
        assertThat(notPg.exit()).isEqualTo(2);
        assertThat(sdm("log", "verify", "--repair").exit()).isEqualTo(2);
        assertThat(sdm("evaluate", "--record", dir.resolve("l.jsonl").toString(), Cli.resource("requests/family-risk-2.0.json"))
                .exit()).isEqualTo(2);
        assertThat(sdm("store", "init", "--schema", "Bad Name").exit()).isEqualTo(2);

        // a wrong password: exit 1, one line, neither password in it
        Path wrong = dir.resolve("wrong");
        Files.writeString(wrong, "not-" + SERVER.password());
        Cli.Result denied = Cli.run("log", "verify", "--store", url(), "--password-file", wrong.toString());
        assertThat(denied.exit()).isEqualTo(1);
        assertThat(denied.err()).contains("password authentication failed").doesNotContain(SERVER.password());
        assertThat(denied.err().lines().count()).isEqualTo(1);

        // a schema never initialised: exit 1, what to run
        Cli.Result none = sdm("log", "verify");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("holds no decision store").contains("sdm store init");

        // no server there: exit 1, clearly
        Cli.Result down = Cli.run("log", "verify", "--store", "jdbc:postgresql://127.0.0.1:1/postgres?user=sdm",
                "--password-file", passwordFile.toString());
        assertThat(down.exit()).isEqualTo(1);
        assertThat(down.err()).contains("cannot open the store").doesNotContain(SERVER.password());
    }

    @Test
    void the_password_can_come_from_the_environment() throws Exception {
        assertThat(sdm("store", "init").exit()).isZero();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SdmCli.class.getName(),
                "log", "verify", "--store", url(), "--schema", schema);
        pb.environment().put(StoreOptions.PASSWORD_ENV, SERVER.password());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        assertThat(out).contains("intact: 0 records");
        assertThat(out + err).doesNotContain(SERVER.password());
    }
}
