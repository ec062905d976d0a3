package org.opensdm.engine.analysis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.opensdm.engine.Decision;
import org.opensdm.engine.InvalidRequestException;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.UnknownRulesetException;
import org.opensdm.engine.json.SdmJson;
import org.opensdm.engine.rules.CutPoints;
import org.opensdm.engine.rules.RiskLevel;
import org.opensdm.engine.ruleset.RulesetManifest;
import org.opensdm.engine.ruleset.RulesetManifest.IndexDef;
import org.opensdm.engine.ruleset.RulesetManifest.ItemDef;
import org.opensdm.engine.ruleset.RulesetManifest.OptionDef;
import org.opensdm.engine.ruleset.RulesetManifest.OverrideDef;
import org.opensdm.engine.ruleset.RulesetVersion;
import org.opensdm.engine.ruleset.ScoreRange;

/**
 * Random valid requests for one ruleset version, for impact analysis when no real corpus is at
 * hand. Each request answers every item (text items with a placeholder text; per-child items for
 * one to three children), sets each input fact at random, and carries an override now and then
 * (about one in twenty-five per override type). Answers are drawn with a per-request tilt toward
 * low- or high-point options, and the requests aim in turn at each band of each index (the
 * score computed from the manifest's points), so that every level gets about as many requests;
 * then the sample is made to reach every level: every band of every index that the points can
 * reach, and every level of each level-valued outcome key (e.g. {@code finalLevel}). Only
 * requests the engine accepts are kept. The same seed gives the same sample.
 */
public final class RequestSampler {
    private static final double OVERRIDE_RATE = 0.04;
    private static final double FACT_RATE = 0.25;
    private static final int ATTEMPTS_PER_REQUEST = 2_000;
    private static final int ATTEMPTS_PER_TARGET = 20_000;
    private static final int ATTEMPTS_PER_STRATUM = 400;
    private static final Set<String> LEVELS = Arrays.stream(RiskLevel.values()).map(Enum::name).collect(Collectors.toSet());

    private final SdmEngine engine;

    public RequestSampler(SdmEngine engine) {
        this.engine = engine;
    }

    /**
     * The sample: requests as plain JSON values (in {@code caseId} order), and the level targets
     * it could not reach (empty when it reaches every level; a target reads
     * {@code index neglect VERY_HIGH} or {@code outcome finalLevel LOW}).
     */
    public record Sample(List<Map<String, Object>> requests, List<String> unreached) {
        public Sample {
            requests = List.copyOf(requests);
            unreached = List.copyOf(unreached);
        }
    }

    /**
     * Draws {@code count} valid requests for {@code id@version}.
     *
     * @throws UnknownRulesetException no such version
     * @throws IllegalStateException   no valid request could be drawn (the rules refuse every try)
     */
    public Sample sample(String id, String version, int count, long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
        RulesetVersion v = engine.registry().resolve(id, version, null);
        engine.compile(id, version);
        // the targets: every reachable band of every index, every level of each level-valued outcome key
        List<Target> targets = new ArrayList<>();
        Set<RiskLevel> bandLevels = new LinkedHashSet<>();
        for (IndexDef index : v.manifest().indices()) {
            var reachable = ScoreRange.reachable(index.id(), v.manifest().items());
            for (CutPoints.Band b : index.cutPoints()) {
                if (!reachable.subSet(b.min(), b.max() == null ? Integer.MAX_VALUE : b.max() + 1).isEmpty()) {
                    targets.add(new Target("index " + index.id() + " " + b.level(), index.id(), b, null, null));
                    bandLevels.add(b.level());
                }
            }
        }
        // request i aims at band i of the index bands in turn, so that every band gets about as many requests
        List<Target> strata = List.copyOf(targets);
        Generator gen = new Generator(v, count);
        Drawn[] drawn = new Drawn[count];
        IntStream.range(0, count).parallel().forEach(i -> drawn[i] = gen.valid(i, new SplittableRandom(mix(seed, i)),
                strata.isEmpty() ? null : strata.get(i % strata.size())));
        for (var o : v.manifest().outcomes()) {
            if (isLevelValued(o.key(), drawn)) {
                for (RiskLevel level : RiskLevel.values()) {
                    if (bandLevels.contains(level)) {
                        targets.add(new Target("outcome " + o.key() + " " + level, null, null, o.key(), level.name()));
                    }
                }
            }
        }

        RulesetManifest m = v.manifest();
        int[] hits = new int[targets.size()];
        for (Drawn d : drawn) {
            for (int x = 0; x < targets.size(); x++) {
                hits[x] += targets.get(x).hits(d, m) ? 1 : 0;
            }
        }
        List<String> unreached = new ArrayList<>();
        for (int x = 0; x < targets.size(); x++) {
            if (hits[x] > 0) {
                continue;
            }
            // the last position whose every target some other request also hits takes the missing one
            int free = -1;
            for (int i = count - 1; i >= 0 && free < 0; i--) {
                Drawn d = drawn[i];
                if (IntStream.range(0, targets.size()).noneMatch(y -> hits[y] < 2 && targets.get(y).hits(d, m))) {
                    free = i;
                }
            }
            Drawn found = free < 0 ? null : gen.search(free, new SplittableRandom(mix(seed ^ 0x5DEECE66DL, x)), targets.get(x));
            if (found == null) {
                unreached.add(targets.get(x).name());
                continue;
            }
            for (int y = 0; y < targets.size(); y++) {
                hits[y] += (targets.get(y).hits(found, m) ? 1 : 0) - (targets.get(y).hits(drawn[free], m) ? 1 : 0);
            }
            drawn[free] = found;
        }
        return new Sample(Arrays.stream(drawn).map(d -> d.request).toList(), unreached);
    }

    private static boolean isLevelValued(String key, Drawn[] drawn) {
        boolean any = false;
        for (Drawn d : drawn) {
            Object value = d.outcome.get(key);
            if (value == null) {
                continue;
            }
            if (!(value instanceof String s) || !LEVELS.contains(s)) {
                return false;
            }
            any = true;
        }
        return any;
    }

    private static long mix(long seed, long i) {
        long z = seed + 0x9E3779B97F4A7C15L * (i + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A level a sample should reach: a band of an index (by the points), or a value of an outcome key. */
    private record Target(String name, String index, CutPoints.Band band, String key, String level) {
        boolean hits(Drawn d, RulesetManifest m) {
            if (index != null) {
                Integer score = ScoreRange.score(index, m.items(), d.answers());
                return score != null && band.contains(score);
            }
            return level.equals(d.outcome.get(key));
        }
    }

    /** A request the engine accepted, with its outcome. */
    private record Drawn(Map<String, Object> request, Map<String, Object> outcome) {
        @SuppressWarnings("unchecked")
        Map<String, Object> answers() {
            return (Map<String, Object>) request.get("answers");
        }
    }

    private final class Generator {
        private final RulesetVersion version;
        private final RulesetManifest m;
        private final String caseFormat;

        Generator(RulesetVersion version, int count) {
            this.version = version;
            this.m = version.manifest();
            this.caseFormat = "S-%0" + Math.max(5, String.valueOf(count).length()) + "d";
        }

        /**
         * A valid request for position {@code i}; with a {@code stratum} (an index band), one whose
         * score falls in that band when a few hundred draws find one.
         */
        Drawn valid(int i, SplittableRandom rnd, Target stratum) {
            String last = null;
            for (int attempt = 0; attempt < ATTEMPTS_PER_REQUEST; attempt++) {
                Map<String, Object> request = draw(i, rnd, rnd.nextDouble(-2.0, 2.0));
                for (int s = 0; stratum != null && s < ATTEMPTS_PER_STRATUM && !inBand(request, stratum); s++) {
                    request = draw(i, rnd, rnd.nextDouble(-4.0, 4.0));
                }
                try {
                    Decision d = engine.evaluateJson(SdmJson.write(request).getBytes(StandardCharsets.UTF_8));
                    return new Drawn(request, d.outcome());
                } catch (InvalidRequestException e) {
                    last = e.problems().toString();
                }
            }
            throw new IllegalStateException("no valid request of " + version.key() + " in " + ATTEMPTS_PER_REQUEST
                    + " random tries; the rules refused the last with: " + last);
        }

        @SuppressWarnings("unchecked")
        private boolean inBand(Map<String, Object> request, Target band) {
            Integer score = ScoreRange.score(band.index(), m.items(), (Map<String, Object>) request.get("answers"));
            return score != null && band.band().contains(score);
        }

        /** A valid request for position {@code i} that hits {@code target}, or null. */
        Drawn search(int i, SplittableRandom rnd, Target target) {
            for (int attempt = 0; attempt < ATTEMPTS_PER_TARGET; attempt++) {
                Map<String, Object> request = draw(i, rnd, rnd.nextDouble(-4.0, 4.0));
                if (target.index() != null && !inBand(request, target)) {
                    continue;
                }
                try {
                    Decision d = engine.evaluateJson(SdmJson.write(request).getBytes(StandardCharsets.UTF_8));
                    Drawn drawn = new Drawn(request, d.outcome());
                    if (target.hits(drawn, m)) {
                        return drawn;
                    }
                } catch (InvalidRequestException e) {
                    // draw again
                }
            }
            return null;
        }

        private Map<String, Object> draw(int i, SplittableRandom rnd, double tilt) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("ruleset", m.id());
            r.put("version", m.version());
            r.put("assessedOn", m.effectiveFrom().toString());
            r.put("caseId", String.format(java.util.Locale.ROOT, caseFormat, i + 1));
            double density = rnd.nextDouble();
            r.put("answers", answers(m.items(), rnd, tilt, density));
            List<Map<String, Object>> overrides = new ArrayList<>();
            for (OverrideDef o : m.overrides()) {
                if (rnd.nextDouble() >= OVERRIDE_RATE) {
                    continue;
                }
                Map<String, Object> given = new LinkedHashMap<>();
                given.put("type", o.type());
                if (!o.codes().isEmpty()) {
                    given.put("code", o.codes().get(rnd.nextInt(o.codes().size())).code());
                } else if (!o.values().isEmpty()) {
                    given.put("value", o.values().get(rnd.nextInt(o.values().size())));
                }
                given.put("reason", "sampled " + o.type() + " override");
                overrides.add(given);
            }
            if (!overrides.isEmpty()) {
                r.put("overrides", overrides);
            }
            Map<String, Object> facts = new LinkedHashMap<>();
            m.facts().forEach(f -> facts.put(f.id(), rnd.nextDouble() < FACT_RATE));
            if (!facts.isEmpty()) {
                r.put("facts", facts);
            }
            if (!m.childItems().isEmpty()) {
                List<Map<String, Object>> children = new ArrayList<>();
                int n = 1 + rnd.nextInt(3);
                for (int c = 1; c <= n; c++) {
                    Map<String, Object> child = new LinkedHashMap<>();
                    child.put("id", "child-" + c);
                    child.put("answers", answers(m.childItems(), rnd, tilt, rnd.nextDouble()));
                    children.add(child);
                }
                r.put("children", children);
            }
            return r;
        }

        /**
         * Choice: an option drawn with weight exp(tilt * its points); multi: each option with
         * probability sigmoid(tilt * its points) when scored, else {@code density}; yes/no: yes with
         * probability {@code density}; text: a placeholder.
         */
        private Map<String, Object> answers(List<ItemDef> items, SplittableRandom rnd, double tilt, double density) {
            Map<String, Object> answers = new LinkedHashMap<>();
            for (ItemDef item : items) {
                switch (item.kind()) {
                    case CHOICE -> {
                        double[] w = item.options().stream().mapToDouble(o -> Math.exp(tilt * points(o))).toArray();
                        double x = rnd.nextDouble() * Arrays.stream(w).sum();
                        int k = 0;
                        while (k < w.length - 1 && (x -= w[k]) >= 0) {
                            k++;
                        }
                        answers.put(item.id(), item.options().get(k).key());
                    }
                    case MULTI -> {
                        List<String> chosen = new ArrayList<>();
                        for (OptionDef o : item.options()) {
                            double p = item.scores().isEmpty() ? density : 1 / (1 + Math.exp(-tilt * points(o)));
                            if (rnd.nextDouble() < p) {
                                chosen.add(o.key());
                            }
                        }
                        answers.put(item.id(), chosen);
                    }
                    case YESNO -> answers.put(item.id(), rnd.nextDouble() < density);
                    case TEXT -> answers.put(item.id(), "sampled text");
                    default -> throw new IllegalStateException("unhandled kind " + item.kind());
                }
            }
            return answers;
        }

        private static double points(OptionDef o) {
            return o.points().values().stream().mapToInt(Integer::intValue).sum();
        }
    }
}
