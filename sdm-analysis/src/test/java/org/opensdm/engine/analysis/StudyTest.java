package org.opensdm.engine.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StudyTest {
    private static final Study.Options OPTIONS = new Study.Options("finalLevel", "HIGH", List.of("group"));

    private static Map<String, Object> decision(String caseId, String assessedOn, String level, String scored, String applied,
                                                String code, String r1, String r2) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("caseId", caseId);
        d.put("assessedOn", assessedOn);
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("scoredLevel", scored);
        outcome.put("finalLevel", level);
        outcome.put("overrideApplied", applied);
        d.put("outcome", outcome);
        d.put("overrides", code == null ? List.of() : List.of(Map.of("type", "policy", "code", code, "applied", true)));
        List<Object> trail = new ArrayList<>();
        trail.add(Map.of("rule", "R1 rule", "item", "R1", "answer", r1, "effect", Map.of()));
        trail.add(Map.of("rule", "R2 rule", "item", "R2", "answer", r2, "effect", Map.of()));
        d.put("trail", trail);
        return d;
    }

    /** Seven cases studied by hand (see each figure's comment). */
    private static final List<Map<String, Object>> DECISIONS = List.of(
            decision("c1", "2024-03-01", "LOW", "LOW", "NONE", null, "a", "x"),
            decision("c2", "2024-03-01", "LOW", "LOW", "NONE", null, "b", "y"),
            decision("c3", "2024-03-01", "MODERATE", "MODERATE", "NONE", null, "a", "x"),
            decision("c4", "2024-03-01", "HIGH", "MODERATE", "DISCRETIONARY", null, "b", "x"),
            decision("c5", "2024-03-01", "HIGH", "HIGH", "NONE", null, "a", "y"),
            decision("c6", "2024-03-01", "VERY_HIGH", "LOW", "POLICY", "PO2", "b", "y"),
            decision("c7", "2024-06-01", "LOW", "LOW", "NONE", null, "a", "x"),
            decision("c7", "2024-01-01", "VERY_HIGH", "VERY_HIGH", "NONE", null, "a", "x"), // earlier: superseded
            decision("c8", "2024-03-01", "LOW", "LOW", "NONE", null, "a", "x"), // no outcome row
            decision(null, "2024-03-01", "LOW", "LOW", "NONE", null, "a", "x"));
    private static final String CSV = "# a comment line\ncaseId,outcome,group\nc1,0,A\nc2,1,B\nc3,false,A\nc4,TRUE,A\nc5,0,B\n"
            + "c6,1,B\nc7,0,A\nc9,1,A\n";

    private static Object at(Object o, Object... path) {
        for (Object k : path) {
            o = k instanceof Integer i ? ((List<?>) o).get(i) : ((Map<?, ?>) o).get(k);
        }
        return o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o, Object... path) {
        return (List<Object>) at(o, path);
    }

    @Test
    void a_small_table_gives_the_hand_computed_figures() {
        Map<String, Object> r = Study.run(DECISIONS.stream(), new StringReader(CSV), OPTIONS);

        assertThat(r.get("n")).isEqualTo(7L);
        assertThat(r.get("unmatched")).isEqualTo(Map.of("decisions", 1L, "outcomes", 1L)); // c8; c9
        assertThat(at(r, "input", "supersededByALaterDecision")).isEqualTo(1L);
        assertThat(at(r, "input", "withoutCaseId")).isEqualTo(1L);
        assertThat(at(r, "input", "lines")).isEqualTo(10L);
        // LOW: c1 c2 c7 (1 outcome); MODERATE: c3; HIGH: c4 c5 (1); VERY_HIGH: c6 (1)
        assertThat(list(r, "overall", "levels")).extracting(l -> at(l, "n")).containsExactly(3L, 1L, 2L, 1L);
        assertThat(list(r, "overall", "levels")).extracting(l -> at(l, "rate")).containsExactly(0.3333, 0.0, 0.5, 1.0);
        assertThat(at(r, "overall", "levels", 0, "share")).isEqualTo(0.4286);
        assertThat(at(r, "overall", "monotonic")).isEqualTo(false); // 0.33 then 0
        // negatives c1 c3 c5 c7: c5 at or above HIGH; positives c2 c4 c6: c2 below it
        assertThat(at(r, "overall", "fpr")).isEqualTo(0.25);
        assertThat(at(r, "overall", "fnr")).isEqualTo(0.3333);
        // positives at 0, 2, 3 against negatives at 0, 0, 1, 2: 8.5 of 12 pairs
        assertThat(at(r, "overall", "auc", "value")).isEqualTo(0.7083);
        // group A: c1 c3 c4 c7; B: c2 c5 c6
        assertThat(at(r, "groups", "group", "A", "n")).isEqualTo(4L);
        assertThat(at(r, "groups", "group", "B", "n")).isEqualTo(3L);
        assertThat(at(r, "groups", "group", "B", "fpr")).isEqualTo(1.0); // c5, its only negative, is HIGH
        // overrides: c4 and c6 changed the scored level
        assertThat(at(r, "overrides", "rate")).isEqualTo(0.2857);
        assertThat(at(r, "overrides", "byType")).isEqualTo(Map.of("NONE", 5L, "DISCRETIONARY", 1L, "POLICY", 1L));
        assertThat(at(r, "overrides", "byCode")).isEqualTo(Map.of("PO2", 1L));
        // R1=b is chosen exactly by the cases with the outcome; R2 follows the group
        assertThat(at(r, "items", "R1", "b", "rate")).isEqualTo(1.0);
        assertThat(at(r, "items", "R1", "b", "associationWithOutcome")).isEqualTo(1.0);
        assertThat(at(r, "items", "R1", "b", "flagged")).isEqualTo(false);
        assertThat(at(r, "items", "R2", "y", "groups", "group", "associationWithGroup")).isEqualTo(1.0);
        assertThat(at(r, "items", "R2", "y", "groups", "group", "shareChoosing")).isEqualTo(Map.of("A", 0.0, "B", 1.0));
        assertThat(at(r, "items", "R2", "y", "flagged")).isEqualTo(true);
    }

    @Test
    void an_outcomes_table_without_a_column_or_with_a_bad_value_or_a_case_twice_is_refused_naming_each_line() {
        assertThatThrownBy(() -> Study.run(DECISIONS.stream(), new StringReader("caseId,result\nc1,1\n"), OPTIONS))
                .isInstanceOfSatisfying(Study.OutcomesException.class, e -> assertThat(e.problems()).containsExactly(
                        "the outcomes CSV has no column outcome (columns: caseId, result)",
                        "the outcomes CSV has no column group (columns: caseId, result)"));
        assertThatThrownBy(() -> Study.run(DECISIONS.stream(), new StringReader("caseId,outcome,group\nc1,yes,A\nc2,1,B\nc2,0,B\n"), OPTIONS))
                .isInstanceOfSatisfying(Study.OutcomesException.class, e -> assertThat(e.problems()).containsExactly(
                        "line 2: outcome must be 1, 0, true or false, not \"yes\"", "line 4: case c2 is given twice"));
    }

    @Test
    void a_synthetic_set_with_known_rates_is_recovered_within_its_intervals() {
        double[] truth = {0.05, 0.12, 0.25, 0.45};
        double[] share = {0.4, 0.3, 0.2, 0.1};
        String[] levels = {"LOW", "MODERATE", "HIGH", "VERY_HIGH"};
        Random random = new Random(2024);
        List<Map<String, Object>> decisions = new ArrayList<>();
        StringBuilder csv = new StringBuilder("caseId,outcome,group\n");
        for (int i = 0; i < 20_000; i++) {
            double u = random.nextDouble();
            int level = u < 0.4 ? 0 : u < 0.7 ? 1 : u < 0.9 ? 2 : 3;
            String id = "s" + i;
            decisions.add(decision(id, "2024-03-01", levels[level], levels[level], "NONE", null, "a", "x"));
            csv.append(id).append(',').append(random.nextDouble() < truth[level] ? 1 : 0).append(',').append(i % 2 == 0 ? "A" : "B").append('\n');
        }
        Map<String, Object> r = Study.run(decisions.stream(), new StringReader(csv.toString()), OPTIONS);

        for (int l = 0; l < 4; l++) {
            List<Object> ci = list(r, "overall", "levels", l, "ci95");
            assertThat(truth[l]).as(levels[l]).isBetween((Double) ci.get(0), (Double) ci.get(1));
        }
        // the true AUC from the model: P(level of a positive > level of a negative), ties one half
        double pPos = 0;
        for (int l = 0; l < 4; l++) {
            pPos += share[l] * truth[l];
        }
        double auc = 0;
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double pairs = share[i] * truth[i] / pPos * share[j] * (1 - truth[j]) / (1 - pPos);
                auc += i > j ? pairs : i == j ? pairs / 2 : 0;
            }
        }
        List<Object> ci = list(r, "overall", "auc", "ci95");
        assertThat(auc).isBetween((Double) ci.get(0), (Double) ci.get(1));
        assertThat(at(r, "overall", "monotonic")).isEqualTo(true);
    }
}
