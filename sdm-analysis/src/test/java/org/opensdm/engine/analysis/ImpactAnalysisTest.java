package org.opensdm.engine.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.Toy;
import org.opensdm.engine.UnknownRulesetException;
import org.opensdm.engine.json.SdmJson;

/** Toy 1.0 to 2.0: Q1 c scores 2 instead of 3; cut points LOW 0-1, MODERATE 2-3, HIGH 4-5, VERY_HIGH 6+. */
class ImpactAnalysisTest {
    private static final SdmEngine ENGINE = Toy.engine();

    private static String request(String q1, String q2, String override) {
        return "{\"ruleset\":\"test.toy\",\"version\":\"1.0\",\"caseId\":\"C-" + q1 + q2.replaceAll("[^a-z]", "") + "\",\"assessedOn\":\"2024-03-01\","
                + "\"answers\":{\"Q1\":\"" + q1 + "\",\"Q2\":[" + q2 + "],\"Q3\":false}"
                + (override == null ? "" : ",\"overrides\":[" + override + "]") + "}";
    }

    private static final List<String> CASES = List.of(
            request("c", "", null),                      // 3 MODERATE -> 2 MODERATE
            request("c", "\"x\"", null),                 // 4 HIGH -> 3 MODERATE
            request("c", "\"y\",\"z\"", null),           // 6 VERY_HIGH -> 5 HIGH
            "",                                          // blank: skipped, still counted as a line
            request("b", "\"x\"", null),                 // 2 MODERATE, unchanged
            request("c", "\"x\"", "{\"type\":\"policy\",\"code\":\"P1\",\"reason\":\"r\"}")); // 4 -> 3, final VERY_HIGH both

    @Test
    void counts_changed_decisions_per_outcome_key_and_the_level_transitions() {
        ImpactReport r = new ImpactAnalysis(ENGINE).run("test.toy", "1.0", "2.0", CASES);

        assertThat(r.total()).isEqualTo(5);
        assertThat(r.evaluated()).isEqualTo(5);
        assertThat(r.changed()).containsExactly(Map.entry("score", 4), Map.entry("scoredLevel", 3), Map.entry("finalLevel", 2),
                Map.entry("overrideApplied", 0), Map.entry("flagged", 0), Map.entry("note", 0));
        assertThat(r.levelKeys()).containsExactly("scoredLevel", "finalLevel");
        assertThat(r.finalLevelKey()).isEqualTo("finalLevel");
        Map<String, Map<String, Integer>> fin = r.matrix().get("finalLevel");
        assertThat(fin.keySet()).containsExactly("MODERATE", "HIGH", "VERY_HIGH");
        assertThat(fin.get("MODERATE")).containsExactly(Map.entry("MODERATE", 2), Map.entry("HIGH", 0), Map.entry("VERY_HIGH", 0));
        assertThat(fin.get("HIGH")).containsExactly(Map.entry("MODERATE", 1), Map.entry("HIGH", 0), Map.entry("VERY_HIGH", 0));
        assertThat(fin.get("VERY_HIGH")).containsExactly(Map.entry("MODERATE", 0), Map.entry("HIGH", 1), Map.entry("VERY_HIGH", 1));
        assertThat(r.distribution("finalLevel", true)).containsExactly(Map.entry("MODERATE", 2), Map.entry("HIGH", 1),
                Map.entry("VERY_HIGH", 2));
        assertThat(r.distribution("finalLevel", false)).containsExactly(Map.entry("MODERATE", 3), Map.entry("HIGH", 1),
                Map.entry("VERY_HIGH", 1));
    }

    @Test
    void a_changed_case_names_the_items_whose_points_differ() {
        ImpactReport r = new ImpactAnalysis(ENGINE).run("test.toy", "1.0", "2.0", CASES);

        assertThat(r.cases()).extracting(ImpactReport.ChangedCase::line).containsExactly(1, 2, 3, 6);
        ImpactReport.ChangedCase second = r.cases().get(1);
        assertThat(second.caseId()).isEqualTo("C-cx");
        assertThat(second.changes()).containsOnlyKeys("score", "scoredLevel", "finalLevel");
        assertThat(second.changes().get("finalLevel")).isEqualTo(new ImpactReport.Change("HIGH", "MODERATE"));
        assertThat(second.items()).containsExactly(new ImpactReport.ItemPoints("Q1", "c", Map.of("risk", 3), Map.of("risk", 2)));
        assertThat(r.pointChanges()).containsExactly(new ImpactReport.PointChange("Q1", "c", Map.of("risk", 3), Map.of("risk", 2)));
        assertThat(r.cutPointChanges()).isEmpty();
    }

    @Test
    void a_request_without_a_decision_is_listed_and_the_others_still_counted() {
        List<String> cases = new ArrayList<>(CASES);
        cases.add("{\"ruleset\":\"test.toy\",\"answers\":{\"Q1\":\"z\"}}");
        cases.add("not json");

        ImpactReport r = new ImpactAnalysis(ENGINE).run("test.toy", "1.0", "2.0", cases);

        assertThat(r.total()).isEqualTo(7);
        assertThat(r.evaluated()).isEqualTo(5);
        assertThat(r.failures()).extracting(ImpactReport.FailedCase::line).containsExactly(7, 7, 8);
        assertThat(r.failures().get(0).message()).contains("answers.Q1", "not offered");
        assertThat(r.changed().get("score")).isEqualTo(4);
    }

    @Test
    void versions_with_different_items_are_refused_naming_the_items(@TempDir Path dir) {
        Toy.copy(dir);
        Toy.edit(dir.resolve("test.toy/2.0/ruleset.yaml"), "  - id: Q4\n", "  - id: Q5\n");
        SdmEngine engine = SdmEngine.builder().rulesetDirectory(dir).build();

        assertThatThrownBy(() -> new ImpactAnalysis(engine).run("test.toy", "1.0", "2.0", CASES))
                .isInstanceOfSatisfying(IncomparableVersionsException.class, e -> {
                    assertThat(e.onlyInFrom()).containsExactly("Q4");
                    assertThat(e.onlyInTo()).containsExactly("Q5");
                    assertThat(e.getMessage()).contains("only in test.toy@1.0: Q4", "only in test.toy@2.0: Q5");
                });
    }

    @Test
    void an_unknown_version_is_an_unknown_ruleset() {
        assertThatThrownBy(() -> new ImpactAnalysis(ENGINE).run("test.toy", "1.0", "7.0", CASES))
                .isInstanceOf(UnknownRulesetException.class).hasMessageContaining("7.0");
    }

    @Test
    void the_json_document_holds_total_changed_matrix_and_cases() {
        ImpactReport r = new ImpactAnalysis(ENGINE).run("test.toy", "1.0", "2.0", CASES);

        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) SdmJson.readPlain(SdmJson.write(r.toJson()));

        assertThat(json).containsEntry("total", 5).containsKeys("changed", "matrix", "cases");
        assertThat(json.get("changed")).isEqualTo(Map.of("score", 4, "scoredLevel", 3, "finalLevel", 2, "overrideApplied", 0,
                "flagged", 0, "note", 0));
        assertThat(json).extractingByKey("matrix").extracting("finalLevel").extracting("HIGH").extracting("MODERATE").isEqualTo(1);
        assertThat((List<?>) json.get("cases")).hasSize(4);
    }

    @Test
    void the_html_page_shows_the_numbers_of_the_json_and_needs_no_network() {
        ImpactReport r = new ImpactAnalysis(ENGINE).run("test.toy", "1.0", "2.0", CASES);

        String html = ImpactHtml.render(r);

        assertThat(cells(html, "finalLevel")).isEqualTo(r.matrix().get("finalLevel"));
        assertThat(cells(html, "scoredLevel")).isEqualTo(r.matrix().get("scoredLevel"));
        assertThat(bars(html, "finalLevel", "from")).isEqualTo(r.distribution("finalLevel", true));
        assertThat(bars(html, "finalLevel", "to")).isEqualTo(r.distribution("finalLevel", false));
        Matcher changed = Pattern.compile("data-changed-key=\"(\\w+)\" data-count=\"(\\d+)\"").matcher(html);
        Map<String, Integer> perKey = new LinkedHashMap<>();
        while (changed.find()) {
            perKey.put(changed.group(1), Integer.parseInt(changed.group(2)));
        }
        assertThat(perKey).isEqualTo(r.changed());
        assertThat(html).contains("data-total=\"5\"", "data-cases=\"4\"");
        // the only URL is the SVG namespace name, which is never fetched
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", ""))
                .doesNotContain("<script", "http://", "https://", "<link", "@import", "url(", "<img", "<iframe");
    }

    @Test
    void html_escapes_what_comes_from_the_requests() {
        List<String> cases = List.of(request("c", "", null).replace("\"caseId\":\"C-c\"", "\"caseId\":\"<b>&x</b>\""));

        String html = ImpactHtml.render(new ImpactAnalysis(ENGINE).run("test.toy", "1.0", "2.0", cases));

        assertThat(html).contains("&lt;b&gt;&amp;x&lt;/b&gt;").doesNotContain("<b>&x</b>");
    }

    /** The matrix cells of the heat map for one level key. */
    static Map<String, Map<String, Integer>> cells(String html, String key) {
        Matcher m = Pattern.compile("<td data-key=\"" + key + "\" data-from=\"(\\w+)\" data-to=\"(\\w+)\" data-count=\"(\\d+)\"[^>]*>(\\d+)")
                .matcher(html);
        Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
        while (m.find()) {
            assertThat(m.group(4)).as("shown count").isEqualTo(m.group(3));
            out.computeIfAbsent(m.group(1), k -> new LinkedHashMap<>()).put(m.group(2), Integer.parseInt(m.group(3)));
        }
        return out;
    }

    /** The bars of the distribution chart for one level key and side. */
    static Map<String, Integer> bars(String html, String key, String side) {
        Matcher m = Pattern.compile("<rect data-key=\"" + key + "\" data-side=\"" + side + "\" data-level=\"(\\w+)\" data-count=\"(\\d+)\"")
                .matcher(html);
        Map<String, Integer> out = new LinkedHashMap<>();
        while (m.find()) {
            out.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return out;
    }
}
