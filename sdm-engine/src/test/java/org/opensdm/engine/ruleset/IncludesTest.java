package org.opensdm.engine.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.RulesetLoadException;
import org.opensdm.engine.Toy;

/** A manifest's {@code include} brings another version's items and DRL into one place, and into the hash. */
class IncludesTest {
    @TempDir
    Path dir;

    @BeforeEach
    void layout() throws Exception {
        Toy.copy(dir);
        Path user = Files.createDirectories(dir.resolve("test.user/1.0"));
        Files.writeString(user.resolve("ruleset.yaml"), """
                id: test.user
                version: "1.0"
                title: Includes the toy's items and rules
                effectiveFrom: 2020-01-01
                status: reference
                provenance: {notice: Test fixture only., sources: []}
                rules: [user.drl]
                include:
                  - {ruleset: test.toy, version: "1.0", rules: [toy.drl]}
                items:
                  - {id: U1, text: own item, kind: yesno, provenance: {text: ref}}
                outcomes:
                  - {key: own, text: x}
                """);
        Files.writeString(user.resolve("user.drl"), "package test.user;\n");
    }

    private RulesetRegistry registry() {
        return RulesetRegistry.builder().addDirectory(dir).build();
    }

    @Test
    void included_items_and_rules_join_the_including_version() {
        RulesetVersion v = registry().find("test.user", "1.0").orElseThrow();
        assertThat(v.manifest().items()).extracting(RulesetManifest.ItemDef::id).containsExactly("U1", "Q1", "Q2", "Q3", "Q4");
        assertThat(v.manifest().rules()).containsExactly("user.drl", "include/test.toy/1.0/toy.drl");
        assertThat(v.files()).containsKeys("include/test.toy/1.0/toy.drl", "include/test.toy/1.0/ruleset.yaml");
    }

    @Test
    void a_change_to_the_included_logic_changes_the_including_hash() {
        String before = registry().find("test.user", "1.0").orElseThrow().sha256();
        Toy.edit(dir.resolve("test.toy/1.0/toy.drl"), "salience 50", "salience 51");
        assertThat(registry().find("test.user", "1.0").orElseThrow().sha256()).isNotEqualTo(before);
    }

    @Test
    void a_missing_included_version_or_file_is_a_load_error() throws Exception {
        Toy.edit(dir.resolve("test.user/1.0/ruleset.yaml"), "rules: [toy.drl]", "rules: [nope.drl]");
        assertThatThrownBy(this::registry).isInstanceOf(RulesetLoadException.class)
                .hasMessageContaining("include: test.toy@1.0 has no rule file nope.drl");
        Toy.edit(dir.resolve("test.user/1.0/ruleset.yaml"), "version: \"1.0\", rules", "version: \"7.0\", rules");
        assertThatThrownBy(this::registry).isInstanceOf(RulesetLoadException.class)
                .hasMessageContaining("include: test.toy@7.0 is not available");
    }

    @Test
    void an_item_id_clash_with_the_included_items_is_a_load_error() {
        Toy.edit(dir.resolve("test.user/1.0/ruleset.yaml"), "{id: U1,", "{id: Q3,");
        assertThatThrownBy(this::registry).isInstanceOf(RulesetLoadException.class)
                .hasMessageContaining("include: item Q3 of test.toy@1.0 is already an item of test.user@1.0");
    }
}
