package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command's logging, as a user sees it on stderr: sdm runs in a child JVM with its own class
 * path (slf4j-simple and {@code simplelogger.properties}), so SLF4J starts up as it does in the
 * shipped jar. By default only warnings and errors are logged, and sdm and the rulesets it ships
 * cause none; the engine's INFO lines (ruleset reads, compile times) appear when asked for.
 */
class LoggingTest {
    private static final String REQUEST = Cli.resource("requests/family-risk-2.0.json");

    record Result(int exit, String out, String err) { }

    private static Result sdm(Path dir, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(SdmCli.class.getName());
        cmd.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("sdm " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void rulesets_and_evaluate_print_nothing_on_stderr(@TempDir Path dir) throws Exception {
        Result list = sdm(dir, List.of(), "rulesets");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("ref.family-risk", "ref.strengths-needs");
        assertThat(list.err()).isEmpty();

        Result evaluate = sdm(dir, List.of(), "evaluate", "--compact", REQUEST);
        assertThat(evaluate.exit()).isZero();
        assertThat(evaluate.out()).contains("\"finalLevel\":");
        assertThat(evaluate.err()).isEmpty(); // no SLF4J start-up lines, no Drools warnings
    }

    @Test
    void the_engine_logs_reads_and_compile_times_at_info_when_asked(@TempDir Path dir) throws Exception {
        Result r = sdm(dir, List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=info"), "evaluate", "--compact", REQUEST);
        assertThat(r.exit()).isZero();
        assertThat(r.err())
                .containsPattern("INFO RulesetRegistry - read 8 ruleset versions of 6 rulesets in \\d+ ms")
                .containsPattern("INFO SdmEngine - loaded compiled ruleset ref\\.family-risk@2\\.0 \\(sha256 [0-9a-f]{64}\\) in \\d+ ms")
                .doesNotContain("SLF4J", "WARN", "ERROR");
    }

    @Test
    void a_ruleset_that_does_not_compile_is_reported_by_sdm_alone(@TempDir Path dir) throws Exception {
        Path version = dir.resolve("rulesets/ref.family-risk/9.0");
        Files.createDirectories(version);
        Path shipped = Cli.SHIPPED_RULESETS.resolve("ref.family-risk/2.0");
        Files.writeString(version.resolve("ruleset.yaml"), Files.readString(shipped.resolve("ruleset.yaml"))
                .replaceFirst("(?m)^version: .*$", "version: \"9.0\"")
                .replaceFirst("(?m)^effectiveFrom: .*$", "effectiveFrom: 2030-01-01"));
        Files.writeString(version.resolve("family-risk.drl"), Files.readString(shipped.resolve("family-risk.drl"))
                + "\nrule \"broken\"\nwhen\n    Answer( item == \"R1\"\nthen\nend\n");
        Files.writeString(dir.resolve("request.json"),
                "{\"ruleset\":\"ref.family-risk\",\"version\":\"9.0\",\"assessedOn\":\"2030-06-01\",\"answers\":{}}");

        Result r = sdm(dir, List.of(), "evaluate", "--rulesets", dir.resolve("rulesets").toString(),
                dir.resolve("request.json").toString());

        assertThat(r.exit()).isEqualTo(4);
        // the problem once, from sdm, with file and line; not Drools' own ERROR line before it
        assertThat(r.err()).startsWith("sdm: ruleset failed to load (1 problem):")
                .contains("family-risk.drl:", "mismatched input 'then' in rule \"broken\"")
                .doesNotContain("KieProject", "ERROR", "SLF4J");
    }
}
