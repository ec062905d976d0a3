package org.opensdm.engine.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opensdm.engine.Toy;
import org.opensdm.engine.ruleset.RulesetManifest.ItemDef;

class ScoreRangeTest {
    private static final RulesetManifest TOY = toy();

    private static RulesetManifest toy() {
        return ManifestLoader.load("toy", readToy());
    }

    @Test
    void score_sums_the_manifest_points_and_caps_a_multi_item() {
        assertThat(ScoreRange.score("risk", TOY.items(), Map.of("Q1", "c", "Q2", List.of("x", "y", "z"), "Q3", true))).isEqualTo(6);
        assertThat(ScoreRange.score("risk", TOY.items(), Map.of("Q1", "b", "Q2", List.of("y")))).isEqualTo(3);
    }

    @Test
    void an_unanswered_item_adds_nothing_and_an_answer_not_offered_gives_no_score() {
        assertThat(ScoreRange.score("risk", TOY.items(), Map.of("Q1", "b"))).isEqualTo(1);
        assertThat(ScoreRange.score("risk", TOY.items(), Map.of("Q1", "d"))).isNull();
        assertThat(ScoreRange.score("risk", TOY.items(), Map.of("Q2", List.of("x", "x")))).isNull();
    }

    @Test
    void points_are_per_index_in_the_items_scores_order() {
        ItemDef q2 = TOY.item("Q2").orElseThrow();

        assertThat(ScoreRange.points(q2, List.of("y", "z"))).containsExactly(Map.entry("risk", 3));
        assertThat(ScoreRange.points(q2, List.of())).containsExactly(Map.entry("risk", 0));
        assertThat(ScoreRange.points(TOY.item("Q3").orElseThrow(), true)).isEmpty();
    }

    @Test
    void reachable_scores_leave_out_sums_no_answers_give() {
        String yaml = readToy()
                .replace("{key: b, text: some, points: 1}", "{key: b, text: some, points: 2}")
                .replace("{key: c, text: much, points: 3}", "{key: c, text: much, points: 4}")
                .replace("{key: x, text: sign x, points: 1}", "{key: x, text: sign x, points: 2}")
                .replace("maxPoints: {risk: 3}", "maxPoints: {risk: 4}");
        RulesetManifest even = ManifestLoader.load("even", yaml);

        assertThat(ScoreRange.reachable("risk", even.items())).containsExactly(0, 2, 4, 6, 8);
        assertThat(ScoreRange.of("risk", even.items())).containsExactly(0, 8);
    }

    private static String readToy() {
        try {
            return Files.readString(Toy.rulesets().resolve("test.toy/1.0/ruleset.yaml"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
