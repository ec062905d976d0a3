package org.opensdm.rulesets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.RulesetLoadException;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.ruleset.RulesetProvider;
import org.opensdm.engine.ruleset.RulesetRegistry;

/**
 * The shipped jar's compiled rules carry the content hash of the sources they were built from: a
 * DRL file changed after the build (here: served changed, with the jar's compiled rules) is
 * refused naming both hashes, never compiled in their place; the same change without compiled
 * rules compiles at run time, and its decisions report the new hash.
 */
class CompiledRulesHashTest {
    private static final String DRL = "ref.family-risk/2.0/family-risk.drl";

    /** The shipped rulesets with one line of family risk 2.0's DRL changed, and (or not) the jar's compiled rules. */
    private static RulesetProvider editedAfterTheBuild(boolean withCompiledRules) {
        RulesetProvider shipped = new ShippedRulesets();
        return new RulesetProvider() {
            @Override
            public String origin() {
                return shipped.origin();
            }

            @Override
            public Set<String> files() {
                return shipped.files();
            }

            @Override
            public InputStream open(String path) throws IOException {
                if (!path.equals(DRL)) {
                    return shipped.open(path);
                }
                try (InputStream in = shipped.open(path)) {
                    String drl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    String edited = drl.replace("rule \"R1 prior neglect investigations\"", "rule \"R1 prior neglect investigations (edited)\"");
                    assertThat(edited).isNotEqualTo(drl);
                    return new ByteArrayInputStream(edited.getBytes(StandardCharsets.UTF_8));
                }
            }

            @Override
            public InputStream openCompiled(String id, String version) throws IOException {
                return withCompiledRules ? shipped.openCompiled(id, version) : null;
            }
        };
    }

    private static EvaluationRequest request() {
        EvaluationRequest.Builder b = EvaluationRequest.builder("ref.family-risk").version("2.0")
                .assessedOn(java.time.LocalDate.of(2024, 3, 1));
        for (int i = 1; i <= 14; i++) {
            b.answer("R" + i, "a");
        }
        return b.build();
    }

    @Test
    void a_drl_edited_after_the_build_is_refused_naming_both_hashes() {
        String built = SdmEngine.builder().classpathRulesets().build().registry().find("ref.family-risk", "2.0").orElseThrow().sha256();
        SdmEngine engine = SdmEngine.builder().registry(RulesetRegistry.builder().addProvider(editedAfterTheBuild(true)).build()).build();
        String now = engine.registry().find("ref.family-risk", "2.0").orElseThrow().sha256();
        assertThat(now).isNotEqualTo(built);

        assertThatThrownBy(() -> engine.evaluate(request()))
                .isInstanceOfSatisfying(RulesetLoadException.class, e -> assertThat(e.problems()).singleElement().satisfies(p -> {
                    assertThat(p.file()).isEqualTo("classpath:sdm/rulesets-compiled/ref.family-risk/2.0/model.zip");
                    assertThat(p.message()).isEqualTo("compiled rules of ref.family-risk@2.0 were built from sources with sha256 "
                            + built + ", but its manifest and DRL files (classpath:sdm/rulesets/ref.family-risk/2.0) have sha256 "
                            + now + ": the sources changed after the build; rebuild the jar that carries them");
                }));
        // refused again on the next call, not compiled in the meantime
        assertThatThrownBy(() -> engine.evaluate(request())).isInstanceOf(RulesetLoadException.class);
        // the other versions still load from their compiled rules
        assertThat(engine.evaluate(EvaluationRequest.builder("ref.family-risk").version("2.1")
                .assessedOn(java.time.LocalDate.of(2026, 2, 1)).answers(request().answers()).build()).ruleset().version())
                .isEqualTo("2.1");
    }

    @Test
    void the_same_edit_without_compiled_rules_compiles_at_run_time_under_its_own_hash() {
        SdmEngine engine = SdmEngine.builder().registry(RulesetRegistry.builder().addProvider(editedAfterTheBuild(false)).build()).build();
        String now = engine.registry().find("ref.family-risk", "2.0").orElseThrow().sha256();
        var d = engine.evaluate(request());
        assertThat(d.ruleset().sha256()).isEqualTo(now);
        assertThat(d.trail().get(0).rule()).isEqualTo("R1 prior neglect investigations (edited)");
    }
}
