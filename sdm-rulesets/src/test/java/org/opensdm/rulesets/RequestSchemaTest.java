package org.opensdm.rulesets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.opensdm.engine.InvalidRequestException;
import org.opensdm.engine.Problem;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.SdmException;
import org.opensdm.engine.analysis.RequestSchema;
import org.opensdm.engine.analysis.Scenario;
import org.opensdm.engine.analysis.ScenarioRunner;
import org.opensdm.engine.json.SdmJson;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * The generated request schemas against every scenario request of every shipped version (each
 * request as the scenario runner builds it: base merged with the scenario), checked by a JSON
 * Schema validator with format assertions on: every request the engine decides is valid against
 * the schema of the version it is evaluated under, and every request the engine refuses for a
 * problem a schema can express (an unknown item, an option not offered, a missing item outside a
 * section, a wrong type, an unknown field, fact, override type, code or value, a missing reason,
 * a bad date) is invalid against it.
 */
class RequestSchemaTest {
    private static final SdmEngine ENGINE = SdmEngine.builder().classpathRulesets().build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    /** Engine problems a JSON Schema can express (the rest need the rules, or compare two values). */
    private static final Pattern EXPRESSIBLE = Pattern.compile(String.join("|",
            "unknown item", "is not offered", "unknown field", "missing: every item must be answered", "null is not an answer",
            "must be one option key string", "must be an array of option keys", "must be an option key string",
            "must be true or false", "must be a string", "must be an object", "must be an array", "is chosen twice",
            "unknown fact", "override code", "is not taken by", "is not a value of", "needs a written reason",
            "takes no code", "takes no value", "sets a value", "names its code", "rates no children",
            "give at least one child", "must be a date", "must not be blank"));

    private final Map<String, Schema> schemas = new HashMap<>();

    private Schema schemaOf(RulesetVersion v) {
        return schemas.computeIfAbsent(v.key(), k -> SCHEMAS.getSchema(parse(RequestSchema.json(v))));
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode tree(Map<String, Object> request) throws Exception {
        return JSON.readTree(SdmJson.write(request));
    }

    /** The version the engine evaluates the request under, or null when it names none that exists. */
    private static RulesetVersion versionOf(Map<String, Object> request) {
        if (!(request.get("ruleset") instanceof String id)) {
            return null;
        }
        try {
            LocalDate on = request.get("assessedOn") instanceof String d ? LocalDate.parse(d) : LocalDate.now();
            return ENGINE.registry().resolve(id, request.get("version") instanceof String v ? v : null, on);
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Test
    void every_scenario_request_the_engine_decides_is_valid_against_its_versions_schema() throws Exception {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (RulesetVersion v : ENGINE.registry().versions()) {
            for (Scenario s : ScenarioRunner.scenariosOf(v)) {
                if (s.expectsErrors()) {
                    continue;
                }
                RulesetVersion target = versionOf(s.request());
                assertThat(target).as(s.file() + " / " + s.name()).isNotNull();
                var errors = schemaOf(target).validate(tree(s.request()));
                checked++;
                if (!errors.isEmpty()) {
                    failures.add(s.file() + " / " + s.name() + " against " + target.key() + ": " + errors);
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(checked).as("valid scenario requests checked").isGreaterThan(300);
    }

    @Test
    void every_scenario_request_refused_for_a_problem_a_schema_can_express_is_invalid_against_the_schema() throws Exception {
        List<String> failures = new ArrayList<>();
        int expressible = 0;
        int unknownItemOrOption = 0;
        for (RulesetVersion v : ENGINE.registry().versions()) {
            for (Scenario s : ScenarioRunner.scenariosOf(v)) {
                if (!s.expectsErrors()) {
                    continue;
                }
                RulesetVersion target = versionOf(s.request());
                if (target == null) {
                    continue; // no version to take the schema of
                }
                List<Problem> problems;
                try {
                    ENGINE.evaluateJson(SdmJson.write(s.request()).getBytes(StandardCharsets.UTF_8));
                    continue; // ShippedScenariosTest reports it
                } catch (InvalidRequestException e) {
                    problems = e.problems();
                } catch (SdmException e) {
                    continue;
                }
                List<Problem> schemaKind = problems.stream().filter(p -> EXPRESSIBLE.matcher(p.message()).find()).toList();
                if (schemaKind.isEmpty()) {
                    continue;
                }
                expressible++;
                if (schemaKind.stream().anyMatch(p -> p.message().contains("unknown item") || p.message().contains("is not offered"))) {
                    unknownItemOrOption++;
                }
                if (schemaOf(target).validate(tree(s.request())).isEmpty()) {
                    failures.add(s.file() + " / " + s.name() + ": the engine refuses it (" + schemaKind
                            + "), the schema of " + target.key() + " accepts it");
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(expressible).as("refused scenario requests a schema can judge").isGreaterThan(50);
        assertThat(unknownItemOrOption).as("of them, with an unknown item or option").isGreaterThan(10);
    }

    @Test
    void every_generated_schema_is_a_valid_draft_2020_12_schema() {
        Schema meta = SCHEMAS.getSchema(com.networknt.schema.SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        for (RulesetVersion v : ENGINE.registry().versions()) {
            JsonNode schema = parse(RequestSchema.json(v));
            assertThat(meta.validate(schema)).as(v.key()).isEmpty();
            assertThat(schema.get("$schema").textValue()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        }
        // the check can fail: a keyword with a value of the wrong type is refused
        assertThat(meta.validate(parse("{\"type\": \"object\", \"required\": \"answers\"}"))).isNotEmpty();
    }

    @Test
    void what_a_schema_cannot_express_is_stated_in_it() {
        RulesetVersion hotline = ENGINE.registry().find("ref.hotline", "1.0").orElseThrow();
        JsonNode schema = parse(RequestSchema.json(hotline));
        JsonNode answers = schema.at("/properties/answers");
        assertThat(answers.get("required")).extracting(JsonNode::textValue).containsExactly("preliminary");
        assertThat(answers.get("description").textValue())
                .contains("Required only when the rules reach their section")
                .contains("section criteria").contains("section response").contains("RP1, RP2, RP3, RP4, RP5");

        RulesetVersion safety = ENGINE.registry().find("ref.safety", "1.0").orElseThrow();
        JsonNode s = parse(RequestSchema.json(safety)).at("/properties/answers");
        assertThat(s.has("required")).isFalse();
        assertThat(s.get("description").textValue()).contains("Optional").contains("ST12-description");
    }

    @Test
    void a_request_with_an_option_not_offered_an_unknown_item_or_a_repeated_multi_option_fails_the_schema() throws Exception {
        RulesetVersion v = ENGINE.registry().find("ref.family-risk", "1.0").orElseThrow();
        Schema schema = schemaOf(v);
        Map<String, Object> valid = new java.util.LinkedHashMap<>();
        valid.put("ruleset", "ref.family-risk");
        valid.put("version", "1.0");
        valid.put("assessedOn", "2024-03-01");
        Map<String, Object> answers = new java.util.LinkedHashMap<>();
        for (int i = 1; i <= 10; i++) {
            answers.put("N" + i, "a");
            answers.put("A" + i, i == 7 ? List.of() : "a");
        }
        valid.put("answers", answers);
        assertThat(schema.validate(tree(valid))).isEmpty();
        assertThat(ENGINE.evaluateJson(SdmJson.write(valid))).contains("\"finalLevel\"");

        for (Map.Entry<String, Object> bad : List.<Map.Entry<String, Object>>of(Map.entry("N1", "z"), Map.entry("X99", "a"),
                Map.entry("A7", List.of("discipline", "discipline")), Map.entry("N2", true))) {
            Map<String, Object> request = new java.util.LinkedHashMap<>(valid);
            Map<String, Object> a = new java.util.LinkedHashMap<>(answers);
            a.put(bad.getKey(), bad.getValue());
            request.put("answers", a);
            assertThat(schema.validate(tree(request))).as(bad.toString()).isNotEmpty();
        }
        Map<String, Object> badDate = new java.util.LinkedHashMap<>(valid);
        badDate.put("assessedOn", "2024-02-30");
        assertThat(schema.validate(tree(badDate))).as("a date that does not exist").isNotEmpty();
    }
}
