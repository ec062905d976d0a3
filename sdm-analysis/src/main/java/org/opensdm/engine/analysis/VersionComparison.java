package org.opensdm.engine.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.rules.CutPoints;
import org.opensdm.engine.rules.RiskLevel;
import org.opensdm.engine.ruleset.RuleInfo;
import org.opensdm.engine.ruleset.RulesetManifest;
import org.opensdm.engine.ruleset.RulesetManifest.IndexDef;
import org.opensdm.engine.ruleset.RulesetManifest.ItemDef;
import org.opensdm.engine.ruleset.RulesetManifest.OptionDef;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * What differs between two ruleset versions, read from their manifests and DRL source (nothing is
 * compiled or evaluated): indices, items (per-child items too) and their options added or removed,
 * the points of each option per index, {@code maxPoints} caps, the cut points of each index per
 * level, and rules added, removed or changed (by name; changed: its DRL text, {@code rule} to
 * {@code end}, differs). Other manifest fields (texts, provenance, overrides, outcome keys, dates)
 * are not compared.
 */
public final class VersionComparison {
    /** The kinds of difference, in the order they are listed. */
    public enum Kind {
        INDEX_ADDED("index added"),
        INDEX_REMOVED("index removed"),
        CUT_POINT_CHANGED("cut point changed"),
        ITEM_ADDED("item added"),
        ITEM_REMOVED("item removed"),
        OPTION_ADDED("option added"),
        OPTION_REMOVED("option removed"),
        POINTS_CHANGED("points changed"),
        MAX_POINTS_CHANGED("maxPoints changed"),
        RULE_ADDED("rule added"),
        RULE_REMOVED("rule removed"),
        RULE_CHANGED("rule changed");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One difference.
     *
     * @param kind    what changed
     * @param subject what it is about: {@code abuse MODERATE} (a cut point: index and level), {@code R9 b abuse}
     *                (points: item, option, index), {@code R15} (an item), {@code "R3 prior injury"} (a rule)
     * @param from    the value in the first version ({@code 2..3}, {@code 7+}, {@code 1}), null when there is none
     * @param to      the value in the second version, null when there is none
     */
    public record Difference(Kind kind, String subject, String from, String to) {
        /** {@code cut point changed: abuse MODERATE 2..3 -> 2..4}; {@code item added: R15}. */
        @Override
        public String toString() {
            String s = kind.label() + ": " + subject;
            if (from != null || to != null) {
                s += ": " + (from == null ? "(none)" : from) + " -> " + (to == null ? "(none)" : to);
            }
            return s;
        }
    }

    private VersionComparison() {
    }

    /** Every difference of manifests and rules from {@code a} to {@code b}; {@code engine} reads the rules. */
    public static List<Difference> compare(SdmEngine engine, RulesetVersion a, RulesetVersion b) {
        List<Difference> out = new ArrayList<>(manifests(a.manifest(), b.manifest()));
        out.addAll(rules(engine.rules(a.id(), a.version()), engine.rules(b.id(), b.version())));
        return out;
    }

    /** The differences of indices, cut points, items, options, points and caps from {@code a} to {@code b}. */
    public static List<Difference> manifests(RulesetManifest a, RulesetManifest b) {
        List<Difference> out = new ArrayList<>();
        Map<String, IndexDef> ia = indices(a);
        Map<String, IndexDef> ib = indices(b);
        ia.keySet().stream().filter(k -> !ib.containsKey(k)).forEach(k -> out.add(new Difference(Kind.INDEX_REMOVED, k, null, null)));
        ib.keySet().stream().filter(k -> !ia.containsKey(k)).forEach(k -> out.add(new Difference(Kind.INDEX_ADDED, k, null, null)));
        out.addAll(cutPoints(a, b));

        Map<String, ItemDef> items = items(a);
        Map<String, ItemDef> other = items(b);
        items.keySet().stream().filter(k -> !other.containsKey(k)).forEach(k -> out.add(new Difference(Kind.ITEM_REMOVED, k, null, null)));
        other.keySet().stream().filter(k -> !items.containsKey(k)).forEach(k -> out.add(new Difference(Kind.ITEM_ADDED, k, null, null)));
        Set<String> indexIds = new LinkedHashSet<>(ia.keySet());
        indexIds.addAll(ib.keySet());
        for (ItemDef item : items.values()) {
            ItemDef next = other.get(item.id());
            if (next == null) {
                continue;
            }
            for (OptionDef o : item.options()) {
                OptionDef n = next.option(o.key()).orElse(null);
                if (n == null) {
                    out.add(new Difference(Kind.OPTION_REMOVED, item.id() + " " + o.key(), null, null));
                    continue;
                }
                for (String index : indexIds) {
                    Integer pa = o.points() == null ? null : o.points().get(index);
                    Integer pb = n.points() == null ? null : n.points().get(index);
                    if (!Objects.equals(pa, pb)) {
                        out.add(new Difference(Kind.POINTS_CHANGED, item.id() + " " + o.key() + " " + index, text(pa), text(pb)));
                    }
                }
            }
            for (OptionDef n : next.options()) {
                if (item.option(n.key()).isEmpty()) {
                    out.add(new Difference(Kind.OPTION_ADDED, item.id() + " " + n.key(), null, null));
                }
            }
            for (String index : indexIds) {
                Integer ma = item.maxPoints() == null ? null : item.maxPoints().get(index);
                Integer mb = next.maxPoints() == null ? null : next.maxPoints().get(index);
                if (!Objects.equals(ma, mb)) {
                    out.add(new Difference(Kind.MAX_POINTS_CHANGED, item.id() + " " + index, text(ma), text(mb)));
                }
            }
        }
        return out;
    }

    /** Each level of each index present in both versions whose score range differs (or that one version lacks). */
    public static List<Difference> cutPoints(RulesetManifest a, RulesetManifest b) {
        List<Difference> out = new ArrayList<>();
        Map<String, IndexDef> ib = indices(b);
        for (IndexDef index : a.indices()) {
            IndexDef next = ib.get(index.id());
            if (next == null) {
                continue;
            }
            Map<RiskLevel, String> from = bands(index.cutPoints());
            Map<RiskLevel, String> to = bands(next.cutPoints());
            for (RiskLevel level : RiskLevel.values()) {
                if (!Objects.equals(from.get(level), to.get(level))) {
                    out.add(new Difference(Kind.CUT_POINT_CHANGED, index.id() + " " + level, from.get(level), to.get(level)));
                }
            }
        }
        return out;
    }

    /** Rules by name: removed, added, or changed (DRL text differs). */
    public static List<Difference> rules(List<RuleInfo> a, List<RuleInfo> b) {
        Map<String, RuleInfo> ra = new LinkedHashMap<>();
        a.forEach(r -> ra.putIfAbsent(r.name(), r));
        Map<String, RuleInfo> rb = new LinkedHashMap<>();
        b.forEach(r -> rb.putIfAbsent(r.name(), r));
        List<Difference> out = new ArrayList<>();
        for (RuleInfo r : ra.values()) {
            RuleInfo n = rb.get(r.name());
            if (n == null) {
                out.add(new Difference(Kind.RULE_REMOVED, quote(r.name()) + " (" + r.file() + ":" + r.line() + ")", null, null));
            } else if (!r.text().equals(n.text())) {
                out.add(new Difference(Kind.RULE_CHANGED, quote(r.name()) + " (" + r.file() + ":" + r.line() + " -> " + n.file()
                        + ":" + n.line() + ": its DRL text differs)", null, null));
            }
        }
        for (RuleInfo n : rb.values()) {
            if (!ra.containsKey(n.name())) {
                out.add(new Difference(Kind.RULE_ADDED, quote(n.name()) + " (" + n.file() + ":" + n.line() + ")", null, null));
            }
        }
        return out;
    }

    /** {@code 2..3}, {@code 7+}, {@code 4} (a band of one score). */
    static String range(CutPoints.Band b) {
        if (b.max() == null) {
            return b.min() + "+";
        }
        return b.min() == b.max() ? String.valueOf(b.min()) : b.min() + ".." + b.max();
    }

    private static Map<RiskLevel, String> bands(List<CutPoints.Band> bands) {
        Map<RiskLevel, String> m = new LinkedHashMap<>();
        bands.forEach(b -> m.put(b.level(), range(b)));
        return m;
    }

    private static Map<String, IndexDef> indices(RulesetManifest m) {
        Map<String, IndexDef> out = new LinkedHashMap<>();
        m.indices().forEach(i -> out.put(i.id(), i));
        return out;
    }

    private static Map<String, ItemDef> items(RulesetManifest m) {
        Map<String, ItemDef> out = new LinkedHashMap<>();
        m.items().forEach(i -> out.put(i.id(), i));
        m.childItems().forEach(i -> out.put(i.id(), i));
        return out;
    }

    private static String text(Integer n) {
        return n == null ? null : String.valueOf(n);
    }

    private static String quote(String name) {
        return "\"" + name + "\"";
    }
}
