package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.json.SdmJson;

/** {@code sdm diff}: ref.family-risk 2.0 to 2.1 over sampled requests; text, JSON and HTML agree. */
class DiffCommandTest {
    @TempDir
    static Path tmp;

    static Path cases;
    static Cli.Result diff;
    static Map<String, Object> json;
    static String html;

    @BeforeAll
    static void diff_a_sample() throws Exception {
        cases = tmp.resolve("cases.jsonl");
        Cli.Result sample = Cli.run("sample", "ref.family-risk@2.0", "--count", "600", "--seed", "3", "-o", cases.toString());
        assertThat(sample.exit()).as(sample.err()).isZero();
        diff = Cli.run("diff", "--from", "ref.family-risk@2.0", "--to", "ref.family-risk@2.1", "--cases", cases.toString(),
                "--json", tmp.resolve("d.json").toString(), "--html", tmp.resolve("d.html").toString());
        json = map(SdmJson.readPlain(Files.readString(tmp.resolve("d.json"))));
        html = Files.readString(tmp.resolve("d.html"));
    }

    @Test
    void counts_match_a_recount_with_the_engine_request_by_request() throws Exception {
        assertThat(diff.exit()).as(diff.err()).isZero();
        int changedFinal = 0;
        Map<String, Map<String, Integer>> matrix = new LinkedHashMap<>();
        for (String line : Files.readAllLines(cases)) {
            String v20 = outcome(line, "2.0").get("finalLevel").toString();
            String v21 = outcome(line, "2.1").get("finalLevel").toString();
            changedFinal += v20.equals(v21) ? 0 : 1;
            matrix.computeIfAbsent(v20, k -> new LinkedHashMap<>()).merge(v21, 1, Integer::sum);
        }
        assertThat(json).containsEntry("total", 600);
        assertThat(map(json.get("changed"))).containsEntry("finalLevel", changedFinal).containsEntry("neglectLevel", 0);
        assertThat(changedFinal).isPositive();
        Map<String, Object> fin = map(map(json.get("matrix")).get("finalLevel"));
        matrix.forEach((from, row) -> row.forEach((to, n) -> assertThat(map(fin.get(from)).get(to)).as(from + "->" + to).isEqualTo(n)));
        assertThat(map(json.get("matrix"))).containsKeys("neglectLevel", "abuseLevel", "scoredLevel", "finalLevel");
        assertThat((List<?>) json.get("cases")).isNotEmpty();
    }

    @Test
    void text_output_has_changes_per_key_the_final_level_matrix_and_changed_cases() {
        Map<String, Object> changed = map(json.get("changed"));
        assertThat(diff.out()).containsPattern("(?m)^  abuseLevel\\s+" + changed.get("abuseLevel") + "\\s")
                .contains("finalLevel transition matrix (rows: 2.0, columns: 2.1):", "points of R9 b: neglect 2, abuse 1  ->  neglect 2, abuse 2",
                        "  cut point changed: abuse MODERATE: 2..3 -> 2..4\n  cut point changed: abuse HIGH: 4..6 -> 5..7\n"
                                + "  cut point changed: abuse VERY_HIGH: 7+ -> 8+\n")
                .doesNotContain("cut point changed: neglect", "cut point changed: abuse LOW")
                .containsPattern("(?m)^  line \\d+ S-\\d+: .*points differ: R9=b neglect 2, abuse 1 -> neglect 2, abuse 2$");
        Map<String, Object> fin = map(map(json.get("matrix")).get("finalLevel"));
        Object highToModerate = map(fin.get("HIGH")).get("MODERATE");
        assertThat(diff.out()).containsPattern("(?m)^  HIGH\\s+0\\s+" + highToModerate + "\\s+");
    }

    @Test
    void the_html_report_shows_the_numbers_of_the_json() {
        Map<String, Object> matrices = map(json.get("matrix"));
        for (String key : matrices.keySet()) {
            Matcher m = Pattern.compile("<td data-key=\"" + key + "\" data-from=\"(\\w+)\" data-to=\"(\\w+)\" data-count=\"(\\d+)\"[^>]*>(\\d+)")
                    .matcher(html);
            int cells = 0;
            while (m.find()) {
                cells++;
                assertThat(m.group(4)).isEqualTo(m.group(3));
                assertThat(map(map(matrices.get(key)).get(m.group(1))).get(m.group(2))).as(key).isEqualTo(Integer.parseInt(m.group(3)));
            }
            assertThat(cells).as(key).isEqualTo(map(matrices.get(key)).size() * map(matrices.get(key)).size());
        }
        Map<String, Object> dist = map(map(map(json.get("distribution")).get("finalLevel")).get("to"));
        dist.forEach((level, n) -> assertThat(html).contains("data-key=\"finalLevel\" data-side=\"to\" data-level=\"" + level
                + "\" data-count=\"" + n + "\""));
        map(json.get("changed")).forEach((key, n) -> assertThat(html).contains("data-changed-key=\"" + key + "\" data-count=\"" + n + "\""));
        assertThat(html).contains("data-total=\"600\"", "<svg");
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).doesNotContain("<script", "http://", "https://", "<link");
    }

    @Test
    void diff_evaluates_each_version_on_dates_before_it_is_in_force() throws Exception {
        // the sample of 2.0 is dated 2.0's effectiveFrom, 2023-11-01; 2.1 is in force from 2026-01-01 only
        List<String> lines = Files.readAllLines(cases);
        assertThat(lines).allMatch(l -> l.contains("\"assessedOn\":\"2023-11-01\""));
        Path one = tmp.resolve("one.json");
        Files.writeString(one, lines.get(0).replace("\"version\":\"2.0\"", "\"version\":\"2.1\""));
        Cli.Result decided = Cli.run("evaluate", one.toString());
        assertThat(decided.exit()).as("evaluate refuses 2.1 on that date").isEqualTo(3);
        assertThat(decided.err()).contains("ref.family-risk 2.1 is not in force on 2023-11-01 (effective from 2026-01-01)");

        assertThat(diff.exit()).as(diff.err()).isZero();
        assertThat(diff.out()).contains("600 requests, 600 with a decision under both");
    }

    @Test
    void versions_with_different_items_exit_2_listing_the_items() {
        Cli.Result r = Cli.run("diff", "--from", "ref.family-risk@1.0", "--to", "ref.family-risk@2.0", "--cases", cases.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("do not share item ids", "only in ref.family-risk@1.0: N1, N2", "only in ref.family-risk@2.0: R1, R2")
                .doesNotContain("\tat ");
    }

    @Test
    void an_invalid_line_is_reported_and_the_other_cases_still_compared() throws Exception {
        Path some = tmp.resolve("some.jsonl");
        List<String> lines = Files.readAllLines(cases).subList(0, 5);
        Files.writeString(some, String.join("\n", lines) + "\n{\"answers\": {\"R1\": \"z\"}}\n", StandardCharsets.UTF_8);

        Cli.Result r = Cli.run("diff", "--from", "ref.family-risk@2.0", "--to", "ref.family-risk@2.1", "--cases", some.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).contains("6 requests, 5 with a decision under both");
        assertThat(r.err()).contains("sdm: line 6 (ref.family-risk@2.0): invalid request", "answers.R1");
    }

    @Test
    void a_missing_cases_file_exits_2() {
        Cli.Result r = Cli.run("diff", "--from", "ref.family-risk@2.0", "--to", "ref.family-risk@2.1", "--cases", tmp.resolve("no.jsonl").toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no.jsonl", "no such file");
    }

    private static Map<String, Object> outcome(String line, String version) {
        Map<String, Object> request = new LinkedHashMap<>(map(SdmJson.readPlain(line)));
        request.put("version", version);
        // what-if, as diff evaluates: the sample is dated 2023-11-01, before 2.1 is in force
        return Cli.SHIPPED.whatIf().evaluateJson(SdmJson.write(request).getBytes(StandardCharsets.UTF_8)).outcome();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }
}
