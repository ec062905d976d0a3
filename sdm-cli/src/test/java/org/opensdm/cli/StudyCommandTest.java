package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.json.SdmJson;

/** {@code sdm sample --outcomes}, then {@code sdm study}: the README's walk-through, on synthetic data. */
class StudyCommandTest {
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void a_study_of_synthetic_outcomes_shows_rising_rates_and_group_b_over_flagged() throws Exception {
        Path requests = dir.resolve("s.jsonl");
        Path outcomes = dir.resolve("o.csv");
        Path log = dir.resolve("log.jsonl");
        Cli.Result s = Cli.run("sample", "ref.family-risk@2.0", "--count", "3000", "--seed", "3", "-o", requests.toString(),
                "--outcomes", outcomes.toString());
        assertThat(s.exit()).as(s.err()).isZero();
        assertThat(Files.readAllLines(outcomes).get(0)).startsWith("# SYNTHETIC outcomes");
        Cli.Result e = Cli.run("evaluate", "--batch", requests.toString(), "--record", log.toString());
        assertThat(e.exit()).as(e.err()).isZero();
        Files.writeString(dir.resolve("d.jsonl"), e.out());

        Cli.Result r = Cli.run("study", "--decisions", dir.resolve("d.jsonl").toString(), "--outcomes", outcomes.toString(),
                "--group", "group");

        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, Object> report = (Map<String, Object>) SdmJson.readPlain(r.out());
        assertThat(report.get("n")).isEqualTo(3000);
        assertThat(report.get("unmatched")).isEqualTo(Map.of("decisions", 0, "outcomes", 0));
        Map<String, Object> overall = (Map<String, Object>) report.get("overall");
        assertThat(overall.get("monotonic")).isEqualTo(true);
        Map<String, Object> groups = (Map<String, Object>) ((Map<String, Object>) report.get("groups")).get("group");
        // the model makes B's outcome rarer at every level: more of B's cases without the outcome are flagged
        double fprA = ((Number) ((Map<String, Object>) groups.get("A")).get("fpr")).doubleValue();
        double fprB = ((Number) ((Map<String, Object>) groups.get("B")).get("fpr")).doubleValue();
        assertThat(fprB).isGreaterThan(fprA);

        // the same study from the decision log, and beside it the requests under 2.1, as a page too
        Path html = dir.resolve("study.html");
        Cli.Result both = Cli.run("study", "--decisions", log.toString(), "--outcomes", outcomes.toString(), "--group", "group",
                "--as-version", "2.1", "--html", html.toString(), "--csv", dir.resolve("tables").toString());
        assertThat(both.exit()).as(both.err()).isZero();
        Map<String, Object> b = (Map<String, Object>) SdmJson.readPlain(both.out());
        assertThat(b.get("overall")).isEqualTo(overall);
        assertThat(((Map<String, Object>) b.get("asVersion")).get("version")).isEqualTo("2.1");
        assertThat(((Map<String, Object>) b.get("asVersion")).get("n")).isEqualTo(3000);

        List<String> levels = Files.readAllLines(dir.resolve("tables/levels.csv"));
        assertThat(levels.get(0)).isEqualTo("version,group,value,level,n,share,outcomes,rate,ci95Low,ci95High");
        assertThat(levels).hasSize(1 + 2 * 3 * 4); // two versions x (all, A, B) x 4 levels
        assertThat(levels.get(1)).startsWith("recorded,all,,LOW,");
        assertThat(levels).anyMatch(line -> line.startsWith("2.1,group,B,VERY_HIGH,"));
        assertThat(Files.readAllLines(dir.resolve("tables/summary.csv"))).hasSize(1 + 2 * 3);
        assertThat(Files.readAllLines(dir.resolve("tables/items.csv")).get(1)).startsWith("recorded,R1,");

        // the page, rendered by headless Chromium: 4 levels x 3 populations of rate bars, for each version
        Path png = Path.of("target", "screenshots", "study-report.png");
        String dom = HeadlessChromium.render(html, 1280, 2400, png);
        assertThat(dom.split("data-rate=", -1)).hasSize(2 * 12 + 1);
        assertThat(dom).contains("Outcome rate per level", "Errors at the threshold, per group", "The same requests under version 2.1");
        assertThat(Files.size(png)).isGreaterThan(20_000);
        HeadlessChromium.render(html, 390, 2400, Path.of("target", "screenshots", "study-report-narrow.png"));
    }

    @Test
    void a_bad_outcomes_file_exits_2_naming_each_problem_and_as_version_needs_a_log() throws IOException {
        Path decisions = dir.resolve("d.jsonl");
        Files.writeString(decisions, Cli.run("evaluate", "--compact", Cli.resource("requests/family-risk-2.0.json")).out());
        Path csv = dir.resolve("o.csv");
        Files.write(csv, List.of("caseId,outcome", "C-1,maybe", "C-2,1", "C-2,0"));

        Cli.Result r = Cli.run("study", "--decisions", decisions.toString(), "--outcomes", csv.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("2 problems:", "line 2: outcome must be 1, 0, true or false, not \"maybe\"",
                "line 4: case C-2 is given twice").doesNotContain("\tat ");

        Files.write(csv, List.of("caseId,outcome", "C-1,1"));
        Cli.Result v = Cli.run("study", "--decisions", decisions.toString(), "--outcomes", csv.toString(), "--as-version", "2.1");
        assertThat(v.exit()).isEqualTo(2);
        assertThat(v.err()).contains("line 1: not a decision record: --as-version needs a decision log");

        Cli.Result missing = Cli.run("study", "--decisions", dir.resolve("nope.jsonl").toString(), "--outcomes", csv.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.jsonl: no such file");
    }
}
