package org.opensdm.engine.internal.drools;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
import org.drools.drl.ast.descr.AtomicExprDescr;
import org.drools.drl.ast.descr.BindingDescr;
import org.drools.drl.ast.descr.ConstraintConnectiveDescr;
import org.drools.drl.ast.descr.RelationalExprDescr;
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
import org.drools.drl.parser.DrlExprParser;
import org.drools.drl.parser.DrlExprParserFactory;
import org.opensdm.engine.RulesetProblem;

/**
 * The first layer of the ruleset sandbox: a static check of a DRL file before anything of it is
 * compiled, so that a ruleset can only compute over the engine's fact types and plain values.
 *
 * <p>An allowlist, not a denylist of names. The file is parsed by Drools' own DRL parser (the
 * default language level, as the compiler does) into its package descriptor, and every
 * constraint by Drools' own constraint parser, so the check sees the trees the compiler builds
 * from. Then:
 * <ul>
 *   <li>imports must name allowed classes ({@link SandboxPolicy#TYPES}); globals must be the
 *       engine's three; declared types, queries, entry points, windows, {@code eval},
 *       {@code from} other than {@code collect}/{@code accumulate} over a pattern, inline
 *       accumulate code, named consequences, function and static imports, the MVEL dialect and
 *       any rule attribute but a literal {@code salience}, {@code enabled}, {@code no-loop},
 *       {@code lock-on-active} or {@code dialect "java"} are refused;</li>
 *   <li>every piece of code — each atomic expression and binding of a constraint, accumulate
 *       arguments, consequences and function bodies and signatures — is type-checked by
 *       {@link RuleCodeChecker}: each call, field and constructor is resolved on the static
 *       type of its receiver and must be a member {@link SandboxPolicy} allows; what cannot be
 *       resolved is refused;</li>
 *   <li>consequences and functions have no loops, lambdas, anonymous classes or arrays, and the
 *       functions of a file call each other without a cycle, so each firing does bounded work;
 *       the firing limit and the time budget of an evaluation bound the rest.</li>
 * </ul>
 * Java unicode escapes are refused anywhere in the file ({@code \\u0053ystem} spells
 * {@code System} to a compiler). What this layer might miss, the second one stops: the DRL is
 * compiled and run under {@link SandboxClassLoader}, which refuses to link any class outside an
 * allowlist. Each refusal names the file, the line of the offending expression and the name
 * refused.
 */
final class DrlSandbox {
    /** The classes a ruleset may name, fully qualified, as the class loader layer checks them. */
    static final Set<String> ALLOWED_CLASSES = SandboxPolicy.ALLOWED_CLASSES;

    /** Relational operators a constraint may use. */
    private static final Set<String> OPERATORS = Set.of("==", "!=", "<", ">", "<=", ">=", "contains", "memberOf");

    private static final Pattern ITEM_CONSTRAINT = Pattern.compile("\\bitem\\s*==\\s*\"([^\"]*)\"");
    private static final Pattern UNICODE_ESCAPE = Pattern.compile("\\\\+u+[0-9a-fA-F]{4}");
    /** Collection-doubling calls one firing may make, with those of the functions it calls. */
    static final int MAX_GROWTH = 8;

    private static final Pattern STRING_LITERAL = Pattern.compile("\"[^\"\\\\]*\"");
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,9}");

    private final String file;
    private final String drl;
    private final List<RulesetProblem> problems = new ArrayList<>();
    private final Map<String, Class<?>> typeNames;
    private final com.github.javaparser.JavaParser parser = RuleCodeChecker.newParser();
    private final Map<String, Class<?>> functions = new HashMap<>();
    /** Per function: its own collection-doubling calls and the functions it calls (once per call written). */
    private final Map<String, RuleCodeChecker> functionBodies = new HashMap<>();
    /** Set when the functions call each other in a cycle (refused): no growth can be counted then. */
    private boolean recursive;
    private String rule;
    private Set<String> items;

    private DrlSandbox(String file, String drl, Map<String, Class<?>> typeNames) {
        this.file = file;
        this.drl = drl;
        this.typeNames = typeNames;
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
        DrlParser parser = new DrlParser();
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
        Set<String> imports = new HashSet<>();
        pkg.getImports().forEach(i -> imports.add(i.getTarget()));
        DrlSandbox sandbox = new DrlSandbox(file, drl, RuleCodeChecker.typeNames(imports));
        sandbox.items = items;
        sandbox.checkPackage(pkg);
        return sandbox.problems;
    }

    private void checkPackage(PackageDescr pkg) {
        rule = null;
        for (ImportDescr i : pkg.getImports()) {
            if (!typeNames.containsKey(i.getTarget()) || !i.getTarget().contains(".")) {
                refuse(i.getLine(), "import '" + i.getTarget() + "' is not an allowed class");
            }
        }
        pkg.getFunctionImports().forEach(i -> refuse(i.getLine(), "'import function' is not allowed"));
        pkg.getAccumulateImports().forEach(i -> refuse(i.getLine(), "'import accumulate' is not allowed"));
        for (GlobalDescr g : pkg.getGlobals()) {
            Class<?> type = SandboxPolicy.GLOBALS.get(g.getIdentifier());
            if (type == null || typeNames.get(g.getType()) != type) {
                refuse(g.getLine(), "global '" + g.getIdentifier() + "' of type " + g.getType()
                        + " is not one the engine provides (scores: Scores, outcome: Outcome, validation: Validation)");
            }
        }
        for (AttributeDescr a : pkg.getAttributes()) {
            checkAttribute(a);
        }
        pkg.getTypeDeclarations().forEach(d -> refuse(d.getLine(), "'declare' (declared types) is not allowed"));
        pkg.getEnumDeclarations().forEach(d -> refuse(d.getLine(), "'declare enum' is not allowed"));
        pkg.getEntryPointDeclarations().forEach(d -> refuse(d.getLine(), "'entry-point' declarations are not allowed"));
        pkg.getWindowDeclarations().forEach(d -> refuse(d.getLine(), "'window' declarations are not allowed"));
        functions(pkg.getFunctions());
        for (RuleDescr r : pkg.getRules()) {
            checkRule(r);
        }
    }

    /** Signatures first (a rule may call any function of the file), then bodies, then the call graph. */
    private void functions(List<FunctionDescr> list) {
        Map<FunctionDescr, Map<String, Class<?>>> parameters = new LinkedHashMap<>();
        for (FunctionDescr f : list) {
            rule = "function " + f.getName();
            if (f.getDialect() != null && !"java".equals(f.getDialect())) {
                refuse(f.getLine(), "the '" + f.getDialect() + "' dialect is not allowed (java only)");
            }
            RuleCodeChecker checker = checker(f.getLine());
            Class<?> returns = checker.declaredType(f.getReturnType(), 1);
            Map<String, Class<?>> params = new HashMap<>();
            for (int i = 0; i < f.getParameterTypes().size(); i++) {
                params.put(f.getParameterNames().get(i), checker.declaredType(f.getParameterTypes().get(i), 1));
            }
            functions.put(f.getName(), returns == null ? Object.class : returns);
            parameters.put(f, params);
        }
        Map<String, Set<String>> calls = new HashMap<>();
        for (Map.Entry<FunctionDescr, Map<String, Class<?>>> e : parameters.entrySet()) {
            FunctionDescr f = e.getKey();
            rule = "function " + f.getName();
            RuleCodeChecker checker = checker(firstLine(f.getLine(), f.getBody()));
            checker.block(f.getBody(), e.getValue(), true);
            calls.put(f.getName(), new HashSet<>(checker.functionsCalled));
            functionBodies.put(f.getName(), checker);
        }
        for (FunctionDescr f : list) {
            List<String> cycle = cycle(f.getName(), calls, new ArrayList<>());
            if (cycle != null) {
                rule = "function " + f.getName();
                refuse(f.getLine(), "'recursion' is not allowed: " + String.join(" -> ", cycle));
                recursive = true;
            }
        }
        if (!recursive) {
            for (FunctionDescr f : list) {
                rule = "function " + f.getName();
                checkGrowth(f.getLine(), functionBodies.get(f.getName()));
            }
        }
    }

    /** Collection-doubling calls of this code and of the functions it calls, each call counted. */
    private long growthOf(RuleCodeChecker code) {
        long total = code.growth;
        for (String called : code.functionsCalled) {
            RuleCodeChecker body = functionBodies.get(called);
            total += body == null ? 0 : growthOf(body);
            if (total > MAX_GROWTH) {
                return total;
            }
        }
        return total;
    }

    private void checkGrowth(int line, RuleCodeChecker code) {
        if (!recursive && growthOf(code) > MAX_GROWTH) {
            refuse(line, "'addAll', 'putAll' and copy constructors: more than " + MAX_GROWTH
                    + " collection-doubling calls in one firing (with those of the functions called) are not allowed");
        }
    }

    /** A call path from {@code start} back to itself, or null. */
    private static List<String> cycle(String at, Map<String, Set<String>> calls, List<String> path) {
        if (!path.isEmpty() && at.equals(path.get(0))) {
            List<String> found = new ArrayList<>(path);
            found.add(at);
            return found;
        }
        if (path.contains(at)) {
            return null;
        }
        path.add(at);
        for (String next : calls.getOrDefault(at, Set.of())) {
            List<String> found = cycle(next, calls, path);
            if (found != null) {
                return found;
            }
        }
        path.remove(path.size() - 1);
        return null;
    }

    private void checkRule(RuleDescr r) {
        rule = (r.isQuery() ? "query " : "rule ") + "\"" + r.getName() + "\"";
        if (r.isQuery()) {
            refuse(r.getLine(), "'query' is not allowed");
            return;
        }
        for (AttributeDescr a : r.getAttributes().values()) {
            checkAttribute(a);
        }
        for (AnnotationDescr a : r.getAnnotations()) {
            if (!"item".equals(a.getName())) {
                refuse(r.getLine(), "metadata '@" + a.getName() + "' is not allowed (only @item)");
            } else if (a.getSingleValueAsString() == null || !STRING_LITERAL.matcher(a.getSingleValueAsString()).matches()) {
                // Drools evaluates a metadata value that is not a literal as an MVEL expression
                refuse(r.getLine(), "'@item' takes a string literal, not '" + a.getSingleValueAsString() + "'");
            } else if (items != null) {
                String item = a.getSingleValueAsString();
                item = item == null ? null : item.replace("\"", "");
                if (item == null || (!"*".equals(item) && !items.contains(item))) {
                    problem(r.getLine(), "@item(\"" + item + "\") is not an item of the manifest");
                }
            }
        }
        Map<String, Class<?>> bindings = new HashMap<>();
        lhs(r.getLhs(), bindings);
        if (!r.getNamedConsequences().isEmpty()) {
            refuse(r.getLine(), "named consequences are not allowed");
        }
        Object consequence = r.getConsequence();
        if (consequence != null) {
            int line = firstLine(r.getConsequenceLine(), consequence.toString());
            RuleCodeChecker checker = checker(line, consequence.toString(), r.getConsequenceLine());
            checker.block(consequence.toString(), bindings, false);
            checkGrowth(line, checker);
        }
    }

    private void checkAttribute(AttributeDescr a) {
        String name = a.getName();
        String value = a.getValue() == null ? "" : a.getValue().trim();
        if (!SandboxPolicy.ATTRIBUTES.contains(name)) {
            refuse(a.getLine(), "attribute '" + name + "' is not allowed (salience, enabled, no-loop, lock-on-active)");
        } else if ("dialect".equals(name)) {
            if (!"java".equals(value.replace("\"", ""))) {
                refuse(a.getLine(), "the '" + value.replace("\"", "") + "' dialect is not allowed (java only)");
            }
        } else if ("salience".equals(name)) {
            if (!INTEGER.matcher(value).matches()) {
                refuse(a.getLine(), "'salience' must be an integer literal, not '" + value + "'");
            }
        } else if (!value.isEmpty() && !"true".equals(value) && !"false".equals(value)) {
            refuse(a.getLine(), "'" + name + "' must be true or false, not '" + value + "'");
        }
    }

    private void lhs(BaseDescr d, Map<String, Class<?>> bindings) {
        if (d == null) {
            return;
        }
        if (d instanceof EvalDescr) {
            refuse(d.getLine(), "'eval' is not allowed");
        } else if (d instanceof PatternDescr p) {
            pattern(p, bindings);
        } else if (d instanceof AndDescr || d instanceof OrDescr || d instanceof NotDescr || d instanceof ExistsDescr
                || d instanceof ForallDescr) {
            for (BaseDescr child : ((ConditionalElementDescr) d).getDescrs()) {
                lhs(child, bindings);
            }
        } else {
            refuse(d.getLine(), "'" + d.getClass().getSimpleName().replace("Descr", "") + "' is not allowed in a condition");
        }
    }

    private void pattern(PatternDescr p, Map<String, Class<?>> bindings) {
        PatternSourceDescr source = p.getSource();
        if (source instanceof CollectDescr c) {
            lhs(c.getInputPattern(), bindings);
        } else if (source instanceof AccumulateDescr acc) {
            accumulate(acc, bindings);
        } else if (source != null) {
            refuse(source.getLine() > 0 ? source.getLine() : p.getLine(), "'from " + source.getText()
                    + "' is not allowed (only collect and accumulate over a pattern)");
            return;
        }
        Class<?> type = p.getObjectType() == null ? Object.class : typeNames.get(p.getObjectType());
        if (type == null) {
            refuse(p.getLine(), "'" + p.getObjectType() + "' is not an allowed class");
            return;
        }
        if (p.getIdentifier() != null) {
            bindings.put(p.getIdentifier(), type);
        }
        if (p.getConstraint() != null) {
            for (BaseDescr c : ((ConditionalElementDescr) p.getConstraint()).getDescrs()) {
                if (c instanceof ExprConstraintDescr e) {
                    constraint(e, type, bindings);
                } else {
                    refuse(c.getLine() > 0 ? c.getLine() : p.getLine(), "'" + c.getText() + "' is not allowed in a pattern");
                }
            }
        }
    }

    private void constraint(ExprConstraintDescr e, Class<?> type, Map<String, Class<?>> bindings) {
        int line = e.getLine() > 0 ? e.getLine() : 0;
        if (items != null) {
            Matcher named = ITEM_CONSTRAINT.matcher(e.getExpression());
            while (named.find()) {
                if (!items.contains(named.group(1))) {
                    problem(line, "reads item \"" + named.group(1) + "\", which is not an item of the manifest");
                }
            }
        }
        DrlExprParser parser = DrlExprParserFactory.getDrlExprParser(DrlParser.DEFAULT_LANGUAGE_LEVEL);
        ConstraintConnectiveDescr tree = parser.parse(e.getExpression());
        if (parser.hasErrors() || tree == null) {
            // the compiler reports the syntax error with its position
            return;
        }
        RuleCodeChecker checker = checker(line);
        constraintPart(tree, type, bindings, checker, line);
    }

    private void constraintPart(BaseDescr d, Class<?> type, Map<String, Class<?>> bindings, RuleCodeChecker checker,
                                int line) {
        if (d instanceof ConstraintConnectiveDescr c) {
            for (BaseDescr child : c.getDescrs()) {
                constraintPart(child, type, bindings, checker, line);
            }
        } else if (d instanceof RelationalExprDescr r) {
            if (!OPERATORS.contains(r.getOperator()) || r.getParameters() != null && !r.getParameters().isEmpty()) {
                refuse(line, "the operator '" + r.getOperator() + "' is not allowed (==, !=, <, >, <=, >=, contains, memberOf)");
            }
            constraintPart(r.getLeft(), type, bindings, checker, line);
            constraintPart(r.getRight(), type, bindings, checker, line);
        } else if (d instanceof BindingDescr b) {
            Class<?> bound = checker.conditionExpression(b.getExpression(), bindings, type);
            bindings.put(b.getVariable(), bound == null ? Object.class : bound);
        } else if (d instanceof AtomicExprDescr a) {
            checker.conditionExpression(a.getExpression(), bindings, type);
        } else {
            refuse(line, "'" + d.getText() + "' is not allowed in a constraint");
        }
    }

    private void accumulate(AccumulateDescr acc, Map<String, Class<?>> bindings) {
        int line = acc.getLine();
        if (acc.getInitCode() != null || acc.getActionCode() != null || acc.getResultCode() != null
                || acc.getReverseCode() != null) {
            refuse(line, "inline accumulate code ('init', 'action', 'reverse', 'result') is not allowed "
                    + "(use count, sum, min, max, average, collectList, collectSet)");
            return;
        }
        lhs(acc.getInput(), bindings);
        for (AccumulateDescr.AccumulateFunctionCallDescr f : acc.getFunctions()) {
            Class<?> result = SandboxPolicy.ACCUMULATE_FUNCTIONS.get(f.getFunction());
            if (result == null) {
                refuse(line, "accumulate function '" + f.getFunction() + "' is not allowed "
                        + "(count, sum, min, max, average, collectList, collectSet)");
                continue;
            }
            RuleCodeChecker checker = checker(line);
            for (String param : f.getParams()) {
                checker.conditionExpression(param, bindings, null);
            }
            if (f.getBind() != null) {
                bindings.put(f.getBind(), result);
            }
        }
    }

    /** A checker whose line 1 is {@code firstLine} of the file. */
    private RuleCodeChecker checker(int firstLine) {
        return new RuleCodeChecker(parser, typeNames, functions,
                (lineInCode, message) -> refuse(firstLine > 0 ? firstLine + lineInCode - 1 : 0, message));
    }

    /**
     * A checker of a consequence whose text {@code code} is found as it is in the file from line
     * {@code from} on: a syntax error the Java parser places gets its line and column in the file.
     */
    private RuleCodeChecker checker(int firstLine, String code, int from) {
        int offset = 0;
        for (int line = 1; line < from && offset >= 0; line++) {
            offset = drl.indexOf('\n', offset) + 1;
        }
        int start = offset < 0 || code.isEmpty() ? -1 : drl.indexOf(code, offset);
        return new RuleCodeChecker(parser, typeNames, functions, new RuleCodeChecker.Refusals() {
            @Override
            public void refuse(int lineInCode, String message) {
                DrlSandbox.this.refuse(firstLine > 0 ? firstLine + lineInCode - 1 : 0, message);
            }

            @Override
            public void refuse(int lineInCode, int columnInCode, String message) {
                int at = start;
                for (int l = 1; l < lineInCode && at >= 0; l++) {
                    int nl = drl.indexOf('\n', at);
                    at = nl < 0 || nl >= start + code.length() ? -1 : nl + 1;
                }
                if (at < 0 || columnInCode < 1) {
                    refuse(lineInCode, message);
                    return;
                }
                int pos = Math.min(at + columnInCode - 1, drl.length());
                int lineStart = drl.lastIndexOf('\n', pos - 1) + 1;
                problems.add(new RulesetProblem(file, lineOf(drl, pos), pos - lineStart + 1,
                        "sandbox: " + (rule == null ? "" : rule + ": ") + message));
            }
        });
    }

    /**
     * The line on which {@code code} (a consequence or function body as the parser gives it,
     * trimmed) starts: its first occurrence in the file from line {@code from} on.
     */
    private int firstLine(int from, String code) {
        int offset = 0;
        for (int line = 1; line < from && offset >= 0; line++) {
            offset = drl.indexOf('\n', offset) + 1;
        }
        int at = offset < 0 ? -1 : drl.indexOf(code.strip(), offset);
        return at < 0 ? from : lineOf(drl, at);
    }

    /** A problem that is not a sandbox refusal (the rule names something the manifest lacks). */
    private void problem(int line, String message) {
        problems.add(new RulesetProblem(file, Math.max(line, 0), 0, (rule == null ? "" : rule + ": ") + message));
    }

    private void refuse(int line, String message) {
        problems.add(new RulesetProblem(file, Math.max(line, 0), 0,
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
}
