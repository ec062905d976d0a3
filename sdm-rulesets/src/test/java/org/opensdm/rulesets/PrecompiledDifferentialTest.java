package org.opensdm.rulesets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.opensdm.engine.EvaluationException;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.EvaluationRequest.OverrideRequest;
import org.opensdm.engine.InvalidRequestException;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.internal.drools.DroolsRuleset;
import org.opensdm.engine.json.SdmJson;
import org.opensdm.engine.ruleset.ItemKind;
import org.opensdm.engine.ruleset.RulesetManifest;
import org.opensdm.engine.ruleset.RulesetManifest.ItemDef;
import org.opensdm.engine.ruleset.RulesetManifest.OptionDef;
import org.opensdm.engine.ruleset.RulesetManifest.OverrideCode;
import org.opensdm.engine.ruleset.RulesetManifest.OverrideDef;
import org.opensdm.engine.ruleset.RulesetProvider;
import org.opensdm.engine.ruleset.RulesetRegistry;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * The rules compiled at build time decide exactly as the same DRL compiled at run time: for every
 * shipped version, {@value #PER_VERSION} generated requests (every option of every item, every
 * override code and value, every input fact both ways, children where the version has them, and
 * some invalid ones) give byte-identical decision JSON, trail included, or the same refusal,
 * through the two paths.
 */
class PrecompiledDifferentialTest {
    static final int PER_VERSION = 3_000;

    /** The shipped files, without their compiled rules: every version compiles from DRL at run time. */
    static RulesetProvider withoutCompiledRules(RulesetProvider shipped) {
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
                return shipped.open(path);
            }
        };
    }

    @Test
    void every_shipped_version_decides_byte_for_byte_as_its_drl_compiled_at_run_time() {
        SdmEngine precompiled = SdmEngine.builder().classpathRulesets().timeBudget(java.time.Duration.ofMinutes(1)).build();
        SdmEngine runtime = SdmEngine.builder().timeBudget(java.time.Duration.ofMinutes(1))
                .registry(RulesetRegistry.builder().addProvider(withoutCompiledRules(new ShippedRulesets())).build()).build();
        List<RulesetVersion> versions = precompiled.registry().versions();
        assertThat(versions).hasSize(8);
        for (RulesetVersion v : versions) {
            RulesetVersion other = runtime.registry().find(v.id(), v.version()).orElseThrow();
            assertThat(other.sha256()).isEqualTo(v.sha256());
            assertThat(DroolsRuleset.compile(v).precompiled()).as(v.key() + " loads its compiled rules").isTrue();
            assertThat(DroolsRuleset.compile(other).precompiled()).as(v.key() + " compiles at run time").isFalse();

            Random random = new Random(v.key().hashCode());
            Map<String, Set<String>> offered = new TreeMap<>();
            Map<String, Set<String>> reached = new TreeMap<>();
            Set<String> rulesFired = new TreeSet<>();
            int decided = 0;
            for (int i = 0; i < PER_VERSION; i++) {
                EvaluationRequest r = request(v.manifest(), i, random, offered, reached);
                String a = outcome(precompiled, r, rulesFired);
                String b = outcome(runtime, r, new TreeSet<>());
                if (!a.equals(b)) {
                    throw new AssertionError(v.key() + " request " + i + " differs:\nprecompiled: " + a + "\nrun time:    " + b
                            + "\nrequest: " + SdmJson.write(SdmJson.requestPlain(r)));
                }
                if (a.startsWith("{")) {
                    decided++;
                }
            }
            assertThat(reached).as(v.key() + ": every option of every item, every override code or value").isEqualTo(offered);
            assertThat(decided).as(v.key() + ": most requests are decided").isGreaterThan(PER_VERSION / 2);
            assertThat(rulesFired).as(v.key() + ": rules fired").hasSizeGreaterThan(v.manifest().items().size() / 2);
        }
    }

    /** The decision JSON, or the refusal, of one request. */
    private static String outcome(SdmEngine engine, EvaluationRequest r, Set<String> rulesFired) {
        try {
            var d = engine.evaluate(r);
            d.trail().forEach(t -> rulesFired.add(t.rule()));
            return SdmJson.write(d);
        } catch (InvalidRequestException e) {
            return "invalid: " + e.problems();
        } catch (EvaluationException e) {
            return "failed: " + e.getMessage();
        }
    }

    /**
     * Request {@code i}: each option of each item in turn (item k takes option (i + k) mod n, so
     * every option comes up and combinations vary) or at random; multi items a random subset, every
     * option in turn included; overrides of every type, code and value in turn; facts both ways; one
     * request in 20 with an item left out (invalid, or a step not reached).
     */
    static EvaluationRequest request(RulesetManifest m, int i, Random random, Map<String, Set<String>> offered,
                                     Map<String, Set<String>> reached) {
        EvaluationRequest.Builder b = EvaluationRequest.builder(m.id()).version(m.version())
                .assessedOn(m.effectiveFrom().plusDays(random.nextInt(400))).caseId("C-" + i);
        Map<String, Object> answers = answers(m.items(), i, random, offered, reached, "");
        if (answers.containsKey("interventions") && i % 2 == 0) {
            // half of the safety sections valid: threats need an in-home or placement plan, no threats none
            boolean threat = false;
            for (int t = 1; t <= 12; t++) {
                threat |= Boolean.TRUE.equals(answers.get("ST" + t));
            }
            answers.put("interventions", threat ? List.of(String.valueOf(1 + random.nextInt(9))) : List.of());
        }
        if (i % 20 == 7 && !answers.isEmpty()) {
            List<String> keys = new ArrayList<>(answers.keySet());
            answers.remove(keys.get(random.nextInt(keys.size())));
        }
        b.answers(answers);
        if (!m.childItems().isEmpty()) {
            int children = 1 + random.nextInt(3);
            for (int c = 0; c < children; c++) {
                b.child("child-" + c, answers(m.childItems(), i + c, random, offered, reached, "child."));
            }
        }
        for (RulesetManifest.FactDef f : m.facts()) {
            if (random.nextInt(3) > 0) {
                b.fact(f.id(), random.nextBoolean());
            }
        }
        for (OverrideDef o : m.overrides()) {
            List<String> choices = new ArrayList<>();
            o.codes().forEach(c -> choices.add(c.code()));
            choices.addAll(o.values());
            String key = "override " + o.type();
            offered.computeIfAbsent(key, k -> new TreeSet<>()).addAll(choices.isEmpty() ? List.of("-") : choices);
            if (random.nextInt(3) != 0) {
                continue;
            }
            String choice = choices.isEmpty() ? "-" : choices.get((i / 3) % choices.size());
            reached.computeIfAbsent(key, k -> new TreeSet<>()).add(choice);
            boolean coded = o.codes().stream().map(OverrideCode::code).anyMatch(choice::equals);
            b.override(new OverrideRequest(o.type(), coded ? choice : null,
                    !coded && !choice.equals("-") ? choice : null, "reason " + i));
        }
        return b.build();
    }

    private static Map<String, Object> answers(List<ItemDef> items, int i, Random random, Map<String, Set<String>> offered,
                                               Map<String, Set<String>> reached, String prefix) {
        Map<String, Object> answers = new LinkedHashMap<>();
        for (int k = 0; k < items.size(); k++) {
            ItemDef item = items.get(k);
            String key = prefix + item.id();
            List<String> options = switch (item.kind()) {
                case CHOICE, MULTI -> item.options().stream().map(OptionDef::key).toList();
                case YESNO -> List.of("true", "false");
                case TEXT -> List.of("text");
            };
            offered.computeIfAbsent(key, x -> new TreeSet<>()).addAll(options);
            int n = options.size();
            int pick = random.nextBoolean() ? (i + k) % n : random.nextInt(n);
            Object value = switch (item.kind()) {
                case CHOICE -> options.get(pick);
                case MULTI -> {
                    List<String> chosen = new ArrayList<>();
                    for (int o = 0; o < n; o++) {
                        if (o == pick || random.nextInt(4) == 0) {
                            chosen.add(options.get(o));
                        }
                    }
                    yield random.nextInt(6) == 0 ? List.of() : chosen;
                }
                case YESNO -> pick == 0;
                case TEXT -> "text " + i;
            };
            if (value instanceof List<?> l) {
                l.forEach(o -> reached.computeIfAbsent(key, x -> new TreeSet<>()).add((String) o));
            } else {
                reached.computeIfAbsent(key, x -> new TreeSet<>()).add(item.kind() == ItemKind.TEXT ? "text" : String.valueOf(value));
            }
            answers.put(item.id(), value);
        }
        return answers;
    }
}
