package org.opensdm.engine.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.Toy;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class ScenarioSuiteTest {
    @TempDir
    Path dir;

    private ScenarioSuite run() {
        SdmEngine engine = SdmEngine.builder().rulesetDirectory(dir).build();
        return ScenarioSuite.run(engine, engine.registry().find("test.toy", "1.0").orElseThrow());
    }

    @Test
    void every_scenario_runs_and_passes_on_the_toy() {
        ToyCopy.withScenarios(dir);

        ScenarioSuite suite = run();

        assertThat(suite.ok()).isTrue();
        assertThat(suite.runs()).hasSize(7);
        assertThat(suite.passed()).isEqualTo(7);
    }

    @Test
    void a_wrong_expectation_fails_with_expected_and_actual_and_the_trail() {
        ToyCopy.withScenarios(dir);
        Toy.edit(dir.resolve("test.toy/1.0/scenarios/toy.yaml"), "outcome: {score: 4, scoredLevel: HIGH}",
                "outcome: {score: 4, scoredLevel: MODERATE}");

        ScenarioSuite suite = run();

        assertThat(suite.failed()).isEqualTo(1);
        ScenarioSuite.Run failed = suite.runs().stream().filter(r -> !r.passed()).findFirst().orElseThrow();
        assertThat(JUnitXml.details(failed.result())).contains("outcome.scoredLevel: expected MODERATE, actual HIGH",
                "trail:", "rule \"Q1 first question\" [Q1=c] {risk=3}");
    }

    @Test
    void an_item_no_rule_reads_fails_the_suite_though_every_scenario_passes() {
        ToyCopy.withScenarios(dir);
        Toy.edit(dir.resolve("test.toy/1.0/toy.drl"), "    @item(\"Q4\")\n", "");

        ScenarioSuite suite = run();

        assertThat(suite.failed()).isZero();
        assertThat(suite.ok()).isFalse();
        assertThat(suite.problems()).singleElement().satisfies(p -> assertThat(p.message()).startsWith("[item-unread] item Q4"));
    }

    @Test
    void the_junit_report_counts_tests_failures_and_errors_per_version() throws Exception {
        ToyCopy.withScenarios(dir);
        Toy.edit(dir.resolve("test.toy/1.0/scenarios/toy.yaml"), "outcome: {score: 4, scoredLevel: HIGH}",
                "outcome: {score: 4, scoredLevel: MODERATE}");
        ScenarioSuite broken = ScenarioSuite.notLoaded("test.toy@3.0",
                List.of(new org.opensdm.engine.RulesetProblem("x/ruleset.yaml", 3, 5, "gap: scores 4..4 have no level")));

        StringWriter xml = new StringWriter();
        JUnitXml.write(List.of(run(), broken), xml);

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.toString().getBytes(StandardCharsets.UTF_8)));
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        assertThat(root.getAttribute("tests")).isEqualTo("8");
        assertThat(root.getAttribute("failures")).isEqualTo("1");
        assertThat(root.getAttribute("errors")).isEqualTo("1");
        Element first = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertThat(first.getAttribute("name")).isEqualTo("test.toy@1.0");
        assertThat(first.getAttribute("tests")).isEqualTo("7");
        Element failure = (Element) doc.getElementsByTagName("failure").item(0);
        assertThat(((Element) failure.getParentNode()).getAttribute("name")).isEqualTo("score 4 is HIGH");
        assertThat(((Element) failure.getParentNode()).getAttribute("classname")).isEqualTo("test.toy@1.0.toy");
        assertThat(failure.getAttribute("message")).contains("expected MODERATE, actual HIGH");
        Element error = (Element) doc.getElementsByTagName("error").item(0);
        assertThat(error.getTextContent()).contains("x/ruleset.yaml:3:5: gap: scores 4..4 have no level");
    }
}
