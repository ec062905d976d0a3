package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sdm lint}: static checks, each finding with file and location; exit 0 clean, 1 findings. */
class LintCommandTest {
    @TempDir
    Path rulesets;

    @Test
    void every_shipped_ruleset_is_clean() {
        Cli.Result r = Cli.run("lint");

        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("ref.family-risk@2.1: ok", "no findings");
    }

    @Test
    void scenarios_pinning_another_version_are_scenario_version_findings_with_file_and_line() throws Exception {
        TestCommandTest.copyAs22(rulesets);

        Cli.Result r = Cli.run("lint", "--rulesets", rulesets.toString(), "ref.family-risk@2.2");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).containsPattern("ref\\.family-risk/2\\.2/scenarios/cut-points\\.yaml:\\d+: \\[scenario-version\\] "
                + "scenario \"neglect 2 is MODERATE \\(lower edge\\)\": version: the scenario pins ref\\.family-risk 2\\.0 "
                + "\\(base\\.version\\), but its file is among the scenarios of ref\\.family-risk 2\\.2");
        assertThat(r.out()).contains("scenario-version 135").doesNotContain("[scenario] ");
    }

    @Test
    void a_cut_point_gap_is_a_finding_with_file_line_and_column_not_exit_4() {
        Path copy = ShippedCopy.copy(rulesets, "ref.family-risk", "2.0");
        ShippedCopy.edit(copy.resolve("ruleset.yaml"), "{level: HIGH, min: 5, max: 7}", "{level: HIGH, min: 6, max: 7}");

        Cli.Result r = Cli.run("lint", "--rulesets", rulesets.toString(), "ref.family-risk@2.0");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).containsPattern("ref\\.family-risk/2\\.0/ruleset\\.yaml:28:\\d+: \\[manifest\\] .*gap: scores 5\\.\\.5 have no level");
    }

    @Test
    void a_manifest_that_is_not_yaml_is_a_finding_and_the_other_versions_are_still_linted() throws Exception {
        Path copy = ShippedCopy.copy(rulesets, "ref.family-risk", "2.0");
        Files.writeString(copy.resolve("ruleset.yaml"), "id: [unclosed\n");

        Cli.Result r = Cli.run("lint", "--rulesets", rulesets.toString(), "ref.family-risk");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("ref.family-risk@2.0: 1 finding", "[manifest] malformed YAML", "ref.family-risk@2.1: ok");
        assertThat(r.err()).doesNotContain("\tat ");
    }

    @Test
    void an_item_no_rule_reads_is_named_at_its_line_in_the_manifest() {
        Path copy = ShippedCopy.copy(rulesets, "ref.family-risk", "2.0");
        ShippedCopy.edit(copy.resolve("family-risk.drl"), "    @item(\"R14\")\n", "");

        Cli.Result r = Cli.run("lint", "--rulesets", rulesets.toString(), "ref.family-risk@2.0");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).containsPattern("ref\\.family-risk/2\\.0/ruleset\\.yaml:151:5: \\[item-unread\\] item R14 is read by no rule");
    }

    @Test
    void a_scenario_whose_expectation_is_wrong_is_named_with_its_file_and_line() {
        Path copy = ShippedCopy.copy(rulesets, "ref.family-risk", "2.0");
        ShippedCopy.edit(copy.resolve("scenarios/cut-points.yaml"),
                "outcome: {neglectScore: 2, abuseScore: 0, neglectLevel: MODERATE, abuseLevel: LOW, scoredLevel: MODERATE}",
                "outcome: {neglectScore: 2, abuseScore: 0, neglectLevel: LOW, abuseLevel: LOW, scoredLevel: MODERATE}");

        Cli.Result r = Cli.run("lint", "--rulesets", rulesets.toString(), "ref.family-risk@2.0");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).containsPattern("scenarios/cut-points\\.yaml:\\d+: \\[scenario\\] scenario \"neglect 2 is MODERATE "
                + "\\(lower edge\\)\" fails: outcome\\.neglectLevel: expected LOW, actual MODERATE");
    }

    @Test
    void missing_scenario_coverage_lists_what_is_missing() {
        ShippedCopy.copy(rulesets, "ref.family-risk", "2.0", "cut-points.yaml");

        Cli.Result r = Cli.run("lint", "--rulesets", rulesets.toString(), "ref.family-risk@2.0");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("[coverage] no scenario answers R1 with option c")
                .doesNotContain("[coverage] no scenario scores");
    }
}
