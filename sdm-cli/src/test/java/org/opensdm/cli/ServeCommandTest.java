package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.analysis.RequestSampler;
import org.opensdm.engine.json.SdmJson;
import org.opensdm.engine.ruleset.RulesetVersion;
import picocli.CommandLine;

/**
 * {@code sdm serve}, run in-process: what it answers is what the other verbs print, byte for byte,
 * for thousands of generated requests across every shipped version; and its settings are checked
 * before it listens.
 */
class ServeCommandTest {
    private static final Pattern SERVING = Pattern.compile("sdm: serving on (http://[^ ]+/) ");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static Running serve;
    /** Per shipped version: requests the sampler drew (plain JSON text), seed 14. */
    private static final Map<String, List<String>> SAMPLES = new java.util.TreeMap<>();

    /** A {@code sdm serve} running on a thread of this JVM. */
    record Running(CommandLine cmd, CompletableFuture<Integer> exit, StringWriter err, URI base) {
        int stop() throws Exception {
            ((ServeCommand) cmd.getSubcommands().get("serve").getCommand()).stop.countDown();
            return exit.get(60, TimeUnit.SECONDS);
        }
    }

    static Running start(String... args) throws Exception {
        CommandLine cmd = SdmCli.commandLine(new ByteArrayInputStream(new byte[0]), Cli.ENGINES);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("serve", "--port", "0"));
        all.addAll(List.of(args));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cmd.execute(all.toArray(new String[0])));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < until) {
            Matcher m = SERVING.matcher(err.toString());
            if (m.find()) {
                return new Running(cmd, exit, err, URI.create(m.group(1)));
            }
            if (exit.isDone()) {
                throw new AssertionError("sdm serve ended with exit " + exit.get() + ": " + err);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("sdm serve did not say where it listens: " + err);
    }

    @BeforeAll
    static void serve() throws Exception {
        serve = start();
        RequestSampler sampler = new RequestSampler(Cli.SHIPPED);
        for (RulesetVersion v : Cli.SHIPPED.registry().versions()) {
            SAMPLES.put(v.key(), sampler.sample(v.id(), v.version(), 400, 14).requests().stream().map(SdmJson::write).toList());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        assertThat(serve.stop()).isZero();
        assertThat(serve.err().toString()).endsWith("sdm: stopped\n");
    }

    static HttpResponse<byte[]> post(URI base, String path, String type, byte[] body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", type)
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void post_evaluate_answers_byte_for_byte_what_sdm_evaluate_compact_prints_for_thousands_of_generated_requests()
            throws Exception {
        int compared = 0;
        for (Map.Entry<String, List<String>> e : SAMPLES.entrySet()) {
            for (String request : e.getValue()) {
                Cli.Result cli = Cli.runWithStdin(request, "evaluate", "--compact", "-");
                assertThat(cli.exit()).as(e.getKey() + ": " + cli.err()).isZero();
                HttpResponse<byte[]> http = post(serve.base(), "evaluate", "application/json", request.getBytes(StandardCharsets.UTF_8));
                assertThat(http.statusCode()).isEqualTo(200);
                assertThat(http.body()).as(e.getKey() + " " + request).isEqualTo(cli.out().getBytes(StandardCharsets.UTF_8));
                compared++;
            }
        }
        assertThat(SAMPLES).hasSize(Cli.SHIPPED.registry().versions().size());
        assertThat(compared).isEqualTo(400 * SAMPLES.size()).isGreaterThanOrEqualTo(3000);
    }

    @Test
    void post_evaluate_batch_answers_the_lines_sdm_evaluate_batch_prints(@TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        SAMPLES.values().forEach(s -> lines.addAll(s.subList(0, 25)));
        lines.add(3, "{\"ruleset\":\"ref.family-risk\",\"answers\":{\"R1\":\"z\"}}");
        lines.add(7, "");
        lines.add(9, "not json");
        lines.add("{\"ruleset\":\"ref.nothing\"}");
        String body = String.join("\n", lines) + "\n";
        Path file = Files.writeString(dir.resolve("batch.jsonl"), body);

        Cli.Result cli = Cli.run("evaluate", "--batch", file.toString());
        HttpResponse<byte[]> http = post(serve.base(), "evaluate/batch", "application/x-ndjson", body.getBytes(StandardCharsets.UTF_8));

        assertThat(cli.exit()).isEqualTo(2);
        assertThat(http.statusCode()).isEqualTo(200);
        assertThat(new String(http.body(), StandardCharsets.UTF_8)).isEqualTo(cli.out());
        assertThat(cli.outLines()).hasSize(lines.size() - 1);
    }

    @Test
    void post_whatif_answers_byte_for_byte_what_sdm_whatif_compact_prints() throws Exception {
        int compared = 0;
        for (Map.Entry<String, List<String>> e : SAMPLES.entrySet()) {
            for (String request : e.getValue().subList(0, 30)) {
                Cli.Result cli = Cli.runWithStdin(request, "whatif", "--compact", "-");
                assertThat(cli.exit()).as(e.getKey() + ": " + cli.err()).isZero();
                HttpResponse<byte[]> http = post(serve.base(), "whatif", "application/json", request.getBytes(StandardCharsets.UTF_8));
                assertThat(http.statusCode()).isEqualTo(200);
                assertThat(http.body()).as(e.getKey() + " " + request).isEqualTo(cli.out().getBytes(StandardCharsets.UTF_8));
                compared++;
            }
        }
        assertThat(compared).isEqualTo(30 * SAMPLES.size());
        // and the errors are the same problems
        String bad = "{\"ruleset\":\"ref.family-risk\",\"version\":\"2.0\",\"answers\":{\"R1\":\"z\"}}";
        Cli.Result cli = Cli.runWithStdin(bad, "whatif", "--compact", "-");
        HttpResponse<byte[]> http = post(serve.base(), "whatif", "application/json", bad.getBytes(StandardCharsets.UTF_8));
        assertThat(http.statusCode()).isEqualTo(400);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> problems = (List<Map<String, Object>>) ((Map<String, Object>) SdmJson.readPlain(
                new String(http.body(), StandardCharsets.UTF_8))).get("problems");
        assertThat(cli.exit()).isEqualTo(2);
        for (Map<String, Object> p : problems) {
            assertThat(cli.err()).contains("  " + p.get("path") + ": " + p.get("message"));
        }
        assertThat(problems).hasSize((int) cli.err().lines().filter(l -> l.startsWith("  ")).count());
    }

    @Test
    void with_record_every_decision_is_in_the_log_and_the_head_is_printed_on_stop(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("decisions.jsonl");
        Running recording = start("--record", log.toString());
        String request = SAMPLES.get("ref.family-risk@2.0").get(0);
        assertThat(post(recording.base(), "evaluate", "application/json", request.getBytes(StandardCharsets.UTF_8)).statusCode())
                .isEqualTo(200);
        assertThat(recording.err().toString()).contains("recording in " + log);
        assertThat(recording.stop()).isZero();
        assertThat(recording.err().toString()).containsPattern("sdm: recorded: head 1:[0-9a-f]{64}\n$");
        Cli.Result verify = Cli.run("log", "verify", log.toString());
        assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    }

    @Test
    void unsafe_or_impossible_settings_exit_2_before_anything_listens(@TempDir Path dir) throws Exception {
        Cli.Result open = Cli.run("serve", "--host", "0.0.0.0", "--port", "0");
        assertThat(open.exit()).isEqualTo(2);
        assertThat(open.err()).isEqualTo("sdm: listening on 0.0.0.0 would open the service to other machines: give a bearer "
                + "token (sdm serve --token-env VAR or --token-file FILE), or listen on 127.0.0.1\n");

        Cli.Result env = Cli.run("serve", "--port", "0", "--token-env", "SDM_TEST_TOKEN_THAT_IS_NOT_SET");
        assertThat(env.exit()).isEqualTo(2);
        assertThat(env.err()).contains("the environment variable SDM_TEST_TOKEN_THAT_IS_NOT_SET that should hold the bearer "
                + "token is not set");

        Cli.Result file = Cli.run("serve", "--port", "0", "--token-file", dir.resolve("none").toString());
        assertThat(file.exit()).isEqualTo(2);
        assertThat(file.err()).contains("no such file");

        Path token = Files.writeString(dir.resolve("token"), "x".repeat(40));
        Cli.Result both = Cli.run("serve", "--token-env", "A", "--token-file", token.toString());
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");

        Cli.Result time = Cli.run("serve", "--port", "0", "--time-limit", "0");
        assertThat(time.exit()).isEqualTo(2);
        assertThat(time.err()).contains("--time-limit must be more than 0 and at most 86400 seconds");

        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Cli.Result busy = Cli.run("serve", "--port", String.valueOf(taken.getLocalPort()));
            assertThat(busy.exit()).isEqualTo(2);
            assertThat(busy.err()).startsWith("sdm: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void a_ruleset_that_does_not_compile_exits_4_before_anything_listens(@TempDir Path dir) throws Exception {
        Path copy = ShippedCopy.copy(dir, "ref.family-risk", "2.0");
        Path drl = copy.resolve("family-risk.drl");
        Files.writeString(drl, Files.readString(drl).replace("    scores.add($a);", "    scores.add($a) +;"));

        Cli.Result r = Cli.run("serve", "--port", "0", "--rulesets", dir.toString());

        assertThat(r.exit()).as(r.err()).isEqualTo(4);
        assertThat(r.err()).startsWith("sdm: ruleset failed to load").contains("family-risk.drl:").doesNotContain("serving on");
    }

    @Test
    void with_a_token_file_it_listens_beyond_loopback_and_asks_for_the_token(@TempDir Path dir) throws Exception {
        String secret = "f".repeat(64);
        Path token = Files.writeString(dir.resolve("token"), secret + "\n");
        Running guarded = start("--host", "0.0.0.0", "--token-file", token.toString());
        try {
            URI base = URI.create(guarded.base().toString().replace("0.0.0.0", "127.0.0.1"));
            assertThat(guarded.err().toString()).contains("bearer token required");
            HttpResponse<byte[]> without = HTTP.send(HttpRequest.newBuilder(base.resolve("rulesets")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(without.statusCode()).isEqualTo(401);
            HttpResponse<byte[]> with = HTTP.send(HttpRequest.newBuilder(base.resolve("rulesets"))
                    .header("Authorization", "Bearer " + secret).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(with.statusCode()).isEqualTo(200);
        } finally {
            assertThat(guarded.stop()).isZero();
        }
    }
}
