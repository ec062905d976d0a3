package org.opensdm.rulesets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.RulesetLoadException;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.json.SdmJson;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * A case system that uses only the shipped rulesets runs on the engine's own dependencies, without
 * the DRL compiler (org.opensdm:sdm-drl: the DRL parser, ECJ, MVEL, JavaParser): in a JVM whose
 * class path is this module's without them, every shipped version loads and decides as here, and
 * a ruleset from a folder is refused naming the dependency to add.
 */
class LeanClassPathTest {
    /** What org.opensdm:sdm-drl brings (and the test tools that would bring it back). */
    private static final Pattern DRL_COMPILER = Pattern.compile(
            "(ecj|drools-ecj|drools-drl-[a-z]+|javaparser-core|mvel2|drools-mvel[a-z-]*|antlr4?-runtime|drools-model-codegen"
                    + "|drools-codegen-common|drools-model-prototype|kie-util-maven-support|drools-engine|drools-tms"
                    + "|drools-commands|drools-io|sdm-drl|sdm-analysis|json-schema-validator|jqwik[a-z-]*)-[0-9].*\\.jar|.*/sdm-drl/target/classes/?"
                    + "|.*/sdm-analysis/target/classes/?");

    @TempDir
    Path dir;

    /** Run in the lean JVM: argument 1 a folder to copy a shipped version into. */
    public static void main(String[] args) throws Exception {
        try {
            Class.forName("org.drools.drl.parser.DrlParser");
            System.out.println("DRL parser on the class path");
        } catch (ClassNotFoundException e) {
            System.out.println("no DRL parser");
        }
        SdmEngine engine = SdmEngine.builder().classpathRulesets().build().compileAll();
        java.util.Random random = new java.util.Random(5);
        for (RulesetVersion v : engine.registry().versions()) {
            for (int i = 0; i < 20; i++) {
                System.out.println(outcome(engine, PrecompiledDifferentialTest.request(v.manifest(), i, random,
                        new java.util.TreeMap<>(), new java.util.TreeMap<>())));
            }
        }
        // a version from a folder: its DRL would compile at run time
        Path folder = Path.of(args[0]);
        ShippedRulesets shipped = new ShippedRulesets();
        for (String f : List.of("ruleset.yaml", "risk-reassessment.drl")) {
            Path target = folder.resolve("ref.risk-reassessment/1.0/" + f);
            Files.createDirectories(target.getParent());
            try (InputStream in = shipped.open("ref.risk-reassessment/1.0/" + f)) {
                Files.write(target, in.readAllBytes());
            }
        }
        SdmEngine fromFolder = SdmEngine.builder().classpathRulesets().rulesetDirectory(folder).build();
        try {
            fromFolder.compile("ref.risk-reassessment", "1.0");
            System.out.println("folder version compiled");
        } catch (RulesetLoadException e) {
            System.out.println("refused: " + e.problems().get(0).message());
        }
    }

    static String outcome(SdmEngine engine, EvaluationRequest r) {
        try {
            return SdmJson.write(engine.evaluate(r));
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage().replace("\n", " | ");
        }
    }

    @Test
    void shipped_rulesets_run_without_the_drl_compiler_and_a_folder_ruleset_is_refused_naming_sdm_drl() throws Exception {
        List<String> entries = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        String lean = String.join(File.pathSeparator, entries.stream()
                .filter(e -> !DRL_COMPILER.matcher(e.replace('\\', '/')).matches()
                        && !DRL_COMPILER.matcher(Path.of(e).getFileName().toString()).matches()).toList());
        assertThat(lean).doesNotContain("ecj-").doesNotContain("javaparser").doesNotContain("drools-drl-parser");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", lean,
                LeanClassPathTest.class.getName(), dir.resolve("folder").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        List<String> lines = out.lines().toList();
        assertThat(lines.get(0)).isEqualTo("no DRL parser");

        // the same decisions as here, where the DRL compiler is on the class path
        SdmEngine engine = SdmEngine.builder().classpathRulesets().build();
        java.util.Random random = new java.util.Random(5);
        int k = 1;
        for (RulesetVersion v : engine.registry().versions()) {
            for (int i = 0; i < 20; i++) {
                String expected = outcome(engine, PrecompiledDifferentialTest.request(v.manifest(), i, random,
                        new java.util.TreeMap<>(), new java.util.TreeMap<>()));
                assertThat(lines.get(k++)).as(v.key() + " request " + i).isEqualTo(expected);
            }
        }
        assertThat(lines.get(k)).isEqualTo("refused: ruleset ref.risk-reassessment@1.0 has no rules compiled at build time, "
                + "and compiling its DRL at run time needs the DRL compiler, which is not on the class path (missing "
                + "drools-drl-parser, drools-ecj, drools-mvel, javaparser-core): add the dependency org.opensdm:sdm-drl");
    }
}
