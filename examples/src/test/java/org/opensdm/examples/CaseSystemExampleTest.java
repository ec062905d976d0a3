package org.opensdm.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.opensdm.engine.SdmEngine;

/** The sample requests the README's demo command evaluates give the decisions they are meant to show. */
class CaseSystemExampleTest {
    private static final SdmEngine ENGINE = SdmEngine.builder().classpathRulesets().build();
    private static final Path REQUESTS = Path.of("requests");

    private static String render(String file) throws Exception {
        return CaseSystemExample.render(file, ENGINE, Files.readAllBytes(REQUESTS.resolve(file)));
    }

    @Test
    void low_risk_family_is_recommended_for_closing_with_every_item_in_the_trail() throws Exception {
        String out = render("01-family-risk-2.0-low.json");
        assertThat(out).contains("finalLevel=LOW", "recommendation=CLOSE", "ruleset ref.family-risk 2.0 (reference");
        for (int i = 1; i <= 14; i++) {
            assertThat(out).contains("[R" + i + " = ");
        }
    }

    @Test
    void policy_override_and_date_based_version_choice_show_in_the_output() throws Exception {
        assertThat(render("02-family-risk-2.0-policy-override.json"))
                .contains("scoredLevel=MODERATE", "finalLevel=VERY_HIGH", "overrideApplied=POLICY", "override policy PO2 APPLIED");
        assertThat(render("03-family-risk-by-date-2.1-discretionary.json"))
                .contains("ruleset ref.family-risk 2.1", "R9 current substance use problem  [R9 = b]  -> neglect 2, abuse 2",
                        "scoredLevel=HIGH", "finalLevel=VERY_HIGH", "overrideApplied=DISCRETIONARY");
        assertThat(render("04-family-risk-1.0-classic.json"))
                .contains("ruleset ref.family-risk 1.0", "neglectScore=7", "abuseScore=3", "A7 = [discipline]");
    }

    @Test
    void an_invalid_request_gets_every_problem_and_no_decision() throws Exception {
        assertThat(render("05-invalid-two-problems.json"))
                .contains("INVALID REQUEST, no decision", "answers.R1: option 'e' is not offered",
                        "overrides[0].reason: missing")
                .doesNotContain("outcome:");
    }

    @Test
    void main_evaluates_every_sample_request() throws Exception {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            CaseSystemExample.main(new String[] {REQUESTS.toString()});
        } finally {
            System.setOut(old);
        }
        long samples;
        try (var s = Files.list(REQUESTS)) {
            samples = s.filter(p -> p.toString().endsWith(".json")).count();
        }
        String out = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(out).startsWith("Evaluated " + samples + " requests");
        assertThat(out.split("\n== ", -1)).hasSize((int) samples + 1);
    }
}
