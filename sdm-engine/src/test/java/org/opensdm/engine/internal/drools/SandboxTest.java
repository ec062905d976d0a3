package org.opensdm.engine.internal.drools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opensdm.engine.RulesetLoadException;
import org.opensdm.engine.RulesetProblem;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.Toy;
import org.opensdm.engine.ruleset.RulesetRegistry;
import org.opensdm.engine.ruleset.RulesetVersion;

/** A ruleset is code: the sandbox refuses anything but computation over facts and plain values. */
class SandboxTest {
    @TempDir
    Path dir;

    private static final String NOTE = "    outcome.set(\"note\", $a.getChoice());";

    /** The toy 1.0 with {@code replacement} for one consequence line of rule "Q4 note" (line 112 of toy.drl). */
    private RulesetVersion toyWith(String from, String to) {
        Toy.copy(dir);
        Toy.edit(dir.resolve("test.toy/1.0/toy.drl"), from, to);
        return RulesetRegistry.builder().addDirectory(dir).build().find("test.toy", "1.0").orElseThrow();
    }

    private RulesetProblem refusal(String from, String to) {
        RulesetVersion v = toyWith(from, to);
        try {
            DroolsRuleset.compile(v);
        } catch (RulesetLoadException e) {
            assertThat(e.problems()).isNotEmpty();
            return e.problems().get(0);
        }
        throw new AssertionError("expected the sandbox to refuse: " + to);
    }

    @Test
    void system_exit_in_a_consequence_is_refused_at_load_with_rule_and_line_and_nothing_runs() {
        SdmEngine engine = SdmEngine.builder().rulesetDirectory(Toy.copy(dir)).build();
        Toy.edit(dir.resolve("test.toy/1.0/toy.drl"), NOTE, NOTE + "\n    System.exit(1);");
        SdmEngine broken = SdmEngine.builder().rulesetDirectory(dir).build();
        assertThatThrownBy(() -> broken.evaluate(Toy.request().answer("Q4", "x").build()))
                .isInstanceOfSatisfying(RulesetLoadException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.file()).endsWith("test.toy/1.0/toy.drl");
                            assertThat(p.line()).isGreaterThan(100);
                            assertThat(p.message()).contains("rule \"Q4 note\"").contains("'System' is not an allowed class");
                        }));
        // still here: the JVM did not exit, and the engine keeps working
        assertThat(engine.evaluate(Toy.request().version("2.0").build()).outcome()).containsKey("finalLevel");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "fully qualified System          | java.lang.System.exit(1);                                   | 'java.lang.System' is not an allowed class",
        "Runtime exec                    | Runtime.getRuntime().exec(\"id\");                           | 'Runtime' is not an allowed class",
        "exec through an allowed name    | Math.getRuntime();                                          | 'getRuntime' of Math is not an allowed method",
        "ProcessBuilder                  | new ProcessBuilder(\"id\").start();                          | 'ProcessBuilder' is not an allowed class",
        "a thread                        | new Thread(() -> {}).start();                               | 'Thread' is not an allowed class",
        "reflection from a fact          | $a.getClass().getMethods();                                 | 'getClass' is not allowed",
        "class literal                   | Object o = String.class;                                    | 'class literal' is not allowed",
        "class loading                   | ClassLoader.getSystemClassLoader();                         | 'ClassLoader' is not an allowed class",
        "files                           | new java.io.File(\"/tmp/x\").delete();                       | 'java.io.File' is not an allowed class",
        "sockets                         | new java.net.Socket(\"127.0.0.1\", 1);                       | 'java.net.Socket' is not an allowed class",
        "JNDI                            | new javax.naming.InitialContext();                          | 'javax.naming.InitialContext' is not an allowed class",
        "scripting                       | new javax.script.ScriptEngineManager();                     | 'javax.script.ScriptEngineManager' is not an allowed class",
        "the runtime behind the rules    | drools.getKieRuntime().halt();                              | 'drools' is not a binding, global or local variable",
        "kcontext                        | kcontext.getKieRuntime();                                   | 'kcontext' is not a binding, global or local variable",
        "a unicode escape spelling System| \\u0053ystem.exit(1);                                        | unicode escapes are not allowed",
    })
    void code_reaching_outside_the_sandbox_is_refused(String what, String code, String message) {
        assertThat(refusal(NOTE, NOTE + "\n    " + code).message()).as(what).contains(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "an import outside the allowlist | import org.opensdm.engine.rules.Answer; | import java.io.File;\\nimport org.opensdm.engine.rules.Answer; | import 'java.io.File' is not an allowed class",
        "a wildcard import               | import org.opensdm.engine.rules.Answer; | import java.util.*;\\nimport org.opensdm.engine.rules.Answer;   | import 'java.util.*' is not an allowed class",
        "the mvel dialect                | @item(\"Q4\")                           | @item(\"Q4\")\\n    dialect \"mvel\"                         | the 'mvel' dialect is not allowed",
        "eval                            | $a : Answer(item == \"Q4\")               | $a : Answer(item == \"Q4\")\\n    eval(true)                         | 'eval' is not allowed",
        "from over a call                | $a : Answer(item == \"Q4\")               | $a : Answer(item == \"Q4\")\\n    $s : String() from System.getProperty(\"user.home\") | is not allowed (only collect and accumulate",
        "a declared type                 | global org.opensdm.engine.rules.Scores scores; | global org.opensdm.engine.rules.Scores scores;\\ndeclare Evil\\n  x : String\\nend | 'declare' (declared types) is not allowed",
        "a constraint calling out        | $a : Answer(item == \"Q4\")               | $a : Answer(item == \"Q4\", java.lang.Runtime.getRuntime() != null) | 'java.lang.Runtime' is not an allowed class",
        "a function with a file          | global org.opensdm.engine.rules.Scores scores; | global org.opensdm.engine.rules.Scores scores;\\nfunction void f() { new java.io.FileOutputStream(\"x\"); } | 'java.io.FileOutputStream' is not an allowed class",
        "another global                  | global org.opensdm.engine.rules.Scores scores; | global org.opensdm.engine.rules.Scores scores;\\nglobal java.util.Map env; | global 'env' of type java.util.Map is not one the engine provides",
    })
    void definitions_outside_the_sandbox_are_refused(String what, String from, String to, String message) {
        assertThat(refusal(from, to.replace("\\n", "\n")).message()).as(what).contains(message);
    }

    private static final String WHEN = "    $a : Answer(item == \"Q4\")";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a chain after a parenthesis      | $a : Answer(item == \"Q4\", (scores).getClass().getClassLoader() != null) | 'getClass' is not allowed on Scores in a condition",
        "a chain after a string literal   | $a : Answer(item == \"Q4\", \"\".getClass() != null)                         | 'getClass' is not allowed on String in a condition",
        "a chain after a cast             | $a : Answer(item == \"Q4\", ((Object) item).getClass() != null)             | 'getClass' is not allowed on Object in a condition",
        "a chain after a call             | $a : Answer(item == \"Q4\", getValue().getClass() != null)                  | 'getClass' is not allowed on Object in a condition",
        "the issue's exec route           | $a : Answer(item == \"Q4\", (scores).getClass().getClassLoader().loadClass(\"java.lang.Run\" + \"time\").getMethod(\"exec\", (\"\").getClass()).invoke(null) != null) | 'getClass' is not allowed",
        "a file read leaked in a message  | $a : Answer(item == \"Q4\", Integer.parseInt(java.nio.file.Files.readString(java.nio.file.Path.of(\"/etc/passwd\"))) > 0) | is not an allowed class",
        "a map access in MVEL             | $a : Answer(item == \"Q4\", points[\"x\"] > 0)                               | 'array access' is not allowed",
        "this in a condition              | $a : Answer(item == \"Q4\", this != null)                                    | 'this' is not allowed",
        "an effect in a condition         | $a : Answer(item == \"Q4\", outcome.set(\"x\", 1) == null)                   | 'set' is not allowed on Outcome in a condition",
        "a regex operator                 | $a : Answer(item == \"Q4\", item matches \"(a+)+$\")                          | the operator 'matches' is not allowed",
        "a static call out of a condition | $a : Answer(item == \"Q4\", System.currentTimeMillis() > 0)                | 'System' is not an allowed class",
        "a binding reaching the class     | $a : Answer(item == \"Q4\", $c : getValue().getClass())                    | 'getClass' is not allowed on Object",
        "an accumulate argument           | accumulate(Answer($v : value), $n : count($v.getClass()))                  | 'getClass' is not allowed on Object",
        "inline accumulate code           | $n : Number() from accumulate(Answer(), init(int n = 0;), action(n++;), result(n)) | inline accumulate code",
    })
    void conditions_reaching_outside_the_sandbox_are_refused(String what, String when, String message) {
        assertThat(refusal(WHEN, "    " + when).message()).as(what).contains(message).contains("rule \"Q4 note\"");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "salience from an expression | salience (System.exit(42)) | 'salience' must be an integer literal",
        "salience from a binding     | salience ($a.getPosition()) | 'salience' must be an integer literal",
        "enabled from an expression  | enabled (java.lang.System.exit(42) == null) | 'enabled' must be true or false",
        "a timer                     | timer (int: 1s) | attribute 'timer' is not allowed",
    })
    void attributes_are_literals(String what, String attribute, String message) {
        assertThat(refusal("    @item(\"Q4\")", "    @item(\"Q4\")\n    " + attribute).message()).as(what).contains(message);
    }

    @Test
    void metadata_is_a_string_literal_because_drools_evaluates_any_other_value() {
        assertThat(refusal("    @item(\"Q4\")", "    @item(System.exit(42))").message())
                .contains("'@item' takes a string literal, not 'System.exit(42)'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a while loop                 | int x = 0; while (x >= 0) { x++; }                        | 'while' is not allowed",
        "a for loop                   | for (int i = 0; i < 10; i++) { insert(new Section(\"x\")); } | 'for' is not allowed",
        "a for-each loop              | for (Object o : $a.getSelected()) { }                     | 'for' is not allowed",
        "a do loop                    | do { } while (true);                                      | 'do' is not allowed",
        "a lambda                     | $a.getSelected().forEach(x -> { });                       | 'lambda' is not allowed",
        "a method reference           | java.util.List l = $a.getSelected(); l.forEach(System.out::println); | 'method reference' is not allowed",
        "an anonymous class           | Object o = new Object() { };                              | anonymous classes are not allowed",
        "an array                     | long[] a = new long[Integer.MAX_VALUE];                  | arrays are not allowed",
        "a repeat bomb                | String s = \"x\".repeat(1000000000);                      | 'repeat' is not allowed on String",
        "a capacity constructor       | java.util.List l = new java.util.ArrayList(Integer.MAX_VALUE); | 'new ArrayList(int)' is not an allowed constructor",
        "a cast to reach reflection   | Object o = ((Object) $a).getClass();                      | 'getClass' is not allowed on Object",
        "var                          | var x = $a;                                               | 'var' is not allowed",
        "a comment inside a name      | Object o = $a.get/**/Class();                             | cannot read as plain Java",
        "an array after a chain       | Object o = $a.getSelected().toArray();                    | 'toArray' is not allowed on List",
        "sleeping                     | Thread.sleep(1000);                                       | 'Thread' is not an allowed class",
        "parking                      | java.util.concurrent.locks.LockSupport.parkNanos(1000000000L); | 'java.util.concurrent.locks.LockSupport' is not an allowed class",
        "a process handle             | ProcessHandle.current().destroy();                        | 'ProcessHandle' is not an allowed class",
        "a try block                  | try { } finally { }                                       | 'try' is not allowed",
        "random numbers               | double d = Math.random();                                 | 'random' of Math is not an allowed method",
        "an update of a fact          | update($a);                                               | 'update' is not allowed",
        "a field of a fact            | Object o = $a.item;                                       | fields of objects are not accessible",
        "assigning a binding          | $a = null;                                                | only a local variable of the code may be assigned",
        "an enum's class              | Object o = org.opensdm.engine.rules.RiskLevel.LOW.getDeclaringClass(); | 'getDeclaringClass' is not allowed on RiskLevel",
    })
    void consequences_reaching_outside_the_sandbox_or_without_bound_are_refused(String what, String code, String message) {
        assertThat(refusal(NOTE, NOTE + "\n    " + code).message()).as(what).contains(message);
    }

    @Test
    void recursion_between_functions_is_refused() {
        RulesetProblem p = refusal("rule \"Q4 note\"", "function int f(int n) { return g(n); }\n"
                + "function int g(int n) { return f(n); }\n\nrule \"Q4 note\"");
        assertThat(p.message()).contains("'recursion' is not allowed: f -> g -> f");
    }

    @Test
    void a_refusal_names_the_line_of_the_offending_expression() {
        // NOTE is line 102 of toy.drl; the inserted code is on lines 103 to 105
        RulesetProblem p = refusal(NOTE, NOTE + "\n    int x = 1;\n    x = x + 1;\n    Object o = $a.getClass();");
        assertThat(p.line()).isEqualTo(105);
        RulesetProblem q = refusal(WHEN, "    $a : Answer(item == \"Q4\")\n    Answer(item == \"Q3\", \"\".getClass() != null)");
        assertThat(q.line()).isEqualTo(101);
        RulesetProblem f = refusal("rule \"Q4 note\"", "function int f(int n) {\n    int m = n;\n    return m + \"\".getClass().hashCode();\n}\n\nrule \"Q4 note\"");
        assertThat(f.file()).endsWith("toy.drl");
        assertThat(f.line()).isEqualTo(99);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "accumulate count          | $a : Answer(item == \"Q4\")\\n    accumulate(Answer(), $n : count(1))",
        "accumulate sum            | $a : Answer(item == \"Q4\")\\n    accumulate(Answer($p : position), $s : sum($p))",
        "accumulate collectList    | $a : Answer(item == \"Q4\")\\n    accumulate(Answer($i : item), $l : collectList($i))",
        "a string method           | $a : Answer(item == \"Q4\", item.startsWith(\"Q\"), choice != null)",
        "a binding compared        | $a : Answer(item == \"Q4\", $p : position)\\n    Answer(position < $p)",
        "from collect              | $a : Answer(item == \"Q4\")\\n    $all : java.util.List(size > 0) from collect(Answer())",
    })
    void benign_conditions_load(String what, String when) {
        assertThat(DroolsRuleset.compile(toyWith(WHEN, "    " + when.replace("\\n", "\n")))).as(what).isNotNull();
    }

    @Test
    void benign_consequences_load() {
        RulesetVersion v = toyWith(NOTE, NOTE + "\n    int m = Math.max($a.getPosition(), 3);"
                + "\n    java.util.List<String> l = new java.util.ArrayList<String>($a.getSelected());"
                + "\n    if (l.isEmpty() && $a.getItem().startsWith(\"Q\")) { l.add(\"x\" + m); } else { l.add(String.valueOf(m)); }");
        assertThat(DroolsRuleset.compile(v)).isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a string doubled by a fact     | insert(new org.opensdm.engine.rules.Finding(\"x\", $a.getItem() + $a.getItem()));  | '+' joins two computed values",
        "a string doubled by +=         | String s = $a.getItem(); s += s;                                           | '+=' of a computed value",
        "a list doubled nine times      | java.util.List l = new java.util.ArrayList($a.getSelected()); l.addAll(l); l.addAll(l); l.addAll(l); l.addAll(l); l.addAll(l); l.addAll(l); l.addAll(l); l.addAll(l); | more than 8 collection-doubling calls",
    })
    void growth_that_could_double_each_firing_is_refused(String what, String code, String message) {
        assertThat(refusal(NOTE, NOTE + "\n    " + code).message()).as(what).contains(message);
    }

    @Test
    void a_function_doubling_a_list_counts_at_every_call() {
        Toy.copy(dir);
        Path drl = dir.resolve("test.toy/1.0/toy.drl");
        Toy.edit(drl, "rule \"Q4 note\"", "function void twice(java.util.List l) { l.addAll(l); l.addAll(l); }\n\nrule \"Q4 note\"");
        Toy.edit(drl, NOTE, NOTE + "\n    java.util.List l = new java.util.ArrayList();\n    twice(l);\n    twice(l);\n    twice(l);");
        RulesetVersion v = RulesetRegistry.builder().addDirectory(dir).build().find("test.toy", "1.0").orElseThrow();
        assertThat(DroolsRuleset.compile(v)).as("3 calls x 2 = 6 doubling calls").isNotNull();
        Toy.edit(drl, "    twice(l);\n    twice(l);\n    twice(l);", "    twice(l);\n    twice(l);\n    twice(l);\n    twice(l);\n    twice(l);");
        RulesetVersion w = RulesetRegistry.builder().addDirectory(dir).build().find("test.toy", "1.0").orElseThrow();
        assertThatThrownBy(() -> DroolsRuleset.compile(w)).isInstanceOf(RulesetLoadException.class)
                .hasMessageContaining("more than 8 collection-doubling calls");
    }

    /** The toy 1.0 with a rule that re-fires on the fact it inserts, for ever (the firing limit aside). */
    private SdmEngine spinning(SdmEngine.Builder builder, String consequence) {
        Toy.copy(dir);
        Toy.edit(dir.resolve("test.toy/1.0/toy.drl"), "import org.opensdm.engine.rules.Answer;",
                "import org.opensdm.engine.rules.Answer;\nimport org.opensdm.engine.rules.Finding;");
        Toy.append(dir.resolve("test.toy/1.0/toy.drl"), "\nrule \"spin start\"\nwhen\n    Answer(item == \"Q4\")\nthen\n"
                + "    insert(new Finding(\"spin\", \"x\"));\nend\n\nrule \"spin\"\nwhen\n    $a : Answer(item == \"Q4\")\n"
                + "    Finding(name == \"spin\")\nthen\n" + consequence + "\n    insert(new Finding(\"spin\", \"x\"));\nend\n");
        return builder.rulesetDirectory(dir).build();
    }

    @Test
    void an_evaluation_past_its_time_budget_is_stopped_and_the_engine_serves_the_next() {
        SdmEngine engine = spinning(SdmEngine.builder().firingLimit(Integer.MAX_VALUE).timeBudget(java.time.Duration.ofMillis(200)),
                "    int n = 1;");
        assertThatThrownBy(() -> engine.evaluate(Toy.request().answer("Q4", "x").build()))
                .isInstanceOf(org.opensdm.engine.EvaluationException.class)
                .hasMessageContaining("exceeded its time budget of 200 ms");
        assertThat(engine.evaluate(Toy.request().version("2.0").build()).outcome()).containsKey("finalLevel");
        assertThat(engine.evaluate(Toy.request().build()).outcome()).isNotEmpty();
    }

    @Test
    void an_evaluation_past_its_allocation_budget_is_stopped() {
        SdmEngine engine = spinning(SdmEngine.builder().firingLimit(Integer.MAX_VALUE).allocationBudget(4L << 20),
                "    java.util.List l = new java.util.ArrayList($a.getSelected());\n    l.add(\"x\");\n"
                        + "    outcome.note(\"l\", \"x\" + l);");
        assertThatThrownBy(() -> engine.evaluate(Toy.request().answer("Q4", "x").build()))
                .isInstanceOf(org.opensdm.engine.EvaluationException.class)
                .hasMessageContaining("exceeded its memory budget of 4194304 bytes");
        assertThat(engine.evaluate(Toy.request().build()).outcome()).isNotEmpty();
    }

    @Test
    void a_join_that_creates_matches_by_the_hundred_thousand_is_stopped_before_its_matches_fire() {
        Toy.copy(dir);
        Path drl = dir.resolve("test.toy/1.0/toy.drl");
        Toy.edit(drl, "import org.opensdm.engine.rules.Answer;", "import org.opensdm.engine.rules.Answer;\nimport org.opensdm.engine.rules.Finding;");
        Toy.append(drl, "\nrule \"burst\"\nwhen\n    Answer(item == \"Q4\")\nthen\n"
                + "    insert(new Finding(\"b\", \"x\"));\n".repeat(30) + "end\n\nrule \"cross\"\nwhen\n"
                + "    Finding(name == \"b\")\n".repeat(4) + "then\nend\n");
        SdmEngine engine = SdmEngine.builder().rulesetDirectory(dir).firingLimit(Integer.MAX_VALUE).allocationBudget(8L << 20).build();
        // 30^4 = 810,000 matches: stopped while they are created, before the 8th firing
        assertThatThrownBy(() -> engine.evaluate(Toy.request().answer("Q4", "x").build()))
                .isInstanceOf(org.opensdm.engine.EvaluationException.class)
                .hasMessageMatching(".*exceeded its (memory|time) budget .*\\(stopped after [1-7] firings\\)");
    }

    @Test
    void a_rule_that_exhausts_the_stack_fails_its_evaluation_only() {
        SdmEngine engine = spinning(SdmEngine.builder(),
                "    java.util.List l = new java.util.ArrayList();\n    java.util.List m = new java.util.ArrayList();\n"
                        + "    l.add(m);\n    m.add(l);\n    outcome.note(\"h\", l.hashCode());");
        assertThatThrownBy(() -> engine.evaluate(Toy.request().answer("Q4", "x").build()))
                .isInstanceOf(org.opensdm.engine.EvaluationException.class)
                .hasMessageContaining("exhausted the stack");
        assertThat(engine.evaluate(Toy.request().build()).outcome()).isNotEmpty();
    }

    @Test
    void words_inside_strings_and_comments_are_not_code() {
        RulesetVersion v = toyWith(NOTE, NOTE + "\n    // System.exit(1) would be refused\n    String s = \"System.exit(1); getClass\";");
        assertThat(DroolsRuleset.compile(v)).isNotNull();
    }

    @Test
    void what_the_static_check_misses_the_class_loader_refuses_to_link() {
        RulesetVersion v = toyWith(NOTE, NOTE + "\n    java.lang.Runtime.getRuntime().exec(\"id\");");
        assertThatThrownBy(() -> DroolsRuleset.compile(v, false)).isInstanceOf(RulesetLoadException.class)
                .hasMessageContaining("java.lang.Runtime cannot be resolved");
    }

    @Test
    void the_class_loader_lets_value_types_and_the_rule_runtime_through_and_nothing_else() throws Exception {
        SandboxClassLoader loader = new SandboxClassLoader(getClass().getClassLoader());
        assertThat(loader.loadClass("java.lang.String")).isSameAs(String.class);
        assertThat(loader.loadClass("java.util.ArrayList")).isSameAs(java.util.ArrayList.class);
        assertThat(loader.loadClass("org.opensdm.engine.rules.Answer")).isNotNull();
        for (String refused : new String[] {"java.lang.System", "java.lang.Runtime", "java.lang.ProcessBuilder",
                "java.lang.Thread", "java.lang.reflect.Method", "java.io.File", "java.net.Socket",
                "java.util.concurrent.Executors", "javax.naming.InitialContext", "org.opensdm.engine.SdmEngine"}) {
            assertThatThrownBy(() -> loader.loadClass(refused)).as(refused).isInstanceOf(ClassNotFoundException.class);
            assertThat(loader.getResource(refused.replace('.', '/') + ".class")).as(refused).isNull();
        }
    }
}
