package org.opensdm.benchmarks;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.EvaluationRequest.OverrideRequest;
import org.opensdm.engine.rules.CutPoints;
import org.opensdm.engine.rules.RiskLevel;
import org.opensdm.engine.ruleset.RulesetManifest;
import org.opensdm.engine.ruleset.RulesetManifest.ItemDef;
import org.opensdm.engine.ruleset.RulesetManifest.OptionDef;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * Family risk 2.0 scored by plain Java: the physical limit for this job, a baseline for the
 * benchmarks only, NOT product code (no validation, no trail, no ruleset versioning). Its
 * numbers are not hard-coded: the points and cut points are read from the 2.0 manifest once,
 * at construction, into arrays; the logic (levels, the higher index, policy and discretionary
 * overrides, the recommendation) is {@code family-risk.drl} written by hand.
 * {@code BaselinesAgreeTest} checks it gives the engine's outcome.
 */
public final class HandScorer {
    /** Per item: option key to points {neglect, abuse}. */
    private final Map<String, Map<String, int[]>> points = new HashMap<>();
    private final CutPoints neglectCuts;
    private final CutPoints abuseCuts;

    public HandScorer(RulesetVersion familyRisk20) {
        RulesetManifest m = familyRisk20.manifest();
        if (!m.key().equals(Workload.FAMILY_RISK)) {
            throw new IllegalArgumentException("the hand-written scorer knows family risk 2.0 only, not " + m.key());
        }
        for (ItemDef item : m.items()) {
            Map<String, int[]> options = new HashMap<>();
            for (OptionDef o : item.options()) {
                options.put(o.key(), new int[] {o.points().getOrDefault("neglect", 0), o.points().getOrDefault("abuse", 0)});
            }
            points.put(item.id(), options);
        }
        neglectCuts = cuts(m, "neglect");
        abuseCuts = cuts(m, "abuse");
    }

    private static CutPoints cuts(RulesetManifest m, String index) {
        return m.indices().stream().filter(i -> i.id().equals(index)).map(i -> new CutPoints(index, i.cutPoints()))
                .findFirst().orElseThrow();
    }

    /** The outcome of family risk 2.0, as the engine's decision would hold it. */
    public record Result(int neglectScore, int abuseScore, RiskLevel neglectLevel, RiskLevel abuseLevel,
                         RiskLevel scoredLevel, RiskLevel finalLevel, String overrideApplied, String recommendation) {
        /** The same values as the decision's {@code outcome} map, in manifest order. */
        public Map<String, Object> outcome() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("neglectScore", neglectScore);
            m.put("abuseScore", abuseScore);
            m.put("neglectLevel", neglectLevel.name());
            m.put("abuseLevel", abuseLevel.name());
            m.put("scoredLevel", scoredLevel.name());
            m.put("finalLevel", finalLevel.name());
            m.put("overrideApplied", overrideApplied);
            m.put("recommendation", recommendation);
            return m;
        }
    }

    public Result score(EvaluationRequest request) {
        int neglect = 0;
        int abuse = 0;
        for (Map.Entry<String, Object> e : request.answers().entrySet()) {
            int[] p = points.get(e.getKey()).get((String) e.getValue());
            neglect += p[0];
            abuse += p[1];
        }
        RiskLevel n = neglectCuts.levelFor(neglect);
        RiskLevel a = abuseCuts.levelFor(abuse);
        RiskLevel scored = RiskLevel.max(n, a);
        boolean policy = false;
        boolean discretionary = false;
        List<OverrideRequest> overrides = request.overrides();
        for (int i = 0; i < overrides.size(); i++) {
            String type = overrides.get(i).type();
            policy |= "policy".equals(type);
            discretionary |= "discretionary".equals(type);
        }
        RiskLevel finalLevel = scored;
        String applied = "NONE";
        if (scored != RiskLevel.VERY_HIGH) {
            if (policy) {
                finalLevel = RiskLevel.VERY_HIGH;
                applied = "POLICY";
            } else if (discretionary) {
                finalLevel = scored.next();
                applied = "DISCRETIONARY";
            }
        }
        String recommendation = finalLevel.isLowOrModerate() && !Boolean.TRUE.equals(request.facts().get("unresolvedSafetyThreats"))
                ? "CLOSE" : "PROMOTE_TO_SERVICES";
        return new Result(neglect, abuse, n, a, scored, finalLevel, applied, recommendation);
    }
}
