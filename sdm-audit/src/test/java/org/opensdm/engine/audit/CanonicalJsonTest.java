package org.opensdm.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.opensdm.engine.json.SdmJson;

class CanonicalJsonTest {
    private static JsonNode parse(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return SdmJson.readTree(b, 0, b.length);
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
        JsonNode s = JsonNodeFactory.instance.textNode("q\" b\\ \b\t\n\f\r \u0001\u001f / \u007f \u00e9 \u2028 \uD83D\uDE00");
        assertThat(CanonicalJson.write(s))
                .isEqualTo("\"q\\\" b\\\\ \\b\\t\\n\\f\\r \\u0001\\u001f / \u007f \u00e9 \u2028 \uD83D\uDE00\"");
    }

    @Test
    void a_lone_surrogate_is_escaped_so_that_it_survives_utf8() {
        JsonNode s = JsonNodeFactory.instance.textNode("a\uD800b");
        String canonical = CanonicalJson.write(s);
        assertThat(canonical).isEqualTo("\"a\\ud800b\"");
        assertThat(parse(canonical).textValue()).isEqualTo("a\uD800b");
    }

    @Test
    void integers_are_plain_and_other_numbers_their_shortest_plain_decimal() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        assertThat(CanonicalJson.write(f.numberNode(-12))).isEqualTo("-12");
        assertThat(CanonicalJson.write(f.numberNode(0L))).isEqualTo("0");
        assertThat(CanonicalJson.write(f.numberNode(new BigInteger("123456789012345678901234567890"))))
                .isEqualTo("123456789012345678901234567890");
        assertThat(CanonicalJson.write(f.numberNode(new BigDecimal("1.50")))).isEqualTo("1.5");
        assertThat(CanonicalJson.write(f.numberNode(new BigDecimal("2.0")))).isEqualTo("2");
        assertThat(CanonicalJson.write(f.numberNode(new BigDecimal("1E+3")))).isEqualTo("1000");
        assertThat(CanonicalJson.write(f.numberNode(-0.0))).isEqualTo("0");
        assertThat(CanonicalJson.write(parse("[1.0e2, -0, 7]"))).isEqualTo("[100,0,7]");
        assertThatThrownBy(() -> CanonicalJson.write(f.numberNode(Double.NaN))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void canonical_form_is_a_fixed_point() {
        String json = "{\"z\":[{\"b\":\"\\u00e9\\n\",\"a\":-1}],\"a\":{}}";
        String once = CanonicalJson.write(parse(json));
        assertThat(CanonicalJson.write(parse(once))).isEqualTo(once);
    }
}
