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
    void compare_lists_what_differs_between_the_shipped_2_0_and_2_1() {
        // 2.1 is 2.0's logic with R9 b scoring abuse 2 (was 1) and the abuse cut points moved up one; the DRL differs
        // only in its header comment, outside every rule
        Cli.Result r = Cli.run("lint", "--compare", "ref.family-risk@2.0", "ref.family-risk@2.1");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("ref.family-risk@2.0 -> ref.family-risk@2.1: 4 differences\n"
                + "  cut point changed: abuse MODERATE: 2..3 -> 2..4\n"
                + "  cut point changed: abuse HIGH: 4..6 -> 5..7\n"
                + "  cut point changed: abuse VERY_HIGH: 7+ -> 8+\n"
                + "  points changed: R9 b abuse: 1 -> 2\n");
        Cli.Result same = Cli.run("lint", "--compare", "ref.family-risk@2.1", "ref.family-risk@2.1");
        assertThat(same.out()).isEqualTo("ref.family-risk@2.1 -> ref.family-risk@2.1: no differences in indices, cut points, "
                + "items, options, points or rules\n");
    }

    @Test
    void compare_names_items_options_and_rules_added_removed_or_changed() throws Exception {
        Path copy = ShippedCopy.copy(rulesets, "ref.family-risk", "2.0");
        Path v22 = Files.move(copy, copy.resolveSibling("2.2"));
        ShippedCopy.edit(v22.resolve("ruleset.yaml"), "version: \"2.0\"", "version: \"2.2\"");
        ShippedCopy.edit(v22.resolve("ruleset.yaml"), "effectiveFrom: 2023-11-01", "effectiveFrom: 2026-07-01");
        ShippedCopy.edit(v22.resolve("ruleset.yaml"), "{key: b, text: yes, points: {neglect: 2, abuse: 1}}",
                "{key: b, text: yes, points: {neglect: 3, abuse: 1}}\n      - {key: c, text: often, points: {neglect: 3, abuse: 2}}");
        Path drl = v22.resolve("family-risk.drl");
        // a changed rule (R3: a comment in its body), a renamed one (R9: removed and added)
        ShippedCopy.edit(drl, "    $a : Answer(item == \"R3\")\nthen\n    scores.add($a);",
                "    $a : Answer(item == \"R3\")\nthen\n    // counted as before\n    scores.add($a);");
        ShippedCopy.edit(drl, "rule \"R9 current substance use problem\"", "rule \"R9 substance use\"");

        Cli.Result r = Cli.run("lint", "--rulesets", rulesets.toString(), "--compare", "ref.family-risk@2.0", "ref.family-risk@2.2");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.outLines()).containsExactly("ref.family-risk@2.0 -> ref.family-risk@2.2: 5 differences",
                "  points changed: R9 b neglect: 2 -> 3",
                "  option added: R9 c",
                "  rule changed: \"R3 prior injury to a child\" (family-risk.drl:37 -> family-risk.drl:37: its DRL text differs)",
                "  rule removed: \"R9 current substance use problem\" (family-risk.drl:91)",
                "  rule added: \"R9 substance use\" (family-risk.drl:92)");
        assertThat(r.outLines()).noneMatch(l -> l.contains("\"R1 "));
    }

    @Test
    void compare_of_an_unknown_version_exits_3_and_with_a_selector_exits_2() {
        Cli.Result unknown = Cli.run("lint", "--compare", "ref.family-risk@2.0", "ref.family-risk@9.9");
        assertThat(unknown.exit()).isEqualTo(3);
        assertThat(unknown.err()).contains("no ruleset version ref.family-risk@9.9 (known: ").doesNotContain("\tat ");

        Cli.Result both = Cli.run("lint", "ref.family-risk", "--compare", "ref.family-risk@2.0", "ref.family-risk@2.1");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("not both");

        Cli.Result one = Cli.run("lint", "--compare", "ref.family-risk@2.0");
        assertThat(one.exit()).isEqualTo(2);
        assertThat(one.err()).doesNotContain("\tat ");
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
