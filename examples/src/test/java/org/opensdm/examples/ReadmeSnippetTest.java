package org.opensdm.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java program of the README's "Using the library", taken from README.md as it stands,
 * compiles and runs as a new user's project would: on the class path of the dependencies the
 * README lists (sdm-engine, sdm-rulesets, slf4j-simple), without this module's classes and
 * settings, in a JVM of its own.
 */
class ReadmeSnippetTest {
    private static final Path README = Path.of("../README.md");

    @TempDir
    static Path dir;
    private static String className;
    private static String classPath;

    /** The first {@code java} block after the heading "## Using the library". */
    static String snippet(String readme) {
        int section = readme.indexOf("\n## Using the library\n");
        assertThat(section).as("README has a section 'Using the library'").isNotNegative();
        Matcher m = Pattern.compile("\n```java\n(.*?)\n```\n", Pattern.DOTALL).matcher(readme);
        assertThat(m.find(section)).as("a java block in 'Using the library'").isTrue();
        int next = readme.indexOf("\n## ", section + 1);
        assertThat(m.start()).as("the java block is in 'Using the library'").isLessThan(next < 0 ? readme.length() : next);
        return m.group(1);
    }

    @BeforeAll
    static void compile() throws IOException {
        String source = snippet(Files.readString(README, StandardCharsets.UTF_8));
        Matcher name = Pattern.compile("public class (\\w+)").matcher(source);
        assertThat(name.find()).as("the snippet is a complete program").isTrue();
        className = name.group(1);
        Path file = dir.resolve(className + ".java");
        Files.writeString(file, source);

        // the test class path less this module's own classes (and their simplelogger.properties)
        Path own = Path.of("target").toAbsolutePath().normalize();
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!Path.of(e).toAbsolutePath().normalize().startsWith(own)) {
                entries.add(e);
            }
        }
        assertThat(entries).anyMatch(e -> e.contains("slf4j-simple")).noneMatch(e -> e.contains("slf4j-nop"));
        classPath = String.join(File.pathSeparator, entries);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        java.io.StringWriter diagnostics = new java.io.StringWriter();
        boolean ok = javac.getTask(diagnostics, null, null,
                List.of("--release", "17", "-proc:none", "-Xlint:all,-path", "-Werror", "-classpath", classPath,
                        "-d", dir.toString()),
                null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(file.toFile()))
                .call();
        assertThat(diagnostics.toString()).as("javac output").isEmpty();
        assertThat(ok).isTrue();
    }

    @Test
    void the_readme_dependencies_are_the_ones_this_test_runs_with() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int section = readme.indexOf("\n## Using the library\n");
        Matcher xml = Pattern.compile("\n```xml\n(.*?)\n```\n", Pattern.DOTALL).matcher(readme);
        assertThat(xml.find(section)).isTrue();
        Matcher dep = Pattern.compile("<groupId>([^<]+)</groupId><artifactId>([^<]+)</artifactId><version>([^<]+)</version>")
                .matcher(xml.group(1));
        List<String> found = new ArrayList<>();
        while (dep.find()) {
            String artifact = dep.group(2);
            String version = dep.group(3);
            found.add(dep.group(1) + ":" + artifact);
            if (artifact.startsWith("sdm-")) {
                assertThat(version).as(artifact).isEqualTo(org.opensdm.engine.SdmEngine.VERSION);
            } else {
                assertThat(classPath).as(artifact + " " + version).contains(artifact + "-" + version + ".jar");
            }
        }
        assertThat(found).containsExactly("org.opensdm:sdm-engine", "org.opensdm:sdm-rulesets", "org.slf4j:slf4j-simple");
    }

    record Result(int exit, List<String> out, String err) { }

    private static Result run(String... jvmOptions) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(Arrays.asList(jvmOptions));
        cmd.add("-cp");
        cmd.add(dir + File.pathSeparator + classPath);
        cmd.add(className);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(className + " did not finish");
        }
        return new Result(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void the_readme_program_prints_the_level_its_trail_and_json_with_no_warning() throws Exception {
        Result r = run();

        assertThat(r.exit()).isZero();
        assertThat(r.out().get(0)).isEqualTo("VERY_HIGH");
        assertThat(r.out()).anyMatch(l -> l.startsWith("R1 ") && l.contains(" [R1 = c] -> {neglect=2, abuse=1}"))
                .anyMatch(l -> l.endsWith("VERY_HIGH -> {finalLevel=VERY_HIGH, overrideApplied=POLICY}"));
        String json = r.out().get(r.out().size() - 1);
        assertThat(json).startsWith("{\"ruleset\":{\"id\":\"ref.family-risk\",\"version\":\"2.0\"")
                .contains("\"caseId\":\"C-1002\"", "\"finalLevel\":\"VERY_HIGH\"", "\"applied\":true");
        // slf4j-simple logs INFO by default: the engine's lines, no warning of SLF4J, Drools or the engine
        assertThat(r.err()).contains("INFO org.opensdm.engine.SdmEngine - loaded compiled ruleset ref.family-risk@2.0")
                .doesNotContain("SLF4J", "WARN", "ERROR");
    }

    @Test
    void with_warnings_only_stderr_is_empty() throws Exception {
        Result r = run("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

        assertThat(r.exit()).isZero();
        assertThat(r.out().get(0)).isEqualTo("VERY_HIGH");
        assertThat(r.err()).isEmpty();
    }
}
