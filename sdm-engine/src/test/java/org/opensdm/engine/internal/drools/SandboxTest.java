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
        "exec through an allowed name    | Math.getRuntime();                                          | 'getRuntime' is not allowed",
        "ProcessBuilder                  | new ProcessBuilder(\"id\").start();                          | 'ProcessBuilder' is not an allowed class",
        "a thread                        | new Thread(() -> {}).start();                               | 'Thread' is not an allowed class",
        "reflection from a fact          | $a.getClass().getMethods();                                 | 'getClass' is not allowed",
        "class literal                   | Object o = String.class;                                    | 'class' is not allowed",
        "class loading                   | ClassLoader.getSystemClassLoader();                         | 'ClassLoader' is not an allowed class",
        "files                           | new java.io.File(\"/tmp/x\").delete();                       | 'java.io.File' is not an allowed class",
        "sockets                         | new java.net.Socket(\"127.0.0.1\", 1);                       | 'java.net.Socket' is not an allowed class",
        "JNDI                            | new javax.naming.InitialContext();                          | 'javax.naming.InitialContext' is not an allowed class",
        "scripting                       | new javax.script.ScriptEngineManager();                     | 'javax.script.ScriptEngineManager' is not an allowed class",
        "the runtime behind the rules    | drools.getKieRuntime().halt();                              | 'drools' is not allowed",
        "kcontext                        | kcontext.getKieRuntime();                                   | 'kcontext' is not allowed",
        "a unicode escape spelling System| \\u0053ystem.exit(1);                                        | unicode escapes are not allowed",
    })
    void code_reaching_outside_the_sandbox_is_refused(String what, String code, String message) {
        assertThat(refusal(NOTE, NOTE + "\n    " + code).message()).as(what).contains(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "an import outside the allowlist | import org.opensdm.engine.rules.Answer; | import java.io.File;\\nimport org.opensdm.engine.rules.Answer; | import java.io.File is not an allowed class",
        "a wildcard import               | import org.opensdm.engine.rules.Answer; | import java.util.*;\\nimport org.opensdm.engine.rules.Answer;   | import java.util.* is not an allowed class",
        "the mvel dialect                | @item(\"Q4\")                           | @item(\"Q4\")\\n    dialect \"mvel\"                         | the mvel dialect is not allowed",
        "eval                            | $a : Answer(item == \"Q4\")               | $a : Answer(item == \"Q4\")\\n    eval(true)                         | eval is not allowed",
        "from over a call                | $a : Answer(item == \"Q4\")               | $a : Answer(item == \"Q4\")\\n    $s : String() from System.getProperty(\"user.home\") | is not allowed (only collect and accumulate",
        "a declared type                 | global org.opensdm.engine.rules.Scores scores; | global org.opensdm.engine.rules.Scores scores;\\ndeclare Evil\\n  x : String\\nend | declared types are not allowed",
        "a constraint calling out        | $a : Answer(item == \"Q4\")               | $a : Answer(item == \"Q4\", java.lang.Runtime.getRuntime() != null) | 'java.lang.Runtime' is not an allowed class",
        "a function with a file          | global org.opensdm.engine.rules.Scores scores; | global org.opensdm.engine.rules.Scores scores;\\nfunction void f() { new java.io.FileOutputStream(\"x\"); } | 'java.io.FileOutputStream' is not an allowed class",
        "another global                  | global org.opensdm.engine.rules.Scores scores; | global org.opensdm.engine.rules.Scores scores;\\nglobal java.util.Map env; | global env of type java.util.Map is not one the engine provides",
    })
    void definitions_outside_the_sandbox_are_refused(String what, String from, String to, String message) {
        assertThat(refusal(from, to.replace("\\n", "\n")).message()).as(what).contains(message);
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
