package org.opensdm.engine.ruleset;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.opensdm.engine.ruleset.RulesetManifest.ItemDef;
import org.opensdm.engine.ruleset.RulesetManifest.OptionDef;

/**
 * Scores computed from the manifest's points alone: the range and the set of scores an index can
 * reach, and the points of given answers. Points are summed per index; a multi item sums the
 * points of its chosen options and caps the sum at its {@code maxPoints}, as the engine does.
 */
public final class ScoreRange {
    /** Above this many options, a multi item's reachable sums are taken as its whole range. */
    private static final int MAX_ENUMERATED_OPTIONS = 16;

    private ScoreRange() {
    }

    /** {@code [min, max]} of the index over every combination of answers. */
    public static int[] of(String index, List<ItemDef> items) {
        int min = 0;
        int max = 0;
        for (ItemDef item : items) {
            if (!item.scores().contains(index)) {
                continue;
            }
            List<Integer> points = item.options().stream().map(OptionDef::points).map(p -> p.getOrDefault(index, 0)).toList();
            if (item.kind() == ItemKind.MULTI) {
                int neg = points.stream().filter(p -> p < 0).mapToInt(Integer::intValue).sum();
                int pos = points.stream().filter(p -> p > 0).mapToInt(Integer::intValue).sum();
                Integer cap = item.maxPoints().get(index);
                min += neg;
                max += cap == null ? pos : Math.min(pos, cap);
            } else {
                int lo = points.stream().mapToInt(Integer::intValue).min().orElse(0);
                int hi = points.stream().mapToInt(Integer::intValue).max().orElse(0);
                if (!item.required()) {
                    lo = Math.min(lo, 0);
                    hi = Math.max(hi, 0);
                }
                min += lo;
                max += hi;
            }
        }
        return new int[] {min, max};
    }

    /**
     * Every score of the index that some combination of answers gives (a subset of
     * {@link #of}'s range: points that are all even never reach an odd score).
     */
    public static SortedSet<Integer> reachable(String index, List<ItemDef> items) {
        Set<Integer> sums = new HashSet<>(Set.of(0));
        for (ItemDef item : items) {
            if (!item.scores().contains(index)) {
                continue;
            }
            Set<Integer> contributions = contributions(index, item);
            Set<Integer> next = new HashSet<>();
            for (int s : sums) {
                for (int c : contributions) {
                    next.add(s + c);
                }
            }
            sums = next;
        }
        return new TreeSet<>(sums);
    }

    private static Set<Integer> contributions(String index, ItemDef item) {
        List<Integer> points = item.options().stream().map(o -> o.points().getOrDefault(index, 0)).toList();
        Set<Integer> out = new HashSet<>();
        if (item.kind() == ItemKind.MULTI) {
            Integer cap = item.maxPoints().get(index);
            if (points.size() > MAX_ENUMERATED_OPTIONS) {
                int[] range = of(index, List.of(item));
                for (int s = range[0]; s <= range[1]; s++) {
                    out.add(s);
                }
                return out;
            }
            for (int mask = 0; mask < 1 << points.size(); mask++) {
                int sum = 0;
                for (int i = 0; i < points.size(); i++) {
                    if ((mask & 1 << i) != 0) {
                        sum += points.get(i);
                    }
                }
                out.add(cap == null ? sum : Math.min(sum, cap));
            }
        } else {
            out.addAll(points);
            if (!item.required()) {
                out.add(0);
            }
        }
        return out;
    }

    /**
     * The points one answer gives each index the item scores, in the item's {@code scores} order
     * (empty for an unscored item): a choice answer is an option key, a multi answer a list of
     * option keys. Null when the answer is not one the item takes.
     */
    public static Map<String, Integer> points(ItemDef item, Object answer) {
        Map<String, Integer> points = new LinkedHashMap<>();
        item.scores().forEach(index -> points.put(index, 0));
        if (item.kind() == ItemKind.CHOICE) {
            if (!(answer instanceof String key)) {
                return null;
            }
            OptionDef option = item.option(key).orElse(null);
            if (option == null) {
                return null;
            }
            option.points().forEach(points::put);
        } else if (item.kind() == ItemKind.MULTI) {
            if (!(answer instanceof List<?> keys)) {
                return null;
            }
            Set<Object> seen = new HashSet<>();
            for (Object k : keys) {
                OptionDef option = k instanceof String key ? item.option(key).orElse(null) : null;
                if (option == null || !seen.add(k)) {
                    return null;
                }
                option.points().forEach((index, p) -> points.merge(index, p, Integer::sum));
            }
            item.maxPoints().forEach((index, cap) -> points.computeIfPresent(index, (k, v) -> Math.min(v, cap)));
        } else if (!item.scores().isEmpty()) {
            return null;
        }
        return points;
    }

    /**
     * The score of the index over {@code answers} (item id to answer, as in a request); an item
     * left unanswered adds nothing. Null when an answer to an item that scores the index is not
     * one the item takes.
     */
    public static Integer score(String index, List<ItemDef> items, Map<String, ?> answers) {
        int score = 0;
        for (ItemDef item : items) {
            if (!item.scores().contains(index) || !answers.containsKey(item.id())) {
                continue;
            }
            Map<String, Integer> p = points(item, answers.get(item.id()));
            if (p == null) {
                return null;
            }
            score += p.getOrDefault(index, 0);
        }
        return score;
    }
}
