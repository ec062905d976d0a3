package org.opensdm.engine.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opensdm.engine.Decision;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.Toy;
import org.opensdm.engine.json.SdmJson;

class RequestSamplerTest {
    private static final SdmEngine ENGINE = Toy.engine();

    @Test
    void the_same_seed_gives_the_same_requests_and_another_seed_others() {
        RequestSampler sampler = new RequestSampler(ENGINE);

        List<Map<String, Object>> a = sampler.sample("test.toy", "1.0", 60, 42).requests();
        List<Map<String, Object>> b = sampler.sample("test.toy", "1.0", 60, 42).requests();
        List<Map<String, Object>> c = sampler.sample("test.toy", "1.0", 60, 43).requests();

        assertThat(SdmJson.write(a)).isEqualTo(SdmJson.write(b));
        assertThat(SdmJson.write(a)).isNotEqualTo(SdmJson.write(c));
    }

    @Test
    void every_request_is_valid_and_together_they_reach_every_level() {
        RequestSampler.Sample sample = new RequestSampler(ENGINE).sample("test.toy", "1.0", 40, 7);

        assertThat(sample.requests()).hasSize(40);
        assertThat(sample.unreached()).isEmpty();
        Set<Object> scored = new HashSet<>();
        Set<Object> fin = new HashSet<>();
        for (Map<String, Object> request : sample.requests()) {
            Decision d = ENGINE.evaluateJson(SdmJson.write(request).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            scored.add(d.outcome().get("scoredLevel"));
            fin.add(d.outcome().get("finalLevel"));
        }
        assertThat(scored).containsExactlyInAnyOrder("LOW", "MODERATE", "HIGH", "VERY_HIGH");
        assertThat(fin).containsExactlyInAnyOrder("LOW", "MODERATE", "HIGH", "VERY_HIGH");
        assertThat(sample.requests()).extracting(r -> r.get("caseId")).startsWith("S-00001", "S-00002").doesNotHaveDuplicates();
        assertThat(sample.requests()).allSatisfy(r -> assertThat(r).containsEntry("ruleset", "test.toy").containsEntry("version", "1.0"));
    }

    @Test
    void too_few_requests_to_reach_every_level_are_reported() {
        RequestSampler.Sample sample = new RequestSampler(ENGINE).sample("test.toy", "1.0", 2, 7);

        assertThat(sample.requests()).hasSize(2);
        assertThat(sample.unreached()).isNotEmpty().allSatisfy(t -> assertThat(t).matches("(index risk|outcome \\w+) [A-Z_]+"));
    }
}
