package org.opensdm.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.analysis.RequestSchema;
import org.opensdm.engine.analysis.WhatIf;
import org.opensdm.engine.json.SdmJson;
import org.opensdm.engine.ruleset.RulesetManifest;
import org.opensdm.engine.ruleset.RulesetVersion;

/** The routes of the service, on the shipped rulesets: what each answers, and each error as a problem. */
class ServiceTest {
    static final String JSON = "application/json";
    static final Path REQUESTS = Path.of("../examples/requests");
    private static Service service;

    @BeforeAll
    static void start() {
        service = Service.start();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    static String request(String name) {
        try {
            return Files.readString(REQUESTS.resolve(name));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void assertProblem(Service.Response r, int status, String kind) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
        Map<String, Object> p = r.json();
        assertThat(p).containsEntry("type", "urn:opensdm:problem:" + kind).containsEntry("status", status)
                .containsKeys("title", "detail", "problems");
        assertThat(r.problems()).isNotEmpty().allSatisfy(e -> assertThat(e).containsOnlyKeys("path", "message"));
        assertThat(r.text()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(".java:");
    }

    @Test
    void rulesets_lists_every_version_with_its_hash() {
        Service.Response r = service.get("rulesets");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo(JSON);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rulesets = (List<Map<String, Object>>) r.json().get("rulesets");
        List<String> listed = new ArrayList<>();
        for (Map<String, Object> rs : rulesets) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> versions = (List<Map<String, Object>>) rs.get("versions");
            versions.forEach(v -> listed.add(rs.get("id") + "@" + v.get("version") + " " + v.get("sha256")));
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(Service.SHIPPED.registry().versions().stream()
                .map(v -> v.key() + " " + v.sha256()).toList());
    }

    @Test
    void the_form_of_every_version_holds_its_items_options_sections_and_cut_points() {
        for (RulesetVersion v : Service.SHIPPED.registry().versions()) {
            RulesetManifest m = v.manifest();
            Service.Response r = service.get("rulesets/" + v.id() + "/" + v.version());
            assertThat(r.status()).isEqualTo(200);
            Map<String, Object> form = r.json();
            assertThat(form).containsEntry("id", v.id()).containsEntry("version", v.version()).containsEntry("sha256", v.sha256())
                    .containsEntry("decisionKey", WhatIf.decisionKey(m));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> items = (List<Map<String, Object>>) form.get("items");
            assertThat(items).extracting(i -> i.get("id")).containsExactlyElementsOf(m.items().stream().map(RulesetManifest.ItemDef::id).toList());
            for (int i = 0; i < items.size(); i++) {
                RulesetManifest.ItemDef def = m.items().get(i);
                assertThat(items.get(i)).containsEntry("text", def.text()).containsEntry("kind", def.kind().wireName())
                        .containsEntry("section", def.section());
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> options = (List<Map<String, Object>>) items.get(i).get("options");
                assertThat(options).extracting(o -> o.get("key") + "=" + o.get("text"))
                        .containsExactlyElementsOf(def.options().stream().map(o -> o.key() + "=" + o.text()).toList());
            }
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> sections = (List<Map<String, Object>>) form.get("sections");
            assertThat(sections).extracting(s -> s.get("id")).containsExactlyElementsOf(m.sections().stream()
                    .map(RulesetManifest.SectionDef::id).toList());
            for (Map<String, Object> s : sections) {
                assertThat(s.get("items")).asList().isNotEmpty().allSatisfy(id -> assertThat(m.items().stream()
                        .anyMatch(i -> i.id().equals(id) && s.get("id").equals(i.section())) || m.childItems().stream()
                        .anyMatch(i -> i.id().equals(id) && s.get("id").equals(i.section()))).isTrue());
            }
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> indices = (List<Map<String, Object>>) form.get("indices");
            assertThat(indices).extracting(i -> i.get("id")).containsExactlyElementsOf(m.indices().stream()
                    .map(RulesetManifest.IndexDef::id).toList());
        }
        assertThat(Service.SHIPPED.registry().versions().stream().anyMatch(v -> !v.manifest().sections().isEmpty())).isTrue();
    }

    @Test
    void an_unknown_ruleset_or_version_is_a_404_problem() {
        assertProblem(service.get("rulesets/ref.family-risk/9.9"), 404, "unknown-ruleset");
        assertThat(service.get("rulesets/ref.family-risk/9.9").problems().get(0).get("message"))
                .isEqualTo("ruleset ref.family-risk has no version 9.9");
        assertProblem(service.get("rulesets/nope/1.0/schema"), 404, "unknown-ruleset");
    }

    @Test
    void the_schema_of_every_version_is_the_one_sdm_docs_writes() {
        for (RulesetVersion v : Service.SHIPPED.registry().versions()) {
            Service.Response r = service.get("rulesets/" + v.id() + "/" + v.version() + "/schema");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).isEqualTo("application/schema+json");
            assertThat(r.text()).isEqualTo(RequestSchema.json(v));
        }
    }

    @Test
    void evaluate_answers_the_decision_as_sdm_evaluate_compact_prints_it() {
        for (String name : List.of("01-family-risk-2.0-low.json", "02-family-risk-2.0-policy-override.json",
                "03-family-risk-by-date-2.1-discretionary.json", "04-family-risk-1.0-classic.json")) {
            String json = request(name);
            Service.Response r = service.post("evaluate", JSON, json);
            assertThat(r.status()).as(name).isEqualTo(200);
            assertThat(r.header("Content-Type")).isEqualTo(JSON);
            assertThat(r.header("Cache-Control")).isEqualTo("no-store");
            assertThat(r.text()).isEqualTo(SdmJson.write(Service.SHIPPED.evaluateJson(json.getBytes(StandardCharsets.UTF_8))) + "\n");
        }
        // charset parameter taken, in any case
        assertThat(service.post("evaluate", "Application/JSON; charset=UTF-8", request("01-family-risk-2.0-low.json")).status())
                .isEqualTo(200);
    }

    @Test
    void an_invalid_request_is_a_400_problem_naming_every_problem_as_sdm_does() {
        Service.Response r = service.post("evaluate", JSON, request("05-invalid-two-problems.json"));

        assertProblem(r, 400, "invalid-request");
        assertThat(r.problems()).containsExactly(
                Map.of("path", "answers.R1", "message", "option 'e' is not offered (a, b, c, d)"),
                Map.of("path", "overrides[0].reason", "message", "missing: every override needs a written reason"));
        assertThat(r.json().get("detail")).isEqualTo("2 problems: every one is listed under problems");
    }

    @Test
    void malformed_json_an_unknown_ruleset_and_a_wrong_media_type_are_problems() {
        Service.Response malformed = service.post("evaluate", JSON, "{\"ruleset\": ");
        assertProblem(malformed, 400, "invalid-request");
        assertThat(malformed.problems().get(0).get("path")).isEqualTo("$");
        assertThat((String) malformed.problems().get(0).get("message")).startsWith("malformed JSON");

        Service.Response unknown = service.post("evaluate", JSON, "{\"ruleset\":\"ref.nothing\",\"answers\":{}}");
        assertProblem(unknown, 422, "unknown-ruleset");
        assertThat(unknown.problems().get(0).get("path")).isEqualTo("ruleset");

        assertProblem(service.post("evaluate", "text/plain", request("01-family-risk-2.0-low.json")), 415, "unsupported-media-type");
        assertProblem(service.post("evaluate", null, request("01-family-risk-2.0-low.json")), 415, "unsupported-media-type");
        assertProblem(service.post("evaluate", "application/json; charset=latin1", request("01-family-risk-2.0-low.json")), 415,
                "unsupported-media-type");
        assertProblem(service.post("evaluate/batch", JSON, request("01-family-risk-2.0-low.json")), 415, "unsupported-media-type");
    }

    @Test
    void a_request_over_the_size_limit_is_refused_413_whether_its_length_is_declared_or_not() throws Exception {
        byte[] big = new byte[Service.SHIPPED.maxRequestBytes() + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        Service.Response declared = service.post("evaluate", JSON, big);
        assertProblem(declared, 413, "request-too-large");
        assertThat(declared.problems().get(0).get("message"))
                .isEqualTo("the request is " + big.length + " bytes, more than the limit of " + (big.length - 1) + " bytes");

        // chunked: no Content-Length, read no further than the limit and one byte
        Service.Response chunked = service.send(HttpRequest.newBuilder(service.base.resolve("whatif"))
                .header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))));
        assertProblem(chunked, 413, "request-too-large");
        assertThat((String) chunked.problems().get(0).get("message")).startsWith("the request is more than the limit of");
    }

    @Test
    void unknown_paths_and_methods_are_problems() {
        assertProblem(service.get("nothing/here"), 404, "not-found");
        Service.Response wrongMethod = service.send("DELETE", "rulesets");
        assertProblem(wrongMethod, 405, "method-not-allowed");
        assertProblem(service.get("assets/secret.txt"), 404, "not-found");
        assertProblem(service.get("assets/..%2fopenapi.json"), 404, "not-found");
    }

    @Test
    void batch_answers_the_lines_sdm_evaluate_batch_writes_in_order() throws IOException {
        String body = String.join("\n", request("01-family-risk-2.0-low.json").replace("\n", ""), "",
                request("05-invalid-two-problems.json").replace("\n", ""), "{\"ruleset\":\"ref.nothing\",\"answers\":{}}",
                "not json", request("04-family-risk-1.0-classic.json").replace("\n", "")) + "\n";

        Service.Response r = service.post("evaluate/batch", "application/x-ndjson", body);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/x-ndjson");
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        JsonLinesBatch.on(Service.SHIPPED).revealInternalErrors(false).run(
                new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
                line -> expected.write((line + "\n").getBytes(StandardCharsets.UTF_8)));
        assertThat(r.text()).isEqualTo(expected.toString(StandardCharsets.UTF_8));
        List<String> lines = r.text().lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).startsWith("{\"ruleset\":{\"id\":\"ref.family-risk\"");
        assertThat(lines.get(1)).startsWith("{\"line\":3,\"errors\":[{\"path\":\"answers.R1\"");
        assertThat(lines.get(2)).startsWith("{\"line\":4,\"errors\":[{\"path\":\"ruleset\"");
        assertThat(lines.get(3)).startsWith("{\"line\":5,\"errors\":[{\"path\":\"$\",\"message\":\"malformed JSON");
        assertThat(lines.get(4)).contains("\"version\":\"1.0\"");
    }

    @Test
    void a_batch_over_its_byte_limit_is_refused_or_stopped_where_it_passes_the_limit() throws IOException {
        try (Service small = Service.start(b -> b.maxBatchBytes(1000))) {
            String line = request("01-family-risk-2.0-low.json").replace("\n", "") + "\n"; // about 350 bytes
            String body = line.repeat(4);
            assertProblem(small.post("evaluate/batch", "application/x-ndjson", body), 413, "request-too-large");

            Service.Response streamed = small.send(HttpRequest.newBuilder(small.base.resolve("evaluate/batch"))
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                            body.getBytes(StandardCharsets.UTF_8)))));
            assertThat(streamed.status()).isEqualTo(200);
            List<String> lines = streamed.text().lines().toList();
            int whole = 1000 / line.length();
            assertThat(lines).hasSize(whole + 1);
            assertThat(lines.subList(0, whole)).allSatisfy(l -> assertThat(l).startsWith("{\"ruleset\""));
            assertThat(lines.get(whole)).isEqualTo("{\"line\":" + (whole + 1) + ",\"errors\":[{\"path\":\"$\",\"message\":"
                    + "\"the batch is more than the limit of 1000 bytes: this line and any after it were not read\"}]}");
        }
    }

    @Test
    void whatif_answers_the_report_sdm_whatif_compact_prints() {
        String json = request("01-family-risk-2.0-low.json");
        EvaluationRequest req = SdmJson.readRequest(json);

        Service.Response r = service.post("whatif", JSON, json);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo(SdmJson.write(new WhatIf(Service.SHIPPED).run(req).toPlain()) + "\n");

        Service.Response keyed = service.post("whatif?key=abuseLevel", JSON, json);
        assertThat(keyed.text()).isEqualTo(SdmJson.write(new WhatIf(Service.SHIPPED).run(req, "abuseLevel").toPlain()) + "\n");

        Service.Response badKey = service.post("whatif?key=nope", JSON, json);
        assertProblem(badKey, 400, "invalid-request");
        assertThat(badKey.problems().get(0).get("path")).isEqualTo("?key");
        assertProblem(service.post("whatif", JSON, request("05-invalid-two-problems.json")), 400, "invalid-request");
    }

    @Test
    void the_time_limit_stops_a_whatif_and_a_batch() {
        try (Service hurried = Service.start(b -> b.timeLimit(Duration.ofNanos(1)))) {
            Service.Response w = hurried.post("whatif", JSON, request("01-family-risk-2.0-low.json"));
            assertProblem(w, 503, "time-limit");
            assertThat((String) w.problems().get(0).get("message")).contains("time limit").contains("changes tried");

            Service.Response b = hurried.post("evaluate/batch", "application/x-ndjson",
                    (request("01-family-risk-2.0-low.json").replace("\n", "") + "\n").repeat(3));
            assertThat(b.status()).isEqualTo(200);
            assertThat(b.text()).isEqualTo("{\"line\":1,\"errors\":[{\"path\":\"$\",\"message\":\"the batch's time limit of 0 ms "
                    + "passed: this line and any after it were not evaluated\"}]}\n");
        }
    }

    @Test
    void a_batch_streams_its_answers_and_holds_a_slot_so_a_second_request_finds_the_service_too_busy() throws Exception {
        try (Service one = Service.start(b -> b.maxConcurrent(1).queueWait(Duration.ZERO));
             java.net.Socket socket = new java.net.Socket("127.0.0.1", one.server.port())) {
            // a raw client: HTTP clients send the whole body before they read the answer
            socket.setSoTimeout(30_000);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /evaluate/batch HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-ndjson\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] line = (request("01-family-risk-2.0-low.json").replace("\n", "") + "\n").getBytes(StandardCharsets.UTF_8);
            out.write((Integer.toHexString(line.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(line);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            String l;
            while (!(l = in.readLine()).isEmpty()) {
                assertThat(l).doesNotStartWith("Content-Length"); // streamed: chunked
            }
            in.readLine(); // the chunk's size
            // the first answer arrives while the request body is still open
            assertThat(in.readLine()).startsWith("{\"ruleset\":{\"id\":\"ref.family-risk\"");

            Service.Response busy = one.post("evaluate", JSON, request("01-family-risk-2.0-low.json"));
            assertProblem(busy, 503, "too-busy");
            assertThat(busy.header("Retry-After")).isEqualTo("1");

            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)); // the end of the body
            out.flush();
            assertThat(in.readLine()).isEmpty(); // the chunk's end
            assertThat(in.readLine()).isEqualTo("0"); // the last chunk
            assertThat(one.post("evaluate", JSON, request("01-family-risk-2.0-low.json")).status()).isEqualTo(200);
        }
    }

    @Test
    void health_and_openapi_answer_json() {
        Service.Response h = service.get("health");
        assertThat(h.status()).isEqualTo(200);
        assertThat(h.text()).isEqualTo("{\"status\":\"up\"}\n");
        Service.Response doc = service.get("openapi.json");
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.json()).containsEntry("openapi", "3.1.0");
        assertThat(doc.text()).doesNotContain("${engineVersion}");
    }

    @Test
    void metrics_count_evaluations_by_version_errors_by_kind_and_time_requests_by_route() {
        try (Service fresh = Service.start()) {
            for (int i = 0; i < 3; i++) {
                fresh.post("evaluate", JSON, request("01-family-risk-2.0-low.json"));
            }
            fresh.post("evaluate", JSON, request("05-invalid-two-problems.json"));
            fresh.post("evaluate/batch", "application/x-ndjson", request("04-family-risk-1.0-classic.json").replace("\n", "")
                    + "\nnot json\n");

            Service.Response m = fresh.get("metrics");
            assertThat(m.status()).isEqualTo(200);
            assertThat(m.header("Content-Type")).startsWith("text/plain");
            assertThat(m.text())
                    .contains("sdm_evaluations_total{ruleset=\"ref.family-risk\",version=\"2.0\"} 3")
                    .contains("sdm_evaluations_total{ruleset=\"ref.family-risk\",version=\"1.0\"} 1")
                    .contains("sdm_errors_total{kind=\"invalid-request\"} 2")
                    .containsPattern("sdm_http_requests_seconds_bucket\\{method=\"POST\",route=\"/evaluate\",status=\"200\",le=\"[0-9.]+\"}")
                    .contains("sdm_http_requests_seconds_count{method=\"POST\",route=\"/evaluate\",status=\"200\"} 3")
                    .contains("sdm_http_requests_seconds_count{method=\"POST\",route=\"/evaluate\",status=\"400\"} 1")
                    .contains("jvm_memory_used_bytes");
        }
    }

    @Test
    void without_a_store_decisions_and_replay_are_404_problems() {
        assertProblem(service.get("decisions?caseId=C-1001"), 404, "no-decision-store");
        assertProblem(service.post("replay", JSON, "{}"), 404, "no-decision-store");
    }

    @Test
    void with_a_decision_log_every_decision_is_recorded_listed_by_case_and_replayed(@TempDir Path dir) {
        Path file = dir.resolve("decisions.jsonl");
        try (LogDecisionStore store = LogDecisionStore.open(file);
             Service recording = Service.start(b -> b.decisionStore(store))) {
            Service.Response first = recording.post("evaluate", JSON, request("01-family-risk-2.0-low.json"));
            recording.post("evaluate", JSON, request("02-family-risk-2.0-policy-override.json"));
            Service.Response batch = recording.post("evaluate/batch", "application/x-ndjson",
                    request("01-family-risk-2.0-low.json").replace("\n", "") + "\n");
            assertThat(batch.text()).isEqualTo(first.text());
            assertThat(store.head().seq()).isEqualTo(3);

            Service.Response listed = recording.get("decisions?caseId=C-1001");
            assertThat(listed.status()).isEqualTo(200);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> records = (List<Map<String, Object>>) listed.json().get("decisions");
            assertThat(records).hasSize(2).allSatisfy(rec -> {
                assertThat(rec.get("decision")).isEqualTo(SdmJson.readPlain(first.text()));
                assertThat(rec).containsKeys("hash", "previousHash", "seq", "request", "recordedAt");
            });
            assertThat(records).extracting(rec -> rec.get("seq")).containsExactly(1, 3);
            assertThat(recording.get("decisions?caseId=nobody").json().get("decisions")).asList().isEmpty();
            assertProblem(recording.get("decisions"), 400, "invalid-request");
            assertThat(recording.get("decisions").problems().get(0).get("path")).isEqualTo("?caseId");

            Service.Response all = recording.post("replay", JSON, "{}");
            assertThat(all.status()).isEqualTo(200);
            assertThat(all.json().get("summary")).isEqualTo(Map.of("records", 3, "IDENTICAL", 3, "DIFFERENT", 0,
                    "RULESET_CHANGED", 0, "RULESET_MISSING", 0, "FAILED", 0, "UNREADABLE", 0));
            Service.Response one = recording.post("replay", JSON, "{\"caseId\": \"C-1002\"}");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> results = (List<Map<String, Object>>) one.json().get("results");
            assertThat(results).singleElement().satisfies(res -> assertThat(res).containsEntry("caseId", "C-1002")
                    .containsEntry("status", "IDENTICAL").containsEntry("seq", 2));
            Service.Response asOther = recording.post("replay", JSON, "{\"caseId\": \"C-1001\", \"asVersion\": \"2.1\"}");
            assertThat(asOther.status()).isEqualTo(200);
            assertThat((List<?>) asOther.json().get("results")).hasSize(2);

            Service.Response bad = recording.post("replay", JSON, "{\"case\": 1, \"from\": \"2024-13-01\", \"to\": 5}");
            assertProblem(bad, 400, "invalid-request");
            assertThat(bad.problems()).extracting(p -> p.get("path")).containsExactlyInAnyOrder("case", "from", "to");
            assertProblem(recording.post("replay", JSON, "[]"), 400, "invalid-request");
        }
    }
}
