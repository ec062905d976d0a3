package org.opensdm.rulesets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.opensdm.engine.Decision;
import org.opensdm.engine.Decision.OverrideResult;
import org.opensdm.engine.Decision.TrailEntry;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.EvaluationRequest.OverrideRequest;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.json.SdmJson;

/**
 * A decision cannot be changed by whoever holds it: the caller, a decision sink, the log. Every
 * list and map in it, at any depth, refuses changes.
 */
class DecisionImmutabilityTest {
    private static final SdmEngine ENGINE = SdmEngine.builder().classpathRulesets().build();

    /** Strengths and needs: a list (priorityNeeds), a map of lists (childNeeds), list-valued trail effects. */
    private static EvaluationRequest strengthsNeeds() {
        return EvaluationRequest.builder("ref.strengths-needs").version("1.0").assessedOn(LocalDate.of(2024, 3, 1))
                .answers(Map.of("CG1", "d", "CG2", "c", "CG3", "b", "CG4", "b", "CG5", "b", "CG6", "b", "CG7", "a",
                        "CG8", "b", "CG9", "b"))
                .child("child-1", Map.of("CH1", "c", "CH2", "b", "CH3", "b", "CH4", "d", "CH5", "b", "CH6", "b", "CH7", "b"))
                .build();
    }

    @Test
    void outcome_lists_maps_and_nested_lists_refuse_changes() {
        Decision d = ENGINE.evaluate(strengthsNeeds());
        String before = SdmJson.write(d);

        @SuppressWarnings("unchecked")
        List<Object> priorityNeeds = (List<Object>) d.outcome().get("priorityNeeds");
        assertThat(priorityNeeds).containsExactly("CG1", "CG2");
        assertThatThrownBy(() -> priorityNeeds.add("CG9")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> priorityNeeds.set(0, "CG9")).isInstanceOf(UnsupportedOperationException.class);

        @SuppressWarnings("unchecked")
        Map<String, Object> childNeeds = (Map<String, Object>) d.outcome().get("childNeeds");
        assertThat(childNeeds).containsOnlyKeys("child-1");
        assertThatThrownBy(() -> childNeeds.put("child-2", List.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> childNeeds.remove("child-1")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> childNeeds.computeIfAbsent("child-1", k -> List.of()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> childNeeds.entrySet().iterator().next().setValue(List.of()))
                .isInstanceOf(UnsupportedOperationException.class);

        @SuppressWarnings("unchecked")
        List<Object> nested = (List<Object>) childNeeds.get("child-1");
        assertThat(nested).containsExactly("CH1", "CH4");
        assertThatThrownBy(() -> nested.add("CH7")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(nested::clear).isInstanceOf(UnsupportedOperationException.class);

        Map<String, Object> outcome = d.outcome();
        assertThatThrownBy(() -> outcome.put("reviewSafety", false)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> outcome.keySet().remove("reviewSafety")).isInstanceOf(UnsupportedOperationException.class);

        assertThat(SdmJson.write(d)).isEqualTo(before);
    }

    @Test
    void the_trail_its_effect_maps_and_list_values_refuse_changes() {
        Decision d = ENGINE.evaluate(strengthsNeeds());
        String before = SdmJson.write(d);

        List<TrailEntry> trail = d.trail();
        assertThatThrownBy(() -> trail.add(trail.get(0))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> trail.remove(0)).isInstanceOf(UnsupportedOperationException.class);

        TrailEntry priority = trail.stream().filter(t -> t.effect().containsKey("priorityNeeds")).findFirst().orElseThrow();
        Map<String, Object> effect = priority.effect();
        assertThatThrownBy(() -> effect.put("priorityNeeds", List.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(effect::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> effect.replaceAll((k, v) -> null)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> ratedD = (List<Object>) effect.get("ratedD");
        assertThat(ratedD).containsExactly("CG1");
        assertThatThrownBy(() -> ratedD.add("CG2")).isInstanceOf(UnsupportedOperationException.class);

        assertThat(SdmJson.write(d)).isEqualTo(before);
    }

    @Test
    void a_multi_answer_in_the_trail_refuses_changes() {
        Decision d = ENGINE.evaluate(EvaluationRequest.builder("ref.family-risk").version("1.0")
                .assessedOn(LocalDate.of(2020, 1, 1))
                .answers(Map.of("N1", "b", "N2", "c", "N3", "a", "N4", "a", "N5", "b", "N6", "b", "N7", "a", "N8", "c",
                        "N9", "a", "N10", "a"))
                .answers(Map.of("A1", "a", "A2", "b", "A3", "a", "A4", "a", "A5", "b", "A6", "a",
                        "A7", new ArrayList<>(List.of("discipline", "domineering")), "A8", "a", "A9", "a", "A10", "a"))
                .build());
        TrailEntry a7 = d.trail().stream().filter(t -> "A7".equals(t.item())).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        List<Object> answer = (List<Object>) a7.answer();
        assertThat(answer).containsExactly("discipline", "domineering");
        assertThatThrownBy(() -> answer.add("emotional-support")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> answer.remove(0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void the_overrides_refuse_changes() {
        Decision d = ENGINE.evaluate(familyRisk20WithOverride());
        List<OverrideResult> overrides = d.overrides();
        assertThat(overrides).extracting(OverrideResult::code).containsExactly("PO2");
        assertThatThrownBy(overrides::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> overrides.add(new OverrideResult("policy", "PO1", null, "x", true)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(d.outcome().get("finalLevel")).isEqualTo("VERY_HIGH");
    }

    @Test
    void every_sink_and_the_caller_get_the_same_immutable_objects() {
        AtomicReference<Decision> first = new AtomicReference<>();
        AtomicReference<Decision> second = new AtomicReference<>();
        List<String> failures = new ArrayList<>();
        SdmEngine engine = ENGINE.withDecisionSink((request, decision) -> {
            first.set(decision);
            // a careless sink tries to change what the next one records
            try {
                @SuppressWarnings("unchecked")
                List<Object> needs = (List<Object>) decision.outcome().get("priorityNeeds");
                needs.add("tampered");
            } catch (UnsupportedOperationException e) {
                failures.add("outcome");
            }
            try {
                decision.trail().get(0).effect().put("tampered", true);
            } catch (UnsupportedOperationException e) {
                failures.add("effect");
            }
        }).withDecisionSink((request, decision) -> second.set(decision));

        Decision returned = engine.evaluate(strengthsNeeds());

        assertThat(failures).containsExactly("outcome", "effect");
        assertThat(first.get()).isSameAs(returned);
        assertThat(second.get()).isSameAs(returned);
        assertThat(second.get().outcome().get("priorityNeeds")).isSameAs(returned.outcome().get("priorityNeeds"))
                .isEqualTo(List.of("CG1", "CG2"));
        assertThat(second.get().trail().get(0).effect()).doesNotContainKey("tampered");
        assertThat(SdmJson.write(returned)).isEqualTo(SdmJson.write(ENGINE.evaluate(strengthsNeeds())));
    }

    @Test
    void a_decision_copies_what_it_is_given_and_keeps_its_order() {
        List<Object> needs = new ArrayList<>(List.of("CG3", "CG1"));
        Map<String, Object> byChild = new LinkedHashMap<>();
        byChild.put("zoe", new ArrayList<>(List.of("CH2")));
        byChild.put("adam", new ArrayList<>());
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("priorityNeeds", needs);
        outcome.put("childNeeds", byChild);
        outcome.put("level", null);
        Map<String, Object> effect = new LinkedHashMap<>();
        effect.put("z", 1);
        effect.put("a", new ArrayList<>(List.of("x")));
        List<TrailEntry> trail = new ArrayList<>(List.of(new TrailEntry("r", "A7", null, new ArrayList<>(List.of("x")), effect)));
        Decision d = new Decision(null, "v", null, LocalDate.of(2024, 1, 1), outcome, new ArrayList<>(), trail);

        needs.add("CG9");
        ((List<Object>) byChild.get("zoe")).add("CH9");
        byChild.put("bea", List.of());
        outcome.put("extra", 1);
        effect.put("b", 2);
        trail.clear();

        assertThat(d.outcome()).containsExactly(Map.entry("priorityNeeds", List.of("CG3", "CG1")),
                Map.entry("childNeeds", Map.of("zoe", List.of("CH2"), "adam", List.of())),
                new java.util.AbstractMap.SimpleEntry<>("level", null));
        assertThat(new ArrayList<Object>(((Map<?, ?>) d.outcome().get("childNeeds")).keySet())).containsExactly("zoe", "adam");
        assertThat(d.trail()).hasSize(1);
        assertThat(d.trail().get(0).effect().keySet()).containsExactly("z", "a");
        assertThat(d.outcome().toString()).isEqualTo("{priorityNeeds=[CG3, CG1], childNeeds={zoe=[CH2], adam=[]}, level=null}");
        // a decision made from another one's parts shares them: nothing is copied twice
        Decision again = new Decision(null, "v", null, d.assessedOn(), d.outcome(), d.overrides(), d.trail());
        assertThat(again.outcome()).isSameAs(d.outcome());
        assertThat(again.trail()).isSameAs(d.trail());
        TrailEntry t = d.trail().get(0);
        assertThat(new TrailEntry(t.rule(), t.item(), t.child(), t.answer(), t.effect()).effect()).isSameAs(t.effect());
        assertThat(again).isEqualTo(d);
    }

    private static EvaluationRequest familyRisk20WithOverride() {
        return EvaluationRequest.builder("ref.family-risk").version("2.0").assessedOn(LocalDate.of(2024, 3, 1))
                .answers(Map.of("R1", "c", "R2", "b", "R3", "b", "R4", "a", "R5", "b", "R6", "a", "R7", "a"))
                .answers(Map.of("R8", "a", "R9", "a", "R10", "b", "R11", "a", "R12", "a", "R13", "a", "R14", "a"))
                .override(OverrideRequest.policy("PO2", "infant with a spiral fracture"))
                .build();
    }
}
