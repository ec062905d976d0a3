package org.opensdm.engine.analysis;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import org.opensdm.engine.SdmException;
import org.opensdm.engine.rules.CutPoints;
import org.opensdm.engine.rules.RiskLevel;
import org.opensdm.engine.ruleset.RulesetManifest;
import org.opensdm.engine.ruleset.RulesetManifest.IndexDef;
import org.opensdm.engine.ruleset.RulesetManifest.ItemDef;
import org.opensdm.engine.ruleset.RulesetManifest.OptionDef;
import org.opensdm.engine.ruleset.RulesetRegistry;
import org.opensdm.engine.ruleset.RulesetVersion;
import org.opensdm.engine.ruleset.ScoreRange;

/**
 * What a version's scenarios leave untested, computed from their requests and the manifest
 * alone (no rule runs): every option of every item (a yes/no item: both {@code true} and
 * {@code false}) must be answered by some scenario, and both sides of every cut point must be
 * scored by some scenario: the highest score the points can reach below it and the lowest they
 * can reach above it (index scores are computed from the answers with {@link ScoreRange}).
 *
 * <p>A scenario counts when it expects a decision (not request errors) and its request is
 * evaluated under this version: it names the version, or names none and its {@code assessedOn}
 * resolves to it. Items a version takes in by {@code include} are left to the scenarios of the
 * version they come from, where their logic is written.
 */
public final class ScenarioCoverage {
    /** Options of an item (per-child items included) that no counted scenario answers. */
    public record MissingOptions(String item, List<String> options) { }

    /**
     * A side of a cut point that no counted scenario scores.
     *
     * @param index   the index
     * @param score   the score a scenario should reach (the reachable edge of its band)
     * @param level   the level of that score's band
     * @param across  the level on the other side of the cut point
     * @param band    the position of {@code level}'s band among the index's cut points (0-based)
     */
    public record MissingScore(String index, int score, RiskLevel level, RiskLevel across, int band) { }

    /**
     * A band the points can never reach: no scenario can test it.
     *
     * @param band the position of the band among the index's cut points (0-based)
     */
    public record UnreachableBand(String index, RiskLevel level, int band) { }

    private final int counted;
    private final List<MissingOptions> missingOptions;
    private final List<MissingScore> missingScores;
    private final List<UnreachableBand> unreachableBands;

    private ScenarioCoverage(int counted, List<MissingOptions> missingOptions, List<MissingScore> missingScores,
                             List<UnreachableBand> unreachableBands) {
        this.counted = counted;
        this.missingOptions = List.copyOf(missingOptions);
        this.missingScores = List.copyOf(missingScores);
        this.unreachableBands = List.copyOf(unreachableBands);
    }

    /**
     * The coverage of {@code scenarios} for {@code version}; {@code registry} resolves the version
     * of a scenario request that names none.
     */
    public static ScenarioCoverage of(RulesetVersion version, List<Scenario> scenarios, RulesetRegistry registry) {
        RulesetManifest m = version.manifest();
        List<Map<String, Object>> requestAnswers = new ArrayList<>();
        List<Map<String, Object>> answerSets = new ArrayList<>();
        for (Scenario s : scenarios) {
            if (s.expectsErrors() || !appliesTo(s.request(), version, registry)) {
                continue;
            }
            requestAnswers.add(map(s.request().get("answers")));
            answerSets.add(map(s.request().get("answers")));
            if (s.request().get("children") instanceof List<?> children) {
                for (Object child : children) {
                    answerSets.add(map(map(child).get("answers")));
                }
            }
        }

        Map<String, Set<String>> answered = new HashMap<>();
        for (Map<String, Object> answers : answerSets) {
            answers.forEach((item, value) -> {
                Set<String> keys = answered.computeIfAbsent(item, k -> new HashSet<>());
                if (value instanceof List<?> list) {
                    list.forEach(v -> keys.add(String.valueOf(v)));
                } else {
                    keys.add(String.valueOf(value));
                }
            });
        }
        List<MissingOptions> missingOptions = new ArrayList<>();
        Set<String> included = new HashSet<>();
        for (RulesetManifest.IncludeDef inc : m.includes()) {
            registry.find(inc.ruleset(), inc.version()).ifPresent(v -> v.manifest().items().forEach(i -> included.add(i.id())));
        }
        List<ItemDef> allItems = new ArrayList<>(m.items());
        allItems.addAll(m.childItems());
        allItems.removeIf(i -> included.contains(i.id()));
        for (ItemDef item : allItems) {
            List<String> expected = switch (item.kind()) {
                case CHOICE, MULTI -> item.options().stream().map(OptionDef::key).toList();
                case YESNO -> List.of("true", "false");
                case TEXT -> List.of();
            };
            Set<String> got = answered.getOrDefault(item.id(), Set.of());
            List<String> missing = expected.stream().filter(k -> !got.contains(k)).toList();
            if (!missing.isEmpty()) {
                missingOptions.add(new MissingOptions(item.id(), missing));
            }
        }

        List<MissingScore> missingScores = new ArrayList<>();
        List<UnreachableBand> unreachable = new ArrayList<>();
        for (IndexDef index : m.indices()) {
            Set<Integer> scored = new HashSet<>();
            for (Map<String, Object> answers : requestAnswers) {
                Integer score = ScoreRange.score(index.id(), m.items(), answers);
                if (score != null) {
                    scored.add(score);
                }
            }
            SortedSet<Integer> reachable = ScoreRange.reachable(index.id(), m.items());
            List<CutPoints.Band> bands = index.cutPoints();
            for (int i = 0; i < bands.size(); i++) {
                if (inBand(reachable, bands.get(i)).isEmpty()) {
                    unreachable.add(new UnreachableBand(index.id(), bands.get(i).level(), i));
                }
            }
            for (int i = 0; i + 1 < bands.size(); i++) {
                CutPoints.Band below = bands.get(i);
                CutPoints.Band above = bands.get(i + 1);
                SortedSet<Integer> low = inBand(reachable, below);
                SortedSet<Integer> high = inBand(reachable, above);
                if (!low.isEmpty() && !scored.contains(low.last())) {
                    missingScores.add(new MissingScore(index.id(), low.last(), below.level(), above.level(), i));
                }
                if (!high.isEmpty() && !scored.contains(high.first())) {
                    missingScores.add(new MissingScore(index.id(), high.first(), above.level(), below.level(), i + 1));
                }
            }
        }
        return new ScenarioCoverage(requestAnswers.size(), missingOptions, missingScores, unreachable);
    }

    private static SortedSet<Integer> inBand(SortedSet<Integer> reachable, CutPoints.Band band) {
        SortedSet<Integer> from = reachable.tailSet(band.min());
        return band.max() == null ? from : from.headSet(band.max() + 1);
    }

    /** Whether a scenario request is evaluated under {@code version}. */
    static boolean appliesTo(Map<String, Object> request, RulesetVersion version, RulesetRegistry registry) {
        if (!version.id().equals(request.get("ruleset"))) {
            return false;
        }
        Object v = request.get("version");
        if (v != null) {
            return version.version().equals(String.valueOf(v));
        }
        try {
            Object on = request.get("assessedOn");
            LocalDate date = on == null ? LocalDate.now() : LocalDate.parse(String.valueOf(on));
            return registry.resolve(version.id(), null, date).key().equals(version.key());
        } catch (SdmException | java.time.DateTimeException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** How many scenarios counted (expected a decision under this version). */
    public int scenariosCounted() {
        return counted;
    }

    public List<MissingOptions> missingOptions() {
        return missingOptions;
    }

    public List<MissingScore> missingScores() {
        return missingScores;
    }

    public List<UnreachableBand> unreachableBands() {
        return unreachableBands;
    }

    /** Nothing missing. */
    public boolean complete() {
        return missingOptions.isEmpty() && missingScores.isEmpty() && unreachableBands.isEmpty();
    }
}
