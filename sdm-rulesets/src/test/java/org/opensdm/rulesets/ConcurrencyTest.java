package org.opensdm.rulesets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.json.SdmJson;
import org.opensdm.engine.ruleset.RulesetManifest.ItemDef;
import org.opensdm.engine.ruleset.RulesetManifest.OptionDef;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * One engine shared by 8 threads, 50,000 evaluations each, mixed over every shipped ruleset
 * version: every decision equals, byte for byte, the one a sequential run gave for the same
 * request. (The engine keeps no mutable state between evaluations; this is the check.)
 */
class ConcurrencyTest {
    private static final int THREADS = 8;
    private static final int PER_THREAD = 50_000;

    @Test
    void eight_threads_give_exactly_the_sequential_decisions() throws Exception {
        // 8 threads on a machine that may have 2 busy cores: the wall-clock budget is not what this tests
        SdmEngine engine = SdmEngine.builder().classpathRulesets().timeBudget(java.time.Duration.ofMinutes(1)).build();
        Random random = new Random(42);
        List<EvaluationRequest> requests = new ArrayList<>();
        List<RulesetVersion> versions = engine.registry().versions();
        for (int i = 0; i < 2_000; i++) {
            requests.add(request(versions.get(i % versions.size()), random));
        }
        List<String> sequential = requests.stream().map(r -> SdmJson.write(engine.evaluate(r))).toList();
        assertThat(sequential.stream().map(j -> j.substring(0, j.indexOf("\"sha256\""))).distinct())
                .as("every shipped version is exercised").hasSize(versions.size());

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int offset = t * 251;
                results.add(pool.submit(() -> {
                    int checked = 0;
                    for (int i = 0; i < PER_THREAD; i++) {
                        int k = (offset + i * 7) % requests.size();
                        String json = SdmJson.write(engine.evaluate(requests.get(k)));
                        if (!json.equals(sequential.get(k))) {
                            throw new AssertionError("request " + k + " differs under concurrency:\n" + json + "\n" + sequential.get(k));
                        }
                        checked++;
                    }
                    return checked;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get();
            }
            assertThat(total).isEqualTo(THREADS * PER_THREAD);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A random valid request for any shipped version, built from its manifest. */
    static EvaluationRequest request(RulesetVersion v, Random random) {
        Map<String, Object> answers = new LinkedHashMap<>();
        for (ItemDef item : v.manifest().items()) {
            answers.put(item.id(), value(item, random));
        }
        EvaluationRequest.Builder b = EvaluationRequest.builder(v.id()).version(v.version()).caseId("C-" + random.nextInt(1000));
        if (answers.containsKey("interventions")) {
            // a valid safety section: threats need an in-home or placement plan, no threats need none
            boolean threat = false;
            for (int i = 1; i <= 12; i++) {
                boolean marked = random.nextInt(5) == 0;
                answers.put("ST" + i, marked);
                threat |= marked;
            }
            answers.put("interventions", threat ? List.of(String.valueOf(1 + random.nextInt(9))) : List.of());
            answers.put("ST12-description", "other");
            answers.put("intervention-7-description", "other");
        }
        b.answers(answers);
        if (!v.manifest().childItems().isEmpty()) {
            for (int c = 0; c <= random.nextInt(3); c++) {
                Map<String, Object> child = new LinkedHashMap<>();
                v.manifest().childItems().forEach(item -> child.put(item.id(), value(item, random)));
                b.child("child-" + c, child);
            }
        }
        if (v.manifest().override("discretionary").isPresent() && random.nextInt(4) == 0) {
            b.override(EvaluationRequest.OverrideRequest.discretionary("worker concern"));
        }
        return b.build();
    }

    private static Object value(ItemDef item, Random random) {
        return switch (item.kind()) {
            case CHOICE -> item.options().get(random.nextInt(item.options().size())).key();
            case MULTI -> item.options().stream().filter(o -> random.nextInt(3) == 0).map(OptionDef::key).toList();
            case YESNO -> random.nextBoolean();
            case TEXT -> "text";
        };
    }
}
