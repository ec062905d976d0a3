package org.opensdm.engine.internal.drools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each DRL file goes into the KieFileSystem in the folder of its package, so Drools has nothing to warn about. */
class PackageFolderTest {
    @Test
    void the_package_statement_after_comments_gives_the_folder() {
        assertThat(DroolsRuleset.packageFolder("package org.opensdm.rulesets.familyrisk;\nrule x when then end"))
                .isEqualTo("org/opensdm/rulesets/familyrisk/");
        assertThat(DroolsRuleset.packageFolder("// a comment\n/* a block\n comment */\n\n# old style\n  package  a.b_c.d1\nimport x;"))
                .isEqualTo("a/b_c/d1/");
    }

    @Test
    void without_a_package_statement_the_root() {
        assertThat(DroolsRuleset.packageFolder("rule x when then end")).isEmpty();
        assertThat(DroolsRuleset.packageFolder("/* never closed package a.b;")).isEmpty();
        assertThat(DroolsRuleset.packageFolder("packages a.b;")).isEmpty();
        assertThat(DroolsRuleset.packageFolder("package a-b;")).isEmpty();
        assertThat(DroolsRuleset.packageFolder("")).isEmpty();
    }
}
