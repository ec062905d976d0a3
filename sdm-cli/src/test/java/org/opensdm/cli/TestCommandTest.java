package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** {@code sdm test}: runs scenario files; one line per scenario; exit 0, 1 or 4. */
class TestCommandTest {
    @TempDir
    Path rulesets;

    @Test
    void passing_scenarios_print_one_pass_line_each_and_exit_0() {
        ShippedCopy.copy(rulesets, "ref.family-risk", "2.0", "cut-points.yaml");

        Cli.Result r = Cli.run("test", "--rulesets", rulesets.toString(), "ref.family-risk@2.0");

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.outLines()).filteredOn(l -> l.startsWith("PASS  ref.family-risk@2.0  cut-points.yaml  ")).hasSize(22);
        assertThat(r.outLines()).noneMatch(l -> l.startsWith("FAIL") || l.startsWith("ERROR"));
        assertThat(r.out()).contains("sdm test: 22 scenarios in 1 ruleset version: 22 passed, 0 failed");
    }

    @Test
    void a_wrong_expectation_exits_1_with_expected_actual_and_the_trail() {
        Path copy = ShippedCopy.copy(rulesets, "ref.family-risk", "2.0", "cut-points.yaml");
        ShippedCopy.edit(copy.resolve("scenarios/cut-points.yaml"),
                "outcome: {neglectScore: 2, abuseScore: 0, neglectLevel: MODERATE, abuseLevel: LOW, scoredLevel: MODERATE}",
                "outcome: {neglectScore: 2, abuseScore: 0, neglectLevel: LOW, abuseLevel: LOW, scoredLevel: MODERATE}");

        Cli.Result r = Cli.run("test", "--rulesets", rulesets.toString(), "ref.family-risk@2.0");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL  ref.family-risk@2.0  cut-points.yaml  neglect 2 is MODERATE (lower edge)",
                "      outcome.neglectLevel: expected LOW, actual MODERATE",
                "      trail:",
                "rule \"R12 housing\" [R12=c] {neglect=2, abuse=0}",
                "21 passed, 1 failed");
        assertThat(r.out()).doesNotContain("outcome.neglectScore:", "outcome.scoredLevel:");
    }

    @Test
    void a_cut_point_gap_exits_4_naming_the_gap_with_file_and_line() {
        Path copy = ShippedCopy.copy(rulesets, "ref.family-risk", "2.0", "cut-points.yaml");
        ShippedCopy.edit(copy.resolve("ruleset.yaml"), "{level: HIGH, min: 5, max: 7}", "{level: HIGH, min: 6, max: 7}");

        Cli.Result r = Cli.run("test", "--rulesets", rulesets.toString(), "ref.family-risk");

        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.out()).contains("ERROR ref.family-risk@2.0: ruleset failed to load");
        assertThat(r.err()).containsPattern("ref\\.family-risk/2\\.0/ruleset\\.yaml:28:\\d+: .*gap: scores 5\\.\\.5 have no level")
                .doesNotContain("\tat ");
        // the other versions (shipped) still ran; the broken copy was not replaced by the shipped 2.0
        assertThat(r.out()).contains("PASS  ref.family-risk@2.1").doesNotContain("PASS  ref.family-risk@2.0");
    }

    @Test
    void an_item_no_rule_reads_exits_1_naming_the_item() {
        Path copy = ShippedCopy.copy(rulesets, "ref.family-risk", "2.0", "cut-points.yaml");
        ShippedCopy.edit(copy.resolve("family-risk.drl"), "    @item(\"R14\")\n", "");

        Cli.Result r = Cli.run("test", "--rulesets", rulesets.toString(), "ref.family-risk@2.0");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).containsPattern("ERROR ref\\.family-risk@2\\.0  .*ruleset\\.yaml:\\d+:\\d+: \\[item-unread\\] item R14 is read by no rule");
    }

    @Test
    void junit_xml_reports_every_scenario_for_ci_servers() throws Exception {
        Path copy = ShippedCopy.copy(rulesets, "ref.family-risk", "2.0", "cut-points.yaml");
        ShippedCopy.edit(copy.resolve("scenarios/cut-points.yaml"), "outcome: {neglectScore: 0, abuseScore: 0, neglectLevel: LOW",
                "outcome: {neglectScore: 9, abuseScore: 0, neglectLevel: LOW");
        Path xml = rulesets.resolve("report.xml");

        Cli.Result r = Cli.run("test", "--rulesets", rulesets.toString(), "ref.family-risk@2.0", "--junit-xml", xml.toString());

        assertThat(r.exit()).isEqualTo(1);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(Files.readAllBytes(xml)));
        assertThat(doc.getDocumentElement().getAttribute("tests")).isEqualTo("22");
        assertThat(doc.getDocumentElement().getAttribute("failures")).isEqualTo("1");
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(22);
        assertThat(doc.getElementsByTagName("failure").item(0).getAttributes().getNamedItem("message").getNodeValue())
                .contains("outcome.neglectScore: expected 9, actual 0");
    }

    /**
     * The analyst's copy: ref.family-risk 2.0 copied as 2.2 (version, effective date, one cut point
     * changed). Its scenario files still pin version "2.0": they used to run against the shipped 2.0
     * and pass; now each fails naming its file, itself and both versions.
     */
    @Test
    void a_copy_whose_scenarios_pin_the_version_it_was_copied_from_fails_naming_both_versions() throws Exception {
        Path copy = copyAs22(rulesets);

        Cli.Result r = Cli.run("test", "--rulesets", rulesets.toString(), "ref.family-risk@2.2");

        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("sdm test: 135 scenarios in 1 ruleset version: 0 passed, 135 failed")
                .doesNotContain("PASS  ");
        assertThat(r.out()).contains("FAIL  ref.family-risk@2.2  cut-points.yaml  neglect 2 is MODERATE (lower edge)\n"
                + "      version: the scenario pins ref.family-risk 2.0 (base.version), but its file is among the scenarios of "
                + "ref.family-risk 2.2: scenarios run against the version whose folder holds them, not 2.0 (pin \"2.2\" or leave "
                + "version out)\n");
        // a pin in a scenario's own patch is named as such
        assertThat(r.out()).contains("FAIL  ref.family-risk@2.2  version-choice.yaml  an explicit version wins over assessedOn",
                "the scenario pins ref.family-risk 2.0 (scenarios[4].version)");
        // a scenario without a version, dated where the shipped 2.0 is in force, would run against 2.0 too
        assertThat(r.out()).contains("FAIL  ref.family-risk@2.2  version-choice.yaml  2024-01-01 without version uses 2.0",
                "version: the scenario names no version, and on 2024-01-01 (scenarios[1].assessedOn) ref.family-risk 2.0 is in "
                        + "force, but its file is among the scenarios of ref.family-risk 2.2");
        assertThat(copy).exists();
    }

    @Test
    void once_the_copy_pins_its_own_version_and_dates_the_changed_cut_point_fails() throws Exception {
        Path copy = copyAs22(rulesets);
        Files.delete(copy.resolve("scenarios/version-choice.yaml")); // it tests 2.0's dates
        try (var files = Files.list(copy.resolve("scenarios"))) {
            for (Path f : files.toList()) {
                Files.writeString(f, Files.readString(f).replace("version: \"2.0\"", "version: \"2.2\""));
            }
        }

        Cli.Result early = Cli.run("test", "--rulesets", rulesets.toString(), "ref.family-risk@2.2");
        // dated 2024-03-01, before 2.2 is in force: each scenario says so
        assertThat(early.exit()).isEqualTo(1);
        assertThat(early.out()).contains("expected a decision, got: ref.family-risk 2.2 is not in force on 2024-03-01 "
                + "(effective from 2026-07-01)").contains("0 passed, 130 failed");

        try (var files = Files.list(copy.resolve("scenarios"))) {
            for (Path f : files.toList()) {
                Files.writeString(f, Files.readString(f).replace("assessedOn: 2024-03-01", "assessedOn: 2026-08-01"));
            }
        }
        Cli.Result r = Cli.run("test", "--rulesets", rulesets.toString(), "ref.family-risk@2.2");

        // neglect MODERATE now starts at 3: the lower edge scenario (neglect 2) fails
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL  ref.family-risk@2.2  cut-points.yaml  neglect 2 is MODERATE (lower edge)",
                "      outcome.neglectLevel: expected MODERATE, actual LOW")
                .contains("PASS  ref.family-risk@2.2  cut-points.yaml  neglect 4 is MODERATE (upper edge)")
                .containsPattern("sdm test: 130 scenarios in 1 ruleset version: \\d+ passed, \\d+ failed")
                .doesNotContain("version: the scenario");
    }

    /** ref.family-risk 2.0 copied as 2.2, in force from 2026-07-01, neglect MODERATE from 3 (was 2). */
    static Path copyAs22(Path rulesets) throws Exception {
        Path copy = ShippedCopy.copy(rulesets, "ref.family-risk", "2.0");
        Path as22 = Files.move(copy, copy.resolveSibling("2.2"));
        ShippedCopy.edit(as22.resolve("ruleset.yaml"), "version: \"2.0\"", "version: \"2.2\"");
        ShippedCopy.edit(as22.resolve("ruleset.yaml"), "effectiveFrom: 2023-11-01", "effectiveFrom: 2026-07-01");
        String yaml = Files.readString(as22.resolve("ruleset.yaml"));
        Files.writeString(as22.resolve("ruleset.yaml"), yaml
                .replaceFirst("\\{level: LOW, min: 0, max: 1}", "{level: LOW, min: 0, max: 2}")
                .replaceFirst("\\{level: MODERATE, min: 2, max: 4}", "{level: MODERATE, min: 3, max: 4}"));
        return as22;
    }

    @Test
    void an_unknown_ruleset_exits_3() {
        Cli.Result r = Cli.run("test", "ref.nothing");

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("ref.nothing").doesNotContain("\tat ");
    }
}
