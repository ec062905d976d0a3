package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.json.SdmJson;

@SuppressWarnings("unchecked")
class BatchEvaluateTest {
    @TempDir
    Path tmp;

    @Test
    void a_bad_line_gets_an_error_object_the_others_their_decisions_and_the_exit_is_2() throws IOException {
        Path batch = write(Cli.familyRisk2("2.0", "2024-03-01"),
                Cli.familyRisk2("2.0", "2024-03-01", "R3", "\"zz\""),
                Cli.familyRisk2("2.0", "2024-03-01", "R1", "\"d\""));

        Cli.Result r = Cli.run("evaluate", "--batch", batch.toString());

        assertThat(r.exit()).isEqualTo(2);
        List<String> lines = r.outLines();
        assertThat(lines).hasSize(3);
        assertThat(outcome(lines.get(0))).containsEntry("neglectScore", 0);
        Map<String, Object> error = json(lines.get(1));
        assertThat(error).containsEntry("line", 2);
        assertThat(error.get("errors")).asList().singleElement()
                .satisfies(e -> assertThat((Map<String, Object>) e).containsEntry("path", "answers.R3").containsKey("message"));
        assertThat(outcome(lines.get(2))).containsEntry("neglectScore", 3);
        assertThat(r.err()).contains("line 2").contains("answers.R3").doesNotContain("\tat ");
    }

    @Test
    void unknown_rulesets_and_versions_get_a_ruleset_error_and_exit_3() throws IOException {
        Path batch = write(Cli.familyRisk2("2.0", "2024-03-01"),
                "{\"ruleset\":\"no.such-tool\",\"answers\":{}}",
                Cli.familyRisk2("7.0", "2024-03-01"));

        Cli.Result r = Cli.run("evaluate", "--batch", batch.toString());

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.outLines()).hasSize(3);
        for (int line : new int[] {2, 3}) {
            Map<String, Object> error = json(r.outLines().get(line - 1));
            assertThat(error).containsEntry("line", line);
            assertThat(error.get("errors")).asList().singleElement()
                    .satisfies(e -> assertThat((Map<String, Object>) e).containsEntry("path", "ruleset"));
        }
    }

    @Test
    void invalid_wins_over_unknown_ruleset() throws IOException {
        Path batch = write("{\"ruleset\":\"no.such-tool\"}", "[1, 2]");

        Cli.Result r = Cli.run("evaluate", "--batch", batch.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(json(r.outLines().get(1))).containsEntry("line", 2);
    }

    @Test
    void blank_lines_are_skipped_but_lines_are_numbered_as_in_the_file() throws IOException {
        Path batch = write("", Cli.familyRisk2("2.0", "2024-03-01"), "   ", "not json", "");

        Cli.Result r = Cli.run("evaluate", "--batch", batch.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.outLines()).hasSize(2);
        assertThat(json(r.outLines().get(0))).containsKey("outcome");
        assertThat(json(r.outLines().get(1))).containsEntry("line", 4);
    }

    @Test
    void crlf_line_ends_and_standard_input_work() {
        String input = Cli.familyRisk2("2.0", "2024-03-01") + "\r\n" + Cli.familyRisk2("2.1", "2026-03-01") + "\r\n";

        Cli.Result r = Cli.runWithStdin(input, "evaluate", "--batch", "-");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.outLines()).extracting(l -> EvaluateCommandTest.ruleset(json(l)).get("version"))
                .containsExactly("2.0", "2.1");
    }

    private Path write(String... lines) throws IOException {
        Path f = tmp.resolve("requests.jsonl");
        Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return f;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String line) {
        return (Map<String, Object>) SdmJson.readPlain(line);
    }

    private static Map<String, Object> outcome(String line) {
        return EvaluateCommandTest.outcome(json(line));
    }
}
