package org.opensdm.engine.analysis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.opensdm.engine.Decision;
import org.opensdm.engine.InvalidRequestException;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.SdmException;
import org.opensdm.engine.UnknownRulesetException;
import org.opensdm.engine.json.SdmJson;
import org.opensdm.engine.rules.CutPoints;
import org.opensdm.engine.rules.RiskLevel;
import org.opensdm.engine.ruleset.RulesetManifest;
import org.opensdm.engine.ruleset.RulesetManifest.ItemDef;
import org.opensdm.engine.ruleset.RulesetManifest.OptionDef;
import org.opensdm.engine.ruleset.RulesetVersion;
import org.opensdm.engine.ruleset.ScoreRange;

/**
 * The impact of moving a ruleset from one version to another on a set of requests (a corpus of
 * past assessments, or a {@link RequestSampler sample}): every request is evaluated under both
 * versions (its own {@code ruleset} and {@code version} fields are replaced; a version is applied
 * on the request's {@code assessedOn} even before its {@code effectiveFrom}: {@link SdmEngine#whatIf()}), and the decisions
 * are compared outcome key by outcome key. Evaluations run in parallel; the report is in input
 * order and the same for the same input.
 */
public final class ImpactAnalysis {
    private static final Set<String> LEVELS = Arrays.stream(RiskLevel.values()).map(Enum::name).collect(Collectors.toSet());
    /** Label of a level-valued outcome left null. */
    static final String NO_LEVEL = "none";

    private final SdmEngine engine;

    /** Evaluates with {@code engine}'s what-if view: each version on every request's date, even before its effectiveFrom. */
    public ImpactAnalysis(SdmEngine engine) {
        this.engine = engine.whatIf();
    }

    /**
     * Compares {@code id@from} with {@code id@to} over {@code lines}, one JSON request per line
     * (blank lines are skipped; line numbers count every line, from 1).
     *
     * @throws UnknownRulesetException       either version is not known
     * @throws IncomparableVersionsException the versions do not share item ids
     */
    public ImpactReport run(String id, String from, String to, List<String> lines) {
        RulesetVersion vFrom = version(id, from);
        RulesetVersion vTo = version(id, to);
        checkComparable(vFrom, vTo);
        engine.compile(id, from);
        engine.compile(id, to);

        List<Integer> lineNumbers = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                lineNumbers.add(i + 1);
            }
        }
        Evaluated[] results = new Evaluated[lineNumbers.size()];
        IntStream.range(0, results.length).parallel().forEach(i -> {
            int line = lineNumbers.get(i);
            results[i] = evaluate(line, lines.get(line - 1), id, from, to);
        });

        List<String> outcomeKeys = new ArrayList<>();
        vFrom.manifest().outcomes().forEach(o -> outcomeKeys.add(o.key()));
        vTo.manifest().outcomes().forEach(o -> {
            if (!outcomeKeys.contains(o.key())) {
                outcomeKeys.add(o.key());
            }
        });

        List<ImpactReport.FailedCase> failures = new ArrayList<>();
        List<Evaluated> ok = new ArrayList<>();
        for (Evaluated e : results) {
            if (e.failures.isEmpty()) {
                ok.add(e);
            } else {
                failures.addAll(e.failures);
            }
        }

        List<String> levelKeys = outcomeKeys.stream().filter(k -> isLevelValued(k, ok)).toList();
        Map<String, Integer> changed = new LinkedHashMap<>();
        outcomeKeys.forEach(k -> changed.put(k, 0));
        Map<String, Map<String, Map<String, Integer>>> matrix = new LinkedHashMap<>();
        for (String key : levelKeys) {
            List<String> labels = levelLabels(key, ok);
            Map<String, Map<String, Integer>> m = new LinkedHashMap<>();
            for (String a : labels) {
                Map<String, Integer> row = new LinkedHashMap<>();
                labels.forEach(b -> row.put(b, 0));
                m.put(a, row);
            }
            matrix.put(key, m);
        }
        List<ImpactReport.ChangedCase> cases = new ArrayList<>();
        for (Evaluated e : ok) {
            Map<String, ImpactReport.Change> changes = new LinkedHashMap<>();
            for (String key : outcomeKeys) {
                Object a = e.fromOutcome.get(key);
                Object b = e.toOutcome.get(key);
                if (!Objects.equals(a, b)) {
                    changed.merge(key, 1, Integer::sum);
                    changes.put(key, new ImpactReport.Change(a, b));
                }
            }
            for (String key : levelKeys) {
                matrix.get(key).get(label(e.fromOutcome.get(key))).merge(label(e.toOutcome.get(key)), 1, Integer::sum);
            }
            if (!changes.isEmpty()) {
                cases.add(new ImpactReport.ChangedCase(e.line, e.caseId, changes, itemPoints(vFrom.manifest(), vTo.manifest(), e.answers)));
            }
        }
        return new ImpactReport(id, from, to, results.length, ok.size(), changed, levelKeys,
                levelKeys.isEmpty() ? null : levelKeys.get(levelKeys.size() - 1), matrix, cases, failures,
                pointChanges(vFrom.manifest(), vTo.manifest()), cutPointChanges(vFrom.manifest(), vTo.manifest()));
    }

    private RulesetVersion version(String id, String version) {
        return engine.registry().resolve(id, Objects.requireNonNull(version, "version"), null);
    }

    /** Throws when the versions do not share item ids. */
    public static void checkComparable(RulesetVersion from, RulesetVersion to) {
        List<String> a = itemIds(from.manifest());
        List<String> b = itemIds(to.manifest());
        List<String> onlyA = a.stream().filter(i -> !b.contains(i)).toList();
        List<String> onlyB = b.stream().filter(i -> !a.contains(i)).toList();
        if (!onlyA.isEmpty() || !onlyB.isEmpty()) {
            throw new IncomparableVersionsException(from.key(), to.key(), onlyA, onlyB);
        }
    }

    private static List<String> itemIds(RulesetManifest m) {
        List<String> ids = new ArrayList<>();
        m.items().forEach(i -> ids.add(i.id()));
        m.childItems().forEach(i -> ids.add(i.id()));
        return ids;
    }

    /** One request's decisions under both versions, or why it has none. */
    private static final class Evaluated {
        int line;
        String caseId;
        Map<String, Object> answers = Map.of();
        Map<String, Object> fromOutcome;
        Map<String, Object> toOutcome;
        final List<ImpactReport.FailedCase> failures = new ArrayList<>();
    }

    @SuppressWarnings("unchecked")
    private Evaluated evaluate(int line, String json, String id, String from, String to) {
        Evaluated e = new Evaluated();
        e.line = line;
        Map<String, Object> request;
        try {
            Object parsed = SdmJson.readPlain(json);
            if (!(parsed instanceof Map<?, ?> m)) {
                e.failures.add(new ImpactReport.FailedCase(line, null, null, "$: must be a JSON object"));
                return e;
            }
            request = new LinkedHashMap<>((Map<String, Object>) m);
        } catch (IllegalArgumentException ex) {
            e.failures.add(new ImpactReport.FailedCase(line, null, null, "$: " + ex.getMessage()));
            return e;
        }
        e.caseId = request.get("caseId") instanceof String s ? s : null;
        if (request.get("answers") instanceof Map<?, ?> answers) {
            e.answers = (Map<String, Object>) answers;
        }
        request.put("ruleset", id);
        e.fromOutcome = outcome(request, from, e);
        e.toOutcome = outcome(request, to, e);
        return e;
    }

    private Map<String, Object> outcome(Map<String, Object> request, String version, Evaluated e) {
        request.put("version", version);
        try {
            Decision d = engine.evaluateJson(SdmJson.write(request).getBytes(StandardCharsets.UTF_8));
            return d.outcome();
        } catch (InvalidRequestException ex) {
            e.failures.add(new ImpactReport.FailedCase(e.line, e.caseId, version, "invalid request: "
                    + ex.problems().stream().map(Object::toString).collect(Collectors.joining("; "))));
        } catch (SdmException ex) {
            e.failures.add(new ImpactReport.FailedCase(e.line, e.caseId, version, ex.getMessage().replaceAll("\\s+", " ")));
        }
        return null;
    }

    private static boolean isLevelValued(String key, List<Evaluated> cases) {
        boolean any = false;
        for (Evaluated e : cases) {
            for (Map<String, Object> o : List.of(e.fromOutcome, e.toOutcome)) {
                Object v = o.get(key);
                if (v == null) {
                    continue;
                }
                if (!(v instanceof String s) || !LEVELS.contains(s)) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    /** The levels seen for a key, in risk order ({@value #NO_LEVEL} last). */
    private static List<String> levelLabels(String key, List<Evaluated> cases) {
        Set<String> seen = new LinkedHashSet<>();
        for (Evaluated e : cases) {
            seen.add(label(e.fromOutcome.get(key)));
            seen.add(label(e.toOutcome.get(key)));
        }
        List<String> labels = new ArrayList<>();
        for (RiskLevel l : RiskLevel.values()) {
            if (seen.contains(l.name())) {
                labels.add(l.name());
            }
        }
        if (seen.contains(NO_LEVEL)) {
            labels.add(NO_LEVEL);
        }
        return labels;
    }

    private static String label(Object value) {
        return value == null ? NO_LEVEL : value.toString();
    }

    /** The answered items whose points differ between the manifests, in form order. */
    private static List<ImpactReport.ItemPoints> itemPoints(RulesetManifest a, RulesetManifest b, Map<String, Object> answers) {
        List<ImpactReport.ItemPoints> out = new ArrayList<>();
        for (ItemDef item : a.items()) {
            if (!answers.containsKey(item.id())) {
                continue;
            }
            ItemDef other = b.item(item.id()).orElse(null);
            if (other == null) {
                continue;
            }
            Object answer = answers.get(item.id());
            Map<String, Integer> pa = ScoreRange.points(item, answer);
            Map<String, Integer> pb = ScoreRange.points(other, answer);
            if (!Objects.equals(pa, pb)) {
                out.add(new ImpactReport.ItemPoints(item.id(), answer, pa, pb));
            }
        }
        return out;
    }

    private static List<ImpactReport.PointChange> pointChanges(RulesetManifest a, RulesetManifest b) {
        List<ImpactReport.PointChange> out = new ArrayList<>();
        for (ItemDef item : a.items()) {
            ItemDef other = b.item(item.id()).orElse(null);
            if (other == null) {
                continue;
            }
            Set<String> keys = new LinkedHashSet<>();
            item.options().forEach(o -> keys.add(o.key()));
            other.options().forEach(o -> keys.add(o.key()));
            for (String key : keys) {
                Map<String, Integer> pa = item.option(key).map(OptionDef::points).orElse(null);
                Map<String, Integer> pb = other.option(key).map(OptionDef::points).orElse(null);
                if (!Objects.equals(pa, pb)) {
                    out.add(new ImpactReport.PointChange(item.id(), key, pa, pb));
                }
            }
            if (!Objects.equals(item.maxPoints(), other.maxPoints())) {
                out.add(new ImpactReport.PointChange(item.id(), "maxPoints", item.maxPoints(), other.maxPoints()));
            }
        }
        return out;
    }

    private static List<ImpactReport.CutPointChange> cutPointChanges(RulesetManifest a, RulesetManifest b) {
        Map<String, String> from = new LinkedHashMap<>();
        a.indices().forEach(i -> from.put(i.id(), bands(i.cutPoints())));
        Map<String, String> to = new LinkedHashMap<>();
        b.indices().forEach(i -> to.put(i.id(), bands(i.cutPoints())));
        Set<String> ids = new LinkedHashSet<>(from.keySet());
        ids.addAll(to.keySet());
        List<ImpactReport.CutPointChange> out = new ArrayList<>();
        for (String index : ids) {
            if (!Objects.equals(from.get(index), to.get(index))) {
                out.add(new ImpactReport.CutPointChange(index, from.get(index), to.get(index)));
            }
        }
        return out;
    }

    /** {@code LOW 0-1, MODERATE 2-4, HIGH 5-7, VERY_HIGH 8+}. */
    static String bands(List<CutPoints.Band> bands) {
        return bands.stream().map(b -> b.level() + " " + b.min() + (b.max() == null ? "+" : "-" + b.max()))
                .collect(Collectors.joining(", "));
    }
}
