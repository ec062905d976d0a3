package org.opensdm.engine.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What changing a ruleset from one version to another does to a set of requests: how many
 * decisions changed per outcome key, the transition matrix of every level-valued outcome key,
 * each changed case with the items whose points differ, and the point and cut-point changes
 * between the two manifests. {@link #toJson()} is the {@code sdm diff --json} document.
 *
 * @param ruleset         the ruleset id
 * @param from            the version compared from
 * @param to              the version compared to
 * @param total           requests read
 * @param evaluated       requests with a decision under both versions (the others are in {@code failures})
 * @param changed         per outcome key (every key of either version, in manifest order): cases whose value differs
 * @param levelKeys       the outcome keys whose values are risk levels, in manifest order
 * @param finalLevelKey   the last of {@code levelKeys} (the final level), or null when there is none
 * @param matrix          per level key: from level, to level, count (levels in risk order, zero cells included)
 * @param cases           every case with a changed outcome, in input order
 * @param failures        every request that has no decision under one of the versions
 * @param pointChanges    options whose points differ between the manifests
 * @param cutPointChanges indices whose cut points differ between the manifests
 */
public record ImpactReport(
        String ruleset,
        String from,
        String to,
        int total,
        int evaluated,
        Map<String, Integer> changed,
        List<String> levelKeys,
        String finalLevelKey,
        Map<String, Map<String, Map<String, Integer>>> matrix,
        List<ChangedCase> cases,
        List<FailedCase> failures,
        List<PointChange> pointChanges,
        List<CutPointChange> cutPointChanges) {

    /** A case whose decision changed. */
    public record ChangedCase(int line, String caseId, Map<String, Change> changes, List<ItemPoints> items) { }

    /** An outcome value before and after. */
    public record Change(Object from, Object to) { }

    /** An answered item whose points differ between the versions (per index). */
    public record ItemPoints(String item, Object answer, Map<String, Integer> from, Map<String, Integer> to) { }

    /** A request without a decision under {@code version}, and why. */
    public record FailedCase(int line, String caseId, String version, String message) { }

    /** An option whose points differ (null: the option is not offered by that version). */
    public record PointChange(String item, String option, Map<String, Integer> from, Map<String, Integer> to) { }

    /** An index whose cut points differ, each side written as {@code LOW 0-1, MODERATE 2-4, ...} (null: no such index). */
    public record CutPointChange(String index, String from, String to) { }

    /** How many cases had each level of {@code levelKey} under the old ({@code before}) or the new version. */
    public Map<String, Integer> distribution(String levelKey, boolean before) {
        Map<String, Map<String, Integer>> m = matrix.getOrDefault(levelKey, Map.of());
        Map<String, Integer> out = new LinkedHashMap<>();
        m.keySet().forEach(level -> out.put(level, 0));
        m.forEach((fromLevel, row) -> row.forEach((toLevel, n) -> {
            if (before) {
                out.merge(fromLevel, n, Integer::sum);
            } else {
                out.merge(toLevel, n, Integer::sum);
            }
        }));
        return out;
    }

    /** Cases with at least one changed outcome key. */
    public int casesChanged() {
        return cases.size();
    }

    /**
     * The report as plain JSON values: {@code ruleset, from, to, total, evaluated, casesChanged,
     * changed, levelKeys, finalLevelKey, matrix, distribution, pointChanges, cutPointChanges,
     * cases, failures}.
     */
    public Map<String, Object> toJson() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("ruleset", ruleset);
        j.put("from", from);
        j.put("to", to);
        j.put("total", total);
        j.put("evaluated", evaluated);
        j.put("casesChanged", casesChanged());
        j.put("changed", changed);
        j.put("levelKeys", levelKeys);
        j.put("finalLevelKey", finalLevelKey);
        j.put("matrix", matrix);
        Map<String, Object> distribution = new LinkedHashMap<>();
        for (String key : levelKeys) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("from", distribution(key, true));
            d.put("to", distribution(key, false));
            distribution.put(key, d);
        }
        j.put("distribution", distribution);
        List<Map<String, Object>> points = new ArrayList<>();
        for (PointChange p : pointChanges) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("item", p.item());
            m.put("option", p.option());
            m.put("from", p.from());
            m.put("to", p.to());
            points.add(m);
        }
        j.put("pointChanges", points);
        List<Map<String, Object>> cuts = new ArrayList<>();
        for (CutPointChange c : cutPointChanges) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", c.index());
            m.put("from", c.from());
            m.put("to", c.to());
            cuts.add(m);
        }
        j.put("cutPointChanges", cuts);
        List<Map<String, Object>> changedCases = new ArrayList<>();
        for (ChangedCase c : cases) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("line", c.line());
            m.put("caseId", c.caseId());
            Map<String, Object> changes = new LinkedHashMap<>();
            c.changes().forEach((k, v) -> {
                Map<String, Object> ch = new LinkedHashMap<>();
                ch.put("from", v.from());
                ch.put("to", v.to());
                changes.put(k, ch);
            });
            m.put("changes", changes);
            List<Map<String, Object>> items = new ArrayList<>();
            for (ItemPoints p : c.items()) {
                Map<String, Object> ip = new LinkedHashMap<>();
                ip.put("item", p.item());
                ip.put("answer", p.answer());
                ip.put("from", p.from());
                ip.put("to", p.to());
                items.add(ip);
            }
            m.put("items", items);
            changedCases.add(m);
        }
        j.put("cases", changedCases);
        List<Map<String, Object>> failed = new ArrayList<>();
        for (FailedCase f : failures) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("line", f.line());
            m.put("caseId", f.caseId());
            m.put("version", f.version());
            m.put("message", f.message());
            failed.add(m);
        }
        j.put("failures", failed);
        return j;
    }
}
