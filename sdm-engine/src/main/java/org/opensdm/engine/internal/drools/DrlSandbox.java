package org.opensdm.engine.internal.drools;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.drools.drl.ast.descr.AccumulateDescr;
import org.drools.drl.ast.descr.AndDescr;
import org.drools.drl.ast.descr.AnnotationDescr;
import org.drools.drl.ast.descr.AttributeDescr;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.CollectDescr;
import org.drools.drl.ast.descr.ConditionalElementDescr;
import org.drools.drl.ast.descr.EvalDescr;
import org.drools.drl.ast.descr.ExistsDescr;
import org.drools.drl.ast.descr.ExprConstraintDescr;
import org.drools.drl.ast.descr.ForallDescr;
import org.drools.drl.ast.descr.FunctionDescr;
import org.drools.drl.ast.descr.GlobalDescr;
import org.drools.drl.ast.descr.ImportDescr;
import org.drools.drl.ast.descr.NotDescr;
import org.drools.drl.ast.descr.OrDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.ast.descr.PatternSourceDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsParserException;
import org.kie.internal.builder.conf.LanguageLevelOption;
import org.opensdm.engine.RulesetProblem;

/**
 * The first layer of the ruleset sandbox: a static check of a DRL file before anything of it is
 * compiled, so that a ruleset can only compute over the engine's fact types and plain values.
 *
 * <p>How it works. The file is parsed by Drools' own DRL parser into its package descriptor,
 * the same tree the compiler builds from, so nothing the compiler would see is skipped. Then:
 * <ul>
 *   <li>every import must name an allowed class exactly (no wildcards, no function, static or
 *       accumulate imports); globals must be the engine's three; {@code declare}d types,
 *       queries, entry points, windows, {@code eval}, {@code from} (other than {@code collect}
 *       and {@code accumulate} over a pattern), inline accumulate code and the MVEL dialect are
 *       refused;</li>
 *   <li>every piece of code the compiler will turn into Java or MVEL (constraints, consequences,
 *       function bodies and signatures, attribute and accumulate expressions) is scanned as
 *       tokens after removing comments and string literals: every qualified name that starts
 *       with a package root ({@code java.}, {@code org.} ...) must be an allowed class, fully
 *       qualified; every capitalised simple name must be an allowed class's simple name; and
 *       names that reach reflection, class loading or the engine's runtime ({@code getClass},
 *       {@code class}, {@code forName}, {@code drools}, {@code kcontext}, {@code this} ...) are
 *       refused wherever they stand.</li>
 * </ul>
 * Why it cannot be bypassed by a fully qualified name: a qualified name is checked as a whole
 * against the allowlist of fully qualified classes, so {@code java.lang.System} is refused like
 * {@code System}. Nor by {@code eval}: the eval element is refused where the parser finds it, and
 * the word itself is refused in any code. Nor by a Java unicode escape that spells a name
 * ({@code \u0053ystem}): escapes are refused anywhere in the file. Nor by
 * reflection through an allowed object: every route from an object to its class
 * ({@code getClass()}, {@code .class}) is refused, and no allowed type hands out a class, a
 * class loader, a thread or a file. What this layer misses the second layer stops: the DRL is
 * compiled and run under {@link SandboxClassLoader}, which refuses to link any class outside
 * the allowlist.
 */
final class DrlSandbox {
    /** The classes a ruleset may name, fully qualified. */
    static final Set<String> ALLOWED_CLASSES = Set.of(
            "org.opensdm.engine.rules.Answer", "org.opensdm.engine.rules.CutPoints",
            "org.opensdm.engine.rules.Finding", "org.opensdm.engine.rules.Flag", "org.opensdm.engine.rules.Level",
            "org.opensdm.engine.rules.Outcome", "org.opensdm.engine.rules.OverrideGiven",
            "org.opensdm.engine.rules.RiskLevel", "org.opensdm.engine.rules.Scores", "org.opensdm.engine.rules.Section",
            "org.opensdm.engine.rules.Validation",
            "java.lang.String", "java.lang.Integer", "java.lang.Long", "java.lang.Short", "java.lang.Byte",
            "java.lang.Double", "java.lang.Float", "java.lang.Boolean", "java.lang.Character", "java.lang.Number",
            "java.lang.Math", "java.lang.StrictMath", "java.lang.CharSequence", "java.lang.StringBuilder",
            "java.lang.Comparable", "java.lang.Iterable", "java.lang.Object",
            "java.util.List", "java.util.ArrayList", "java.util.LinkedList", "java.util.Map", "java.util.HashMap",
            "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.Set", "java.util.HashSet",
            "java.util.LinkedHashSet", "java.util.TreeSet", "java.util.Collection", "java.util.Collections",
            "java.util.Objects", "java.util.Optional", "java.util.Comparator", "java.util.Iterator", "java.util.Arrays",
            "java.time.LocalDate", "java.time.Period", "java.time.Duration", "java.time.DayOfWeek", "java.time.Month",
            "java.time.Year", "java.time.YearMonth", "java.time.temporal.ChronoUnit",
            "java.math.BigDecimal", "java.math.BigInteger", "java.math.RoundingMode");

    /** Globals a DRL may declare, with their types. */
    static final Map<String, String> GLOBALS = Map.of("scores", "org.opensdm.engine.rules.Scores",
            "outcome", "org.opensdm.engine.rules.Outcome", "validation", "org.opensdm.engine.rules.Validation");

    /** Names refused wherever they stand in code: routes to reflection, class loading, the runtime. */
    private static final Set<String> REFUSED_NAMES = Set.of("getClass", "class", "forName", "getClassLoader",
            "loadClass", "newInstance", "invoke", "invokeExact", "getDeclaredMethod", "getDeclaredMethods", "getMethod",
            "getMethods", "getDeclaredField", "getDeclaredFields", "getField", "getFields", "getDeclaredConstructor",
            "getDeclaredConstructors", "getConstructor", "getConstructors", "setAccessible", "getRuntime", "exec",
            "exit", "halt", "drools", "kcontext", "this", "super", "eval", "synchronized", "native", "assert",
            "getKieRuntime", "getKnowledgeRuntime", "getWorkingMemory", "getKieBase", "getEnvironment", "getSessionClock",
            "getChannels", "getEntryPoint", "getGlobals", "getGlobal", "setGlobal", "getFactHandle");

    /** First segments that make a dotted name a package-qualified class name. */
    private static final Set<String> PACKAGE_ROOTS = Set.of("java", "javax", "jakarta", "jdk", "sun", "com", "org", "net",
            "io", "groovy", "kotlin", "scala", "mvel", "mvel2");

    /** Java keywords and primitive types: skipped by the name scan. */
    private static final Set<String> KEYWORDS = Set.of("abstract", "boolean", "break", "byte", "case", "catch", "char",
            "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "if",
            "implements", "import", "instanceof", "int", "interface", "long", "new", "package", "private", "protected",
            "public", "return", "short", "static", "switch", "throw", "throws", "transient", "try", "void", "volatile",
            "while", "true", "false", "null", "var", "yield", "record",
            // DRL constraint operators
            "contains", "not", "memberOf", "matches", "soundslike", "str", "in", "excludes", "startsWith", "endsWith",
            "length", "after", "before", "coincides", "during", "finishes", "includes", "meets", "overlaps", "starts");

    private static final Set<String> ACCUMULATE_FUNCTIONS = Set.of("count", "sum", "min", "max", "average",
            "collectList", "collectSet");

    private static final Pattern ITEM_CONSTRAINT = Pattern.compile("\\bitem\\s*==\\s*\"([^\"]*)\"");
    private static final Pattern UNICODE_ESCAPE = Pattern.compile("\\\\+u+[0-9a-fA-F]{4}");
    private static final Pattern NAME_CHAIN =
            Pattern.compile("(?<![\\w$.])([A-Za-z_$][\\w$]*(?:\\s*\\.\\s*[A-Za-z_$][\\w$]*)*)");

    private final String file;
    private final Set<String> simpleNames;
    private final List<RulesetProblem> problems = new ArrayList<>();
    private String rule;
    private int line;
    private Set<String> items;

    private DrlSandbox(String file, Set<String> imported) {
        this.file = file;
        this.simpleNames = imported;
    }

    /** Every sandbox violation of one DRL file; empty when it may be compiled. */
    static List<RulesetProblem> check(String file, String drl) {
        return check(file, drl, null);
    }

    /**
     * Also checks, when {@code items} is given, that every {@code @item("X")} and every
     * {@code item == "X"} constraint names an item of the manifest (or {@code "*"} for @item).
     */
    static List<RulesetProblem> check(String file, String drl, Set<String> items) {
        List<RulesetProblem> found = new ArrayList<>();
        Matcher escape = UNICODE_ESCAPE.matcher(drl);
        if (escape.find()) {
            found.add(new RulesetProblem(file, lineOf(drl, escape.start()), 0,
                    "sandbox: unicode escapes are not allowed in a ruleset (they can spell any name)"));
            return found;
        }
        PackageDescr pkg;
        DrlParser parser = new DrlParser(LanguageLevelOption.DRL6);
        try {
            pkg = parser.parse(false, drl);
        } catch (DroolsParserException e) {
            found.add(new RulesetProblem(file, 0, 0, "cannot parse: " + e.getMessage()));
            return found;
        }
        if (parser.hasErrors() || pkg == null) {
            // syntax errors: the compiler reports them with their positions, and nothing runs
            return found;
        }
        DrlSandbox sandbox = new DrlSandbox(file, simpleNamesOf(pkg));
        sandbox.items = items;
        sandbox.checkPackage(pkg);
        return sandbox.problems;
    }

    private static Set<String> simpleNamesOf(PackageDescr pkg) {
        Set<String> names = new java.util.HashSet<>();
        ALLOWED_CLASSES.stream().filter(c -> c.startsWith("java.lang.")).forEach(c -> names.add(simple(c)));
        for (ImportDescr i : pkg.getImports()) {
            if (ALLOWED_CLASSES.contains(i.getTarget())) {
                names.add(simple(i.getTarget()));
            }
        }
        return names;
    }

    private void checkPackage(PackageDescr pkg) {
        rule = null;
        for (ImportDescr i : pkg.getImports()) {
            if (!ALLOWED_CLASSES.contains(i.getTarget())) {
                refuse(i, "import " + i.getTarget() + " is not an allowed class");
            }
        }
        pkg.getFunctionImports().forEach(i -> refuse(i, "function imports are not allowed"));
        pkg.getAccumulateImports().forEach(i -> refuse(i, "accumulate imports are not allowed"));
        for (GlobalDescr g : pkg.getGlobals()) {
            String type = GLOBALS.get(g.getIdentifier());
            if (type == null || !(type.equals(g.getType()) || simple(type).equals(g.getType()))) {
                refuse(g, "global " + g.getIdentifier() + " of type " + g.getType()
                        + " is not one the engine provides (scores: Scores, outcome: Outcome, validation: Validation)");
            }
        }
        for (AttributeDescr a : pkg.getAttributes()) {
            checkAttribute(a);
        }
        pkg.getTypeDeclarations().forEach(d -> refuse(d, "declared types are not allowed"));
        pkg.getEnumDeclarations().forEach(d -> refuse(d, "declared enums are not allowed"));
        pkg.getEntryPointDeclarations().forEach(d -> refuse(d, "entry points are not allowed"));
        pkg.getWindowDeclarations().forEach(d -> refuse(d, "windows are not allowed"));
        for (FunctionDescr f : pkg.getFunctions()) {
            rule = "function " + f.getName();
            if (f.getDialect() != null && !"java".equals(f.getDialect())) {
                refuse(f, "only the java dialect is allowed");
            }
            code(f, f.getReturnType());
            f.getParameterTypes().forEach(t -> code(f, t));
            code(f, f.getBody());
        }
        for (RuleDescr r : pkg.getRules()) {
            checkRule(r);
        }
    }

    private void checkRule(RuleDescr r) {
        rule = (r.isQuery() ? "query " : "rule ") + "\"" + r.getName() + "\"";
        if (r.isQuery()) {
            refuse(r, "queries are not allowed");
            return;
        }
        for (AttributeDescr a : r.getAttributes().values()) {
            checkAttribute(a);
        }
        for (AnnotationDescr a : r.getAnnotations()) {
            if (!"item".equals(a.getName())) {
                refuse(r, "metadata @" + a.getName() + " is not allowed (only @item)");
            } else if (items != null) {
                String item = a.getSingleValueAsString();
                item = item == null ? null : item.replace("\"", "");
                if (item == null || (!"*".equals(item) && !items.contains(item))) {
                    problem(r, "@item(\"" + item + "\") is not an item of the manifest");
                }
            }
        }
        lhs(r.getLhs());
        Object consequence = r.getConsequence();
        if (consequence != null) {
            line = r.getConsequenceLine();
            code(null, consequence.toString());
        }
        if (!r.getNamedConsequences().isEmpty()) {
            refuse(r, "named consequences are not allowed");
        }
    }

    private void checkAttribute(AttributeDescr a) {
        if ("dialect".equals(a.getName()) && !"java".equals(a.getValue())) {
            refuse(a, "the " + a.getValue() + " dialect is not allowed (java only)");
        } else {
            code(a, a.getValue());
        }
    }

    private void lhs(BaseDescr d) {
        if (d == null) {
            return;
        }
        if (d instanceof EvalDescr) {
            refuse(d, "eval is not allowed");
        } else if (d instanceof PatternDescr p) {
            if (p.getObjectType() != null && !"Object".equals(p.getObjectType())) {
                code(p, p.getObjectType());
            }
            if (p.getConstraint() != null) {
                lhs((BaseDescr) p.getConstraint());
            }
            PatternSourceDescr source = p.getSource();
            if (source instanceof CollectDescr c) {
                lhs(c.getInputPattern());
            } else if (source instanceof AccumulateDescr acc) {
                accumulate(acc);
            } else if (source != null) {
                refuse(source, "'from " + source.getText() + "' is not allowed (only collect and accumulate over a pattern)");
            }
        } else if (d instanceof ExprConstraintDescr e) {
            code(e, e.getExpression());
            if (items != null) {
                Matcher named = ITEM_CONSTRAINT.matcher(e.getExpression());
                while (named.find()) {
                    if (!items.contains(named.group(1))) {
                        problem(e, "reads item \"" + named.group(1) + "\", which is not an item of the manifest");
                    }
                }
            }
        } else if (d instanceof AndDescr || d instanceof OrDescr || d instanceof NotDescr || d instanceof ExistsDescr
                || d instanceof ForallDescr) {
            for (BaseDescr child : ((ConditionalElementDescr) d).getDescrs()) {
                lhs(child);
            }
        } else {
            refuse(d, d.getClass().getSimpleName().replace("Descr", "") + " is not allowed in a condition");
        }
    }

    private void accumulate(AccumulateDescr acc) {
        if (acc.getInitCode() != null || acc.getActionCode() != null || acc.getResultCode() != null
                || acc.getReverseCode() != null || acc.isExternalFunction()) {
            refuse(acc, "inline accumulate code is not allowed (use count, sum, min, max, average, collectList, collectSet)");
        }
        for (AccumulateDescr.AccumulateFunctionCallDescr f : acc.getFunctions()) {
            if (!ACCUMULATE_FUNCTIONS.contains(f.getFunction())) {
                refuse(acc, "accumulate function " + f.getFunction() + " is not allowed");
            }
            for (String param : f.getParams()) {
                code(acc, param);
            }
        }
        for (BaseDescr input : acc.getDescrs()) {
            lhs(input);
        }
    }

    /** Scans one piece of code (an expression, a consequence, a type name) for names outside the sandbox. */
    private void code(BaseDescr where, String code) {
        if (code == null || code.isBlank()) {
            return;
        }
        String text = withoutLiterals(code);
        Matcher m = NAME_CHAIN.matcher(text);
        while (m.find()) {
            List<String> parts = List.of(m.group(1).split("\\s*\\.\\s*"));
            int at = lineOf(text, m.start());
            String first = parts.get(0);
            if (PACKAGE_ROOTS.contains(first)) {
                String cls = qualifiedClass(parts);
                if (cls == null || !ALLOWED_CLASSES.contains(cls)) {
                    refuseAt(where, at, "'" + (cls == null ? String.join(".", parts) : cls) + "' is not an allowed class");
                    continue;
                }
            } else if (Character.isUpperCase(first.charAt(0)) && !simpleNames.contains(first)) {
                refuseAt(where, at, "'" + first + "' is not an allowed class (import an allowed class; allowed here: "
                        + simpleNames.stream().sorted().collect(Collectors.joining(", ")) + ")");
                continue;
            }
            String refused = parts.stream().filter(REFUSED_NAMES::contains).findFirst().orElse(null);
            if (refused != null) {
                refuseAt(where, at, "'" + refused + "' is not allowed");
            }
        }
    }

    /** {@code java.util.List.of} → {@code java.util.List}: the name up to its first capitalised part. */
    private static String qualifiedClass(List<String> parts) {
        for (int i = 0; i < parts.size(); i++) {
            if (Character.isUpperCase(parts.get(i).charAt(0))) {
                String cls = String.join(".", parts.subList(0, i + 1));
                // a nested class such as java.time.temporal.ChronoUnit stays as it is
                return cls;
            }
        }
        return null;
    }

    /** Blanks comments, string and character literals, keeping line breaks. */
    static String withoutLiterals(String code) {
        StringBuilder out = new StringBuilder(code.length());
        int i = 0;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '/' && i + 1 < code.length() && code.charAt(i + 1) == '/') {
                while (i < code.length() && code.charAt(i) != '\n') {
                    out.append(' ');
                    i++;
                }
            } else if (c == '/' && i + 1 < code.length() && code.charAt(i + 1) == '*') {
                int end = code.indexOf("*/", i + 2);
                end = end < 0 ? code.length() : end + 2;
                for (; i < end; i++) {
                    out.append(code.charAt(i) == '\n' ? '\n' : ' ');
                }
            } else if (c == '"' || c == '\'') {
                out.append(' ');
                i++;
                while (i < code.length() && code.charAt(i) != c) {
                    if (code.charAt(i) == '\\') {
                        out.append(' ');
                        i++;
                    }
                    if (i < code.length()) {
                        out.append(code.charAt(i) == '\n' ? '\n' : ' ');
                        i++;
                    }
                }
                out.append(' ');
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private void refuse(BaseDescr where, String message) {
        refuseAt(where, 0, message);
    }

    /** A problem that is not a sandbox refusal (the rule names something the manifest lacks). */
    private void problem(BaseDescr where, String message) {
        problems.add(new RulesetProblem(file, Math.max(where.getLine(), 0), 0, (rule == null ? "" : rule + ": ") + message));
    }

    private void refuseAt(BaseDescr where, int lineInCode, String message) {
        int at = where != null && where.getLine() > 0 ? where.getLine() : line;
        if (where == null && lineInCode > 0) {
            at = line + lineInCode - 1;
        }
        problems.add(new RulesetProblem(file, Math.max(at, 0), 0,
                "sandbox: " + (rule == null ? "" : rule + ": ") + message));
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String simple(String fqn) {
        return fqn.substring(fqn.lastIndexOf('.') + 1);
    }
}
