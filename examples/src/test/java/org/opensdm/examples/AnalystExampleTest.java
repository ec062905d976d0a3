package org.opensdm.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.analysis.ImpactReport;

class AnalystExampleTest {
    @Test
    void the_2_1_revision_passes_its_checks_and_only_lowers_final_levels_on_a_sample() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ImpactReport impact = AnalystExample.run(SdmEngine.builder().classpathRulesets().build(), "ref.family-risk",
                "2.0", "2.1", 500, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);

        assertThat(out).contains("scenarios of ref.family-risk@2.1:", " 0 failed", "lint of ref.family-risk@2.1: no findings");
        assertThat(impact.total()).isEqualTo(500);
        // 2.1 widens the abuse bands (raising only R9 b's abuse points by one): a level can only stay or fall
        impact.matrix().get("finalLevel").forEach((from, row) -> row.forEach((to, n) -> {
            if (n > 0) {
                assertThat(org.opensdm.engine.rules.RiskLevel.valueOf(to))
                        .isLessThanOrEqualTo(org.opensdm.engine.rules.RiskLevel.valueOf(from));
            }
        }));
        assertThat(impact.changed().get("neglectScore")).isZero();
        assertThat(out).contains("cut points of abuse", "points of R9 b");
    }
}
