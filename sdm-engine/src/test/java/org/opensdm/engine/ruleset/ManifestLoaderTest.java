package org.opensdm.engine.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opensdm.engine.RulesetLoadException;
import org.opensdm.engine.RulesetProblem;
import org.opensdm.engine.Toy;
import org.opensdm.engine.rules.RiskLevel;

class ManifestLoaderTest {
    private static final String TOY = read();

    private static String read() {
        try {
            return Files.readString(Toy.rulesets().resolve("test.toy/1.0/ruleset.yaml"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String edited(String from, String to) {
        assertThat(TOY).contains(from);
        int at = TOY.indexOf(from);
        return TOY.substring(0, at) + to + TOY.substring(at + from.length());
    }

    private static List<RulesetProblem> problems(String yaml) {
        try {
            ManifestLoader.load("x/ruleset.yaml", yaml);
        } catch (RulesetLoadException e) {
            return e.problems();
        }
        throw new AssertionError("expected the manifest to be refused");
    }

    @Test
    void loads_a_valid_manifest_with_points_per_index() {
        RulesetManifest m = ManifestLoader.load("x/ruleset.yaml", TOY);
        assertThat(m.key()).isEqualTo("test.toy@1.0");
        assertThat(m.status()).isEqualTo(RulesetStatus.REFERENCE);
        assertThat(m.item("Q1").orElseThrow().option("c").orElseThrow().points()).containsEntry("risk", 3);
        assertThat(m.item("Q2").orElseThrow().maxPoints()).containsEntry("risk", 3);
        assertThat(m.item("Q4").orElseThrow().required()).isFalse();
        assertThat(m.indices().get(0).cutPoints()).extracting(b -> b.level())
                .containsExactly(RiskLevel.LOW, RiskLevel.MODERATE, RiskLevel.HIGH, RiskLevel.VERY_HIGH);
        assertThat(m.facts()).singleElement().satisfies(f -> assertThat(f.defaultValue()).isFalse());
        assertThat(m.outcomes()).filteredOn(o -> o.nullable()).extracting(o -> o.key()).containsExactly("note");
    }

    @Test
    void a_cut_point_gap_is_named_with_its_location() {
        assertThat(problems(edited("{level: MODERATE, min: 2, max: 3}", "{level: MODERATE, min: 3, max: 3}")))
                .singleElement().satisfies(p -> {
                    assertThat(p.file()).isEqualTo("x/ruleset.yaml");
                    assertThat(p.line()).isEqualTo(TOY.lines().toList().indexOf("      - {level: MODERATE, min: 2, max: 3}") + 1);
                    assertThat(p.message()).isEqualTo("indices[0].cutPoints[1].min: gap: scores 2..2 have no level");
                });
    }

    @Test
    void a_cut_point_overlap_is_named() {
        assertThat(problems(edited("{level: HIGH, min: 4, max: 5}", "{level: HIGH, min: 3, max: 5}")))
                .extracting(RulesetProblem::message)
                .containsExactly("indices[0].cutPoints[2].min: overlap: min 3 is not above the previous band's max 3");
    }

    @Test
    void cut_points_must_cover_every_reachable_score() {
        // Q1 max 3 + Q2 capped at 3 = 6; a last band ending at 5 leaves 6 without a level
        assertThat(problems(edited("{level: VERY_HIGH, min: 6}", "{level: VERY_HIGH, min: 6, max: 5}")))
                .extracting(RulesetProblem::message).contains("indices[0].cutPoints[3]: max 5 is below min 6");
        assertThat(problems(edited("{level: HIGH, min: 4, max: 5}\n      - {level: VERY_HIGH, min: 6}", "{level: HIGH, min: 4, max: 5}")))
                .extracting(RulesetProblem::message)
                .containsExactly("indices[0].cutPoints: gap: the highest reachable risk score 6 is above the last band's max 5");
        assertThat(problems(edited("{level: LOW, min: 0, max: 1}", "{level: LOW, min: 1, max: 1}")))
                .extracting(RulesetProblem::message)
                .containsExactly("indices[0].cutPoints: gap: the lowest reachable risk score 0 is below the first band's min 1");
    }

    @Test
    void an_option_without_points_on_a_scored_item_is_named() {
        assertThat(problems(edited("{key: b, text: some, points: 1}", "{key: b, text: some}")))
                .extracting(RulesetProblem::message).containsExactly("items[0].options[1].points: missing: the item scores risk");
    }

    @Test
    void unknown_kind_missing_and_unknown_fields_are_all_named_at_once() {
        String yaml = edited("kind: yesno", "kind: slider").replace("title: Toy risk tool for engine tests\n", "")
                .replace("status: reference", "status: reference\ncolour: blue");
        assertThat(problems(yaml)).extracting(RulesetProblem::message).containsExactlyInAnyOrder(
                "colour: unknown field (allowed: id, version, title, effectiveFrom, status, provenance, rules, include, sections, indices, items, childItems, overrides, facts, outcomes)",
                "title: missing",
                "items[2].kind: unknown item kind 'slider' (choice, multi, yesno, text)");
    }

    @Test
    void provenance_must_name_a_declared_source_or_ref() {
        assertThat(problems(edited("provenance: {text: SRC, points: ref}", "provenance: {text: CA-2099, points: ref}")))
                .extracting(RulesetProblem::message)
                .containsExactly("items[0].provenance.text: 'CA-2099' is neither 'ref' nor a source id of provenance.sources");
        assertThat(problems(edited("    provenance: {text: SRC, points: ref}\n    options:\n      - {key: a, text: none, points: 0}",
                "    provenance: {text: SRC}\n    options:\n      - {key: a, text: none, points: 0}")))
                .extracting(RulesetProblem::message)
                .containsExactly("items[0].provenance.points: missing: a scored item states where its points come from");
    }

    @Test
    void a_type_tag_is_refused_and_never_constructed() {
        String yaml = edited("title: Toy risk tool for engine tests",
                "title: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1/x\"]]]]");
        int titleLine = TOY.lines().toList().indexOf("title: Toy risk tool for engine tests") + 1;
        assertThat(problems(yaml)).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(titleLine);
            assertThat(p.message()).contains("tag:yaml.org,2002:javax.script.ScriptEngineManager").contains("not allowed");
        });
        assertThat(problems(edited("title: Toy risk tool for engine tests", "title: !custom x"))).singleElement()
                .satisfies(p -> assertThat(p.message()).isEqualTo("title: type tag !custom is not allowed (plain YAML values only)"));
    }

    @Test
    void malformed_yaml_is_located() {
        assertThat(problems("id: x\nitems: [a, b\nversion: 1")).singleElement().satisfies(p -> {
            assertThat(p.line()).isGreaterThan(1);
            assertThat(p.message()).startsWith("malformed YAML");
        });
    }

    @Test
    void a_policy_override_type_needs_codes_and_other_types_need_values() {
        assertThat(problems(edited("  - type: discretionary", "  - type: discretionary\n  - type: visitation")))
                .extracting(RulesetProblem::message)
                .containsExactly("overrides[2].values: missing: a tool-specific override type lists the values it may set");
    }

    @Test
    void score_range_follows_the_points() {
        RulesetManifest m = ManifestLoader.load("x/ruleset.yaml", TOY);
        assertThat(ScoreRange.of("risk", m.items())).containsExactly(0, 6);
    }

    @Test
    void unreadable_rule_file_list_is_refused() {
        assertThatThrownBy(() -> ManifestLoader.load("x/ruleset.yaml", edited("rules: [toy.drl]", "rules: [../../etc/passwd]")))
                .isInstanceOf(RulesetLoadException.class).hasMessageContaining("rules[0]: must be a .drl file name");
    }
}
