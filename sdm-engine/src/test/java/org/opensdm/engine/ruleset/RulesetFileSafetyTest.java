package org.opensdm.engine.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.RulesetLoadException;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.Toy;

/**
 * The files of a ruleset folder are regular files inside it, within the size limits, checked
 * before they are opened; scenario files are read only when scenarios run.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a FIFO opened by mistake would block forever
class RulesetFileSafetyTest {
    @TempDir
    Path dir;

    @TempDir
    Path outside;

    private Path rulesets;

    private Path toy() {
        rulesets = Toy.copy(dir.resolve("rulesets"));
        return rulesets.resolve("test.toy");
    }

    private RulesetLoadException refused() {
        try {
            RulesetRegistry.builder().addDirectory(rulesets).build();
        } catch (RulesetLoadException e) {
            return e;
        }
        throw new AssertionError("the folder loaded");
    }

    @Test
    void a_symbolic_link_out_of_the_folder_is_refused_naming_the_file() throws IOException {
        Path drl = toy().resolve("1.0/toy.drl");
        Path secret = Files.writeString(outside.resolve("toy.drl"), Files.readString(drl));
        Files.delete(drl);
        Files.createSymbolicLink(drl, secret);

        assertThat(refused().problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).endsWith("test.toy/1.0/toy.drl");
            assertThat(p.message()).startsWith("a symbolic link to " + secret.toRealPath()).contains("outside the ruleset folder");
        });
    }

    @Test
    void a_link_to_dev_zero_is_refused_unread() throws IOException {
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        Path manifest = toy().resolve("2.0/ruleset.yaml");
        Files.delete(manifest);
        Files.createSymbolicLink(manifest, Path.of("/dev/zero"));

        assertThat(refused().problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).endsWith("test.toy/2.0/ruleset.yaml");
            assertThat(p.message()).contains("outside the ruleset folder");
        });
    }

    @Test
    void a_version_folder_linked_from_outside_is_refused() throws IOException {
        Path v = toy().resolve("2.0");
        Path away = outside.resolve("2.0");
        Files.move(v, away);
        Files.createSymbolicLink(v, away);

        assertThat(refused().problems()).extracting(p -> p.file() + ": " + p.message())
                .anySatisfy(m -> assertThat(m).contains("2.0/ruleset.yaml").contains("outside the ruleset folder"));
    }

    @Test
    void a_symbolic_link_within_the_folder_is_read() throws IOException {
        Path drl = toy().resolve("1.0/toy.drl");
        Path shared = Files.createDirectories(rulesets.resolve("shared-files"));
        Files.move(drl, shared.resolve("toy-1.drl"));
        Files.createSymbolicLink(drl, Path.of("../../shared-files/toy-1.drl"));

        RulesetRegistry r = RulesetRegistry.builder().addDirectory(rulesets).build();

        assertThat(r.find("test.toy", "1.0").orElseThrow().sha256())
                .isEqualTo(RulesetRegistry.builder().addDirectory(Toy.rulesets()).build().find("test.toy", "1.0").orElseThrow().sha256());
    }

    @Test
    void a_fifo_manifest_is_refused_without_blocking() throws Exception {
        Path manifest = toy().resolve("1.0/ruleset.yaml");
        Files.delete(manifest);
        mkfifo(manifest);

        assertThat(refused().problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).endsWith("test.toy/1.0/ruleset.yaml");
            assertThat(p.message()).isEqualTo("a FIFO (named pipe), not a regular file: a manifest must be a regular file (not read)");
        });
    }

    @Test
    void a_folder_where_a_drl_file_is_expected_is_refused() throws IOException {
        Path drl = toy().resolve("2.0/toy.drl");
        Files.delete(drl);
        Files.createDirectory(drl);

        assertThat(refused().problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).endsWith("test.toy/2.0/toy.drl");
            assertThat(p.message()).isEqualTo("a folder, not a file: a DRL file must be a regular file");
        });
    }

    @Test
    void files_over_the_size_limits_are_refused_naming_size_and_limit() throws IOException {
        Path toy = toy();
        long manifestSize = Files.size(toy.resolve("1.0/ruleset.yaml"));
        long drlSize = Files.size(toy.resolve("2.0/toy.drl"));
        RulesetLimits limits = new RulesetLimits(manifestSize - 1, 1 << 20, 10);

        assertThatThrownBy(() -> RulesetRegistry.builder().limits(limits).addDirectory(rulesets).build())
                .isInstanceOfSatisfying(RulesetLoadException.class, e -> assertThat(e.problems())
                        .extracting(p -> p.file().substring(p.file().indexOf("test.toy")) + ": " + p.message())
                        .contains("test.toy/1.0/ruleset.yaml: too large: " + manifestSize + " bytes, more than the limit of "
                                + (manifestSize - 1) + " bytes for a manifest"));
        assertThatThrownBy(() -> RulesetRegistry.builder().limits(new RulesetLimits(1 << 20, drlSize - 1, 10)).addDirectory(rulesets).build())
                .isInstanceOfSatisfying(RulesetLoadException.class, e -> assertThat(e.problems())
                        .extracting(p -> p.file().substring(p.file().indexOf("test.toy")) + ": " + p.message())
                        .contains("test.toy/2.0/toy.drl: too large: " + drlSize + " bytes, more than the limit of "
                                + (drlSize - 1) + " bytes for a DRL file"));
        // the engine builder takes the same limits
        assertThatThrownBy(() -> SdmEngine.builder().rulesetDirectory(rulesets).rulesetLimits(limits).build())
                .isInstanceOf(RulesetLoadException.class).hasMessageContaining("for a manifest");
        // at the limit is fine
        assertThat(RulesetRegistry.builder().limits(new RulesetLimits(1 << 20, drlSize, 10)).addDirectory(rulesets).build()
                .find("test.toy", "2.0")).isPresent();
    }

    @Test
    void the_default_limits_are_documented_values() {
        assertThat(RulesetLimits.DEFAULT).isEqualTo(new RulesetLimits(1 << 20, 1 << 20, 4 << 20));
    }

    @Test
    void scenario_files_are_not_read_to_evaluate_only_to_run_them() throws Exception {
        Path scenarios = Files.createDirectories(toy().resolve("1.0/scenarios"));
        mkfifo(scenarios.resolve("blocked.yaml"));
        Files.writeString(scenarios.resolve("huge.yaml"), "scenarios: []\n" + "#".repeat(100));

        SdmEngine engine = SdmEngine.builder().rulesetDirectory(rulesets).rulesetLimits(new RulesetLimits(1 << 20, 1 << 20, 50)).build();
        assertThat(engine.evaluate(Toy.request().build()).outcome()).containsKey("finalLevel");

        RulesetVersion v = engine.registry().find("test.toy", "1.0").orElseThrow();
        assertThatThrownBy(v::scenarios).isInstanceOfSatisfying(RulesetLoadException.class, e -> assertThat(e.problems())
                .extracting(p -> p.file().substring(p.file().indexOf("scenarios/")) + ": " + p.message())
                .containsExactly("scenarios/blocked.yaml: a FIFO (named pipe), not a regular file: a scenario file must be a regular file (not read)",
                        "scenarios/huge.yaml: too large: 114 bytes, more than the limit of 50 bytes for a scenario file"));
    }

    static void mkfifo(Path p) throws Exception {
        Process proc;
        try {
            proc = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "mkfifo not available");
            return;
        }
        assumeTrue(proc.waitFor() == 0, "mkfifo failed");
    }
}
