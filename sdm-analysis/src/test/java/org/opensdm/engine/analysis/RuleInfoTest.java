package org.opensdm.engine.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.RulesetLoadException;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.Toy;
import org.opensdm.engine.ruleset.RuleInfo;

/** {@link SdmEngine#rules}: the rules as the DRL source declares them, read without compiling. */
class RuleInfoTest {
    @Test
    void rules_carry_name_file_line_item_and_override_patterns() {
        List<RuleInfo> rules = Toy.engine().rules("test.toy", "1.0");

        assertThat(rules).extracting(RuleInfo::name).startsWith("Q1 first question", "Q2 signs", "risk level");
        RuleInfo q1 = rules.get(0);
        assertThat(q1.file()).isEqualTo("toy.drl");
        assertThat(q1.line()).isEqualTo(13);
        assertThat(q1.item()).isEqualTo("Q1");
        RuleInfo policy = rules.stream().filter(r -> r.name().equals("policy override")).findFirst().orElseThrow();
        assertThat(policy.item()).isNull();
        assertThat(policy.overrides()).singleElement().satisfies(p -> {
            assertThat(p.types()).containsExactly("policy");
            assertThat(p.codes()).isEmpty();
            assertThat(p.bound()).isTrue();
        });
        RuleInfo none = rules.stream().filter(r -> r.name().equals("final: scored, no override")).findFirst().orElseThrow();
        assertThat(none.overrides()).singleElement().satisfies(p -> {
            assertThat(p.types()).isEmpty();
            assertThat(p.bound()).isFalse();
        });
    }

    @Test
    void literals_on_either_side_and_in_lists_are_read(@TempDir Path dir) {
        Toy.copy(dir);
        Toy.edit(dir.resolve("test.toy/1.0/toy.drl"), "$o : OverrideGiven(type == \"policy\")",
                "$o : OverrideGiven(\"policy\" == type, code in (\"P1\", \"P2\") || code == \"P3\")");

        List<RuleInfo> rules = SdmEngine.builder().rulesetDirectory(dir).build().rules("test.toy", "1.0");

        RuleInfo policy = rules.stream().filter(r -> r.name().equals("policy override")).findFirst().orElseThrow();
        assertThat(policy.overrides()).singleElement().satisfies(p -> {
            assertThat(p.types()).isEqualTo(Set.of("policy"));
            assertThat(p.codes()).isEqualTo(Set.of("P1", "P2", "P3"));
        });
    }

    @Test
    void a_drl_that_does_not_parse_is_a_located_load_error(@TempDir Path dir) {
        Toy.copy(dir);
        Toy.edit(dir.resolve("test.toy/1.0/toy.drl"), "rule \"Q2 signs\"", "rule \"Q2 signs\" when when");

        SdmEngine engine = SdmEngine.builder().rulesetDirectory(dir).build();

        assertThatThrownBy(() -> engine.rules("test.toy", "1.0")).isInstanceOfSatisfying(RulesetLoadException.class,
                e -> assertThat(e.problems()).isNotEmpty().allSatisfy(p -> {
                    assertThat(p.file()).endsWith("test.toy/1.0/toy.drl");
                    assertThat(p.line()).isPositive();
                }));
    }
}
