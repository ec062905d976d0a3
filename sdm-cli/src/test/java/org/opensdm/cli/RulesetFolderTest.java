package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        assertThat(r.err()).containsPattern("family-risk\\.drl:\\d+")
                .doesNotContain("Exception").doesNotContain("\tat ");
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
    void a_missing_folder_exits_4() {
        Cli.Result r = Cli.run("rulesets", "--rulesets", rulesets.resolve("nope").toString());

        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.err()).contains("nope").doesNotContain("\tat ");
    }

    private static String line(Cli.Result r, String containing) {
        return r.outLines().stream().filter(l -> l.contains(containing)).findFirst().orElseThrow();
    }
}
