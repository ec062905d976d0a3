package org.opensdm.engine.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.Toy;
import org.opensdm.engine.UnknownRulesetException;
import org.opensdm.engine.analysis.LintFinding.Check;

class LintTest {
    @TempDir
    Path dir;

    private List<LintFinding> lint(String selector) {
        LoadedRulesets loaded = LoadedRulesets.load(dir);
        return Lint.run(loaded, loaded.select(selector));
    }

    @Test
    void a_toy_whose_scenarios_cover_everything_is_clean() {
        ToyCopy.withScenarios(dir);

        assertThat(lint("test.toy@1.0")).isEmpty();
    }

    @Test
    void a_cut_point_gap_is_a_manifest_finding_at_its_line_not_an_exception() {
        ToyCopy.withScenarios(dir);
        Toy.edit(dir.resolve("test.toy/1.0/ruleset.yaml"), "{level: HIGH, min: 4, max: 5}", "{level: HIGH, min: 5, max: 5}");

        List<LintFinding> findings = lint("test.toy@1.0");

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo(Check.MANIFEST);
            assertThat(f.file()).endsWith("test.toy/1.0/ruleset.yaml");
            assertThat(f.line()).isEqualTo(17);
            assertThat(f.message()).contains("gap: scores 4..4 have no level");
        });
    }

    @Test
    void a_broken_version_is_reported_and_the_others_are_still_linted() {
        ToyCopy.withScenarios(dir);
        Toy.edit(dir.resolve("test.toy/2.0/ruleset.yaml"), "kind: yesno", "kind: maybe");

        LoadedRulesets loaded = LoadedRulesets.load(dir);
        List<LintFinding> findings = Lint.run(loaded, loaded.select("test.toy"));

        assertThat(loaded.engine().registry().find("test.toy", "2.0")).isEmpty();
        assertThat(findings).filteredOn(f -> f.ruleset().equals("test.toy@2.0")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("unknown item kind 'maybe'"));
        assertThat(findings).filteredOn(f -> f.ruleset().equals("test.toy@1.0")).isEmpty();
    }

    @Test
    void an_item_no_rule_reads_is_named_at_its_manifest_line() {
        ToyCopy.withScenarios(dir);
        Toy.edit(dir.resolve("test.toy/1.0/toy.drl"), "    @item(\"Q3\")\n", "");

        assertThat(lint("test.toy@1.0")).filteredOn(f -> f.check() == Check.ITEM_UNREAD).singleElement().satisfies(f -> {
            assertThat(f.message()).startsWith("item Q3 is read by no rule");
            assertThat(f.file()).endsWith("test.toy/1.0/ruleset.yaml");
            assertThat(f.line()).isEqualTo(39);
            assertThat(f.column()).isEqualTo(5);
        });
    }

    @Test
    void an_item_annotation_naming_no_item_is_named_at_the_rules_line() {
        ToyCopy.withScenarios(dir);
        Toy.edit(dir.resolve("test.toy/1.0/toy.drl"), "@item(\"Q4\")", "@item(\"Q9\")");

        List<LintFinding> findings = lint("test.toy@1.0");

        assertThat(findings).filteredOn(f -> f.check() == Check.ITEM_UNKNOWN).singleElement().satisfies(f -> {
            assertThat(f.file()).endsWith("test.toy/1.0/toy.drl");
            assertThat(f.line()).isEqualTo(97);
            assertThat(f.message()).contains("rule \"Q4 note\"", "@item(\"Q9\")");
        });
        assertThat(findings).extracting(LintFinding::check).contains(Check.ITEM_UNREAD).doesNotContain(Check.DRL);
    }

    @Test
    void override_types_and_codes_of_rules_and_manifest_must_agree() {
        ToyCopy.withScenarios(dir);
        Toy.edit(dir.resolve("test.toy/1.0/toy.drl"), "$o : OverrideGiven(type == \"discretionary\")",
                "$o : OverrideGiven(type == \"discretionery\")");
        Toy.edit(dir.resolve("test.toy/1.0/toy.drl"), "OverrideGiven(type == \"policy\")",
                "OverrideGiven(type == \"policy\", code in (\"P1\", \"P7\"))");

        List<String> messages = lint("test.toy@1.0").stream().filter(f -> f.check() == Check.OVERRIDE)
                .map(LintFinding::message).toList();

        assertThat(messages).anySatisfy(m -> assertThat(m).contains("matches override type \"discretionery\"", "does not declare"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("override type \"discretionary\" is declared but no rule matches"));
        // the three rules whose policy patterns were edited each name the undeclared P7
        assertThat(messages).filteredOn(m -> m.contains("matches override code \"P7\"")).hasSize(3);
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("override policy code \"P2\" is declared but no rule matches"));
        assertThat(messages).hasSize(6);
    }

    @Test
    void a_scenario_whose_expectation_is_wrong_is_named_with_its_line() {
        ToyCopy.withScenarios(dir);
        Toy.edit(dir.resolve("test.toy/1.0/scenarios/toy.yaml"), "outcome: {score: 4, scoredLevel: HIGH}",
                "outcome: {score: 4, scoredLevel: MODERATE}");

        assertThat(lint("test.toy@1.0")).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo(Check.SCENARIO);
            assertThat(f.file()).endsWith("scenarios/toy.yaml");
            assertThat(f.line()).isEqualTo(19);
            assertThat(f.message()).contains("score 4 is HIGH", "outcome.scoredLevel: expected MODERATE, actual HIGH");
        });
    }

    @Test
    void coverage_lists_the_options_and_cut_point_sides_no_scenario_reaches() {
        ToyCopy.withScenarios(dir);
        Toy.edit(dir.resolve("test.toy/1.0/scenarios/toy.yaml"), """
                  - name: score 5 is HIGH
                    answers: {Q1: c, Q2: [y]}
                    expect:
                      outcome: {score: 5, scoredLevel: HIGH}
                """, "");

        List<String> coverage = lint("test.toy@1.0").stream().filter(f -> f.check() == Check.COVERAGE)
                .map(LintFinding::message).toList();

        // Q2 y is still answered (score 6), so only the score 5 side of HIGH|VERY_HIGH is missing
        assertThat(coverage).containsExactly(
                "no scenario scores risk 5 (HIGH, the highest reachable score below the HIGH|VERY_HIGH cut point)");
    }

    @Test
    void coverage_asks_for_every_option_and_both_answers_of_a_yes_no_item() {
        ToyCopy.withScenarios(dir);
        Toy.edit(dir.resolve("test.toy/1.0/scenarios/toy.yaml"), "answers: {Q1: b, Q2: [x], Q3: true}", "answers: {Q1: b, Q2: [x]}");
        Toy.edit(dir.resolve("test.toy/1.0/scenarios/toy.yaml"), "outcome: {score: 2, scoredLevel: MODERATE, flagged: true}",
                "outcome: {score: 2, scoredLevel: MODERATE}");
        Toy.edit(dir.resolve("test.toy/1.0/scenarios/toy.yaml"), "answers: {Q1: c, Q2: [z, y]}", "answers: {Q1: c, Q2: [y, x]}");

        List<String> coverage = lint("test.toy@1.0").stream().filter(f -> f.check() == Check.COVERAGE)
                .map(LintFinding::message).toList();

        assertThat(coverage).containsExactlyInAnyOrder("no scenario answers Q2 with option z", "no scenario answers Q3 with option true");
    }

    @Test
    void a_version_without_scenarios_says_so() {
        Toy.copy(dir);

        assertThat(lint("test.toy@2.0")).extracting(LintFinding::message)
                .contains("no scenario expects a decision of test.toy@2.0 (no scenario files)", "no scenario answers Q1 with options a, b, c");
    }

    @Test
    void an_unreadable_scenario_file_is_a_finding() {
        ToyCopy.withScenarios(dir);
        ToyCopy.write(dir.resolve("test.toy/1.0/scenarios/bad.yaml"), "scenarios: [unclosed\n");

        assertThat(lint("test.toy@1.0")).filteredOn(f -> f.check() == Check.SCENARIO_FILE).singleElement()
                .satisfies(f -> {
                    assertThat(f.file()).endsWith("scenarios/bad.yaml");
                    assertThat(f.message()).contains("malformed YAML");
                });
    }

    @Test
    void a_selector_that_matches_nothing_is_an_unknown_ruleset() {
        ToyCopy.withScenarios(dir);

        assertThatThrownBy(() -> lint("test.toy@9.9")).isInstanceOf(UnknownRulesetException.class)
                .hasMessageContaining("test.toy@1.0");
    }
}
