package org.opensdm.engine.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.opensdm.engine.Decision;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.EvaluationRequest.ChildAnswers;
import org.opensdm.engine.EvaluationRequest.OverrideRequest;
import org.opensdm.engine.InvalidRequestException;
import org.opensdm.engine.Problem;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.rules.CutPoints;
import org.opensdm.engine.ruleset.ItemKind;
import org.opensdm.engine.ruleset.RulesetManifest;
import org.opensdm.engine.ruleset.RulesetManifest.IndexDef;
import org.opensdm.engine.ruleset.RulesetManifest.ItemDef;
import org.opensdm.engine.ruleset.RulesetManifest.OptionDef;
import org.opensdm.engine.ruleset.RulesetManifest.OverrideCode;
import org.opensdm.engine.ruleset.RulesetManifest.OverrideDef;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * What would change a decision: every single change to a request that moves its decision key,
 * found by evaluating each change with the engine (nothing is recomputed here), and where each
 * index score stands between its cut points.
 *
 * <p>The changes tried, one at a time, on the version that decided the request:
 * <ul>
 *   <li>each other option of each answered choice item, the other answer of each yes/no item, and
 *       for each multi item each option added or removed (per child too, for per-child items);</li>
 *   <li>each override removed; and each override added that the request does not already give:
 *       every policy code, a discretionary override, and every value of a tool-specific type.</li>
 * </ul>
 * Free-text items are not varied. A change that makes the request incomplete (it reaches a step
 * whose items are unanswered) or otherwise invalid is listed under {@code unevaluable} with its
 * problems, not dropped.
 *
 * <p>The decision key is {@code finalLevel} when the ruleset has that outcome, else
 * {@code decision}, else its first outcome key (hotline: {@code screeningDecision}); a caller may
 * name another. An index's score is the sum of the points the trail records for it (the engine's
 * {@code Scores} records every point it adds), and its level the cut-point band holding it.
 * Evaluations go through {@link SdmEngine#whatIf()}: none is a decision of record.
 */
public final class WhatIf {
    /** The reason given on an override added by a what-if change. */
    static final String REASON = "what-if";

    private final SdmEngine engine;

    public WhatIf(SdmEngine engine) {
        this.engine = engine.whatIf();
    }

    /** One change that moves the decision key: an answer or an override. */
    public record Change(String item, String child, Object from, Object to, String override, String type, String code,
                         String value, Object result) {
    }

    /** A change that could not be evaluated, and why. */
    public record Unevaluable(Change change, List<Problem> problems) {
        public Unevaluable {
            problems = List.copyOf(problems);
        }
    }

    /** An index's score, its level, and how many points move it to the next level up or down (null at either end). */
    public record IndexPosition(String index, int score, String level, int min, Integer max, Integer pointsToNextLevelUp,
                                Integer pointsToNextLevelDown) {
    }

    /** The report for one request. */
    public record Report(String ruleset, String version, String key, Object value, List<Change> changes,
                         List<Unevaluable> unevaluable, List<IndexPosition> indices) {
        public Report {
            changes = List.copyOf(changes);
            unevaluable = List.copyOf(unevaluable);
            indices = List.copyOf(indices);
        }

        /**
         * The report as plain JSON values, in the order {@code sdm whatif} prints it: the decision
         * key's name holds its value, at the top and in each change.
         */
        public Map<String, Object> toPlain() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("ruleset", ruleset);
            o.put("version", version);
            o.put("key", key);
            o.put(key, value);
            o.put("changes", changes.stream().map(c -> plain(c, key)).toList());
            o.put("unevaluable", unevaluable.stream().map(u -> {
                Map<String, Object> m = plain(u.change(), null);
                m.put("problems", u.problems().stream().map(Problem::toString).toList());
                return m;
            }).toList());
            o.put("indices", indices.stream().map(i -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("index", i.index());
                m.put("score", i.score());
                m.put("level", i.level());
                m.put("min", i.min());
                m.put("max", i.max());
                m.put("pointsToNextLevelUp", i.pointsToNextLevelUp());
                m.put("pointsToNextLevelDown", i.pointsToNextLevelDown());
                return m;
            }).toList());
            return o;
        }

        private static Map<String, Object> plain(Change c, String key) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (c.item() != null) {
                m.put("item", c.item());
                if (c.child() != null) {
                    m.put("child", c.child());
                }
                m.put("from", c.from());
                m.put("to", c.to());
            } else {
                m.put("override", c.override());
                m.put("type", c.type());
                if (c.code() != null) {
                    m.put("code", c.code());
                }
                if (c.value() != null) {
                    m.put("value", c.value());
                }
            }
            if (key != null) {
                m.put(key, c.result());
            }
            return m;
        }
    }

    /** The report for {@code request} on its decision key (see the class comment). */
    public Report run(EvaluationRequest request) {
        return run(request, null);
    }

    /**
     * The report for {@code request}, on outcome key {@code key} (null: the ruleset's decision key).
     *
     * @throws InvalidRequestException the request itself is not valid (nothing else is tried)
     * @throws IllegalArgumentException {@code key} is not an outcome key of the version
     */
    public Report run(EvaluationRequest request, String key) {
        return run(request, key, null);
    }

    /**
     * The report for {@code request} on outcome key {@code key}, or {@link OutOfTime} when the
     * changes are not all tried within {@code timeLimit} (null: no limit) from this call: the limit is
     * checked before each evaluation, and each evaluation is bounded by the engine's own time budget.
     *
     * @throws InvalidRequestException the request itself is not valid (nothing else is tried)
     * @throws IllegalArgumentException {@code key} is not an outcome key of the version
     * @throws OutOfTime the time limit passed before every change was tried
     */
    public Report run(EvaluationRequest request, String key, java.time.Duration timeLimit) {
        long start = System.nanoTime();
        Decision base = engine.evaluate(request);
        String id = base.ruleset().id();
        String version = base.ruleset().version();
        RulesetVersion v = engine.registry().find(id, version).orElseThrow();
        RulesetManifest m = v.manifest();
        String decisionKey = key != null ? key : decisionKey(m);
        if (m.outcomes().stream().noneMatch(o -> o.key().equals(decisionKey))) {
            throw new IllegalArgumentException("\"" + decisionKey + "\" is not an outcome key of " + id + " " + version + " (keys: "
                    + String.join(", ", m.outcomes().stream().map(RulesetManifest.OutcomeDef::key).toList()) + ")");
        }
        // every change is tried on the version that decided the request
        EvaluationRequest pinned = new EvaluationRequest(request.ruleset(), version, request.assessedOn(), request.caseId(),
                request.answers(), request.overrides(), request.facts(), request.children());
        Object value = base.outcome().get(decisionKey);
        List<Change> changes = new ArrayList<>();
        List<Unevaluable> unevaluable = new ArrayList<>();
        List<Change> candidates = candidates(m, pinned);
        int tried = 0;
        for (Change c : candidates) {
            if (timeLimit != null && System.nanoTime() - start > timeLimit.toNanos()) {
                throw new OutOfTime(timeLimit, tried, candidates.size());
            }
            tried++;
            try {
                Object result = engine.evaluate(apply(pinned, c)).outcome().get(decisionKey);
                if (!Objects.equals(result, value)) {
                    changes.add(withResult(c, result));
                }
            } catch (InvalidRequestException e) {
                unevaluable.add(new Unevaluable(c, e.problems()));
            }
        }
        return new Report(id, version, decisionKey, value, changes, unevaluable, indices(m, base));
    }

    /** The time limit of {@link #run(EvaluationRequest, String, java.time.Duration)} passed before every change was tried. */
    public static final class OutOfTime extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutOfTime(java.time.Duration limit, int tried, int changes) {
            super("the what-if did not finish within its time limit of " + limit.toMillis() + " ms: " + tried + " of "
                    + changes + " changes tried");
        }
    }

    /**
     * The outcome key a what-if lists changes of, unless told another: {@code finalLevel}, else
     * {@code decision}, else the first outcome key.
     */
    public static String decisionKey(RulesetManifest m) {
        for (String k : List.of("finalLevel", "decision")) {
            if (m.outcomes().stream().anyMatch(o -> o.key().equals(k))) {
                return k;
            }
        }
        return m.outcomes().get(0).key();
    }

    private static Change withResult(Change c, Object result) {
        return new Change(c.item(), c.child(), c.from(), c.to(), c.override(), c.type(), c.code(), c.value(), result);
    }

    private static List<Change> candidates(RulesetManifest m, EvaluationRequest r) {
        List<Change> out = new ArrayList<>();
        for (ItemDef item : m.items()) {
            if (r.answers().containsKey(item.id())) {
                answerChanges(item, null, r.answers().get(item.id()), out);
            }
        }
        for (ChildAnswers child : r.children()) {
            for (ItemDef item : m.childItems()) {
                if (child.answers().containsKey(item.id())) {
                    answerChanges(item, child.id(), child.answers().get(item.id()), out);
                }
            }
        }
        for (OverrideRequest given : r.overrides()) {
            out.add(new Change(null, null, null, null, "remove", given.type(), given.code(), given.value(), null));
        }
        for (OverrideDef def : m.overrides()) {
            if (!def.codes().isEmpty()) {
                for (OverrideCode code : def.codes()) {
                    if (r.overrides().stream().noneMatch(o -> def.type().equals(o.type()) && code.code().equals(o.code()))) {
                        out.add(new Change(null, null, null, null, "add", def.type(), code.code(), null, null));
                    }
                }
            } else if (!def.values().isEmpty()) {
                for (String value : def.values()) {
                    if (r.overrides().stream().noneMatch(o -> def.type().equals(o.type()) && value.equals(o.value()))) {
                        out.add(new Change(null, null, null, null, "add", def.type(), null, value, null));
                    }
                }
            } else if (r.overrides().stream().noneMatch(o -> def.type().equals(o.type()))) {
                out.add(new Change(null, null, null, null, "add", def.type(), null, null, null));
            }
        }
        return out;
    }

    private static void answerChanges(ItemDef item, String child, Object given, List<Change> out) {
        if (item.kind() == ItemKind.CHOICE) {
            for (OptionDef o : item.options()) {
                if (!o.key().equals(given)) {
                    out.add(new Change(item.id(), child, given, o.key(), null, null, null, null, null));
                }
            }
        } else if (item.kind() == ItemKind.YESNO && given instanceof Boolean b) {
            out.add(new Change(item.id(), child, b, !b, null, null, null, null, null));
        } else if (item.kind() == ItemKind.MULTI && given instanceof List<?> chosen) {
            for (OptionDef o : item.options()) {
                List<Object> to = new ArrayList<>();
                if (chosen.contains(o.key())) {
                    chosen.stream().filter(k -> !o.key().equals(k)).forEach(to::add);
                } else {
                    // added in form order, as a caseworker's form lists them
                    for (OptionDef f : item.options()) {
                        if (chosen.contains(f.key()) || f == o) {
                            to.add(f.key());
                        }
                    }
                }
                out.add(new Change(item.id(), child, List.copyOf(chosen), List.copyOf(to), null, null, null, null, null));
            }
        }
    }

    private static EvaluationRequest apply(EvaluationRequest r, Change c) {
        if (c.item() != null) {
            if (c.child() == null) {
                Map<String, Object> answers = new LinkedHashMap<>(r.answers());
                answers.put(c.item(), c.to());
                return new EvaluationRequest(r.ruleset(), r.version(), r.assessedOn(), r.caseId(), answers, r.overrides(),
                        r.facts(), r.children());
            }
            List<ChildAnswers> children = new ArrayList<>();
            for (ChildAnswers ch : r.children()) {
                if (ch.id().equals(c.child())) {
                    Map<String, Object> answers = new LinkedHashMap<>(ch.answers());
                    answers.put(c.item(), c.to());
                    children.add(new ChildAnswers(ch.id(), answers));
                } else {
                    children.add(ch);
                }
            }
            return new EvaluationRequest(r.ruleset(), r.version(), r.assessedOn(), r.caseId(), r.answers(), r.overrides(),
                    r.facts(), children);
        }
        List<OverrideRequest> overrides = new ArrayList<>(r.overrides());
        if ("remove".equals(c.override())) {
            overrides.removeIf(o -> Objects.equals(o.type(), c.type()) && Objects.equals(o.code(), c.code())
                    && Objects.equals(o.value(), c.value()));
        } else {
            overrides.add(new OverrideRequest(c.type(), c.code(), c.value(), REASON));
        }
        return new EvaluationRequest(r.ruleset(), r.version(), r.assessedOn(), r.caseId(), r.answers(), overrides, r.facts(),
                r.children());
    }

    private static List<IndexPosition> indices(RulesetManifest m, Decision d) {
        List<IndexPosition> out = new ArrayList<>();
        for (IndexDef index : m.indices()) {
            int score = 0;
            for (Decision.TrailEntry t : d.trail()) {
                if (t.effect().get(index.id()) instanceof Integer points) {
                    score += points;
                }
            }
            List<CutPoints.Band> bands = new ArrayList<>(index.cutPoints());
            bands.sort(java.util.Comparator.comparingInt(CutPoints.Band::min));
            for (int i = 0; i < bands.size(); i++) {
                CutPoints.Band band = bands.get(i);
                if (band.contains(score)) {
                    Integer up = i + 1 < bands.size() ? bands.get(i + 1).min() - score : null;
                    Integer down = i > 0 && bands.get(i - 1).max() != null ? score - bands.get(i - 1).max() : null;
                    out.add(new IndexPosition(index.id(), score, band.level().name(), band.min(), band.max(), up, down));
                    break;
                }
            }
        }
        return out;
    }
}
