package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --rulesets DIR}: an analyst's edited copy replaces the shipped version for one run. */
class RulesetFolderTest {
    @TempDir
    Path rulesets;

    @Test
    void rulesets_shows_the_folder_as_origin_of_an_edited_copy() throws IOException {
        Path copy = ShippedCopy.copy(rulesets, "ref.family-risk", "2.0");
        Path manifest = copy.resolve("ruleset.yaml");
        Files.writeString(manifest, Files.readString(manifest).replace("title: ", "title: EDITED "));

        Cli.Result r = Cli.run("rulesets", "--rulesets", rulesets.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        String shippedHash = Cli.SHIPPED.registry().find("ref.family-risk", "2.0").orElseThrow().sha256();
        assertThat(line(r, " 2.0 ")).contains(rulesets.toString()).doesNotContain("classpath")
                .doesNotContain(shippedHash.substring(0, 12));
        assertThat(line(r, " 1.0 ")).contains("classpath");
        assertThat(line(r, " 2.1 ")).contains("classpath");
    }

    @Test
    void evaluate_uses_the_folder_copy() throws IOException {
        ShippedCopy.copy(rulesets, "ref.family-risk", "2.0");

        Cli.Result r = Cli.run("evaluate", "--rulesets", rulesets.toString(), Cli.resource("requests/family-risk-2.0.json"));

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(EvaluateCommandTest.outcome(r.json())).containsKey("finalLevel");
    }

    @Test
    void a_drl_syntax_error_exits_4_naming_the_file_and_line() throws IOException {
        Path copy = ShippedCopy.copy(rulesets, "ref.family-risk", "2.0");
        Path drl = copy.resolve("family-risk.drl");
        Files.writeString(drl, Files.readString(drl).replaceFirst("(?m)^when$", "when this is not DRL"));

        Cli.Result r = Cli.run("evaluate", "--rulesets", rulesets.toString(), Cli.resource("requests/family-risk-2.0.json"));

        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.out()).isEmpty();
        // line and column, as Drools gives them: "when this is not DRL" fails at 'is', line 22, column 11
        assertThat(r.err()).contains("family-risk.drl:22:11: [ERR 102] Line 22:10 mismatched input 'is'")
                .doesNotContain("Exception").doesNotContain("\tat ");
        for (String verb : List.of("test", "lint")) {
            Cli.Result v = Cli.run(verb, "--rulesets", rulesets.toString(), "ref.family-risk@2.0");
            assertThat(v.out()).as(verb).contains("family-risk.drl:22:11: ");
        }
    }

    @Test
    void a_broken_manifest_exits_4_on_every_verb() throws IOException {
        Path copy = ShippedCopy.copy(rulesets, "ref.family-risk", "2.0");
        Files.writeString(copy.resolve("ruleset.yaml"), "id: [unclosed\n");

        Cli.Result list = Cli.run("rulesets", "--rulesets", rulesets.toString());
        Cli.Result eval = Cli.run("evaluate", "--rulesets", rulesets.toString(), Cli.resource("requests/family-risk-2.0.json"));

        assertThat(list.exit()).isEqualTo(4);
        assertThat(eval.exit()).isEqualTo(4);
        assertThat(list.err()).contains("ruleset.yaml").doesNotContain("\tat ");
    }

    @Test
    void a_missing_folder_or_a_file_is_a_usage_error_exit_2_on_every_verb() throws IOException {
        Path file = Files.writeString(rulesets.resolve("ruleset.yaml"), "id: x\n");
        Path log = Files.writeString(rulesets.resolve("log.jsonl"), "");
        for (Path bad : List.of(rulesets.resolve("nope"), file)) {
            String why = bad.equals(file) ? ": a file, not a folder" : ": no such folder";
            for (List<String> args : List.of(
                    List.of("rulesets"),
                    List.of("evaluate", Cli.resource("requests/family-risk-2.0.json")),
                    List.of("test", "ref.family-risk@2.0"),
                    List.of("lint", "ref.family-risk@2.0"),
                    List.of("sample", "ref.family-risk@2.0", "--count", "1"),
                    List.of("replay", log.toString()),
                    List.of("log", "show", log.toString()),
                    List.of("diff", "--from", "ref.family-risk@2.0", "--to", "ref.family-risk@2.1", "--cases", log.toString()))) {
                List<String> all = new java.util.ArrayList<>(args);
                all.add("--rulesets");
                all.add(bad.toString());
                Cli.Result r = Cli.run(all.toArray(String[]::new));

                assertThat(r.exit()).as(all + ": " + r.err()).isEqualTo(2);
                assertThat(r.err()).as(args.get(0)).isEqualTo("sdm: --rulesets " + bad + why
                        + (bad.equals(file) ? " (give the folder that holds <id>/<version>/ruleset.yaml)" : "") + "\n");
                assertThat(r.out()).as(args.get(0)).isEmpty();
            }
        }
    }

    private static String line(Cli.Result r, String containing) {
        return r.outLines().stream().filter(l -> l.contains(containing)).findFirst().orElseThrow();
    }
}
