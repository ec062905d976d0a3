package org.opensdm.benchmarks;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.EvaluationRequest.OverrideRequest;
import org.opensdm.engine.json.SdmJson;
import org.opensdm.engine.ruleset.RulesetManifest.ItemDef;
import org.opensdm.engine.ruleset.RulesetManifest.OptionDef;
import org.opensdm.engine.ruleset.RulesetRegistry;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * The requests every benchmark runs: random valid requests for one shipped ruleset version, built
 * from its manifest with a fixed seed (so every run, and every baseline, sees the same mix).
 * Family risk: every item answered (the first option six times in ten, else any option, so that
 * every level occurs), 1 in 5 with unresolved safety threats, 1 in 4 with a
 * discretionary override, 1 in 10 with a policy override. Reunification: sections A and B at
 * random, and a valid section C (safety) in every request, whether the rules reach it or not.
 */
public final class Workload {
    /** The two rulesets the issue names. */
    public static final String FAMILY_RISK = "ref.family-risk@2.0";
    public static final String REUNIFICATION = "ref.reunification@1.0";

    private Workload() {
    }

    /**
     * The shipped rulesets as the class path gives them, but without the rules compiled when their
     * jar was built: every version is compiled from its DRL at run time (through the sandbox), as
     * a {@code --rulesets} folder is.
     */
    public static RulesetRegistry compiledAtRunTime() {
        org.opensdm.engine.ruleset.RulesetProvider shipped = new org.opensdm.rulesets.ShippedRulesets();
        return RulesetRegistry.builder().addProvider(new org.opensdm.engine.ruleset.RulesetProvider() {
            @Override
            public String origin() {
                return shipped.origin();
            }

            @Override
            public java.util.Set<String> files() {
                return shipped.files();
            }

            @Override
            public java.io.InputStream open(String path) throws java.io.IOException {
                return shipped.open(path);
            }
        }).build();
    }

    public static RulesetVersion version(RulesetRegistry registry, String key) {
        int at = key.indexOf('@');
        return registry.find(key.substring(0, at), key.substring(at + 1))
                .orElseThrow(() -> new IllegalArgumentException("no shipped ruleset version " + key));
    }

    /** {@code n} random valid requests for {@code v}. */
    public static List<EvaluationRequest> requests(RulesetVersion v, int n, long seed) {
        Random random = new Random(seed);
        List<EvaluationRequest> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(request(v, random, i));
        }
        return out;
    }

    /** The same requests as JSON text, as a case system would send them. */
    public static List<String> json(List<EvaluationRequest> requests) {
        return requests.stream().map(r -> SdmJson.write(SdmJson.requestPlain(r))).toList();
    }

    static EvaluationRequest request(RulesetVersion v, Random random, int i) {
        Map<String, Object> answers = new LinkedHashMap<>();
        for (ItemDef item : v.manifest().items()) {
            if (item.kind() != org.opensdm.engine.ruleset.ItemKind.TEXT) {
                answers.put(item.id(), value(item, random));
            }
        }
        EvaluationRequest.Builder b = EvaluationRequest.builder(v.id()).version(v.version())
                .assessedOn(LocalDate.of(2024, 3, 1)).caseId("C-" + (1000 + i));
        if (answers.containsKey("interventions")) {
            // a valid safety section: a threat needs an intervention, no threat allows none
            boolean threat = false;
            for (int k = 1; k <= 12; k++) {
                boolean marked = random.nextInt(6) == 0;
                answers.put("ST" + k, marked);
                threat |= marked;
            }
            if (Boolean.TRUE.equals(answers.get("ST12"))) {
                answers.put("ST12-description", "other threat");
            }
            List<String> interventions = threat ? List.of(String.valueOf(1 + random.nextInt(9))) : List.of();
            answers.put("interventions", interventions);
            if (interventions.contains("7")) {
                answers.put("intervention-7-description", "other intervention");
            }
        }
        b.answers(answers);
        if (v.manifest().facts().stream().anyMatch(f -> f.id().equals("unresolvedSafetyThreats"))) {
            b.fact("unresolvedSafetyThreats", random.nextInt(5) == 0);
        }
        if (v.manifest().override("discretionary").isPresent() && random.nextInt(4) == 0) {
            b.override(OverrideRequest.discretionary("worker concern"));
        }
        if (v.manifest().override("policy").isPresent() && random.nextInt(10) == 0) {
            var codes = v.manifest().override("policy").get().codes();
            b.override(OverrideRequest.policy(codes.get(random.nextInt(codes.size())).code(), "policy reason"));
        }
        return b.build();
    }

    private static Object value(ItemDef item, Random random) {
        return switch (item.kind()) {
            // most answers are the first (lowest) option, as on real forms, so every level occurs
            case CHOICE -> item.options().get(random.nextInt(10) < 6 ? 0 : random.nextInt(item.options().size())).key();
            case MULTI -> item.options().stream().filter(o -> random.nextInt(3) == 0).map(OptionDef::key).toList();
            case YESNO -> random.nextBoolean();
            case TEXT -> "text";
        };
    }
}
