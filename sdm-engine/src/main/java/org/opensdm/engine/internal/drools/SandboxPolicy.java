package org.opensdm.engine.internal.drools;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.opensdm.engine.rules.Answer;
import org.opensdm.engine.rules.CutPoints;
import org.opensdm.engine.rules.Finding;
import org.opensdm.engine.rules.Flag;
import org.opensdm.engine.rules.Level;
import org.opensdm.engine.rules.Outcome;
import org.opensdm.engine.rules.OverrideGiven;
import org.opensdm.engine.rules.RiskLevel;
import org.opensdm.engine.rules.Scores;
import org.opensdm.engine.rules.Section;
import org.opensdm.engine.rules.Validation;

/**
 * What ruleset code may reach: the one allowlist of the sandbox. A DRL may name only the
 * {@link #TYPES} (in imports, patterns, declarations, casts), and call only the members listed
 * here, resolved on the static type of the receiver by {@link RuleCodeChecker}. Nothing here
 * hands out a class, a class loader, a thread, a stream, an array, a file or the rule runtime,
 * so no chain of allowed calls leaves these types.
 *
 * <p>Members come in two kinds: <em>reads</em> (getters and queries, allowed everywhere) and
 * <em>effects</em> (recording an outcome, score, note, report or override, and filling a
 * collection the consequence made itself), allowed only in consequences and functions. Members
 * whose work is not bounded by their inputs ({@code String.repeat}, regular expressions,
 * capacity constructors, {@code Collections.nCopies}), that are not deterministic
 * ({@code Math.random}, {@code LocalDate.now}) or that reach the rule runtime are absent.
 */
final class SandboxPolicy {
    private SandboxPolicy() {
    }

    /** Every class a ruleset may name, including nested ones ({@code Map.Entry}, {@code CutPoints.Band}). */
    static final Set<Class<?>> TYPES = Set.of(
            Answer.class, CutPoints.class, CutPoints.Band.class, Finding.class, Flag.class, Level.class,
            Outcome.class, OverrideGiven.class, RiskLevel.class, Scores.class, Section.class, Validation.class,
            Object.class, String.class, CharSequence.class, Comparable.class, Number.class,
            Integer.class, Long.class, Short.class, Byte.class, Double.class, Float.class, Boolean.class,
            Character.class, Math.class,
            Collection.class, List.class, ArrayList.class, LinkedList.class, Set.class, HashSet.class,
            LinkedHashSet.class, TreeSet.class, Map.class, Map.Entry.class, HashMap.class, LinkedHashMap.class,
            TreeMap.class, Collections.class, Objects.class,
            LocalDate.class, BigDecimal.class);

    /**
     * The binary names of the top-level classes of {@link #TYPES}, as the class loader layer checks
     * them (here, not in {@link DrlSandbox}, so that loading compiled rules needs no DRL parser).
     */
    static final Set<String> ALLOWED_CLASSES = TYPES.stream()
            .map(c -> (c.getEnclosingClass() == null ? c : c.getEnclosingClass()).getName())
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** Fully qualified names of {@link #TYPES} as a DRL writes them ({@code java.util.Map.Entry}). */
    static String sourceName(Class<?> c) {
        return c.getName().replace('$', '.');
    }

    /** Members that read: allowed in conditions and consequences. Inherited by subtypes. */
    static final Map<Class<?>, Set<String>> READS = Map.ofEntries(
            Map.entry(Object.class, Set.of("equals", "hashCode", "toString")),
            Map.entry(Answer.class, Set.of("getItem", "getChild", "getSection", "getPosition", "getValue",
                    "getChoice", "isYes", "getSelected", "has", "getPoints")),
            Map.entry(CutPoints.class, Set.of("getIndex", "getBands", "levelFor")),
            Map.entry(CutPoints.Band.class, Set.of("level", "min", "max", "contains")),
            Map.entry(Finding.class, Set.of("getName", "getValue")),
            Map.entry(Flag.class, Set.of("getName", "getValue", "isValue")),
            Map.entry(Level.class, Set.of("getName", "getLevel")),
            Map.entry(OverrideGiven.class, Set.of("getPosition", "getType", "getCode", "getValue", "isApplied")),
            Map.entry(RiskLevel.class, Set.of("next", "isLowOrModerate", "name", "ordinal")),
            Map.entry(Scores.class, Set.of("get")),
            Map.entry(Section.class, Set.of("getName")),
            Map.entry(Outcome.class, Set.of("has")),
            Map.entry(Comparable.class, Set.of("compareTo")),
            Map.entry(CharSequence.class, Set.of("length", "isEmpty", "charAt")),
            Map.entry(String.class, Set.of("equalsIgnoreCase", "startsWith", "endsWith", "contains", "isBlank",
                    "compareToIgnoreCase", "indexOf", "lastIndexOf", "substring", "toLowerCase", "toUpperCase",
                    "trim", "strip")),
            Map.entry(Number.class, Set.of("intValue", "longValue", "doubleValue")),
            Map.entry(Boolean.class, Set.of("booleanValue")),
            Map.entry(Character.class, Set.of("charValue")),
            Map.entry(Collection.class, Set.of("size", "isEmpty", "contains", "containsAll")),
            Map.entry(List.class, Set.of("get", "indexOf", "lastIndexOf", "subList")),
            Map.entry(Map.class, Set.of("get", "getOrDefault", "containsKey", "containsValue", "size", "isEmpty",
                    "keySet", "values", "entrySet")),
            Map.entry(Map.Entry.class, Set.of("getKey", "getValue")),
            Map.entry(LocalDate.class, Set.of("getYear", "getMonthValue", "getDayOfMonth", "isBefore", "isAfter",
                    "isEqual")),
            Map.entry(BigDecimal.class, Set.of("signum", "scale", "intValue", "compareTo")));

    /** Members with an effect: allowed in consequences and functions only. Inherited by subtypes. */
    static final Map<Class<?>, Set<String>> EFFECTS = Map.ofEntries(
            Map.entry(Outcome.class, Set.of("set", "add", "put", "note")),
            Map.entry(Scores.class, Set.of("add")),
            Map.entry(Validation.class, Set.of("report")),
            Map.entry(OverrideGiven.class, Set.of("apply")),
            Map.entry(Collection.class, Set.of("add", "addAll", "remove", "clear")),
            Map.entry(Map.class, Set.of("put", "putAll", "remove", "clear")));

    /** Static methods, by class. */
    static final Map<Class<?>, Set<String>> STATIC_METHODS = Map.ofEntries(
            Map.entry(Answer.class, Set.of("itemsInFormOrder", "itemsByChild", "locations")),
            Map.entry(RiskLevel.class, Set.of("max", "valueOf")),
            Map.entry(Math.class, Set.of("abs", "max", "min", "floorDiv", "floorMod", "round", "ceil", "floor",
                    "signum", "addExact", "subtractExact", "multiplyExact", "negateExact", "toIntExact")),
            Map.entry(String.class, Set.of("valueOf")),
            Map.entry(Integer.class, Set.of("valueOf", "parseInt", "compare", "max", "min", "sum", "signum")),
            Map.entry(Long.class, Set.of("valueOf", "parseLong", "compare", "max", "min", "sum", "signum")),
            Map.entry(Double.class, Set.of("valueOf", "parseDouble", "compare", "max", "min", "sum", "isNaN")),
            Map.entry(Boolean.class, Set.of("valueOf", "parseBoolean", "compare")),
            Map.entry(Character.class, Set.of("isDigit", "isLetter", "isLetterOrDigit", "isUpperCase",
                    "isLowerCase", "isWhitespace")),
            Map.entry(Objects.class, Set.of("equals", "isNull", "nonNull", "hashCode", "requireNonNullElse")),
            Map.entry(Collections.class, Set.of("emptyList", "emptyMap", "emptySet", "unmodifiableList",
                    "unmodifiableMap", "unmodifiableSet", "singletonList")),
            Map.entry(List.class, Set.of("copyOf")),
            Map.entry(Set.class, Set.of("copyOf")),
            Map.entry(Map.class, Set.of("copyOf")),
            Map.entry(LocalDate.class, Set.of("of")));

    /** Static fields, by class (enum constants of {@link RiskLevel} are always allowed). */
    static final Map<Class<?>, Set<String>> STATIC_FIELDS = Map.of(
            Integer.class, Set.of("MAX_VALUE", "MIN_VALUE"),
            Long.class, Set.of("MAX_VALUE", "MIN_VALUE"),
            Boolean.class, Set.of("TRUE", "FALSE"),
            BigDecimal.class, Set.of("ZERO", "ONE"));

    /**
     * Classes a consequence may construct, with the argument types of the constructors allowed
     * (no capacity constructors: their work is not bounded by the data).
     */
    static final Map<Class<?>, List<List<Class<?>>>> CONSTRUCTORS = Map.ofEntries(
            Map.entry(Finding.class, List.of(List.of(String.class, String.class))),
            Map.entry(Level.class, List.of(List.of(String.class, RiskLevel.class))),
            Map.entry(Section.class, List.of(List.of(String.class))),
            Map.entry(ArrayList.class, List.of(List.of(), List.of(Collection.class))),
            Map.entry(LinkedList.class, List.of(List.of(), List.of(Collection.class))),
            Map.entry(HashSet.class, List.of(List.of(), List.of(Collection.class))),
            Map.entry(LinkedHashSet.class, List.of(List.of(), List.of(Collection.class))),
            Map.entry(TreeSet.class, List.of(List.of(), List.of(Collection.class))),
            Map.entry(HashMap.class, List.of(List.of(), List.of(Map.class))),
            Map.entry(LinkedHashMap.class, List.of(List.of(), List.of(Map.class))),
            Map.entry(TreeMap.class, List.of(List.of(), List.of(Map.class))));

    /** The globals a DRL may declare, with their types. */
    static final Map<String, Class<?>> GLOBALS =
            Map.of("scores", Scores.class, "outcome", Outcome.class, "validation", Validation.class);

    /** The functions of the rule runtime a consequence may call unqualified: {@code insert(fact)}. */
    static final Set<String> RUNTIME_CALLS = Set.of("insert");

    /** Accumulate functions, with the type each binds. */
    static final Map<String, Class<?>> ACCUMULATE_FUNCTIONS = Map.of("count", Long.class, "sum", Number.class,
            "min", Number.class, "max", Number.class, "average", Number.class, "collectList", List.class,
            "collectSet", Set.class);

    /** Rule attributes a DRL may give, each a literal. */
    static final Set<String> ATTRIBUTES = Set.of("salience", "enabled", "no-loop", "lock-on-active", "dialect");
}
