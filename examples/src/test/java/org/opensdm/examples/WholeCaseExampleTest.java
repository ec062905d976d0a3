package org.opensdm.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opensdm.engine.Decision;
import org.opensdm.engine.SdmEngine;

class WholeCaseExampleTest {
    @Test
    void each_step_decides_as_the_story_says_and_feeds_the_next() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<Decision> steps = WholeCaseExample.run(SdmEngine.builder().classpathRulesets().build(),
                new PrintStream(buf, true, StandardCharsets.UTF_8));

        assertThat(steps).extracting(d -> d.ruleset().id()).containsExactly(
                "ref.hotline", "ref.safety", "ref.family-risk", "ref.risk-reassessment", "ref.reunification");
        assertThat(steps.get(0).outcome()).containsEntry("screeningDecision", "IN_PERSON_RESPONSE")
                .containsEntry("responsePriority", "IMMEDIATE").containsEntry("completionDeadline", "IMMEDIATELY");
        assertThat(steps.get(1).outcome()).containsEntry("decision", "SAFE_WITH_PLAN")
                .containsEntry("threats", List.of("ST1", "ST8"));
        // R1 c 2/1, R2 b 0/1, R3 b 0/1, R5 b 1/0, R7 b 1/1, R8 b 0/1, R9 b 2/1, R13 b 0/2: neglect 6 HIGH, abuse 8 VERY_HIGH
        assertThat(steps.get(2).outcome()).containsEntry("neglectScore", 6).containsEntry("abuseScore", 8)
                .containsEntry("finalLevel", "VERY_HIGH").containsEntry("recommendation", "PROMOTE_TO_SERVICES");
        // RR1 b 1, RR2 b 1, RR3 b 1, RR5 c 2, RR6 c 2, RR8 c 1: 8, VERY_HIGH
        assertThat(steps.get(3).outcome()).containsEntry("score", 8).containsEntry("finalLevel", "VERY_HIGH")
                .containsEntry("recommendation", "CONTINUE_SERVICES");
        // U1 d (from VERY_HIGH) 5 + U2 a 0 + U3 a -2 = 3 MODERATE, visitation acceptable, no threats: SAFE
        assertThat(steps.get(4).outcome()).containsEntry("riskScore", 3).containsEntry("finalRiskLevel", "MODERATE")
                .containsEntry("visitation", "ACCEPTABLE").containsEntry("safetyDecision", "SAFE")
                .containsEntry("decision", "RETURN_HOME");
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("unresolvedSafetyThreats=true", "U1=d from the last risk level");
    }
}
