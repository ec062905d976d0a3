package org.opensdm.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opensdm.engine.json.SdmJson;

class CanonicalJsonTest {
    private static Object parse(String json) {
        return SdmJson.readPlain(json);
    }

    @Test
    void object_keys_are_sorted_recursively_and_whitespace_is_dropped() {
        String json = "{ \"b\" : 1, \"a\" : { \"d\" : [ 3, { \"z\" : true, \"y\" : null } ], \"c\" : \"x\" } }";
        assertThat(CanonicalJson.write(parse(json))).isEqualTo("{\"a\":{\"c\":\"x\",\"d\":[3,{\"y\":null,\"z\":true}]},\"b\":1}");
    }

    @Test
    void keys_sort_by_utf16_code_units_as_in_rfc_8785() {
        // U+1F600 is the surrogate pair D83D DE00: before U+E000 in UTF-16 order, after it by code point
        String json = "{\"\uE000\":1,\"\uD83D\uDE00\":2,\"B\":3,\"a\":4,\"\u00e9\":5}";
        assertThat(CanonicalJson.write(parse(json))).isEqualTo("{\"B\":3,\"a\":4,\"\u00e9\":5,\"\uD83D\uDE00\":2,\"\uE000\":1}");
    }

    @Test
    void strings_escape_only_quote_backslash_and_control_characters() {
        String s = "q\" b\\ \b\t\n\f\r \u0001\u001f / \u007f \u00e9 \u2028 \uD83D\uDE00";
        assertThat(CanonicalJson.write(s))
                .isEqualTo("\"q\\\" b\\\\ \\b\\t\\n\\f\\r \\u0001\\u001f / \u007f \u00e9 \u2028 \uD83D\uDE00\"");
    }

    @Test
    void a_lone_surrogate_has_no_canonical_form_and_is_refused() {
        assertThatThrownBy(() -> CanonicalJson.write(Map.of("k", List.of("a\uD800b"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lone surrogate U+D800");
        assertThatThrownBy(() -> CanonicalJson.write(Map.of("a\uDC00", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lone surrogate U+DC00");
        // escaped in the text, read as a lone surrogate: still refused
        assertThatThrownBy(() -> CanonicalJson.write(parse("[\"\\ud800\"]"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void integers_are_plain_and_other_numbers_their_shortest_plain_decimal() {
        assertThat(CanonicalJson.write(-12)).isEqualTo("-12");
        assertThat(CanonicalJson.write(0L)).isEqualTo("0");
        assertThat(CanonicalJson.write(new BigInteger("123456789012345678901234567890")))
                .isEqualTo("123456789012345678901234567890");
        assertThat(CanonicalJson.write(new BigDecimal("1.50"))).isEqualTo("1.5");
        assertThat(CanonicalJson.write(new BigDecimal("2.0"))).isEqualTo("2");
        assertThat(CanonicalJson.write(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(CanonicalJson.write(-0.0)).isEqualTo("0");
        assertThat(CanonicalJson.write(parse("[1.0e2, -0, 7, 12345678901234567890]"))).isEqualTo("[100,0,7,12345678901234567890]");
        assertThatThrownBy(() -> CanonicalJson.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.write(new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a plain JSON value");
    }

    @Test
    void canonical_form_is_a_fixed_point() {
        String json = "{\"z\":[{\"b\":\"\\u00e9\\n\\u001F\",\"a\":-1}],\"a\":{}}";
        String once = CanonicalJson.write(parse(json));
        assertThat(once).isEqualTo("{\"a\":{},\"z\":[{\"a\":-1,\"b\":\"\u00e9\\n\\u001f\"}]}");
        assertThat(CanonicalJson.write(parse(once))).isEqualTo(once);
    }

    @Test
    void a_decisions_canonical_form_is_its_written_json_with_sorted_keys() {
        Map<String, Object> decision = new java.util.LinkedHashMap<>();
        decision.put("trail", List.of(Map.of("rule", "R", "effect", Map.of("z", 1, "a", true))));
        decision.put("caseId", "C-1");
        assertThat(CanonicalJson.write(SdmJson.plain(decision)))
                .isEqualTo("{\"caseId\":\"C-1\",\"trail\":[{\"effect\":{\"a\":true,\"z\":1},\"rule\":\"R\"}]}");
    }
}
