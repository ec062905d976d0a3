package org.opensdm.engine.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.EvaluationRequest.OverrideRequest;

class RequestTreeTest {
    @Test
    void a_request_written_as_json_reads_back_equal() {
        EvaluationRequest r = EvaluationRequest.builder("ref.x").version("1.0").assessedOn(LocalDate.of(2024, 2, 29))
                .caseId("C-1").answer("A", "b").answer("M", List.of("x", "y")).answer("Y", true).answer("T", "free \"text\"\n")
                .override(OverrideRequest.policy("P1", "why")).override(new OverrideRequest("visitation", null, "GOOD", "seen"))
                .fact("f", false).child("child-1", Map.of("C1", "a")).build();

        String json = SdmJson.write(SdmJson.requestTree(r));

        assertThat(SdmJson.readRequest(json)).isEqualTo(r);
    }

    @Test
    void null_fields_and_empty_lists_are_left_out_but_answers_stay() {
        EvaluationRequest r = EvaluationRequest.builder("ref.x").build();

        assertThat(SdmJson.write(SdmJson.requestTree(r))).isEqualTo("{\"ruleset\":\"ref.x\",\"answers\":{}}");
        assertThat(SdmJson.readRequest(SdmJson.write(SdmJson.requestTree(r)))).isEqualTo(r);
    }

    @Test
    void read_tree_refuses_trailing_content_and_duplicate_keys() {
        for (String bad : List.of("{\"a\":1} {\"b\":2}", "{\"a\":1,\"a\":2}", "", "{\"a\":")) {
            byte[] b = bad.getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> SdmJson.readTree(b, 0, b.length)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("malformed JSON");
        }
    }
}
