package org.opensdm.engine.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opensdm.engine.Decision;
import org.opensdm.engine.Decision.OverrideResult;
import org.opensdm.engine.Decision.RulesetInfo;
import org.opensdm.engine.Decision.TrailEntry;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.Problem;

/**
 * The one JSON reader and the one writer of {@link SdmJson}: what the reader accepts, the values
 * it reads, the request shape checks, and that writing and reading agree.
 */
class SdmJsonTest {
    /** An independent oracle of what is well-formed: Jackson's tree reader, strict. */
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        STRICT.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(SdmJson.MAX_DEPTH).build());
    }

    private static List<String> problems(String json) {
        return SdmJson.parseRequest(json.getBytes(StandardCharsets.UTF_8)).problems().stream().map(Problem::toString).toList();
    }

    @Test
    void a_request_is_read_into_plain_values_in_document_order() {
        String json = "{\"ruleset\":\"ref.family-risk\",\"version\":\"2.0\",\"assessedOn\":\"2024-03-01\",\"caseId\":\"C-1\","
                + "\"answers\":{\"R1\":\"b\",\"M\":[\"x\",\"y\"],\"Y\":true,\"N\":null,\"I\":1,\"L\":12345678901,\"D\":1.50,"
                + "\"E\":-2e3},\"overrides\":[{\"type\":\"policy\",\"code\":\"PO2\",\"reason\":\"why\"}],\"facts\":{\"f\":false},"
                + "\"children\":[{\"id\":\"c1\",\"answers\":{\"C1\":\"a\"}}]}";
        SdmJson.ParsedRequest parsed = SdmJson.parseRequest(json.getBytes(StandardCharsets.UTF_8));

        assertThat(parsed.problems()).isEmpty();
        EvaluationRequest r = parsed.request();
        assertThat(r.answers().keySet()).containsExactly("R1", "M", "Y", "N", "I", "L", "D", "E");
        assertThat(r.answers()).containsEntry("M", List.of("x", "y")).containsEntry("Y", true).containsEntry("I", 1)
                .containsEntry("L", new BigDecimal("12345678901")).containsEntry("D", new BigDecimal("1.50"))
                .containsEntry("E", new BigDecimal("-2e3"));
        assertThat(r.assessedOn()).isEqualTo(LocalDate.of(2024, 3, 1));
        assertThat(r.overrides()).singleElement().satisfies(o -> assertThat(o.code()).isEqualTo("PO2"));
        assertThat(r.children()).singleElement().satisfies(c -> assertThat(c.answers()).containsEntry("C1", "a"));
        assertThatThrownBy(() -> r.answers().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void each_shape_problem_is_named_by_its_path() {
        assertThat(problems("{\"ruleset\":null,\"version\":3,\"assessedOn\":\"2024-02-30\",\"caseId\":\"\",\"extra\":1,"
                + "\"answers\":[],\"facts\":\"x\",\"overrides\":{},\"children\":\"c\"}")).containsExactly(
                "extra: unknown field (allowed: answers, assessedOn, caseId, children, facts, overrides, ruleset, version)",
                "ruleset: missing", "version: must be a string, not a number",
                "assessedOn: must be a date YYYY-MM-DD, not \"2024-02-30\"", "caseId: must not be blank",
                "answers: must be an object, not an array", "facts: must be an object, not a string",
                "overrides: must be an array, not an object", "children: must be an array, not a string");
        assertThat(problems("{\"ruleset\":\" \",\"overrides\":[null,1,{\"type\":1,\"code\":[],\"value\":{},\"reason\":2,\"why\":0}],"
                + "\"children\":[null,{\"id\":null,\"answers\":null,\"x\":1}]}")).containsExactly(
                "ruleset: must not be blank", "overrides[0]: must be an object, not null", "overrides[1]: must be an object, not a number",
                "overrides[2].why: unknown field (allowed: code, reason, type, value)", "overrides[2].type: must be a string, not a number",
                "overrides[2].code: must be a string, not an array", "overrides[2].value: must be a string, not an object",
                "overrides[2].reason: must be a string, not a number", "children[0]: must be an object, not null",
                "children[1].x: unknown field (allowed: answers, id)");
    }

    @Test
    void what_is_not_one_object_is_one_located_problem() {
        assertThat(problems("")).containsExactly("$: empty input: expected a JSON object");
        assertThat(problems("  \n")).containsExactly("$: empty input: expected a JSON object");
        assertThat(problems("[]")).containsExactly("$: must be a JSON object, not an array");
        assertThat(problems("null")).containsExactly("$: must be a JSON object, not null");
        assertThat(problems("\"x\"")).containsExactly("$: must be a JSON object, not a string");
        assertThat(problems("{\"ruleset\":\"x\",\n\"ruleset\":\"y\"}")).singleElement().asString()
                .isEqualTo("$: malformed JSON at line 2, column 1: the key \"ruleset\" is given twice in one object");
        assertThat(problems("{\"ruleset\":\"x\",\"answers\":{\"A\":[{\"k\":1,\"k\":2}]}}")).singleElement().asString()
                .contains("the key \"k\" is given twice");
        assertThat(problems("{\"ruleset\":\"x\"} {}")).containsExactly("$: malformed JSON at line 1, column 17: content after the JSON value");
        assertThat(problems("{\"ruleset\":\"x\"}]")).singleElement().asString().startsWith("$: malformed JSON at line 1, column 16: Unexpected close marker ']'");
        assertThat(problems("{\"ruleset\":")).singleElement().asString().startsWith("$: malformed JSON at line 1");
        assertThat(problems("{'ruleset':'x'}")).singleElement().asString().startsWith("$: malformed JSON at line 1, column 2");
        assertThat(problems("{\"ruleset\":\"x\",\"answers\":{\"I\":NaN}}")).singleElement().asString().startsWith("$: malformed JSON");
        assertThat(problems("{\"ruleset\":\"x\",\"answers\":" + "[".repeat(70) + "]".repeat(70) + "}")).singleElement().asString()
                .startsWith("$: malformed JSON").contains("nesting depth");
        assertThat(problems("{\"ruleset\":\"x\",\"answers\":" + "{\"a\":".repeat(62) + "1" + "}".repeat(62) + "}")).isEmpty();
        assertThat(problems("{\"ruleset\":\"x\"}\n\n")).isEmpty();
        assertThat(problems("{\"ruleset\":\"x\",\"answers\":{\"A\":1e999999999}}")).containsExactly(
                "$: malformed JSON at line 1, column 31: the number 1e999999999 is out of range (its exponent is beyond 1000)");
        assertThat(problems("{\"ruleset\":\"x\",\"answers\":{\"A\":1e1000,\"B\":-1.5e-998}}")).isEmpty();
    }

    @Test
    void the_reader_accepts_exactly_what_a_strict_jackson_tree_accepts_and_writing_reads_back_the_same() throws Exception {
        Random random = new Random(5);
        int read = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder b = new StringBuilder();
            space(b, random);
            randomValue(b, random, 0, true);
            space(b, random);
            if (random.nextInt(20) == 0) {
                b.append(random.nextBoolean() ? "}" : "{}");
            }
            byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
            boolean oracle;
            try {
                oracle = STRICT.readTree(bytes) != null;
            } catch (java.io.IOException e) {
                oracle = false;
            }
            Object value;
            try {
                value = SdmJson.readValue(bytes, 0, bytes.length);
            } catch (IllegalArgumentException e) {
                assertThat(oracle).as("refused, as Jackson's tree reader refuses: %s", b).isFalse();
                assertThat(e.getMessage()).startsWith("malformed JSON");
                continue;
            }
            assertThat(oracle).as("read, as Jackson's tree reader reads: %s", b).isTrue();
            read++;
            // written and read again: the same values, and the written form of them is plain
            assertThat(SdmJson.readPlain(SdmJson.write(value))).as(b.toString()).isEqualTo(value);
            assertThat(SdmJson.plain(value)).as(b.toString()).isEqualTo(value);
            assertThat(String.valueOf(SdmJson.plain(value))).as("map order").isEqualTo(String.valueOf(value));
            String canonical = SdmJson.writeCanonical(value);
            assertThat(SdmJson.writeCanonical(SdmJson.readPlain(canonical))).isEqualTo(canonical);
        }
        assertThat(read).as("well-formed inputs").isGreaterThan(2_000);
    }

    @Test
    void a_json_value_inside_a_larger_buffer_is_read_from_its_offset() {
        byte[] b = "xx{\"a\":[1,\"\\u00e9\"]}yy".getBytes(StandardCharsets.UTF_8);
        assertThat(SdmJson.readValue(b, 2, b.length - 4)).isEqualTo(Map.of("a", List.of(1, "\u00e9")));
        assertThatThrownBy(() -> SdmJson.readValue(b, 2, b.length - 3)).hasMessageStartingWith("malformed JSON");
        assertThatThrownBy(() -> SdmJson.readValue(b, 2, 0)).hasMessage("malformed JSON: empty input");
    }

    private static final String[] WORDS = {"a", "", "R1", "ST12-description", "x y", "é", "\\\"", "\\n", "\\u0041", "tab\t",
        "ctl\u0001", "\u007f", "€", "a/b"};
    private static final String[] NUMBERS = {"0", "-0", "7", "-12", "123456789", "1234567890", "-999999999", "2147483648",
        "01", "-", "1.5", "1e3", "1E+2", "-0.0", "00", "+1", "1.", ".5", "0x1", "99999999999999999999"};
    private static final String[] LITERALS = {"true", "false", "null", "tru", "nul", "True", "truex", "NaN", "Infinity"};

    private static void space(StringBuilder b, Random random) {
        int k = random.nextInt(3);
        for (int i = 0; i < k; i++) {
            b.append(" \n\r\t\f\u000b".charAt(random.nextInt(random.nextInt(50) == 0 ? 6 : 4)));
        }
    }

    private static void randomValue(StringBuilder b, Random random, int depth, boolean object) {
        int kind = object ? 0 : random.nextInt(depth > 4 ? 4 : 6);
        switch (kind) {
            case 0 -> {
                b.append('{');
                int k = random.nextInt(4);
                for (int i = 0; i < k; i++) {
                    if (i > 0 || random.nextInt(40) == 0) {
                        b.append(',');
                    }
                    space(b, random);
                    b.append('"').append(WORDS[random.nextInt(random.nextInt(8) == 0 ? WORDS.length : 5)]).append(i % 3).append('"');
                    space(b, random);
                    b.append(random.nextInt(60) == 0 ? "=" : ":");
                    space(b, random);
                    randomValue(b, random, depth + 1, false);
                    space(b, random);
                }
                if (random.nextInt(40) == 0) {
                    b.append(',');
                }
                b.append(random.nextInt(80) == 0 ? "" : "}");
            }
            case 1 -> {
                b.append('[');
                int k = random.nextInt(4);
                for (int i = 0; i < k; i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    space(b, random);
                    randomValue(b, random, depth + 1, false);
                    space(b, random);
                }
                b.append(random.nextInt(80) == 0 ? "" : "]");
            }
            case 2 -> b.append('"').append(WORDS[random.nextInt(random.nextInt(4) == 0 ? WORDS.length : 5)]).append('"');
            case 3 -> b.append(NUMBERS[random.nextInt(random.nextInt(3) == 0 ? NUMBERS.length : 5)]);
            default -> b.append(LITERALS[random.nextInt(random.nextInt(3) == 0 ? LITERALS.length : 3)]);
        }
    }

    @Test
    void a_decision_is_written_in_record_order_without_null_child_and_override_fields() {
        Decision d = new Decision(new RulesetInfo("ref.x", "1.0", "ab", "reference", "p"), "0.1.0", null,
                LocalDate.of(2024, 3, 1), Map.of("level", "HIGH"),
                List.of(new OverrideResult("policy", "PO2", null, null, true)),
                List.of(new TrailEntry("R1", "R1", null, "b", Map.of("neglect", 1)),
                        new TrailEntry("C", "C1", "child-1", List.of("x"), Map.of())));
        assertThat(SdmJson.write(d)).isEqualTo("{\"ruleset\":{\"id\":\"ref.x\",\"version\":\"1.0\",\"sha256\":\"ab\","
                + "\"status\":\"reference\",\"provenance\":\"p\"},\"engineVersion\":\"0.1.0\",\"caseId\":null,"
                + "\"assessedOn\":\"2024-03-01\",\"outcome\":{\"level\":\"HIGH\"},"
                + "\"overrides\":[{\"type\":\"policy\",\"code\":\"PO2\",\"applied\":true}],"
                + "\"trail\":[{\"rule\":\"R1\",\"item\":\"R1\",\"answer\":\"b\",\"effect\":{\"neglect\":1}},"
                + "{\"rule\":\"C\",\"item\":\"C1\",\"child\":\"child-1\",\"answer\":[\"x\"],\"effect\":{}}]}");
        assertThat(SdmJson.readPlain(SdmJson.writePretty(d))).isEqualTo(SdmJson.readPlain(SdmJson.write(d)));
    }

    @Test
    void any_decision_value_writes_and_its_plain_form_is_what_reading_the_text_gives() {
        StringBuilder latin1 = new StringBuilder();
        for (char c = 0; c <= 0xFF; c++) {
            latin1.append(c);
        }
        String text = latin1 + "\u20ac\u2028\u2029\uD83D\uDE00";
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("score", 5);
        outcome.put("long", 12345678901L);
        outcome.put("none", null);
        outcome.put("list", List.of("a", text));
        outcome.put("decimal", new BigDecimal("1.50"));
        outcome.put("double", 0.1);
        outcome.put("date", LocalDate.of(2024, 3, 1));
        outcome.put("enum", java.time.DayOfWeek.MONDAY);
        outcome.put("intKeys", Map.of(1, "one"));
        outcome.put("nested", Arrays.asList(null, Map.of(), List.of()));
        Decision d = new Decision(new RulesetInfo("ref.x", "1.0", "ab", "reference", text), "0.1.0", text,
                LocalDate.of(2024, 3, 1), outcome, List.of(new OverrideResult(null, null, null, text, false)),
                List.of(new TrailEntry(text, null, text, null, Map.of("note", text))));
        String json = SdmJson.write(d);
        Object read = SdmJson.readPlain(json);

        assertThat(SdmJson.plain(d)).isEqualTo(read);
        @SuppressWarnings("unchecked")
        Map<String, Object> o = (Map<String, Object>) ((Map<String, Object>) read).get("outcome");
        assertThat(o).containsEntry("list", List.of("a", text)).containsEntry("date", "2024-03-01").containsEntry("enum", "MONDAY")
                .containsEntry("intKeys", Map.of("1", "one")).containsEntry("long", new BigDecimal("12345678901"))
                .containsEntry("decimal", new BigDecimal("1.50")).containsEntry("double", new BigDecimal("0.1"));
        assertThat(json).contains("\\u0000\\u0001").contains("\\u001F").contains("\\b\\t\\n\\u000B\\f\\r");
        assertThat(SdmJson.writeCanonical(read)).contains("\\u001f");
    }

    @Test
    void a_request_written_as_plain_values_reads_back_equal() {
        EvaluationRequest r = EvaluationRequest.builder("ref.x").version("1.0").assessedOn(LocalDate.of(2024, 2, 29))
                .caseId("C-1").answer("A", "b").answer("M", List.of("x", "y")).answer("Y", true).answer("T", "free \"text\"\n")
                .override(EvaluationRequest.OverrideRequest.policy("P1", "why"))
                .override(new EvaluationRequest.OverrideRequest("visitation", null, "GOOD", "seen"))
                .fact("f", false).child("child-1", Map.of("C1", "a")).build();

        assertThat(SdmJson.readRequest(SdmJson.write(SdmJson.requestPlain(r)))).isEqualTo(r);
        EvaluationRequest bare = EvaluationRequest.builder("ref.x").build();
        assertThat(SdmJson.write(SdmJson.requestPlain(bare))).isEqualTo("{\"ruleset\":\"ref.x\",\"answers\":{}}");
        assertThat(SdmJson.readRequest(SdmJson.write(SdmJson.requestPlain(bare)))).isEqualTo(bare);
    }
}
