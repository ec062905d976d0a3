package org.opensdm.engine.rules;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One answered item, as validated against the manifest. {@link #getPoints()} holds the points
 * the manifest gives this answer on each index the item scores, in the item's {@code scores} order
 * (empty for unscored items).
 */
public final class Answer {
    private final String item;
    private final String child;
    private final String section;
    private final int position;
    private final Object value;
    private final Map<String, Integer> points;

    public Answer(String item, String child, String section, int position, Object value, Map<String, Integer> points) {
        this.item = Objects.requireNonNull(item);
        this.child = child;
        this.section = section;
        this.position = position;
        this.value = Objects.requireNonNull(value);
        this.points = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(points));
    }

    public String getItem() { return item; }

    /** The child id for a per-child item, else null. */
    public String getChild() { return child; }

    /** The section (step) of the tool this item belongs to, or null. */
    public String getSection() { return section; }

    /** The item's position on the form (its index in the manifest's item list). */
    public int getPosition() { return position; }

    /** The item ids of these answers in form order: e.g. the threats marked, from a {@code collect}. */
    public static List<String> itemsInFormOrder(java.util.Collection<?> answers) {
        return answers.stream().map(Answer.class::cast)
                .sorted(java.util.Comparator.comparingInt(Answer::getPosition).thenComparing(a -> String.valueOf(a.getChild())))
                .map(Answer::getItem).toList();
    }

    /**
     * Per child (in child id order), the item ids of that child's answers that are any of
     * {@code keys} ({@link #has}), in form order; every child with an answer gets an entry, an
     * empty list when none matches. Ruleset code has no loops: this is the loop.
     */
    public static Map<String, List<String>> itemsByChild(java.util.Collection<?> answers, String... keys) {
        Map<String, List<Answer>> byChild = new java.util.TreeMap<>();
        for (Object o : answers) {
            Answer a = (Answer) o;
            if (a.child == null) {
                continue;
            }
            List<Answer> matching = byChild.computeIfAbsent(a.child, c -> new java.util.ArrayList<>());
            for (String key : keys) {
                if (a.has(key)) {
                    matching.add(a);
                    break;
                }
            }
        }
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        byChild.forEach((child, list) -> out.put(child, itemsInFormOrder(list)));
        return out;
    }

    /**
     * Where these answers are on the form: the items without a child in form order, then
     * {@code "<child id> <item>"} for each child in child id order, items in form order.
     */
    public static List<String> locations(java.util.Collection<?> answers) {
        List<Answer> own = new java.util.ArrayList<>();
        Map<String, List<Answer>> byChild = new java.util.TreeMap<>();
        for (Object o : answers) {
            Answer a = (Answer) o;
            if (a.child == null) {
                own.add(a);
            } else {
                byChild.computeIfAbsent(a.child, c -> new java.util.ArrayList<>()).add(a);
            }
        }
        List<String> out = new java.util.ArrayList<>(itemsInFormOrder(own));
        byChild.forEach((child, list) -> itemsInFormOrder(list).forEach(item -> out.add(child + " " + item)));
        return out;
    }

    /** The answer as given: a String (choice, text), a Boolean (yesno) or a List of String (multi). */
    public Object getValue() { return value; }

    /** The option key of a choice item, else null. */
    public String getChoice() { return value instanceof String s ? s : null; }

    /** True for a yes/no item answered yes. */
    public boolean isYes() { return Boolean.TRUE.equals(value); }

    /** The option keys chosen on a multi item, in the form's option order (empty for other kinds). */
    @SuppressWarnings("unchecked")
    public List<String> getSelected() { return value instanceof List<?> l ? (List<String>) l : List.of(); }

    /** True when this choice answer is {@code key} or this multi answer includes {@code key}. */
    public boolean has(String key) { return key.equals(value) || getSelected().contains(key); }

    public Map<String, Integer> getPoints() { return points; }

    @Override
    public String toString() { return item + (child == null ? "" : "[" + child + "]") + "=" + value; }
}
