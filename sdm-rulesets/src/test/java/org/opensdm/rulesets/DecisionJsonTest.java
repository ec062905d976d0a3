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
 * For decisions of every shipped version: the JSON path gives the object path's decision; the
 * decision is written as a plain Jackson ObjectMapper with the documented settings writes it;
 * its plain form (from which its canonical record form is written) is what reading its JSON gives.
 */
class DecisionJsonTest {
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
    void decisions_of_every_shipped_version_read_back_as_written() throws Exception {
        SdmEngine engine = SdmEngine.builder().classpathRulesets().build();
        Random random = new Random(11);
        List<RulesetVersion> versions = engine.registry().versions();
        for (int i = 0; i < 800; i++) {
            EvaluationRequest r = ConcurrencyTest.request(versions.get(i % versions.size()), random);
            Decision d = engine.evaluate(r);
            String json = SdmJson.write(d);
            assertThat(json).isEqualTo(JACKSON.writeValueAsString(d));
            assertThat(engine.evaluateJson(SdmJson.write(SdmJson.requestPlain(r)))).isEqualTo(json);
            Object read = SdmJson.readPlain(json);
            assertThat(SdmJson.plain(d)).isEqualTo(read);
            assertThat(String.valueOf(SdmJson.plain(d))).as("in the written order").isEqualTo(String.valueOf(read));
            assertThat(SdmJson.readPlain(SdmJson.writePretty(d))).isEqualTo(read);
            assertThat(SdmJson.readRequest(SdmJson.write(SdmJson.requestPlain(r)))).isEqualTo(r);
        }
    }
}
