package org.opensdm.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opensdm.server.ServiceTest.JSON;
import static org.opensdm.server.ServiceTest.assertProblem;
import static org.opensdm.server.ServiceTest.request;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.Decision;
import org.opensdm.engine.DecisionSink;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.audit.DecisionLogException;
import org.opensdm.engine.audit.DecisionRecord;
import org.opensdm.engine.audit.Replay;
import org.opensdm.engine.audit.ReplayResult;

/**
 * Safe by default: loopback unless told otherwise, a bearer token beyond it (compared in constant
 * time), loopback host names only, CORS off unless configured, and no stack trace or internal
 * message in any answer.
 */
class SecurityTest {
    static final String TOKEN = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @Test
    void it_listens_on_127_0_0_1_unless_told_otherwise() {
        try (SdmServer s = SdmServer.builder(Service.SHIPPED).port(0).build().start()) {
            assertThat(s.host()).isEqualTo("127.0.0.1");
            assertThat(s.uri().toString()).startsWith("http://127.0.0.1:");
        }
        assertThat(SdmServer.DEFAULT_HOST).isEqualTo("127.0.0.1");
    }

    @Test
    void listening_beyond_this_machine_needs_a_bearer_token() {
        for (String host : List.of("0.0.0.0", "::")) {
            assertThatThrownBy(() -> SdmServer.builder(Service.SHIPPED).host(host).port(0).build())
                    .isInstanceOf(ServerConfigException.class)
                    .hasMessage("listening on " + host + " would open the service to other machines: give a bearer token "
                            + "(sdm serve --token-env VAR or --token-file FILE), or listen on 127.0.0.1");
        }
        for (String host : List.of("127.0.0.1", "localhost", "::1")) {
            assertThat(SdmServer.builder(Service.SHIPPED).host(host).port(0).build()).isNotNull();
        }
    }

    @Test
    void with_a_token_every_route_but_the_workbench_health_and_openapi_needs_it() {
        try (Service s = Service.start(b -> b.host("0.0.0.0").bearerToken(BearerToken.of(TOKEN)))) {
            Service.Response none = s.get("rulesets");
            assertProblem(none, 401, "unauthorized");
            assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"sdm\"");
            Service.Response wrong = s.post("evaluate", JSON, request("01-family-risk-2.0-low.json"),
                    "Authorization", "Bearer " + TOKEN.replace('0', '1'));
            assertProblem(wrong, 401, "unauthorized");
            assertThat(wrong.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"sdm\", error=\"invalid_token\"");
            assertProblem(s.get("metrics", "Authorization", "Basic " + TOKEN), 401, "unauthorized");
            assertProblem(s.get("metrics", "Authorization", "Bearer " + TOKEN + "x"), 401, "unauthorized");

            assertThat(s.get("rulesets", "Authorization", "Bearer " + TOKEN).status()).isEqualTo(200);
            assertThat(s.get("metrics", "Authorization", "bearer " + TOKEN).status()).isEqualTo(200);
            assertThat(s.post("evaluate", JSON, request("01-family-risk-2.0-low.json"), "Authorization", "Bearer " + TOKEN)
                    .status()).isEqualTo(200);
            for (String open : List.of("", "health", "openapi.json", "assets/workbench.js", "assets/workbench.css")) {
                assertThat(s.get(open).status()).as(open).isEqualTo(200);
            }
            // bound beyond loopback, any host name (the token guards it)
            assertThat(raw(s, "GET /health HTTP/1.1\r\nHost: sdm.example.org\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void a_token_is_long_enough_and_of_the_bearer_alphabet_and_never_shown() {
        assertThatThrownBy(() -> BearerToken.of("short")).isInstanceOf(ServerConfigException.class)
                .hasMessageContaining("is 5 characters: it must be at least 32");
        assertThatThrownBy(() -> BearerToken.of(TOKEN + " x")).isInstanceOf(ServerConfigException.class)
                .hasMessageContaining("a character that a bearer token cannot carry");
        BearerToken t = BearerToken.of(TOKEN);
        assertThat(t.toString()).doesNotContain(TOKEN).doesNotContain("0123");
        assertThat(t.matches("Bearer " + TOKEN)).isTrue();
        assertThat(t.matches("BEARER " + TOKEN)).isTrue();
        assertThat(t.matches(null)).isFalse();
        assertThat(t.matches("")).isFalse();
        assertThat(t.matches("Bearer ")).isFalse();
        assertThat(t.matches(TOKEN)).isFalse();
        assertThat(t.matches("Bearer  " + TOKEN)).isFalse();
    }

    @Test
    void a_token_comes_from_an_environment_variable_or_a_file(@TempDir Path dir) throws IOException {
        assertThat(BearerToken.fromEnvironment("SDM_TOKEN", Map.of("SDM_TOKEN", TOKEN)).matches("Bearer " + TOKEN)).isTrue();
        assertThatThrownBy(() -> BearerToken.fromEnvironment("SDM_TOKEN", Map.of())).isInstanceOf(ServerConfigException.class)
                .hasMessage("the environment variable SDM_TOKEN that should hold the bearer token is not set");
        assertThatThrownBy(() -> BearerToken.fromEnvironment("SDM_TOKEN", Map.of("SDM_TOKEN", "")))
                .hasMessage("the environment variable SDM_TOKEN that should hold the bearer token is empty");
        assertThatThrownBy(() -> BearerToken.fromEnvironment("SDM_TOKEN", Map.of("SDM_TOKEN", "abc")))
                .hasMessageStartingWith("the environment variable SDM_TOKEN: the bearer token is 3 characters");

        Path file = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        assertThat(BearerToken.fromFile(file).matches("Bearer " + TOKEN)).isTrue();
        Files.writeString(file, TOKEN + "\r\n");
        assertThat(BearerToken.fromFile(file).matches("Bearer " + TOKEN)).isTrue();
        Files.writeString(file, TOKEN + "\n\n");
        assertThatThrownBy(() -> BearerToken.fromFile(file)).hasMessageContaining("a character that a bearer token cannot carry");
        assertThatThrownBy(() -> BearerToken.fromFile(dir.resolve("missing"))).hasMessageEndingWith("missing: no such file");
        assertThatThrownBy(() -> BearerToken.fromFile(dir)).hasMessageEndingWith("is not a regular file");
        Files.write(file, new byte[5000]);
        assertThatThrownBy(() -> BearerToken.fromFile(file)).hasMessageContaining("is more than 4096 bytes");
    }

    @Test
    void bound_to_loopback_it_answers_only_requests_addressed_to_a_loopback_name() throws IOException {
        try (Service s = Service.start()) {
            int port = s.server.port();
            for (String host : List.of("localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "LOCALHOST", "127.0.0.1")) {
                assertThat(raw(s, "GET /rulesets HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")).as(host)
                        .startsWith("HTTP/1.1 200");
            }
            for (String host : List.of("evil.example:" + port, "evil.example", "localhost.evil.example", "127.0.0.1.nip.io")) {
                String answer = raw(s, "GET /rulesets HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
                assertThat(answer).as(host).startsWith("HTTP/1.1 403").contains("urn:opensdm:problem:host-not-allowed");
            }
            // the workbench page too: a rebinding page gets nothing from it
            assertThat(raw(s, "GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 403");
        }
    }

    @Test
    void cors_is_off_unless_origins_are_given() {
        String origin = "https://case.example.org";
        try (Service s = Service.start()) {
            Service.Response get = s.get("rulesets", "Origin", origin);
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.header("Access-Control-Allow-Origin")).isNull();
            Service.Response preflight = s.send("OPTIONS", "evaluate", "Origin", origin, "Access-Control-Request-Method", "POST",
                    "Access-Control-Request-Headers", "authorization,content-type");
            assertThat(preflight.status()).isIn(404, 405);
            assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
        }
        try (Service s = Service.start(b -> b.corsOrigins(List.of(origin)))) {
            Service.Response preflight = s.send("OPTIONS", "evaluate", "Origin", origin, "Access-Control-Request-Method", "POST",
                    "Access-Control-Request-Headers", "authorization,content-type");
            assertThat(preflight.status()).isEqualTo(200);
            assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(origin);
            assertThat(preflight.header("Access-Control-Allow-Headers")).containsIgnoringCase("authorization");
            Service.Response post = s.post("evaluate", JSON, request("01-family-risk-2.0-low.json"), "Origin", origin);
            assertThat(post.status()).isEqualTo(200);
            assertThat(post.header("Access-Control-Allow-Origin")).isEqualTo(origin);
            Service.Response other = s.get("rulesets", "Origin", "https://elsewhere.example.org");
            assertThat(other.header("Access-Control-Allow-Origin")).isNull();
        }
        assertThatThrownBy(() -> SdmServer.builder(Service.SHIPPED).corsOrigins(List.of("*")).build())
                .isInstanceOf(ServerConfigException.class).hasMessageContaining("is not an origin");
        assertThatThrownBy(() -> SdmServer.builder(Service.SHIPPED).corsOrigins(List.of("https://a.example/path")).build())
                .isInstanceOf(ServerConfigException.class);
    }

    @Test
    void the_workbench_page_forbids_anything_but_this_service() {
        try (Service s = Service.start()) {
            Service.Response page = s.get("");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("Content-Type")).isEqualToIgnoringWhitespace("text/html; charset=utf-8");
            assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'").contains("script-src 'self'")
                    .contains("connect-src 'self'").contains("frame-ancestors 'none'");
            assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(page.text()).doesNotContain("http://").doesNotContain("https://");
        }
    }

    /** A store whose recording fails as given. */
    private static DecisionStore failing(RuntimeException e) {
        return new DecisionStore() {
            @Override
            public DecisionSink sink() {
                return (EvaluationRequest request, Decision decision) -> {
                    throw e;
                };
            }

            @Override
            public void decisionsOfCase(String caseId, Consumer<DecisionRecord> each) {
                throw new DecisionStoreException("cannot read /secret/path/decisions.jsonl");
            }

            @Override
            public void replay(Replay replay, Consumer<ReplayResult> each) {
                throw new IllegalStateException("secret detail of the store");
            }

            @Override
            public String description() {
                return "failing";
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void an_unexpected_failure_is_a_500_problem_without_its_message_and_a_decision_not_recorded_is_withheld() {
        try (Service s = Service.start(b -> b.decisionStore(failing(new IllegalStateException("secret detail at org.example.X"))))) {
            Service.Response r = s.post("evaluate", JSON, request("01-family-risk-2.0-low.json"));
            assertProblem(r, 500, "internal");
            assertThat(r.text()).doesNotContain("secret").doesNotContain("IllegalStateException")
                    .contains("internal error (the service's log has the details)");
            Service.Response replay = s.post("replay", JSON, "{}");
            assertProblem(replay, 500, "internal");
            assertThat(replay.text()).doesNotContain("secret");
            Service.Response batch = s.post("evaluate/batch", "application/x-ndjson", request("01-family-risk-2.0-low.json").replace("\n", ""));
            assertThat(batch.text()).isEqualTo("{\"line\":1,\"errors\":[{\"path\":\"$\",\"message\":\"internal error "
                    + "(the service's log has the details)\"}]}\n");
            assertProblem(s.get("decisions?caseId=C-1"), 500, "decision-store");
        }
        try (Service s = Service.start(b -> b.decisionStore(failing(new DecisionLogException("the disk is full"))))) {
            Service.Response r = s.post("evaluate", JSON, request("01-family-risk-2.0-low.json"));
            assertProblem(r, 503, "not-recorded");
            assertThat(r.problems().get(0).get("message")).isEqualTo("not recorded, decision withheld: the disk is full");
            assertThat(r.text()).doesNotContain("finalLevel");
        }
    }

    /** Sends raw HTTP/1.1 text (a Host header of one's choosing) and returns the whole answer. */
    static String raw(Service s, String request) {
        try (Socket socket = new Socket("127.0.0.1", s.server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
