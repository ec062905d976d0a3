package org.opensdm.rulesets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.opensdm.engine.Decision;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.EvaluationRequest.OverrideRequest;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.json.SdmJson;
import org.opensdm.engine.rules.RiskLevel;
import org.opensdm.engine.ruleset.ItemKind;
import org.opensdm.engine.ruleset.RulesetManifest;
import org.opensdm.engine.ruleset.RulesetManifest.ItemDef;
import org.opensdm.engine.ruleset.RulesetManifest.OptionDef;

/**
 * Properties every scored shipped ruleset must have, over random valid requests built from its
 * manifest (1,000 tries each): raising one answer never lowers the scored level; a policy
 * override always gives VERY_HIGH; a discretionary override raises exactly one level, never
 * past VERY_HIGH; the points in the trail sum to each index score; the same request twice gives
 * identical JSON. And for the safety assessment: adding a placement never makes it safer.
 */
class ScoringPropertiesTest {
    private static final SdmEngine ENGINE = SdmEngine.builder().classpathRulesets().build();

    /** A scored tool: which outcome keys hold its index scores and levels, and answers it must keep fixed. */
    record Tool(String id, String version, Map<String, String> scoreKeys, String scoredKey, String finalKey,
                Map<String, Object> fixed) {
        RulesetManifest manifest() {
            return ENGINE.registry().find(id, version).orElseThrow().manifest();
        }

        @Override
        public String toString() {
            return id + "@" + version;
        }
    }

    private static final Map<String, Object> SAFETY_CLEAR = safetyClear();

    private static Map<String, Object> safetyClear() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vulnerability", List.of());
        for (int i = 1; i <= 12; i++) {
            m.put("ST" + i, false);
        }
        m.put("interventions", List.of());
        return m;
    }

    private static final List<Tool> TOOLS = List.of(
            new Tool("ref.family-risk", "1.0", Map.of("neglect", "neglectScore", "abuse", "abuseScore"), "scoredLevel", "finalLevel", Map.of()),
            new Tool("ref.family-risk", "2.0", Map.of("neglect", "neglectScore", "abuse", "abuseScore"), "scoredLevel", "finalLevel", Map.of()),
            new Tool("ref.family-risk", "2.1", Map.of("neglect", "neglectScore", "abuse", "abuseScore"), "scoredLevel", "finalLevel", Map.of()),
            new Tool("ref.risk-reassessment", "1.0", Map.of("risk", "score"), "scoredLevel", "finalLevel", Map.of()),
            new Tool("ref.reunification", "1.0", Map.of("risk", "riskScore"), "scoredRiskLevel", "finalRiskLevel", SAFETY_CLEAR));

    @Provide
    Arbitrary<Tool> tools() {
        return Arbitraries.of(TOOLS);
    }

    /** Random valid answers for every item of the tool (fixed ones kept). */
    private static Map<String, Object> answers(Tool tool, Random random) {
        Map<String, Object> answers = new LinkedHashMap<>(tool.fixed());
        for (ItemDef item : tool.manifest().items()) {
            if (answers.containsKey(item.id())) {
                continue;
            }
            answers.put(item.id(), switch (item.kind()) {
                case CHOICE -> item.options().get(random.nextInt(item.options().size())).key();
                case MULTI -> item.options().stream().filter(o -> random.nextBoolean()).map(OptionDef::key).toList();
                case YESNO -> random.nextBoolean();
                case TEXT -> "a description";
            });
        }
        return answers;
    }

    private static Decision evaluate(Tool tool, Map<String, Object> answers, List<OverrideRequest> overrides) {
        EvaluationRequest.Builder b = EvaluationRequest.builder(tool.id()).version(tool.version()).answers(answers);
        overrides.forEach(b::override);
        return ENGINE.evaluate(b.build());
    }

    private static RiskLevel level(Decision d, String key) {
        return RiskLevel.valueOf((String) d.outcome().get(key));
    }

    /** True when {@code a} gives at least {@code b}'s points on every index and more on one. */
    private static boolean dominates(Map<String, Integer> a, Map<String, Integer> b) {
        boolean more = false;
        for (Map.Entry<String, Integer> e : b.entrySet()) {
            int pa = a.getOrDefault(e.getKey(), 0);
            if (pa < e.getValue()) {
                return false;
            }
            more |= pa > e.getValue();
        }
        return more;
    }

    @Property(tries = 1000)
    void raising_any_single_answer_never_lowers_the_scored_level(@ForAll("tools") Tool tool, @ForAll long seed) {
        Random random = new Random(seed);
        Map<String, Object> before = answers(tool, random);
        // every way to raise one answer from here: a dominating option, or one more positive multi option
        List<Map.Entry<String, Object>> raises = new ArrayList<>();
        for (ItemDef item : tool.manifest().items()) {
            if (item.scores().isEmpty() || tool.fixed().containsKey(item.id())) {
                continue;
            }
            if (item.kind() == ItemKind.CHOICE) {
                Map<String, Integer> now = item.option((String) before.get(item.id())).orElseThrow().points();
                item.options().stream().filter(o -> dominates(o.points(), now))
                        .forEach(o -> raises.add(Map.entry(item.id(), o.key())));
            } else {
                @SuppressWarnings("unchecked")
                List<String> chosen = (List<String>) before.get(item.id());
                for (OptionDef o : item.options()) {
                    if (!chosen.contains(o.key()) && o.points().values().stream().allMatch(p -> p >= 0)
                            && o.points().values().stream().anyMatch(p -> p > 0)) {
                        List<String> raised = new ArrayList<>(chosen);
                        raised.add(o.key());
                        raises.add(Map.entry(item.id(), raised));
                    }
                }
            }
        }
        Assume.that(!raises.isEmpty());
        Map.Entry<String, Object> raise = raises.get(random.nextInt(raises.size()));
        Map<String, Object> after = new LinkedHashMap<>(before);
        after.put(raise.getKey(), raise.getValue());
        ItemDef item = tool.manifest().item(raise.getKey()).orElseThrow();
        RiskLevel low = level(evaluate(tool, before, List.of()), tool.scoredKey());
        RiskLevel high = level(evaluate(tool, after, List.of()), tool.scoredKey());
        assertThat(high).as(item.id() + ": " + before.get(item.id()) + " -> " + after.get(item.id())).isGreaterThanOrEqualTo(low);
    }

    @Property(tries = 1000)
    void a_policy_override_always_gives_very_high(@ForAll("tools") Tool tool, @ForAll long seed) {
        Random random = new Random(seed);
        List<RulesetManifest.OverrideCode> codes = tool.manifest().override("policy").orElseThrow().codes();
        String code = codes.get(random.nextInt(codes.size())).code();
        Decision d = evaluate(tool, answers(tool, random), List.of(OverrideRequest.policy(code, "policy reason")));
        assertThat(level(d, tool.finalKey())).isEqualTo(RiskLevel.VERY_HIGH);
        assertThat(d.overrides().get(0).applied()).isEqualTo(level(d, tool.scoredKey()) != RiskLevel.VERY_HIGH);
    }

    @Property(tries = 1000)
    void a_discretionary_override_raises_exactly_one_level_and_never_past_very_high(@ForAll("tools") Tool tool,
                                                                                    @ForAll long seed) {
        Decision d = evaluate(tool, answers(tool, new Random(seed)), List.of(OverrideRequest.discretionary("worker concern")));
        RiskLevel scored = level(d, tool.scoredKey());
        RiskLevel expected = scored == RiskLevel.VERY_HIGH ? RiskLevel.VERY_HIGH : RiskLevel.values()[scored.ordinal() + 1];
        assertThat(level(d, tool.finalKey())).isEqualTo(expected);
        assertThat(d.overrides().get(0).applied()).isEqualTo(scored != RiskLevel.VERY_HIGH);
    }

    @Property(tries = 1000)
    void the_points_in_the_trail_sum_to_each_index_score(@ForAll("tools") Tool tool, @ForAll long seed) {
        Decision d = evaluate(tool, answers(tool, new Random(seed)), List.of());
        tool.scoreKeys().forEach((index, key) -> {
            int sum = d.trail().stream().filter(t -> t.item() != null && t.effect().get(index) instanceof Integer)
                    .mapToInt(t -> (Integer) t.effect().get(index)).sum();
            assertThat(sum).as(index).isEqualTo(d.outcome().get(key));
        });
        List<String> scoredItems = tool.manifest().items().stream().filter(i -> !i.scores().isEmpty()).map(ItemDef::id).toList();
        assertThat(d.trail().stream().filter(t -> scoredItems.contains(t.item()) && !t.effect().isEmpty()).map(Decision.TrailEntry::item))
                .as("every scored item appears in the trail once").containsExactlyInAnyOrderElementsOf(scoredItems);
    }

    @Property(tries = 1000)
    void the_same_request_twice_gives_identical_json(@ForAll("tools") Tool tool, @ForAll long seed) {
        Random random = new Random(seed);
        Map<String, Object> answers = answers(tool, random);
        List<OverrideRequest> overrides = random.nextBoolean() ? List.of(OverrideRequest.discretionary("r")) : List.of();
        assertThat(SdmJson.write(evaluate(tool, answers, overrides))).isEqualTo(SdmJson.write(evaluate(tool, answers, overrides)));
    }

    private static final List<String> SAFETY_ORDER = List.of("SAFE", "SAFE_WITH_PLAN", "UNSAFE");

    @Property(tries = 1000)
    void adding_a_placement_intervention_never_makes_a_safety_decision_safer(@ForAll long seed) {
        Random random = new Random(seed);
        Map<String, Object> answers = new LinkedHashMap<>(SAFETY_CLEAR);
        boolean anyThreat = false;
        for (int i = 1; i <= 12; i++) {
            boolean marked = random.nextInt(4) == 0;
            answers.put("ST" + i, marked);
            anyThreat |= marked;
        }
        if (!anyThreat) {
            answers.put("ST" + (1 + random.nextInt(12)), true);
        }
        answers.put("ST12-description", "other threat");
        List<String> interventions = new ArrayList<>();
        for (int k = 1; k <= 9; k++) {
            if (random.nextInt(3) == 0) {
                interventions.add(String.valueOf(k));
            }
        }
        if (interventions.isEmpty()) {
            interventions.add(String.valueOf(1 + random.nextInt(7)));
        }
        answers.put("interventions", interventions);
        answers.put("intervention-7-description", "other plan");
        Tool safety = new Tool("ref.safety", "1.0", Map.of(), "decision", "decision", Map.of());
        String before = (String) evaluate(safety, answers, List.of()).outcome().get("decision");
        List<String> placed = new ArrayList<>(interventions);
        String placement = random.nextBoolean() ? "8" : "9";
        if (!placed.contains(placement)) {
            placed.add(placement);
        }
        answers.put("interventions", placed);
        String after = (String) evaluate(safety, answers, List.of()).outcome().get("decision");
        assertThat(SAFETY_ORDER.indexOf(after)).as(before + " -> " + after).isGreaterThanOrEqualTo(SAFETY_ORDER.indexOf(before));
        assertThat(after).isEqualTo("UNSAFE");
    }
}
