package org.opensdm.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Request text that canonical JSON (RFC 8785, UTF-8) cannot hold is refused, naming its path:
 * a lone surrogate however it arrives (a JSON escape, encoded bytes, a Java string), and bytes
 * that are not UTF-8; and problems that quote request text carry no raw control or bidi character.
 */
class RequestTextTest {
    private static final SdmEngine ENGINE = Toy.engine();

    /** A valid toy request with {@code caseId}, Q4, an override reason and an extra answer key as given (JSON text). */
    private static String request(String caseId, String q1, String q4, String reason, String extraKey) {
        return "{\"ruleset\":\"test.toy\",\"version\":\"1.0\",\"assessedOn\":\"2024-03-01\",\"caseId\":\"" + caseId + "\","
                + "\"answers\":{\"Q1\":\"" + q1 + "\",\"Q2\":[\"x\"],\"Q3\":false,\"Q4\":\"" + q4 + "\""
                + (extraKey == null ? "" : ",\"" + extraKey + "\":\"b\"") + "},"
                + "\"overrides\":[{\"type\":\"discretionary\",\"reason\":\"" + reason + "\"}]}";
    }

    @Test
    void the_valid_request_evaluates() {
        assertThat(ENGINE.evaluateJson(request("C-1", "b", "notes \\ud83d\\ude00 ok", "because", null))).contains("\"caseId\":\"C-1\"");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "caseId            | C-\\ud800 | b       | n         | r         | ",
        "answers.Q1        | C-1       | \\udc00  | n         | r         | ",
        "answers.Q4        | C-1       | b       | a \\ud83d b | r         | ",
        "overrides[0].reason | C-1     | b       | n         | x\\udbff   | ",
        "answers.\\ud800   | C-1       | b       | n         | r         | \\ud800",
    })
    void a_lone_surrogate_escape_is_refused_naming_its_path(String path, String caseId, String q1, String q4, String reason,
                                                           String key) {
        String json = request(caseId, q1, q4, reason, key);

        assertThatThrownBy(() -> ENGINE.evaluateJson(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.problems()).extracting(Problem::path).containsExactly(path);
                    assertThat(e.problems().get(0).message()).contains("lone surrogate U+D").doesNotContain("\ud800", "\udc00");
                });
    }

    @Test
    void the_message_names_the_code_point() {
        assertThatThrownBy(() -> ENGINE.evaluateJson(request("C-\\ud800", "b", "n", "r", null)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("caseId: contains a lone surrogate U+D800");
    }

    @Test
    void a_raw_lone_surrogate_in_a_java_string_is_refused_not_turned_into_a_question_mark() {
        String json = request("C-\ud800", "b", "n", "r", null);

        assertThatThrownBy(() -> ENGINE.evaluateJson(json)).isInstanceOfSatisfying(InvalidRequestException.class, e ->
                assertThat(e.problems()).singleElement().satisfies(p -> {
                    assertThat(p.path()).isEqualTo("$");
                    assertThat(p.message()).contains("lone surrogate U+D800 at line 1, column");
                }));
    }

    @Test
    void read_request_refuses_a_raw_lone_surrogate_too() {
        assertThatThrownBy(() -> org.opensdm.engine.json.SdmJson.readRequest(request("C-1", "b", "x\udc00", "r", null)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("lone surrogate U+DC00 at line 1");
        assertThatThrownBy(() -> org.opensdm.engine.json.SdmJson.readRequest(request("C-1", "b", "x\\udc00", "r", null)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("answers.Q4: contains a lone surrogate U+DC00");
    }

    @Test
    void a_request_built_in_java_with_a_lone_surrogate_is_refused() {
        EvaluationRequest r = Toy.request().caseId("C-\udc01")
                .override(EvaluationRequest.OverrideRequest.discretionary("why \ud800")).build();

        assertThatThrownBy(() -> ENGINE.evaluate(r)).isInstanceOfSatisfying(InvalidRequestException.class, e ->
                assertThat(e.problems()).extracting(Problem::path).containsExactly("caseId", "overrides[0].reason"));
    }

    @Test
    void encoded_surrogates_overlong_forms_and_other_invalid_utf8_are_refused_at_the_whole_document() {
        String base = request("C-@", "b", "n", "r", null);
        byte[][] bad = {{(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xff},
            {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xe0, (byte) 0x80, (byte) 0xaf}, {(byte) 0xe2, (byte) 0x82}};
        for (byte[] b : bad) {
            byte[] json = splice(base.getBytes(StandardCharsets.UTF_8), b);
            assertThatThrownBy(() -> ENGINE.evaluateJson(json)).as(java.util.HexFormat.of().formatHex(b))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e ->
                            assertThat(e.problems()).singleElement().satisfies(p -> {
                                assertThat(p.path()).isEqualTo("$");
                                assertThat(p.message()).startsWith("not valid UTF-8 at line 1");
                            }));
        }
        // a well-formed 4-byte character (U+1F600) is fine
        byte[] ok = splice(base.getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80});
        assertThat(ENGINE.evaluateJson(ok).caseId()).isEqualTo("C-\ud83d\ude00");
    }

    @Test
    void problems_quoting_request_text_escape_controls_and_bidi_characters() {
        String json = request("C-1", "\\u001b[31mb\\u202e", "n", "r", "\\u2066Q9\\u0007");

        assertThatThrownBy(() -> ENGINE.evaluateJson(json)).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.problems()).extracting(Problem::path).containsExactlyInAnyOrder("answers.Q1", "answers.\\u2066Q9\\u0007");
            assertThat(e.problems()).filteredOn(p -> p.path().equals("answers.Q1")).singleElement()
                    .satisfies(p -> assertThat(p.message()).contains("option '\\u001b[31mb\\u202e' is not offered"));
            for (String text : List.of(e.getMessage(), e.problems().toString())) {
                assertThat(text.chars().filter(c -> c == 0x1b || c == 0x07 || c == 0x202e || c == 0x2066)).isEmpty();
            }
        });
    }

    @Test
    void an_unknown_ruleset_id_is_quoted_escaped() {
        assertThatThrownBy(() -> ENGINE.evaluate(EvaluationRequest.builder("x\u001b]0;owned\u0007").answers(Map.of()).build()))
                .isInstanceOf(UnknownRulesetException.class)
                .hasMessageContaining("unknown ruleset 'x\\u001b]0;owned\\u0007'");
    }

    @Test
    void a_flood_of_lone_surrogates_is_named_twenty_times_and_counted() {
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            keys.append(",\"k").append(i).append("\\ud800\":\"x\"");
        }
        String json = request("C-1", "b", "n", "r", null).replace("\"Q3\":false", "\"Q3\":false" + keys);

        assertThatThrownBy(() -> ENGINE.evaluateJson(json)).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.problems()).filteredOn(p -> p.message().contains("lone surrogate")).hasSize(21);
            assertThat(e.problems().get(0).path()).isEqualTo("answers.k0\\ud800");
            assertThat(e.problems()).contains(new Problem("$", "480 more strings or keys contain a lone surrogate"))
                    .hasSizeLessThan(25); // the validator counts the unknown items in one more problem
        });
    }

    private static byte[] splice(byte[] json, byte[] at) {
        String s = new String(json, StandardCharsets.ISO_8859_1);
        int i = s.indexOf('@');
        byte[] out = new byte[json.length - 1 + at.length];
        System.arraycopy(json, 0, out, 0, i);
        System.arraycopy(at, 0, out, i, at.length);
        System.arraycopy(json, i + 1, out, i + at.length, json.length - i - 1);
        return out;
    }
}
