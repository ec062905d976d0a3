package org.opensdm.engine.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.EvaluationRequest.ChildAnswers;
import org.opensdm.engine.EvaluationRequest.OverrideRequest;
import org.opensdm.engine.Problem;
import org.opensdm.engine.rules.Answer;
import org.opensdm.engine.ruleset.RulesetManifest;
import org.opensdm.engine.ruleset.RulesetManifest.ItemDef;
import org.opensdm.engine.ruleset.RulesetManifest.OptionDef;
import org.opensdm.engine.ruleset.RulesetManifest.OverrideDef;

/**
 * Checks a request against a manifest before any rule runs, naming every problem, and turns the
 * answers into {@link Answer} facts carrying the manifest's points.
 */
public final class RequestValidator {
    /** What the rules get when the request is valid. */
    public record Prepared(List<Answer> answers, List<OverrideRequest> overrides, Map<String, Boolean> flags) { }

    /** How many unknown answer keys are named one by one before the rest are counted in one problem. */
    static final int MAX_UNKNOWN_NAMED = 20;

    private RequestValidator() {
    }

    /** Adds every problem to {@code problems}; returns the prepared facts (meaningful only when none were added). */
    public static Prepared validate(RulesetManifest m, EvaluationRequest request, List<Problem> problems) {
        String what = m.id() + " " + m.version();
        List<Answer> answers = new ArrayList<>(answers(m.items(), request.answers(), null, "answers", what, problems));

        if (m.childItems().isEmpty()) {
            if (!request.children().isEmpty()) {
                problems.add(new Problem("children", what + " rates no children; leave children out"));
            }
        } else {
            if (request.children().isEmpty()) {
                problems.add(new Problem("children", "missing: " + what + " rates each child; give at least one child"));
            }
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < request.children().size(); i++) {
                ChildAnswers child = request.children().get(i);
                String path = "children[" + i + "]";
                if (child.id() == null) {
                    problems.add(new Problem(path + ".id", "missing"));
                } else if (child.id().isBlank()) {
                    problems.add(new Problem(path + ".id", "must not be blank"));
                } else if (!ids.add(child.id())) {
                    problems.add(new Problem(path + ".id", "duplicate child id " + child.id()));
                }
                answers.addAll(answers(m.childItems(), child.answers(), child.id(), path + ".answers", what, problems));
            }
        }

        List<OverrideRequest> overrides = overrides(m, request.overrides(), what, problems);

        Map<String, Boolean> flags = new LinkedHashMap<>();
        for (RulesetManifest.FactDef f : m.facts()) {
            flags.put(f.id(), f.defaultValue());
        }
        request.facts().forEach((name, value) -> {
            String path = "facts." + name;
            if (!flags.containsKey(name)) {
                problems.add(new Problem(path, "unknown fact" + known(m.facts().stream().map(RulesetManifest.FactDef::id).toList())));
            } else if (!(value instanceof Boolean b)) {
                problems.add(new Problem(path, "must be true or false, not " + describe(value)));
            } else {
                flags.put(name, b);
            }
        });
        return new Prepared(List.copyOf(answers), overrides, flags);
    }

    private static List<Answer> answers(List<ItemDef> items, Map<String, Object> given, String child, String prefix,
                                        String what, List<Problem> problems) {
        List<Answer> out = new ArrayList<>();
        Set<String> known = new HashSet<>();
        int position = -1;
        for (ItemDef item : items) {
            position++;
            known.add(item.id());
            String path = prefix + "." + item.id();
            if (!given.containsKey(item.id())) {
                // an item of a section is required only once a rule finds the section applies
                if (item.required() && item.section() == null) {
                    problems.add(new Problem(path, "missing: every item must be answered (" + expects(item) + ")"));
                }
                continue;
            }
            Object value = given.get(item.id());
            if (value == null) {
                problems.add(new Problem(path, "null is not an answer (" + expects(item) + ")"));
                continue;
            }
            Answer answer = answer(item, position, value, child, path, problems);
            if (answer != null) {
                out.add(answer);
            }
        }
        // more answers than items: every one of them is still refused, but only the first few are
        // named one by one, so that a flood of keys costs one line, not one per key
        int unknown = 0;
        for (String key : given.keySet()) {
            if (!known.contains(key) && unknown++ < MAX_UNKNOWN_NAMED) {
                problems.add(new Problem(prefix + "." + clip(key), "unknown item: not an item of " + what));
            }
        }
        if (unknown > MAX_UNKNOWN_NAMED) {
            problems.add(new Problem(prefix, (unknown - MAX_UNKNOWN_NAMED) + " more unknown items (" + given.size()
                    + " answers for " + items.size() + " items)"));
        }
        return out;
    }

    private static Answer answer(ItemDef item, int position, Object value, String child, String path, List<Problem> problems) {
        switch (item.kind()) {
            case CHOICE -> {
                if (!(value instanceof String key)) {
                    problems.add(new Problem(path, "must be one option key string (" + options(item) + "), not " + describe(value)));
                    return null;
                }
                OptionDef option = item.option(key).orElse(null);
                if (option == null) {
                    problems.add(new Problem(path, "option '" + clip(key) + "' is not offered (" + options(item) + ")"));
                    return null;
                }
                return new Answer(item.id(), child, item.section(), position, key, option.points());
            }
            case MULTI -> {
                if (!(value instanceof List<?> list)) {
                    problems.add(new Problem(path, "must be an array of option keys (" + options(item) + "; [] for none), not "
                            + describe(value)));
                    return null;
                }
                boolean ok = true;
                Set<String> seen = new HashSet<>();
                Map<String, Integer> points = new LinkedHashMap<>();
                item.scores().forEach(index -> points.put(index, 0));
                for (int i = 0; i < list.size(); i++) {
                    Object e = list.get(i);
                    String ePath = path + "[" + i + "]";
                    if (!(e instanceof String key)) {
                        problems.add(new Problem(ePath, "must be an option key string, not " + describe(e)));
                        ok = false;
                        continue;
                    }
                    OptionDef option = item.option(key).orElse(null);
                    if (option == null) {
                        problems.add(new Problem(ePath, "option '" + clip(key) + "' is not offered (" + options(item) + ")"));
                        ok = false;
                    } else if (!seen.add(key)) {
                        problems.add(new Problem(ePath, "option '" + key + "' is chosen twice"));
                        ok = false;
                    } else {
                        option.points().forEach((index, p) -> points.merge(index, p, Integer::sum));
                    }
                }
                item.maxPoints().forEach((index, cap) -> points.computeIfPresent(index, (k, v) -> Math.min(v, cap)));
                // a multi answer is a set: kept in the form's option order
                List<String> keys = item.options().stream().map(OptionDef::key).filter(seen::contains).toList();
                return ok ? new Answer(item.id(), child, item.section(), position, List.copyOf(keys), points) : null;
            }
            case YESNO -> {
                if (!(value instanceof Boolean)) {
                    problems.add(new Problem(path, "must be true or false, not " + describe(value)));
                    return null;
                }
                return new Answer(item.id(), child, item.section(), position, value, Map.of());
            }
            case TEXT -> {
                if (!(value instanceof String s)) {
                    problems.add(new Problem(path, "must be a string, not " + describe(value)));
                    return null;
                }
                if (s.isBlank()) {
                    problems.add(new Problem(path, "must not be blank"));
                    return null;
                }
                return new Answer(item.id(), child, item.section(), position, s, Map.of());
            }
            default -> throw new IllegalStateException("unhandled kind " + item.kind());
        }
    }

    private static List<OverrideRequest> overrides(RulesetManifest m, List<OverrideRequest> given, String what,
                                                   List<Problem> problems) {
        List<OverrideRequest> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> types = m.overrides().stream().map(OverrideDef::type).toList();
        for (int i = 0; i < given.size(); i++) {
            OverrideRequest o = given.get(i);
            String path = "overrides[" + i + "]";
            int before = problems.size();
            if (o.reason() == null || o.reason().isBlank()) {
                problems.add(new Problem(path + ".reason", "missing: every override needs a written reason"));
            }
            if (o.type() == null) {
                problems.add(new Problem(path + ".type", "missing" + (types.isEmpty() ? "" : " (" + String.join(", ", types) + ")")));
                continue;
            }
            OverrideDef def = m.override(o.type()).orElse(null);
            if (def == null) {
                problems.add(new Problem(path + ".type", "override type '" + clip(o.type()) + "' is not taken by " + what
                        + (types.isEmpty() ? " (it takes no overrides)" : " (it takes: " + String.join(", ", types) + ")")));
                continue;
            }
            if (!def.codes().isEmpty()) {
                List<String> codes = def.codes().stream().map(RulesetManifest.OverrideCode::code).toList();
                if (o.code() == null) {
                    problems.add(new Problem(path + ".code", "missing: a " + o.type() + " override names its code (" + String.join(", ", codes) + ")"));
                } else if (!codes.contains(o.code())) {
                    problems.add(new Problem(path + ".code", "unknown " + o.type() + " override code '" + clip(o.code()) + "' ("
                            + String.join(", ", codes) + ")"));
                } else if (!seen.add(o.type() + ":" + o.code())) {
                    problems.add(new Problem(path + ".code", "override " + o.code() + " is given twice"));
                }
            } else if (o.code() != null) {
                problems.add(new Problem(path + ".code", "a " + o.type() + " override takes no code"));
            }
            if (!def.values().isEmpty()) {
                if (o.value() == null) {
                    problems.add(new Problem(path + ".value", "missing: a " + o.type() + " override sets a value ("
                            + String.join(", ", def.values()) + ")"));
                } else if (!def.values().contains(o.value())) {
                    problems.add(new Problem(path + ".value", "'" + clip(o.value()) + "' is not a value of a " + o.type()
                            + " override (" + String.join(", ", def.values()) + ")"));
                }
            } else if (o.value() != null) {
                problems.add(new Problem(path + ".value", "a " + o.type() + " override takes no value"));
            }
            if (def.codes().isEmpty() && !seen.add(o.type())) {
                problems.add(new Problem(path + ".type", "at most one " + o.type() + " override may be given"));
            }
            if (problems.size() == before) {
                out.add(o);
            }
        }
        return List.copyOf(out);
    }

    /** Required items of the sections the rules found to apply that the request leaves unanswered. */
    public static List<Problem> missingInSections(RulesetManifest m, EvaluationRequest request, java.util.Set<String> active) {
        List<Problem> problems = new ArrayList<>();
        for (ItemDef item : m.items()) {
            if (item.section() != null && item.required() && active.contains(item.section())
                    && !request.answers().containsKey(item.id())) {
                problems.add(new Problem("answers." + item.id(), "missing: the " + item.section()
                        + " section applies, so every item of it must be answered (" + expects(item) + ")"));
            }
        }
        return problems;
    }

    private static String expects(ItemDef item) {
        return switch (item.kind()) {
            case CHOICE -> "one of " + options(item);
            case MULTI -> "an array of option keys: " + options(item) + "; [] for none";
            case YESNO -> "true or false";
            case TEXT -> "a string";
        };
    }

    private static String options(ItemDef item) {
        return item.options().stream().map(OptionDef::key).collect(Collectors.joining(", "));
    }

    private static String known(List<String> names) {
        return names.isEmpty() ? " (this ruleset takes no facts)" : " (known: " + String.join(", ", names) + ")";
    }

    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "the string \"" + clip(s) + "\"";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof List<?>) {
            return "an array";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        return value.getClass().getSimpleName();
    }

    private static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

}
