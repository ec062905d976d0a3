package org.opensdm.engine.internal.drools;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.Problem;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.NodeList;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.BooleanLiteralExpr;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.CharLiteralExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.expr.DoubleLiteralExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.InstanceOfExpr;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.LongLiteralExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.NullLiteralExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.expr.VariableDeclarationExpr;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.EmptyStmt;
import com.github.javaparser.ast.stmt.ExpressionStmt;
import com.github.javaparser.ast.stmt.IfStmt;
import com.github.javaparser.ast.stmt.ReturnStmt;
import com.github.javaparser.ast.stmt.Statement;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.PrimitiveType;
import com.github.javaparser.ast.type.Type;
import com.github.javaparser.ast.type.VoidType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Type-checks one piece of ruleset code (a condition's expression, a consequence, a function
 * body) against {@link SandboxPolicy}: parses it with JavaParser, infers the static type of every
 * expression from the declared types of bindings, globals, locals and the members' own
 * signatures, and resolves every method call, field access and constructor to its declaring type
 * before allowing it. Whatever it cannot resolve to an allowed member is refused: it never guesses
 * in favour of the code. Refusals go to {@code refuse} with the line within the code.
 *
 * <p>Statements allowed: local declarations of allowed types (not {@code var}), expression
 * statements, {@code if}/{@code else}, blocks and (in functions) {@code return}. No loops, no
 * {@code switch}, {@code try}, {@code throw}, {@code synchronized}, local classes; no lambdas,
 * method references, anonymous classes, arrays, class literals, {@code this} or {@code super}.
 * Without loops or recursion (functions may not call themselves through any cycle, checked by
 * {@link DrlSandbox}) a consequence does a bounded amount of work each time it fires.
 */
final class RuleCodeChecker {
    /** A refusal: the 1-based line within the code checked, and why. */
    interface Refusals {
        void refuse(int lineInCode, String message);

        /** A refusal where the Java parser also gives the column (1-based, in that line of the code checked). */
        default void refuse(int lineInCode, int columnInCode, String message) {
            refuse(lineInCode, message);
        }
    }

    /** The static type of the {@code null} literal. */
    private static final class NullType {
    }

    /** DRL's own consequence blocks, which are not Java: {@code modify($f) { ... }}, {@code with(...)}. */
    private static final java.util.regex.Pattern DRL_BLOCK = java.util.regex.Pattern.compile("\\b(modify|with)\\s*\\([^)]*\\)\\s*\\{");

    private static final ParserConfiguration CONFIG = new ParserConfiguration()
            .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17)
            .setAttributeComments(false)
            .setPreprocessUnicodeEscapes(false);

    /** Names a DRL may use for a class: simple names of imported and java.lang classes, nested names, full names. */
    private final Map<String, Class<?>> typeNames;
    /** Declared functions: name to return type. */
    private final Map<String, Class<?>> functions;
    private final Refusals refusals;
    /** Functions called by the code checked, once per call written, for the recursion and growth checks. */
    final List<String> functionsCalled = new ArrayList<>();
    /**
     * Calls written that can double a collection ({@code addAll}, {@code putAll}, a copy
     * constructor): what a firing may allocate grows with 2 to their number, so it is capped.
     */
    int growth;

    /** One parser for the checks of one file (a parser is not thread-safe; one file is checked on one thread). */
    static JavaParser newParser() {
        return new JavaParser(CONFIG);
    }

    private final JavaParser parser;

    RuleCodeChecker(JavaParser parser, Map<String, Class<?>> typeNames, Map<String, Class<?>> functions, Refusals refusals) {
        this.parser = parser;
        this.typeNames = typeNames;
        this.functions = functions;
        this.refusals = refusals;
    }

    /** The names under which a DRL with these imports may name each allowed class. */
    static Map<String, Class<?>> typeNames(Set<String> imports) {
        Map<String, Class<?>> names = new HashMap<>();
        for (Class<?> c : SandboxPolicy.TYPES) {
            String full = SandboxPolicy.sourceName(c);
            names.put(full, c);
            Class<?> outer = c.getEnclosingClass() == null ? c : c.getEnclosingClass();
            String outerFull = SandboxPolicy.sourceName(outer);
            boolean visible = imports.contains(outerFull) || outer.getPackageName().equals("java.lang");
            if (visible) {
                names.put(full.substring(outer.getPackageName().length() + 1), c);
            }
        }
        return names;
    }

    // ---- entry points ----

    /**
     * A condition's atomic expression: simple names are bindings, globals, allowed classes, or
     * properties of {@code thisType} (the pattern's type), as MVEL reads them. Only reads.
     */
    Class<?> conditionExpression(String code, Map<String, Class<?>> bindings, Class<?> thisType) {
        Expression e = parse(code, p -> p.parseExpression(code));
        if (e == null) {
            return null;
        }
        Scope scope = new Scope(bindings, thisType, false);
        return type(e, scope);
    }

    /** A consequence or a function body: statements, with effects allowed. */
    void block(String code, Map<String, Class<?>> variables, boolean function) {
        java.util.regex.Matcher drlBlock = DRL_BLOCK.matcher(code);
        if (drlBlock.find()) {
            refusals.refuse(lineOf(code, drlBlock.start()), "'" + drlBlock.group(1) + "' blocks are not allowed (a consequence "
                    + "may insert facts, not change them)");
            return;
        }
        BlockStmt block = parse(code, p -> p.parseBlock("{" + code + "\n}"), 1);
        if (block == null) {
            return;
        }
        Scope scope = new Scope(variables, null, true);
        scope.function = function;
        statements(block.getStatements(), scope);
    }

    /** A type as written in a declaration: must be allowed (with allowed type arguments), no arrays. */
    Class<?> declaredType(String written, int line) {
        Type t = parse(written, p -> p.parseType(written));
        return t == null ? null : resolveType(t, line);
    }

    private <T extends Node> T parse(String code, java.util.function.Function<JavaParser, ParseResult<T>> how) {
        return parse(code, how, 0);
    }

    /** {@code prefix}: characters put before {@code code} on its first line for the parser (the "{" of a block). */
    private <T extends Node> T parse(String code, java.util.function.Function<JavaParser, ParseResult<T>> how, int prefix) {
        ParseResult<T> r = how.apply(parser);
        if (!r.isSuccessful() || r.getResult().isEmpty()) {
            Problem first = r.getProblems().isEmpty() ? null : r.getProblems().get(0);
            var begin = first == null ? java.util.Optional.<com.github.javaparser.Position>empty()
                    : first.getLocation().flatMap(l -> l.getBegin().getRange()).map(range -> range.begin);
            // the unexpected token itself, when the parser says which (the location is the token before it)
            var found = first == null ? java.util.Optional.<com.github.javaparser.Position>empty()
                    : first.getCause().filter(c -> c instanceof com.github.javaparser.ParseException pe && pe.currentToken != null
                            && pe.currentToken.next != null)
                    .map(c -> ((com.github.javaparser.ParseException) c).currentToken.next)
                    .map(t -> new com.github.javaparser.Position(t.beginLine, t.beginColumn));
            if (found.isPresent()) {
                begin = found;
            }
            int line = begin.map(b -> b.line).orElse(1);
            int column = begin.map(b -> b.column - (b.line == 1 ? prefix : 0)).orElse(0);
            String message = "code the sandbox cannot read as plain Java"
                    + (first == null ? "" : " (" + first.getMessage().lines().findFirst().orElse("") + ")");
            if (column > 0) {
                refusals.refuse(line, column, message);
            } else {
                refusals.refuse(line, message);
            }
            return null;
        }
        return r.getResult().get();
    }

    // ---- statements ----

    private static final class Scope {
        final Deque<Map<String, Class<?>>> frames = new ArrayDeque<>();
        final Class<?> thisType;
        final boolean effects;
        boolean function;

        Scope(Map<String, Class<?>> outer, Class<?> thisType, boolean effects) {
            frames.push(new HashMap<>(outer));
            this.thisType = thisType;
            this.effects = effects;
        }

        Class<?> lookup(String name) {
            for (Map<String, Class<?>> f : frames) {
                if (f.containsKey(name)) {
                    return f.get(name);
                }
            }
            return null;
        }
    }

    private void statements(NodeList<Statement> list, Scope scope) {
        for (Statement s : list) {
            statement(s, scope);
        }
    }

    private void statement(Statement s, Scope scope) {
        if (s instanceof BlockStmt b) {
            scope.frames.push(new HashMap<>());
            statements(b.getStatements(), scope);
            scope.frames.pop();
        } else if (s instanceof ExpressionStmt es) {
            Expression e = es.getExpression();
            if (e instanceof VariableDeclarationExpr decl) {
                declare(decl, scope);
            } else {
                type(e, scope);
            }
        } else if (s instanceof IfStmt i) {
            condition(i.getCondition(), scope);
            branch(i.getThenStmt(), scope);
            i.getElseStmt().ifPresent(e -> branch(e, scope));
        } else if (s instanceof ReturnStmt r) {
            if (!scope.function) {
                refuse(s, "'return' is allowed only in a function");
            }
            r.getExpression().ifPresent(e -> type(e, scope));
        } else if (s instanceof EmptyStmt) {
            return;
        } else {
            refuse(s, "'" + keyword(s) + "' is not allowed in ruleset code (no loops, switch, try, throw, "
                    + "synchronized or local classes: a consequence does bounded work)");
            // and what it holds, so that one reply names every problem
            scope.frames.push(new HashMap<>());
            for (Node child : s.getChildNodes()) {
                if (child instanceof Statement st) {
                    branch(st, scope);
                } else if (child instanceof VariableDeclarationExpr decl) {
                    declare(decl, scope);
                } else if (child instanceof Expression ex) {
                    type(ex, scope);
                }
            }
            scope.frames.pop();
        }
    }

    private void branch(Statement s, Scope scope) {
        scope.frames.push(new HashMap<>());
        statement(s, scope);
        scope.frames.pop();
    }

    private static String keyword(Statement s) {
        String name = s.getClass().getSimpleName().replace("Stmt", "");
        return switch (name) {
            case "ForEach", "For" -> "for";
            case "Do" -> "do";
            case "While" -> "while";
            case "Switch" -> "switch";
            case "Try" -> "try";
            case "Throw" -> "throw";
            case "Synchronized" -> "synchronized";
            case "LocalClassDeclaration", "LocalRecordDeclaration" -> "class";
            case "Break" -> "break";
            case "Continue" -> "continue";
            case "Labeled" -> "label";
            case "Assert" -> "assert";
            case "Yield" -> "yield";
            default -> name.toLowerCase(Locale.ROOT);
        };
    }

    private void declare(VariableDeclarationExpr decl, Scope scope) {
        for (VariableDeclarator v : decl.getVariables()) {
            Class<?> declared = v.getType().isVarType() ? null : resolveType(v.getType(), line(v));
            if (v.getType().isVarType()) {
                refuse(v, "'var' is not allowed: declare the type");
            }
            v.getInitializer().ifPresent(init -> type(init, scope));
            scope.frames.peek().put(v.getNameAsString(), declared);
        }
    }

    private void condition(Expression e, Scope scope) {
        type(e, scope);
    }

    // ---- expressions ----

    /** The static type of {@code e}, or null after a refusal. */
    private Class<?> type(Expression e, Scope scope) {
        if (e instanceof StringLiteralExpr) {
            return String.class;
        } else if (e instanceof IntegerLiteralExpr) {
            return int.class;
        } else if (e instanceof LongLiteralExpr) {
            return long.class;
        } else if (e instanceof DoubleLiteralExpr) {
            return double.class;
        } else if (e instanceof BooleanLiteralExpr) {
            return boolean.class;
        } else if (e instanceof CharLiteralExpr) {
            return char.class;
        } else if (e instanceof NullLiteralExpr) {
            return NullType.class;
        } else if (e instanceof EnclosedExpr en) {
            return type(en.getInner(), scope);
        } else if (e instanceof NameExpr n) {
            return name(n, scope);
        } else if (e instanceof FieldAccessExpr f) {
            return fieldAccess(f, scope);
        } else if (e instanceof MethodCallExpr m) {
            return call(m, scope);
        } else if (e instanceof ObjectCreationExpr o) {
            return construct(o, scope);
        } else if (e instanceof CastExpr c) {
            Class<?> target = resolveType(c.getType(), line(c));
            type(c.getExpression(), scope);
            return target;
        } else if (e instanceof InstanceOfExpr i) {
            if (i.getPattern().isPresent()) {
                refuse(i, "'instanceof' with a pattern is not allowed");
            }
            resolveType(i.getType(), line(i));
            type(i.getExpression(), scope);
            return boolean.class;
        } else if (e instanceof UnaryExpr u) {
            Class<?> t = type(u.getExpression(), scope);
            boolean steps = u.getOperator() == UnaryExpr.Operator.PREFIX_INCREMENT
                    || u.getOperator() == UnaryExpr.Operator.PREFIX_DECREMENT
                    || u.getOperator() == UnaryExpr.Operator.POSTFIX_INCREMENT
                    || u.getOperator() == UnaryExpr.Operator.POSTFIX_DECREMENT;
            if (steps) {
                assignable(u.getExpression(), scope);
            }
            return u.getOperator() == UnaryExpr.Operator.LOGICAL_COMPLEMENT ? boolean.class : t;
        } else if (e instanceof BinaryExpr b) {
            Class<?> l = type(b.getLeft(), scope);
            Class<?> r = type(b.getRight(), scope);
            Class<?> result = binary(b.getOperator(), l, r);
            if (result == String.class && !(b.getParentNode().orElse(null) instanceof BinaryExpr p
                    && p.getOperator() == BinaryExpr.Operator.PLUS) && computedOperands(b) > 1) {
                refuse(b, "'+' joins two computed values: a string may grow only by literals "
                        + "(one computed value per concatenation), so that repeated firings cannot double it");
            }
            return result;
        } else if (e instanceof ConditionalExpr c) {
            type(c.getCondition(), scope);
            Class<?> a = type(c.getThenExpr(), scope);
            Class<?> b = type(c.getElseExpr(), scope);
            return a != null && a == b ? a : Object.class;
        } else if (e instanceof AssignExpr a) {
            if (!scope.effects) {
                refuse(a, "assignment is not allowed in a condition");
            }
            assignable(a.getTarget(), scope);
            Class<?> target = type(a.getTarget(), scope);
            Class<?> value = type(a.getValue(), scope);
            if (target == String.class && a.getOperator() == AssignExpr.Operator.PLUS && !isLiteral(a.getValue())) {
                refuse(a, "'+=' of a computed value to a string is not allowed (a string may grow only by literals)");
            }
            return value;
        }
        refuse(e, "'" + construct(e) + "' is not allowed in ruleset code");
        return null;
    }

    private static String construct(Expression e) {
        String name = e.getClass().getSimpleName().replace("Expr", "");
        return switch (name) {
            case "Lambda" -> "lambda";
            case "MethodReference" -> "method reference";
            case "ClassExpr", "Class" -> "class literal";
            case "This" -> "this";
            case "Super" -> "super";
            case "ArrayCreation" -> "array creation";
            case "ArrayInitializer" -> "array initializer";
            case "ArrayAccess" -> "array access";
            case "Switch" -> "switch";
            case "TextBlockLiteral" -> "text block";
            default -> name.toLowerCase(Locale.ROOT);
        };
    }

    /** The operands of a chain of {@code +} that are not literals. */
    private static int computedOperands(Expression e) {
        if (e instanceof BinaryExpr b && b.getOperator() == BinaryExpr.Operator.PLUS) {
            return computedOperands(b.getLeft()) + computedOperands(b.getRight());
        }
        return isLiteral(e) ? 0 : 1;
    }

    private static boolean isLiteral(Expression e) {
        return e instanceof com.github.javaparser.ast.expr.LiteralExpr && !(e instanceof NullLiteralExpr);
    }

    /** The left side of an assignment or increment: a local variable of the code, not a binding or global. */
    private void assignable(Expression target, Scope scope) {
        if (!(target instanceof NameExpr n) || scope.lookup(n.getNameAsString()) == null
                || SandboxPolicy.GLOBALS.containsKey(n.getNameAsString()) || n.getNameAsString().startsWith("$")) {
            refuse(target, "only a local variable of the code may be assigned");
        }
    }

    private static Class<?> binary(BinaryExpr.Operator op, Class<?> l, Class<?> r) {
        switch (op) {
            case OR, AND, EQUALS, NOT_EQUALS, LESS, GREATER, LESS_EQUALS, GREATER_EQUALS:
                return boolean.class;
            case PLUS:
                if (l == String.class || r == String.class) {
                    return String.class;
                }
                return numeric(l, r);
            default:
                return numeric(l, r);
        }
    }

    private static Class<?> numeric(Class<?> l, Class<?> r) {
        if (l == double.class || r == double.class || l == Double.class || r == Double.class) {
            return double.class;
        }
        if (l == long.class || r == long.class || l == Long.class || r == Long.class) {
            return long.class;
        }
        if (l == boolean.class && r == boolean.class) {
            return boolean.class;
        }
        return int.class;
    }

    private Class<?> name(NameExpr n, Scope scope) {
        String name = n.getNameAsString();
        Class<?> local = scope.lookup(name);
        if (local != null) {
            return local;
        }
        if (SandboxPolicy.GLOBALS.containsKey(name)) {
            return SandboxPolicy.GLOBALS.get(name);
        }
        if (scope.thisType != null && !Character.isUpperCase(name.charAt(0))) {
            return property(n, scope.thisType, name, scope);
        }
        if (typeNames.containsKey(name)) {
            refuse(n, "'" + name + "' is a class, not a value");
            return null;
        }
        refuse(n, "'" + name + "' is not a binding, global or local variable the sandbox knows"
                + (Character.isUpperCase(name.charAt(0)) ? " (nor an allowed class)" : ""));
        return null;
    }

    /** A class named by a name expression or a dotted chain of names, or null if it names none. */
    private Class<?> typeNamed(Expression e) {
        String dotted = dotted(e);
        return dotted == null ? null : typeNames.get(dotted);
    }

    private static String dotted(Expression e) {
        if (e instanceof NameExpr n) {
            return n.getNameAsString();
        }
        if (e instanceof FieldAccessExpr f) {
            String scope = dotted(f.getScope());
            return scope == null ? null : scope + "." + f.getNameAsString();
        }
        return null;
    }

    private Class<?> fieldAccess(FieldAccessExpr f, Scope scope) {
        Class<?> owner = typeNamed(f.getScope());
        String name = f.getNameAsString();
        if (owner != null && !isVariable(f.getScope(), scope)) {
            return staticField(f, owner, name);
        }
        if (namesAClass(f, scope)) {
            return null;
        }
        Class<?> receiver = type(f.getScope(), scope);
        if (receiver == null) {
            return null;
        }
        if (scope.thisType == null) {
            refuse(f, "'" + name + "': fields of objects are not accessible (call an allowed getter)");
            return null;
        }
        // in a condition, a.b is the property b of a (MVEL): its getter
        return property(f, receiver, name, scope);
    }

    /** Whether the root name of a dotted chain is a local, binding or global (not a class or package). */
    private static boolean isVariable(Expression e, Scope scope) {
        String dotted = dotted(e);
        if (dotted == null) {
            return true;
        }
        String root = first(dotted);
        return scope.lookup(root) != null || SandboxPolicy.GLOBALS.containsKey(root);
    }

    /**
     * Refuses a dotted chain of names that spells a class or package rather than a value
     * ({@code java.lang.System}, {@code Runtime}); true if it did.
     */
    private boolean namesAClass(Expression e, Scope scope) {
        String dotted = dotted(e);
        if (dotted == null || isVariable(e, scope)) {
            return false;
        }
        String[] parts = dotted.split("\\.");
        for (int i = 1; i < parts.length; i++) {
            if (typeNames.containsKey(String.join(".", java.util.Arrays.asList(parts).subList(0, i)))) {
                return false; // a static member of an allowed class: checked as such
            }
        }
        String root = first(dotted);
        boolean classLike = Character.isUpperCase(root.charAt(0)) || isPackageRoot(root)
                || (scope.thisType == null && dotted.contains("."));
        if (!classLike) {
            return false;
        }
        refuse(e, typeNames.containsKey(dotted) ? "'" + dotted + "' is a class, not a value"
                : "'" + dotted + "' is not an allowed class");
        return true;
    }

    private static String first(String dotted) {
        int dot = dotted.indexOf('.');
        return dot < 0 ? dotted : dotted.substring(0, dot);
    }

    private static boolean isPackageRoot(String name) {
        return Set.of("java", "javax", "jakarta", "jdk", "sun", "com", "org", "net", "io").contains(name);
    }

    private Class<?> staticField(Node at, Class<?> owner, String name) {
        if (owner.isEnum() && SandboxPolicy.TYPES.contains(owner)) {
            for (Object constant : owner.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(name)) {
                    return owner;
                }
            }
        }
        if (SandboxPolicy.STATIC_FIELDS.getOrDefault(owner, Set.of()).contains(name)) {
            try {
                return owner.getField(name).getType();
            } catch (NoSuchFieldException e) {
                // fall through to the refusal
            }
        }
        refuse(at, "'" + name + "' of " + owner.getSimpleName() + " is not an allowed field");
        return null;
    }

    /** MVEL's property {@code name} of {@code owner}: its getter {@code getName()}, {@code isName()} or {@code name()}. */
    private Class<?> property(Node at, Class<?> owner, String name, Scope scope) {
        if (owner == NullType.class || owner.isPrimitive()) {
            refuse(at, "'" + name + "': not a property of a " + owner.getSimpleName());
            return null;
        }
        String cap = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        for (String getter : List.of("get" + cap, "is" + cap, name)) {
            Class<?> result = member(at, owner, getter, 0, scope, false);
            if (result != null) {
                return result;
            }
        }
        refuse(at, "'" + name + "' is not an allowed property of " + owner.getSimpleName());
        return null;
    }

    private Class<?> call(MethodCallExpr m, Scope scope) {
        String name = m.getNameAsString();
        if (m.getTypeArguments().isPresent()) {
            refuse(m, "'" + name + "': explicit type arguments are not allowed");
        }
        List<Class<?>> args = new ArrayList<>();
        for (Expression a : m.getArguments()) {
            args.add(type(a, scope));
        }
        if (m.getScope().isEmpty()) {
            if (scope.effects && SandboxPolicy.RUNTIME_CALLS.contains(name) && args.size() == 1) {
                return void.class;
            }
            if (scope.effects && functions.containsKey(name)) {
                functionsCalled.add(name);
                return functions.get(name);
            }
            if (scope.thisType != null) {
                Class<?> r = member(m, scope.thisType, name, args.size(), scope, false);
                if (r != null) {
                    return r;
                }
            }
            refuse(m, "'" + name + "' is not allowed (not a function of this file" + (scope.effects ? ", nor insert" : "") + ")");
            return null;
        }
        Expression target = m.getScope().get();
        Class<?> owner = typeNamed(target);
        if (owner != null && !isVariable(target, scope)) {
            if (SandboxPolicy.STATIC_METHODS.getOrDefault(owner, Set.of()).contains(name)) {
                Class<?> r = returnType(owner, name, args.size(), true);
                if (r != null) {
                    return r;
                }
            }
            refuse(m, "'" + name + "' of " + owner.getSimpleName() + " is not an allowed method");
            return null;
        }
        if (namesAClass(target, scope)) {
            return null;
        }
        Class<?> receiver = type(target, scope);
        if (receiver == null) {
            return null;
        }
        Class<?> r = member(m, receiver, name, args.size(), scope, true);
        if (r != null && ("addAll".equals(name) || "putAll".equals(name))) {
            growth++;
        }
        if (r == null) {
            refuse(m, "'" + name + "' is not allowed on " + describe(receiver)
                    + (scope.effects ? "" : " in a condition"));
        }
        return r;
    }

    /**
     * The return type of {@code owner.name} with {@code arity} arguments if it is an allowed
     * member of the owner or one of its supertypes, else null (silent: the caller refuses).
     */
    private Class<?> member(Node at, Class<?> owner, String name, int arity, Scope scope, boolean call) {
        if (owner == NullType.class || owner.isPrimitive() || owner == void.class) {
            return null;
        }
        boolean allowed = false;
        for (Map.Entry<Class<?>, Set<String>> e : SandboxPolicy.READS.entrySet()) {
            if (e.getKey().isAssignableFrom(owner) && e.getValue().contains(name)) {
                allowed = true;
            }
        }
        if (!allowed && scope.effects) {
            for (Map.Entry<Class<?>, Set<String>> e : SandboxPolicy.EFFECTS.entrySet()) {
                if (e.getKey().isAssignableFrom(owner) && e.getValue().contains(name)) {
                    allowed = true;
                }
            }
        }
        if (!allowed) {
            return null;
        }
        return returnType(owner, name, arity, false);
    }

    /** The erased return type of the public method {@code name} of {@code owner} with {@code arity} parameters. */
    private static Class<?> returnType(Class<?> owner, String name, int arity, boolean statics) {
        Class<?> found = null;
        boolean primitive = true;
        for (Method method : owner.getMethods()) {
            if (!method.getName().equals(name) || Modifier.isStatic(method.getModifiers()) != statics
                    || (method.getParameterCount() != arity && !(method.isVarArgs() && arity >= method.getParameterCount() - 1))) {
                continue;
            }
            Class<?> r = method.getReturnType();
            primitive &= r.isPrimitive();
            if (found == null) {
                found = r;
            } else if (found != r) {
                // overloads that differ: numbers stay numbers, anything else is only an Object
                found = primitive ? (r == double.class || found == double.class ? double.class : long.class) : Object.class;
            }
        }
        if (found != null && !found.isPrimitive() && found != Object.class && !allowedType(found)) {
            // an allowed member whose result type is not allowed: keep it opaque
            return Object.class;
        }
        return found;
    }

    private static boolean allowedType(Class<?> c) {
        return SandboxPolicy.TYPES.contains(c);
    }

    private Class<?> construct(ObjectCreationExpr o, Scope scope) {
        if (o.getAnonymousClassBody().isPresent()) {
            refuse(o, "anonymous classes are not allowed");
            return null;
        }
        if (o.getScope().isPresent()) {
            refuse(o, "qualified 'new' is not allowed");
            return null;
        }
        Class<?> c = resolveType(o.getType(), line(o));
        List<Class<?>> args = new ArrayList<>();
        for (Expression a : o.getArguments()) {
            args.add(type(a, scope));
        }
        if (c == null) {
            return null;
        }
        if (!scope.effects) {
            refuse(o, "'new " + c.getSimpleName() + "' is not allowed in a condition");
            return null;
        }
        List<List<Class<?>>> allowed = SandboxPolicy.CONSTRUCTORS.get(c);
        if (allowed != null) {
            for (List<Class<?>> params : allowed) {
                if (params.size() == args.size() && fits(params, args)) {
                    growth += args.size() == 1 && !params.get(0).equals(String.class) ? 1 : 0;
                    return c;
                }
            }
        }
        refuse(o, "'new " + c.getSimpleName() + "(" + args.stream().map(RuleCodeChecker::describe)
                .reduce((a, b) -> a + ", " + b).orElse("") + ")' is not an allowed constructor");
        return null;
    }

    private static boolean fits(List<Class<?>> params, List<Class<?>> args) {
        for (int i = 0; i < params.size(); i++) {
            Class<?> a = args.get(i);
            if (a == null || !(a == NullType.class || params.get(i).isAssignableFrom(a))) {
                return false;
            }
        }
        return true;
    }

    private static String describe(Class<?> c) {
        return c == null ? "?" : c == NullType.class ? "null" : c.getSimpleName();
    }

    // ---- types ----

    /** An allowed class named by a written type; arrays, wildcards with bounds and other classes refused. */
    Class<?> resolveType(Type t, int line) {
        if (t instanceof PrimitiveType p) {
            return switch (p.getType()) {
                case BOOLEAN -> boolean.class;
                case CHAR -> char.class;
                case BYTE -> byte.class;
                case SHORT -> short.class;
                case INT -> int.class;
                case LONG -> long.class;
                case FLOAT -> float.class;
                case DOUBLE -> double.class;
            };
        }
        if (t instanceof VoidType) {
            return void.class;
        }
        if (t instanceof ClassOrInterfaceType c) {
            c.getTypeArguments().ifPresent(args -> args.forEach(a -> {
                if (a.isWildcardType()) {
                    a.asWildcardType().getExtendedType().ifPresent(b -> resolveType(b, line));
                    a.asWildcardType().getSuperType().ifPresent(b -> resolveType(b, line));
                } else {
                    resolveType(a, line);
                }
            }));
            String name = c.getNameWithScope();
            Class<?> resolved = typeNames.get(name);
            if (resolved == null) {
                refusals.refuse(at(t, line), "'" + name + "' is not an allowed class");
            }
            return resolved;
        }
        refusals.refuse(at(t, line), "'" + t + "': " + (t.isArrayType() ? "arrays are" : "this type is") + " not allowed");
        return null;
    }

    private static int at(Node n, int fallback) {
        return n.getBegin().map(p -> p.line).orElse(fallback);
    }

    // ---- reporting ----

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private int line(Node n) {
        return n.getBegin().map(p -> p.line).orElse(1);
    }

    private void refuse(Node n, String message) {
        refusals.refuse(line(n), message);
    }
}
