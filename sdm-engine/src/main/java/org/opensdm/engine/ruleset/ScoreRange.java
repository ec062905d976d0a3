package org.opensdm.engine.ruleset;

import java.util.List;
import org.opensdm.engine.ruleset.RulesetManifest.ItemDef;
import org.opensdm.engine.ruleset.RulesetManifest.OptionDef;

/** The lowest and highest score an index can reach, computed from the manifest's points. */
public final class ScoreRange {
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
}
