package org.opensdm.rulesets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.analysis.Scenario;
import org.opensdm.engine.analysis.ScenarioRunner;
import org.opensdm.engine.ruleset.RulesetVersion;

/** Runs every scenario file of every shipped ruleset version. */
class ShippedScenariosTest {
    private static final SdmEngine ENGINE = SdmEngine.builder().classpathRulesets().build();

    @TestFactory
    Stream<DynamicNode> every_scenario_of_every_shipped_ruleset_passes() {
        // each version's scenarios against that version only, as `sdm test` runs them
        return ENGINE.registry().versions().stream().map(v -> DynamicContainer.dynamicContainer(v.key(),
                ScenarioRunner.scenariosOf(v).stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> {
                    ScenarioRunner.Result r = ScenarioRunner.forVersion(ENGINE, v).run(s);
                    assertThat(r.mismatches()).as(s.file() + " / " + s.name()).isEmpty();
                }))));
    }

    @Test
    void every_shipped_version_has_scenarios() {
        List<RulesetVersion> versions = ENGINE.registry().versions();
        assertThat(versions).isNotEmpty();
        for (RulesetVersion v : versions) {
            List<Scenario> scenarios = ScenarioRunner.scenariosOf(v);
            assertThat(scenarios).as(v.key()).isNotEmpty();
        }
    }
}
