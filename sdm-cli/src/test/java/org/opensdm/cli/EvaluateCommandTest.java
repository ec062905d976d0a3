package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EvaluateCommandTest {
    @TempDir
    Path tmp;

    @Test
    void a_valid_request_file_gives_its_decision_as_pretty_json() {
        Cli.Result r = Cli.run("evaluate", Cli.resource("requests/family-risk-2.0.json"));

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.outLines()).hasSizeGreaterThan(10);
        Map<String, Object> decision = r.json();
        assertThat(decision.get("caseId")).isEqualTo("C-1001");
        assertThat(ruleset(decision)).containsEntry("id", "ref.family-risk").containsEntry("version", "2.0");
        assertThat(outcome(decision)).containsEntry("finalLevel", "VERY_HIGH").containsEntry("overrideApplied", "POLICY");
    }

    @Test
    void compact_prints_the_same_decision_on_one_line() {
        Cli.Result pretty = Cli.run("evaluate", Cli.resource("requests/family-risk-2.0.json"));
        Cli.Result compact = Cli.run("evaluate", "--compact", Cli.resource("requests/family-risk-2.0.json"));

        assertThat(compact.exit()).isZero();
        assertThat(compact.outLines()).hasSize(1);
        assertThat(compact.json()).isEqualTo(pretty.json());
    }

    @Test
    void dash_reads_the_request_from_standard_input() throws IOException {
        String request = Files.readString(Path.of(Cli.resource("requests/family-risk-2.0.json")));

        Cli.Result r = Cli.runWithStdin(request, "evaluate", "-");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(outcome(r.json())).containsKey("finalLevel");
    }

    @ParameterizedTest(name = "assessed on {0} -> version {1}")
    @CsvSource({"2020-01-01, 1.0", "2024-01-01, 2.0", "2026-06-01, 2.1"})
    void without_a_version_the_version_in_force_on_assessedOn_is_used(String assessedOn, String version) {
        String request = version.equals("1.0") ? Cli.familyRisk1(assessedOn) : Cli.familyRisk2(null, assessedOn);

        Cli.Result r = Cli.runWithStdin(request, "evaluate", "-");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(ruleset(r.json())).containsEntry("version", version);
        assertThat(outcome(r.json())).containsKey("finalLevel");
    }

    @Test
    void an_invalid_request_exits_2_listing_every_problem_without_a_stack_trace() {
        Cli.Result r = Cli.run("evaluate", Cli.resource("requests/two-problems.json"));

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("2 problems")
                .contains("  answers.R1: ")
                .contains("  overrides[0].reason: ")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    @Test
    void malformed_json_exits_2() {
        Cli.Result r = Cli.runWithStdin("{\"ruleset\": ", "evaluate", "-");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("$: malformed JSON").doesNotContain("\tat ");
    }

    @Test
    void an_unknown_ruleset_exits_3() {
        Cli.Result r = Cli.runWithStdin("{\"ruleset\":\"no.such-tool\",\"assessedOn\":\"2024-01-01\",\"answers\":{}}",
                "evaluate", "-");

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("no.such-tool").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void an_unknown_version_exits_3() {
        Cli.Result r = Cli.runWithStdin(Cli.familyRisk2("9.9", "2024-01-01"), "evaluate", "-");

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("9.9").doesNotContain("\tat ");
    }

    @Test
    void no_version_in_force_yet_exits_3() {
        Cli.Result r = Cli.runWithStdin(Cli.familyRisk1("1999-01-01"), "evaluate", "-");

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("1999-01-01");
    }

    @Test
    void a_missing_request_file_exits_2_with_one_line() {
        Cli.Result r = Cli.run("evaluate", tmp.resolve("nope.json").toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("sdm: cannot read").endsWith("no such file").doesNotContain("\n");
    }

    @Test
    void bad_usage_exits_2_with_the_usage_message() {
        Cli.Result r = Cli.run("evaluate", "--no-such-option", "x.json");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option").contains("Usage: sdm evaluate");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> outcome(Map<String, Object> decision) {
        return (Map<String, Object>) decision.get("outcome");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> ruleset(Map<String, Object> decision) {
        return (Map<String, Object>) decision.get("ruleset");
    }
}
