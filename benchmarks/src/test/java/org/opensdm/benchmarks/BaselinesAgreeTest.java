package org.opensdm.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opensdm.engine.Decision;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * The baselines do the engine's job: on random requests (the benchmarks' own and others), the
 * bare-Drools run of the same DRL sets the same outcome keys to the same values as the engine's
 * decision, and the hand-written family risk 2.0 scorer gives the engine's whole outcome.
 */
class BaselinesAgreeTest {
    private static SdmEngine engine;

    @BeforeAll
    static void engine() {
        engine = SdmEngine.builder().classpathRulesets().build();
    }

    @Test
    void bare_drools_sets_the_outcome_the_engine_decides() {
        for (String key : List.of(Workload.FAMILY_RISK, Workload.REUNIFICATION)) {
            RulesetVersion v = Workload.version(engine.registry(), key);
            RawDrools raw = RawDrools.compile(v);
            int n = 0;
            for (long seed : new long[] {42, 7}) {
                for (EvaluationRequest r : Workload.requests(v, 200, seed)) {
                    Map<String, Object> expected = setKeys(engine.evaluate(r));
                    RawDrools.Facts facts = raw.prepare(r);
                    assertThat(raw.run(facts)).as(key + " " + r).isEqualTo(expected);
                    assertThat(raw.runUnpooled(facts)).as(key + " " + r).isEqualTo(expected);
                    n++;
                }
            }
            assertThat(n).isEqualTo(400);
        }
    }

    @Test
    void the_hand_written_scorer_gives_the_engines_outcome() {
        RulesetVersion v = Workload.version(engine.registry(), Workload.FAMILY_RISK);
        HandScorer hand = new HandScorer(v);
        List<EvaluationRequest> requests = new java.util.ArrayList<>(Workload.requests(v, 300, 42));
        requests.addAll(Workload.requests(v, 300, 99));
        for (EvaluationRequest r : requests) {
            Map<String, Object> outcome = hand.score(r).outcome();
            assertThat(outcome).as(r.toString()).isEqualTo(engine.evaluate(r).outcome());
            assertThat(List.copyOf(outcome.keySet())).isEqualTo(List.copyOf(engine.evaluate(r).outcome().keySet()));
        }
        // the mix covers every final level and both kinds of override
        assertThat(requests.stream().map(r -> hand.score(r).finalLevel()).distinct()).hasSize(4);
        assertThat(requests.stream().map(r -> hand.score(r).overrideApplied()).distinct())
                .containsExactlyInAnyOrder("NONE", "POLICY", "DISCRETIONARY");
    }

    /** The outcome keys the rules set (a decision also lists nullable keys left unset, as null). */
    private static Map<String, Object> setKeys(Decision d) {
        Map<String, Object> set = new LinkedHashMap<>();
        d.outcome().forEach((k, v) -> {
            if (v != null) {
                set.put(k, v);
            }
        });
        return set;
    }
}
