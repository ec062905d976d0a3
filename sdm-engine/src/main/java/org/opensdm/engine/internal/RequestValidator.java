package org.opensdm.engine.internal;

import java.util.ArrayList;
import java.util.HashMap;
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
import org.opensdm.engine.ruleset.ItemKind;
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

    /**
     * A manifest indexed once per version for validation: items by id with their options, the
     * override types and codes, and the {@link Answer} facts of top-level choice and yes/no answers,
     * which are immutable and the same for every request, so made once and shared by every
     * evaluation (Drools never changes a fact object).
     */
    public static final class Form {
        private final RulesetManifest manifest;
        private final String what;
        private final List<ItemForm> items;
        private final List<ItemForm> childItems;
        private final Set<String> itemIds;
        private final Set<String> childItemIds;
        private final Map<String, OverrideForm> overrides = new HashMap<>();
        private final List<String> types;
        private final boolean anySection;

        public Form(RulesetManifest m) {
            this.manifest = m;
            this.what = m.id() + " " + m.version();
            this.items = forms(m.items(), true);
            this.childItems = forms(m.childItems(), false);
            this.itemIds = Set.copyOf(m.items().stream().map(ItemDef::id).toList());
            this.childItemIds = Set.copyOf(m.childItems().stream().map(ItemDef::id).toList());
            for (OverrideDef o : m.overrides()) {
                overrides.putIfAbsent(o.type(), new OverrideForm(o, o.codes().stream().map(RulesetManifest.OverrideCode::code).toList()));
            }
            this.types = m.overrides().stream().map(OverrideDef::type).toList();
            this.anySection = m.items().stream().anyMatch(i -> i.section() != null);
        }

        private static List<ItemForm> forms(List<ItemDef> defs, boolean topLevel) {
            List<ItemForm> out = new ArrayList<>(defs.size());
            for (int i = 0; i < defs.size(); i++) {
                out.add(new ItemForm(defs.get(i), i, topLevel));
            }
            return List.copyOf(out);
        }

        public RulesetManifest manifest() {
            return manifest;
        }

        /** True when some item belongs to a section (a step that the rules may or may not reach). */
        public boolean hasSections() {
            return anySection;
        }
    }

    private static final class ItemForm {
        final ItemDef def;
        final int position;
        final Map<String, OptionForm> options = new HashMap<>();
        final Answer yes;
        final Answer no;

        ItemForm(ItemDef def, int position, boolean topLevel) {
            this.def = def;
            this.position = position;
            for (OptionDef o : def.options()) {
                options.putIfAbsent(o.key(), new OptionForm(o, topLevel && def.kind() == ItemKind.CHOICE
                        ? new Answer(def.id(), null, def.section(), position, o.key(), o.points()) : null));
            }
            boolean yesno = topLevel && def.kind() == ItemKind.YESNO;
            this.yes = yesno ? new Answer(def.id(), null, def.section(), position, Boolean.TRUE, Map.of()) : null;
            this.no = yesno ? new Answer(def.id(), null, def.section(), position, Boolean.FALSE, Map.of()) : null;
        }
    }

    /** An option, with the fact of choosing it on a top-level choice item (else null). */
    private record OptionForm(OptionDef def, Answer answer) { }

    private record OverrideForm(OverrideDef def, List<String> codes) { }

    /** Adds every problem to {@code problems}; returns the prepared facts (meaningful only when none were added). */
    public static Prepared validate(RulesetManifest m, EvaluationRequest request, List<Problem> problems) {
        return validate(new Form(m), request, problems);
    }

    /** As {@link #validate(RulesetManifest, EvaluationRequest, List)}, with the manifest indexed beforehand. */
    public static Prepared validate(Form form, EvaluationRequest request, List<Problem> problems) {
        RulesetManifest m = form.manifest;
        String what = form.what;
        List<Answer> answers = answers(form.items, form.itemIds, request.answers(), null, "answers", what, problems);

        if (form.childItems.isEmpty()) {
            if (!request.children().isEmpty()) {
                problems.add(new Problem("children", what + " rates no children; leave children out"));
            }
        } else {
            answers = new ArrayList<>(answers);
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
                    problems.add(new Problem(path + ".id", "duplicate child id " + clip(child.id())));
                }
                answers.addAll(answers(form.childItems, form.childItemIds, child.answers(), child.id(), path + ".answers", what,
                        problems));
            }
        }

        List<OverrideRequest> overrides = request.overrides().isEmpty() ? List.of() : overrides(form, request.overrides(), problems);

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

    private static List<Answer> answers(List<ItemForm> items, Set<String> known, Map<String, Object> given, String child,
                                        String prefix, String what, List<Problem> problems) {
        List<Answer> out = new ArrayList<>(items.size());
        int matched = 0;
        for (ItemForm form : items) {
            ItemDef item = form.def;
            Object value = given.get(item.id());
            if (value == null) {
                if (!given.containsKey(item.id())) {
                    // an item of a section is required only once a rule finds the section applies
                    if (item.required() && item.section() == null) {
                        problems.add(new Problem(prefix + "." + item.id(), "missing: every item must be answered (" + expects(item) + ")"));
                    }
                    continue;
                }
                matched++;
                problems.add(new Problem(prefix + "." + item.id(), "null is not an answer (" + expects(item) + ")"));
                continue;
            }
            matched++;
            Answer answer = answer(form, value, child, prefix, problems);
            if (answer != null) {
                out.add(answer);
            }
        }
        if (matched == given.size()) {
            return out;
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

    /** The answer's fact, or null after adding its problems; the path is built only for a problem. */
    private static Answer answer(ItemForm form, Object value, String child, String prefix, List<Problem> problems) {
        ItemDef item = form.def;
        switch (item.kind()) {
            case CHOICE -> {
                if (!(value instanceof String key)) {
                    problems.add(new Problem(prefix + "." + item.id(), "must be one option key string (" + options(item) + "), not "
                            + describe(value)));
                    return null;
                }
                OptionForm option = form.options.get(key);
                if (option == null) {
                    problems.add(new Problem(prefix + "." + item.id(), "option '" + clip(key) + "' is not offered (" + options(item) + ")"));
                    return null;
                }
                return child == null ? option.answer()
                        : new Answer(item.id(), child, item.section(), form.position, key, option.def().points());
            }
            case MULTI -> {
                String path = prefix + "." + item.id();
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
                    if (!(e instanceof String key)) {
                        problems.add(new Problem(path + "[" + i + "]", "must be an option key string, not " + describe(e)));
                        ok = false;
                        continue;
                    }
                    OptionForm option = form.options.get(key);
                    if (option == null) {
                        problems.add(new Problem(path + "[" + i + "]", "option '" + clip(key) + "' is not offered (" + options(item) + ")"));
                        ok = false;
                    } else if (!seen.add(key)) {
                        problems.add(new Problem(path + "[" + i + "]", "option '" + key + "' is chosen twice"));
                        ok = false;
                    } else {
                        option.def().points().forEach((index, p) -> points.merge(index, p, Integer::sum));
                    }
                }
                if (!ok) {
                    return null;
                }
                item.maxPoints().forEach((index, cap) -> points.computeIfPresent(index, (k, v) -> Math.min(v, cap)));
                // a multi answer is a set: kept in the form's option order
                List<String> keys = new ArrayList<>(seen.size());
                for (OptionDef o : item.options()) {
                    if (seen.contains(o.key())) {
                        keys.add(o.key());
                    }
                }
                return new Answer(item.id(), child, item.section(), form.position, List.copyOf(keys), points);
            }
            case YESNO -> {
                if (!(value instanceof Boolean yes)) {
                    problems.add(new Problem(prefix + "." + item.id(), "must be true or false, not " + describe(value)));
                    return null;
                }
                return child == null ? (yes ? form.yes : form.no)
                        : new Answer(item.id(), child, item.section(), form.position, value, Map.of());
            }
            case TEXT -> {
                if (!(value instanceof String s)) {
                    problems.add(new Problem(prefix + "." + item.id(), "must be a string, not " + describe(value)));
                    return null;
                }
                if (s.isBlank()) {
                    problems.add(new Problem(prefix + "." + item.id(), "must not be blank"));
                    return null;
                }
                return new Answer(item.id(), child, item.section(), form.position, s, Map.of());
            }
            default -> throw new IllegalStateException("unhandled kind " + item.kind());
        }
    }

    private static List<OverrideRequest> overrides(Form form, List<OverrideRequest> given, List<Problem> problems) {
        List<OverrideRequest> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> types = form.types;
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
            OverrideForm of = form.overrides.get(o.type());
            if (of == null) {
                problems.add(new Problem(path + ".type", "override type '" + clip(o.type()) + "' is not taken by " + form.what
                        + (types.isEmpty() ? " (it takes no overrides)" : " (it takes: " + String.join(", ", types) + ")")));
                continue;
            }
            OverrideDef def = of.def();
            if (!def.codes().isEmpty()) {
                List<String> codes = of.codes();
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
        if (active.isEmpty()) {
            return List.of();
        }
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
        return org.opensdm.engine.json.Printable.clip(s);
    }

}
