package org.opensdm.engine.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.RulesetLoadException;
import org.opensdm.engine.Toy;
import org.opensdm.engine.UnknownRulesetException;

class RulesetRegistryTest {
    private static final RulesetRegistry REGISTRY = RulesetRegistry.builder().addDirectory(Toy.rulesets()).build();

    @Test
    void resolves_the_version_in_force_on_a_date() {
        assertThat(REGISTRY.resolve("test.toy", null, LocalDate.of(2020, 1, 1)).version()).isEqualTo("1.0");
        assertThat(REGISTRY.resolve("test.toy", null, LocalDate.of(2023, 12, 31)).version()).isEqualTo("1.0");
        assertThat(REGISTRY.resolve("test.toy", null, LocalDate.of(2024, 1, 1)).version()).isEqualTo("2.0");
        assertThat(REGISTRY.resolve("test.toy", "1.0", LocalDate.of(2030, 1, 1)).version()).isEqualTo("1.0");
        assertThatThrownBy(() -> REGISTRY.resolve("test.toy", null, LocalDate.of(2019, 12, 31)))
                .isInstanceOf(UnknownRulesetException.class);
    }

    @Test
    void versions_order_numerically() {
        assertThat(RulesetRegistry.VERSION_ORDER.compare("1.9", "1.10")).isNegative();
        assertThat(RulesetRegistry.VERSION_ORDER.compare("2.0", "2.0")).isZero();
        assertThat(RulesetRegistry.VERSION_ORDER.compare("2.1", "2")).isPositive();
    }

    @Test
    void a_later_source_replaces_the_same_version_and_has_its_own_hash(@TempDir Path dir) {
        Toy.copy(dir);
        Toy.edit(dir.resolve("test.toy/1.0/toy.drl"), "rule \"Q2 signs\"", "// edited\nrule \"Q2 signs\"");
        RulesetRegistry both = RulesetRegistry.builder().addDirectory(Toy.rulesets()).addDirectory(dir).build();
        RulesetVersion replaced = both.find("test.toy", "1.0").orElseThrow();
        assertThat(replaced.origin()).startsWith(dir.toString());
        assertThat(replaced.sha256()).isNotEqualTo(REGISTRY.find("test.toy", "1.0").orElseThrow().sha256());
        assertThat(both.find("test.toy", "2.0").orElseThrow().sha256())
                .isEqualTo(REGISTRY.find("test.toy", "2.0").orElseThrow().sha256());
    }

    @Test
    void hash_ignores_line_endings_and_scenarios_but_not_content(@TempDir Path dir) throws Exception {
        Toy.copy(dir);
        String original = REGISTRY.find("test.toy", "1.0").orElseThrow().sha256();
        Path drl = dir.resolve("test.toy/1.0/toy.drl");
        Files.writeString(drl, Files.readString(drl).replace("\n", "\r\n"));
        Files.createDirectories(dir.resolve("test.toy/1.0/scenarios"));
        Files.writeString(dir.resolve("test.toy/1.0/scenarios/a.yaml"), "scenarios: []");
        assertThat(RulesetRegistry.builder().addDirectory(dir).build().find("test.toy", "1.0").orElseThrow().sha256())
                .isEqualTo(original);
        Toy.edit(drl, "salience 50", "salience 51");
        assertThat(RulesetRegistry.builder().addDirectory(dir).build().find("test.toy", "1.0").orElseThrow().sha256())
                .isNotEqualTo(original);
    }

    @Test
    void hash_follows_its_documented_canonical_form() throws Exception {
        // sha256("a.drl" 0x00 "x\n" 0x00 "ruleset.yaml" 0x00 "y" 0x00), computed independently
        byte[] input = "a.drl\0x\n\0ruleset.yaml\0y\0".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(input));
        assertThat(ContentHash.of(Map.of("ruleset.yaml", "y", "a.drl", "x\r\n"))).isEqualTo(expected);
    }

    @Test
    void a_folder_name_that_disagrees_with_the_manifest_is_refused(@TempDir Path dir) throws Exception {
        Toy.copy(dir);
        Files.move(dir.resolve("test.toy/2.0"), dir.resolve("test.toy/3.0"));
        assertThatThrownBy(() -> RulesetRegistry.builder().addDirectory(dir).build())
                .isInstanceOf(RulesetLoadException.class).hasMessageContaining("version 2.0 does not match its folder 3.0");
    }

    @Test
    void an_unlisted_or_missing_drl_is_refused(@TempDir Path dir) throws Exception {
        Toy.copy(dir);
        Files.writeString(dir.resolve("test.toy/1.0/extra.drl"), "package x;");
        Files.delete(dir.resolve("test.toy/2.0/toy.drl"));
        assertThatThrownBy(() -> RulesetRegistry.builder().addDirectory(dir).build())
                .isInstanceOf(RulesetLoadException.class)
                .hasMessageContaining("extra.drl: DRL file not listed in ruleset.yaml rules")
                .hasMessageContaining("2.0/toy.drl: listed in ruleset.yaml rules but missing");
    }

    /** Copies toy 1.0 as {@code version}, effective from {@code from}. */
    private static void copyAs(Path dir, String version, String from) throws Exception {
        Path target = Files.createDirectories(dir.resolve("test.toy").resolve(version));
        Files.copy(dir.resolve("test.toy/1.0/toy.drl"), target.resolve("toy.drl"));
        Files.writeString(target.resolve("ruleset.yaml"), Files.readString(dir.resolve("test.toy/1.0/ruleset.yaml"))
                .replace("version: \"1.0\"", "version: \"" + version + "\"").replace("effectiveFrom: 2020-01-01", "effectiveFrom: " + from));
    }

    @Test
    void versions_that_are_the_same_number_are_refused_naming_both_manifests(@TempDir Path dir) throws Exception {
        Toy.copy(dir);
        assertThat(Files.readString(dir.resolve("test.toy/1.0/ruleset.yaml"))).contains("version: \"1.0\"");
        copyAs(dir, "1.00", "2021-01-01");
        copyAs(dir, "01.0", "2022-01-01");

        assertThatThrownBy(() -> RulesetRegistry.builder().addDirectory(dir).build())
                .isInstanceOfSatisfying(RulesetLoadException.class, e -> {
                    assertThat(e.problems()).extracting(org.opensdm.engine.RulesetProblem::file)
                            .contains(dir + "/test.toy/1.0/ruleset.yaml", dir + "/test.toy/1.00/ruleset.yaml", dir + "/test.toy/01.0/ruleset.yaml");
                    assertThat(e.getMessage()).contains("versions 1.0 and 1.00 are the same version number")
                            .contains("(the other is " + dir + "/test.toy/1.00/ruleset.yaml)")
                            .contains("(the other is " + dir + "/test.toy/1.0/ruleset.yaml)");
                });
    }

    @Test
    void versions_effective_from_the_same_day_are_refused(@TempDir Path dir) throws Exception {
        Toy.copy(dir);
        copyAs(dir, "3.0", "2024-01-01"); // the day 2.0 takes effect

        assertThatThrownBy(() -> RulesetRegistry.builder().addDirectory(dir).build())
                .isInstanceOf(RulesetLoadException.class)
                .hasMessageContaining("versions 2.0 and 3.0 are both effective from 2024-01-01")
                .hasMessageContaining(dir + "/test.toy/3.0/ruleset.yaml").hasMessageContaining(dir + "/test.toy/2.0/ruleset.yaml");
        // a distinct number and date load side by side
        Files.writeString(dir.resolve("test.toy/3.0/ruleset.yaml"), Files.readString(dir.resolve("test.toy/3.0/ruleset.yaml"))
                .replace("effectiveFrom: 2024-01-01", "effectiveFrom: 2025-01-01"));
        RulesetRegistry r = RulesetRegistry.builder().addDirectory(dir).build();
        assertThat(r.resolve("test.toy", null, LocalDate.of(2025, 6, 1)).version()).isEqualTo("3.0");
    }

    @Test
    void the_shipped_rulesets_have_no_colliding_versions() {
        Path folder = Path.of("../sdm-rulesets/src/main/resources/sdm/rulesets");
        RulesetRegistry shipped = RulesetRegistry.builder().addDirectory(folder).build();
        assertThat(shipped.find("ref.family-risk", "2.1")).isPresent();
        assertThat(RulesetRegistry.sameNumber("1.0", "1.00")).isTrue();
        assertThat(RulesetRegistry.sameNumber("01.0", "1")).isTrue();
        assertThat(RulesetRegistry.sameNumber("1.0", "1.0.1")).isFalse();
        assertThat(RulesetRegistry.sameNumber("1.a", "1.b")).isFalse();
        assertThat(RulesetRegistry.sameNumber("2.1", "2.10")).isFalse();
    }
}
