package org.opensdm.engine.internal.drools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.RulesetLoadException;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.Toy;
import org.opensdm.engine.json.SdmJson;
import org.opensdm.engine.ruleset.RulesetProvider;
import org.opensdm.engine.ruleset.RulesetRegistry;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * Rulesets compiled at build time ({@link RulesetPrecompiler}): loaded without compiling, the same
 * decisions as the DRL compiled at run time, refused when the sources changed after the build or
 * another Drools runs them, and a build that fails on a DRL the sandbox refuses.
 */
class PrecompiledRulesTest {
    @TempDir
    Path dir;

    /** A jar's rulesets as a folder: the files under {@code src}, the compiled rules under {@code compiled}. */
    record FolderProvider(Path src, Path compiled) implements RulesetProvider {
        @Override
        public String origin() {
            return "test:" + src.getFileName();
        }

        @Override
        public Set<String> files() {
            try (Stream<Path> all = Files.walk(src)) {
                Set<String> files = new TreeSet<>();
                all.filter(Files::isRegularFile).forEach(p -> files.add(src.relativize(p).toString().replace('\\', '/')));
                return files;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public InputStream open(String path) throws IOException {
            return Files.newInputStream(src.resolve(path));
        }

        @Override
        public InputStream openCompiled(String id, String version) throws IOException {
            Path model = compiled.resolve(id).resolve(version).resolve(RulesetProvider.COMPILED_MODEL);
            return Files.isRegularFile(model) ? Files.newInputStream(model) : null;
        }
    }

    private record Run(int status, String out, String err) { }

    private static Run precompile(Path src, Path out) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status = RulesetPrecompiler.run(src, out, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Run(status, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    private static RulesetRegistry registry(Path src, Path compiled) {
        return RulesetRegistry.builder().addProvider(new FolderProvider(src, compiled)).build();
    }

    @Test
    void compiled_rules_load_without_compiling_and_decide_as_the_drl_compiled_at_run_time() {
        Path src = Toy.copy(dir.resolve("src"));
        Run run = precompile(src, dir.resolve("out"));
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("compiled test.toy@1.0 (sha256 ").contains("compiled test.toy@2.0 (sha256 ");

        RulesetRegistry precompiled = registry(src, dir.resolve("out"));
        RulesetRegistry fromDrl = registry(src, dir.resolve("none"));
        for (RulesetVersion v : precompiled.versions()) {
            assertThat(DroolsRuleset.compile(v).precompiled()).as(v.key()).isTrue();
            RulesetVersion same = fromDrl.find(v.id(), v.version()).orElseThrow();
            assertThat(same.sha256()).isEqualTo(v.sha256());
            assertThat(DroolsRuleset.compile(same).precompiled()).as(v.key()).isFalse();
        }
        SdmEngine a = SdmEngine.builder().registry(precompiled).build();
        SdmEngine b = SdmEngine.builder().registry(fromDrl).build();
        for (String q4 : new String[] {"x", "y"}) {
            EvaluationRequest r = Toy.request().answer("Q4", q4).build();
            String json = SdmJson.write(a.evaluate(r));
            assertThat(json).isEqualTo(SdmJson.write(b.evaluate(r))).contains("\"trail\"");
        }
    }

    /**
     * The build step in a JVM of its own, as the build runs it (the model builder numbers generated
     * names with counters that live as long as the JVM, so the same build gives the same bytes).
     */
    private static int precompileInItsOwnJvm(Path src, Path out) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RulesetPrecompiler.class.getName(), src.toString(), out.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor();
    }

    @Test
    void the_same_sources_give_the_same_bytes() throws IOException, InterruptedException {
        Path src = Toy.copy(dir.resolve("src"));
        assertThat(precompileInItsOwnJvm(src, dir.resolve("one"))).isZero();
        assertThat(precompileInItsOwnJvm(src, dir.resolve("two"))).isZero();
        for (String v : new String[] {"1.0", "2.0"}) {
            assertThat(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("one/test.toy/" + v + "/model.zip")),
                    Files.readAllBytes(dir.resolve("two/test.toy/" + v + "/model.zip")))).as(v).isTrue();
        }
    }

    @Test
    void a_drl_edited_after_the_build_is_refused_not_recompiled() {
        Path src = Toy.copy(dir.resolve("src"));
        assertThat(precompile(src, dir.resolve("out")).status()).isZero();
        String built = registry(src, dir.resolve("out")).find("test.toy", "1.0").orElseThrow().sha256();

        Toy.edit(src.resolve("test.toy/1.0/toy.drl"), "    outcome.set(\"note\", $a.getChoice());",
                "    outcome.set(\"note\", \"edited after the build\");");
        RulesetRegistry edited = registry(src, dir.resolve("out"));
        String now = edited.find("test.toy", "1.0").orElseThrow().sha256();
        assertThat(now).isNotEqualTo(built);
        SdmEngine engine = SdmEngine.builder().registry(edited).build();
        assertThatThrownBy(() -> engine.evaluate(Toy.request().answer("Q4", "x").build()))
                .isInstanceOfSatisfying(RulesetLoadException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.file()).isEqualTo("test:src-compiled/test.toy/1.0/model.zip");
                            assertThat(p.message()).isEqualTo("compiled rules of test.toy@1.0 were built from sources with "
                                    + "sha256 " + built + ", but its manifest and DRL files (test:src/test.toy/1.0) have sha256 "
                                    + now + ": the sources changed after the build; rebuild the jar that carries them");
                        }));
        // the other version, unchanged, still loads from its compiled rules
        assertThat(engine.evaluate(Toy.request().version("2.0").build()).outcome()).containsKey("finalLevel");
    }

    @Test
    void compiled_rules_of_another_drools_are_refused() throws IOException {
        Path src = Toy.copy(dir.resolve("src"));
        assertThat(precompile(src, dir.resolve("out")).status()).isZero();
        Path zip = dir.resolve("out/test.toy/1.0/model.zip");
        CompiledModel m;
        try (InputStream in = Files.newInputStream(zip)) {
            m = CompiledModel.read(in, "here");
        }
        try (OutputStream o = Files.newOutputStream(zip)) {
            new CompiledModel(m.id, m.version, m.sha256, "9.0.0", m.models, m.classes).write(o);
        }
        RulesetVersion v = registry(src, dir.resolve("out")).find("test.toy", "1.0").orElseThrow();
        assertThatThrownBy(() -> DroolsRuleset.compile(v))
                .isInstanceOfSatisfying(RulesetLoadException.class, e -> assertThat(e.problems().get(0).message())
                        .isEqualTo("compiled rules of test.toy@1.0 were generated by Drools 9.0.0, but Drools "
                                + CompiledModel.DROOLS + " runs here; rebuild the jar that carries them with this Drools"));
    }

    @Test
    void a_drl_the_sandbox_refuses_fails_the_build_naming_file_line_and_rule() {
        Path src = Toy.copy(dir.resolve("src"));
        Toy.edit(src.resolve("test.toy/1.0/toy.drl"), "    outcome.set(\"note\", $a.getChoice());",
                "    outcome.set(\"note\", $a.getChoice());\n    System.exit(1);");
        Run run = precompile(src, dir.resolve("out"));
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("test.toy/1.0/toy.drl:").contains("rule \"Q4 note\"")
                .contains("'System' is not an allowed class");
        assertThat(dir.resolve("out/test.toy/1.0/model.zip")).doesNotExist();
    }
}
