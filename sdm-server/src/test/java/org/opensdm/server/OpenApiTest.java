package org.opensdm.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opensdm.server.ServiceTest.JSON;
import static org.opensdm.server.ServiceTest.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * GET /openapi.json is a valid OpenAPI 3.1 document (swagger-parser), documents exactly the
 * routes the service serves, and every answer of every operation, called with good and bad
 * requests, has a status the document lists for it and a body valid against the schema it gives
 * (JSON Schema 2020-12, the dialect of OpenAPI 3.1).
 */
class OpenApiTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    private static Service service;
    private static LogDecisionStore store;
    private static JsonNode doc;
    private static String text;
    private final Set<String> exercised = new TreeSet<>();

    @BeforeAll
    static void start(@TempDir Path dir) throws IOException {
        store = LogDecisionStore.open(dir.resolve("decisions.jsonl"));
        service = Service.start(b -> b.decisionStore(store));
        text = service.get("openapi.json").text();
        doc = MAPPER.readTree(text);
    }

    @AfterAll
    static void stop() {
        service.close();
        store.close();
    }

    @Test
    void the_document_is_valid_openapi_3_1() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(text, null, options);

        assertThat(parsed.getMessages()).isEmpty();
        assertThat(parsed.getOpenAPI()).isNotNull();
        assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(parsed.getOpenAPI().getInfo().getVersion()).isEqualTo(org.opensdm.engine.SdmEngine.VERSION);
        assertThat(parsed.getOpenAPI().getPaths()).hasSize(13);
        // every component schema is itself a valid JSON Schema 2020-12
        Schema meta = SCHEMAS.getSchema(com.networknt.schema.SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        doc.path("components").path("schemas").fields().forEachRemaining(e ->
                assertThat(meta.validate(e.getValue())).as(e.getKey()).isEmpty());
    }

    @Test
    void it_documents_exactly_the_routes_served() {
        Set<String> documented = new LinkedHashSet<>();
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m ->
                documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));

        assertThat(documented).containsExactlyInAnyOrderElementsOf(service.server.routes());
    }

    @Test
    void every_answer_has_a_documented_status_and_a_body_valid_against_its_documented_schema() {
        check("GET", "/", "/", service.get(""));
        check("GET", "/assets/{name}", "workbench.js", service.get("assets/workbench.js"));
        check("GET", "/assets/{name}", "nothing", service.get("assets/nothing.js"));
        check("GET", "/health", "", service.get("health"));
        check("GET", "/metrics", "", service.get("metrics"));
        check("GET", "/openapi.json", "", service.get("openapi.json"));
        check("GET", "/rulesets", "", service.get("rulesets"));
        for (RulesetVersion v : Service.SHIPPED.registry().versions()) {
            check("GET", "/rulesets/{id}/{version}", v.key(), service.get("rulesets/" + v.id() + "/" + v.version()));
            check("GET", "/rulesets/{id}/{version}/schema", v.key(), service.get("rulesets/" + v.id() + "/" + v.version() + "/schema"));
        }
        check("GET", "/rulesets/{id}/{version}", "unknown", service.get("rulesets/ref.family-risk/7.0"));
        check("GET", "/rulesets/{id}/{version}/schema", "unknown", service.get("rulesets/nope/1.0/schema"));
        for (String name : List.of("01-family-risk-2.0-low.json", "02-family-risk-2.0-policy-override.json",
                "03-family-risk-by-date-2.1-discretionary.json", "04-family-risk-1.0-classic.json", "05-invalid-two-problems.json")) {
            check("POST", "/evaluate", name, service.post("evaluate", JSON, request(name)));
            check("POST", "/whatif", name, service.post("whatif", JSON, request(name)));
        }
        check("POST", "/evaluate", "unknown ruleset", service.post("evaluate", JSON, "{\"ruleset\":\"x\",\"answers\":{}}"));
        check("POST", "/evaluate", "text/plain", service.post("evaluate", "text/plain", "{}"));
        check("POST", "/evaluate", "too large", service.post("evaluate", JSON, new byte[Service.SHIPPED.maxRequestBytes() + 1]));
        check("POST", "/whatif", "bad key", service.post("whatif?key=nope", JSON, request("01-family-risk-2.0-low.json")));
        check("POST", "/whatif", "keyed", service.post("whatif?key=abuseLevel", JSON, request("01-family-risk-2.0-low.json")));
        Service.Response batch = service.post("evaluate/batch", "application/x-ndjson",
                request("01-family-risk-2.0-low.json").replace("\n", "") + "\n{}\n");
        check("POST", "/evaluate/batch", "two lines", batch);
        JsonNode lineSchema = doc.at("/paths/~1evaluate~1batch/post/responses/200/content/application~1x-ndjson/x-line-schema");
        assertThat(lineSchema.isMissingNode()).isFalse();
        batch.text().lines().forEach(l -> assertValid(lineSchema, l, "a batch line"));
        check("POST", "/evaluate/batch", "json", service.post("evaluate/batch", JSON, "{}"));
        check("GET", "/decisions", "C-1001", service.get("decisions?caseId=C-1001"));
        check("GET", "/decisions", "no case", service.get("decisions"));
        check("POST", "/replay", "all", service.post("replay", JSON, "{}"));
        check("POST", "/replay", "as 2.1", service.post("replay", JSON, "{\"asVersion\":\"2.1\"}"));
        check("POST", "/replay", "bad", service.post("replay", JSON, "{\"from\":\"yesterday\"}"));
        try (Service guarded = Service.start(b -> b.bearerToken(BearerToken.of(SecurityTest.TOKEN)))) {
            check("GET", "/rulesets", "no token", guarded.get("rulesets"));
            check("POST", "/evaluate", "no token", guarded.post("evaluate", JSON, "{}"));
        }

        List<String> operations = new ArrayList<>();
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m ->
                operations.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));
        assertThat(exercised).as("every operation called").containsAll(operations);
    }

    /** The answer's status is documented for the operation, and its body fits the documented schema of that status and type. */
    private void check(String method, String path, String what, Service.Response r) {
        exercised.add(method + " " + path);
        JsonNode op = doc.path("paths").path(path).path(method.toLowerCase(Locale.ROOT));
        assertThat(op.isMissingNode()).as(method + " " + path).isFalse();
        JsonNode response = op.path("responses").path(String.valueOf(r.status()));
        assertThat(response.isMissingNode()).as(method + " " + path + " (" + what + ") answered " + r.status() + ", not documented: "
                + r.text()).isFalse();
        if (response.has("$ref")) {
            response = doc.at(response.get("$ref").asText().substring(1));
        }
        String type = r.header("Content-Type").split(";")[0].trim();
        JsonNode content = response.path("content").path(type);
        assertThat(content.isMissingNode()).as(method + " " + path + " (" + what + ") " + r.status() + " as " + type
                + " is not documented").isFalse();
        JsonNode schema = content.path("schema");
        if ((type.equals("application/json") || type.endsWith("+json")) && !schema.isMissingNode()) {
            assertValid(schema, r.text(), method + " " + path + " (" + what + ") " + r.status());
        }
    }

    private static void assertValid(JsonNode schema, String body, String what) {
        ObjectNode s = MAPPER.createObjectNode();
        s.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        s.setAll((ObjectNode) schema.deepCopy());
        s.set("components", doc.get("components"));
        Schema compiled = SCHEMAS.getSchema(s);
        try {
            var errors = compiled.validate(MAPPER.readTree(body));
            assertThat(errors).as(what + ": " + body.substring(0, Math.min(300, body.length()))).isEmpty();
        } catch (IOException e) {
            throw new AssertionError(what + ": not JSON: " + body, e);
        }
    }
}
