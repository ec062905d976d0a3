package org.opensdm.rulesets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opensdm.engine.Decision;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.json.SdmJson;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * SdmJson writes decisions with a hand-written writer and builds their trees node by node (the
 * hot paths of evaluateJson, the decision log and replay). For decisions of every shipped version,
 * both give exactly what Jackson's ObjectMapper gives, configured as SdmJson configures its own.
 */
class DecisionJsonWritersTest {
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private abstract static class OverrideResultMixin {
    }

    private abstract static class TrailEntryMixin {
        @JsonInclude(JsonInclude.Include.NON_NULL)
        abstract String child();
    }

    private static final ObjectMapper JACKSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .addMixIn(Decision.OverrideResult.class, OverrideResultMixin.class)
            .addMixIn(Decision.TrailEntry.class, TrailEntryMixin.class)
            .build();

    @Test
    void decisions_of_every_shipped_version_are_written_as_jackson_writes_them() throws Exception {
        SdmEngine engine = SdmEngine.builder().classpathRulesets().build();
        Random random = new Random(11);
        List<RulesetVersion> versions = engine.registry().versions();
        for (int i = 0; i < 800; i++) {
            EvaluationRequest r = ConcurrencyTest.request(versions.get(i % versions.size()), random);
            Decision d = engine.evaluate(r);
            assertThat(SdmJson.write(d)).isEqualTo(JACKSON.writeValueAsString(d));
            assertThat(SdmJson.tree(d)).isEqualTo(JACKSON.valueToTree(d));
            assertThat(engine.evaluateJson(SdmJson.write(SdmJson.requestTree(r)))).isEqualTo(JACKSON.writeValueAsString(d));
        }
    }
}
