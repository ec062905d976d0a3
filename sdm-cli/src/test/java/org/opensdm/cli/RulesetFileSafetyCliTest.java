package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --rulesets DIR}: files that are not regular files inside the folder, and versions that
 * collide with another, exit 4 naming the file and why; evaluate never reads scenario files.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a FIFO opened by mistake would block forever
class RulesetFileSafetyCliTest {
    @TempDir
    Path rulesets;

    @TempDir
    Path outside;

    @Test
    void evaluate_does_not_read_scenario_files_test_refuses_a_fifo_one_with_exit_4() throws Exception {
        Path copy = ShippedCopy.copy(rulesets, "ref.family-risk", "2.0", "cut-points.yaml");
        Path fifo = copy.resolve("scenarios/cut-points.yaml");
        Files.delete(fifo);
        BoundedInputTest.mkfifo(fifo.getParent(), "cut-points.yaml");

        Cli.Result eval = Cli.run("evaluate", "--rulesets", rulesets.toString(), Cli.resource("requests/family-risk-2.0.json"));
        Cli.Result test = Cli.run("test", "ref.family-risk@2.0", "--rulesets", rulesets.toString());

        assertThat(eval.exit()).as(eval.err()).isZero();
        assertThat(test.exit()).isEqualTo(4);
        assertThat(test.err()).contains("2.0/scenarios/cut-points.yaml: a FIFO (named pipe), not a regular file").doesNotContain("\tat ");
    }

    @Test
    void a_drl_linked_from_outside_the_folder_exits_4_naming_it() throws Exception {
        Path copy = ShippedCopy.copy(rulesets, "ref.family-risk", "2.0");
        Path drl = copy.resolve("family-risk.drl");
        Path away = Files.copy(drl, outside.resolve("family-risk.drl"));
        Files.delete(drl);
        Files.createSymbolicLink(drl, away);

        Cli.Result r = Cli.run("evaluate", "--rulesets", rulesets.toString(), Cli.resource("requests/family-risk-2.0.json"));

        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("ref.family-risk/2.0/family-risk.drl: a symbolic link to ")
                .contains("outside the ruleset folder").doesNotContain("\tat ");
    }

    @Test
    void a_folder_copy_numbered_like_a_shipped_version_exits_4_naming_both() throws Exception {
        Path copy = ShippedCopy.copy(rulesets, "ref.family-risk", "2.0");
        Path renamed = Files.move(copy, copy.resolveSibling("2.00"));
        ShippedCopy.edit(renamed.resolve("ruleset.yaml"), "version: \"2.0\"", "version: \"2.00\"");
        ShippedCopy.edit(renamed.resolve("ruleset.yaml"), "effectiveFrom: 2023-11-01", "effectiveFrom: 2024-06-01");

        Cli.Result r = Cli.run("evaluate", "--rulesets", rulesets.toString(), Cli.resource("requests/family-risk-2.0.json"));

        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.err()).contains("versions 2.0 and 2.00 are the same version number")
                .contains(rulesets + "/ref.family-risk/2.00/ruleset.yaml").contains("classpath:sdm/rulesets/ref.family-risk/2.0/ruleset.yaml");
    }

    @Test
    void a_folder_version_effective_the_same_day_as_a_shipped_one_exits_4() throws Exception {
        Path copy = ShippedCopy.copy(rulesets, "ref.family-risk", "2.0");
        Path renamed = Files.move(copy, copy.resolveSibling("2.5"));
        ShippedCopy.edit(renamed.resolve("ruleset.yaml"), "version: \"2.0\"", "version: \"2.5\"");

        Cli.Result r = Cli.run("rulesets", "--rulesets", rulesets.toString());

        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.err()).contains("versions 2.0 and 2.5 are both effective from 2023-11-01");
    }
}
