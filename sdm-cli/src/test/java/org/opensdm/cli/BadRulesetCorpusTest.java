package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-ruleset corpus: each case breaks one file of a {@code --rulesets} copy of
 * ref.family-risk 2.0 in one way. Every case exits 4 naming the file and the line, with no
 * stack trace and no decision, whatever verb loads it.
 */
class BadRulesetCorpusTest {
    /** Set if the YAML loader ever constructs {@link Boom} from a type tag; it must not. */
    static volatile boolean constructed;

    /** A class a hostile manifest names in a YAML type tag. */
    public static final class Boom {
        public Boom() {
            constructed = true;
        }
    }

    @TempDir
    Path rulesets;

    record Case(String name, String file, String from, String to, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> corpus() {
        return Stream.of(
                new Case("malformed YAML", "ruleset.yaml", "title: Family Risk", "title: [Family Risk", "ruleset.yaml:\\d+:\\d+: malformed YAML"),
                new Case("a global type tag", "ruleset.yaml", "title: Family Risk", "title: !!org.opensdm.cli.BadRulesetCorpusTest$Boom []\nx: Family Risk",
                        "ruleset.yaml:\\d+:\\d+: .*(Global tag is not allowed|type tag)"),
                new Case("a local type tag", "ruleset.yaml", "title: Family Risk", "title: !boom Family Risk", "ruleset.yaml:\\d+:\\d+: title: type tag !boom is not allowed"),
                new Case("a cut-point gap", "ruleset.yaml", "{level: MODERATE, min: 2, max: 4}", "{level: MODERATE, min: 3, max: 4}",
                        "ruleset.yaml:\\d+:\\d+: indices\\[0\\]\\.cutPoints\\[1\\]\\.min: gap: scores 2\\.\\.2 have no level"),
                new Case("a cut-point overlap", "ruleset.yaml", "{level: HIGH, min: 5, max: 7}", "{level: HIGH, min: 4, max: 7}",
                        "ruleset.yaml:\\d+:\\d+: indices\\[0\\]\\.cutPoints\\[2\\]\\.min: overlap"),
                new Case("cut points that miss reachable scores", "ruleset.yaml", "{level: VERY_HIGH, min: 8}", "{level: VERY_HIGH, min: 8, max: 9}",
                        "ruleset.yaml:\\d+:\\d+: indices\\[0\\]\\.cutPoints: gap: the highest reachable neglect score"),
                new Case("an option without points", "ruleset.yaml", "{key: b, text: one, points: {neglect: 1, abuse: 0}}", "{key: b, text: one}",
                        "ruleset.yaml:\\d+:\\d+: items\\[0\\]\\.options\\[1\\]\\.points: missing"),
                new Case("an unknown item kind", "ruleset.yaml", "kind: choice", "kind: slider", "ruleset.yaml:\\d+:\\d+: items\\[0\\]\\.kind: unknown item kind 'slider'"),
                new Case("a DRL syntax error", "family-risk.drl", "    $a : Answer(item == \"R3\")", "    $a : Answer(item == \"R3\"",
                        "family-risk\\.drl:\\d+:\\d+: "),
                new Case("a syntax error in a consequence", "family-risk.drl", "    scores.add($a);\nend\n\nrule \"R2",
                        "    scores.add($a;\nend\n\nrule \"R2",
                        // line and column of the unexpected ';' (line 25, column 18 of the file)
                        "family-risk\\.drl:25:18: sandbox: rule \"R1 prior neglect investigations\": code the sandbox cannot read as plain "
                                + "Java \\(Parse error\\. Found \";\""),
                new Case("a rule reading an unknown item", "family-risk.drl", "@item(\"R5\")", "@item(\"R55\")",
                        "family-risk\\.drl:\\d+: rule \"R5 age of youngest child\": @item\\(\"R55\"\\) is not an item of the manifest"),
                new Case("a constraint reading an unknown item", "family-risk.drl", "Answer(item == \"R6\")", "Answer(item == \"R66\")",
                        "family-risk\\.drl:\\d+: rule \"R6 number of children\": reads item \"R66\""),
                new Case("System.exit in a consequence", "family-risk.drl", "    scores.add($a);\nend\n\nrule \"R2", "    scores.add($a);\n    System.exit(1);\nend\n\nrule \"R2",
                        "family-risk\\.drl:\\d+: sandbox: rule \"R1 prior neglect investigations\": 'System' is not an allowed class"),
                new Case("a file import", "family-risk.drl", "import org.opensdm.engine.rules.Answer;", "import java.io.File;\nimport org.opensdm.engine.rules.Answer;",
                        "family-risk\\.drl:\\d+: sandbox: import 'java\\.io\\.File' is not an allowed class"),
                new Case("a DRL file the manifest does not list", "extra.drl", null, "package x;", "extra\\.drl: DRL file not listed in ruleset\\.yaml rules"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void every_broken_ruleset_exits_4_naming_file_and_location(Case c) throws IOException {
        Path copy = ShippedCopy.copy(rulesets, "ref.family-risk", "2.0");
        Path file = copy.resolve(c.file());
        if (c.from() == null) {
            Files.writeString(file, c.to());
        } else {
            String text = Files.readString(file);
            assertThat(text).as("the corpus edit applies").contains(c.from());
            Files.writeString(file, text.replaceFirst(java.util.regex.Pattern.quote(c.from()),
                    java.util.regex.Matcher.quoteReplacement(c.to())));
        }
        for (List<String> args : List.of(
                List.of("evaluate", "--rulesets", rulesets.toString(), Cli.resource("requests/family-risk-2.0.json")),
                List.of("rulesets", "--rulesets", rulesets.toString()))) {
            Cli.Result r = Cli.run(args.toArray(String[]::new));
            boolean loadsOnlyManifests = args.get(0).equals("rulesets") && c.file().endsWith(".drl") && c.from() != null;
            if (loadsOnlyManifests) {
                continue; // listing rulesets reads manifests only; a DRL error shows when the rules compile
            }
            assertThat(r.exit()).as(args.get(0) + ": " + r.err()).isEqualTo(4);
            assertThat(r.out()).as("no decision").isEmpty();
            assertThat(r.err()).containsPattern(c.expected()).doesNotContain("Exception", "\tat ");
        }
        assertThat(constructed).as("no object constructed from a YAML tag").isFalse();
    }

    @Test
    void the_jvm_survives_a_ruleset_that_calls_system_exit() throws IOException {
        Path copy = ShippedCopy.copy(rulesets, "ref.family-risk", "2.0");
        Path drl = copy.resolve("family-risk.drl");
        Files.writeString(drl, Files.readString(drl).replace("    scores.add($a);", "    scores.add($a);\n    System.exit(1);"));
        Cli.Result r = Cli.run("evaluate", "--rulesets", rulesets.toString(), Cli.resource("requests/family-risk-2.0.json"));
        assertThat(r.exit()).isEqualTo(4);
        // this test runs in the JVM the ruleset tried to exit: reaching the next line proves it did not
        assertThat(Cli.run("rulesets").exit()).isZero();
    }
}
