package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opensdm.engine.SdmEngine;

class SdmCliTest {
    @Test
    void rulesets_lists_every_shipped_version_with_its_columns() {
        Cli.Result r = Cli.run("rulesets");

        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.outLines();
        assertThat(lines.get(0).split("\\s+")).containsExactly("id", "version", "effectiveFrom", "status", "sha256", "origin");
        assertThat(lines).anySatisfy(l -> assertThat(l.split("\\s+")).startsWith("ref.family-risk", "1.0", "2015-11-01", "reference"))
                .anySatisfy(l -> assertThat(l.split("\\s+")).startsWith("ref.family-risk", "2.0"))
                .anySatisfy(l -> assertThat(l.split("\\s+")).startsWith("ref.family-risk", "2.1"));
        String sha = Cli.SHIPPED.registry().find("ref.family-risk", "2.0").orElseThrow().sha256();
        assertThat(lines).anySatisfy(l -> assertThat(l.split("\\s+"))
                .containsSubsequence("2.0", sha.substring(0, 12), "classpath:sdm/rulesets/ref.family-risk/2.0"));
        assertThat(lines).allSatisfy(l -> assertThat(l).doesNotEndWith(" "));
    }

    @Test
    void version_prints_the_engine_version() {
        Cli.Result r = Cli.run("--version");

        assertThat(r.exit()).isZero();
        assertThat(r.out().strip()).isEqualTo("sdm " + SdmEngine.VERSION);
    }

    @Test
    void help_lists_the_verbs_and_exit_codes() {
        Cli.Result r = Cli.run("--help");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("rulesets").contains("evaluate").contains("Exit codes");
    }

    @Test
    void no_verb_or_an_unknown_verb_is_a_usage_error() {
        assertThat(Cli.run().exit()).isEqualTo(2);
        Cli.Result r = Cli.run("frobnicate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("frobnicate").doesNotContain("\tat ");
    }

    @Test
    void an_unexpected_exception_is_one_line_and_exit_1() {
        picocli.CommandLine cmd = SdmCli.commandLine(java.io.InputStream.nullInputStream(), dir -> {
            throw new IllegalStateException("boom");
        });
        java.io.StringWriter err = new java.io.StringWriter();
        cmd.setErr(new java.io.PrintWriter(err, true));
        cmd.setOut(new java.io.PrintWriter(new java.io.StringWriter(), true));

        int exit = cmd.execute("rulesets");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("sdm: internal error: boom" + System.lineSeparator());
    }
}
