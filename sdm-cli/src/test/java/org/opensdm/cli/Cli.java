package org.opensdm.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.json.SdmJson;
import picocli.CommandLine;

/** Runs {@code sdm} in-process with captured stdout and stderr. */
final class Cli {
    /** The shipped rulesets, compiled once for every test class of this JVM. */
    static final SdmEngine SHIPPED = SdmEngine.builder().classpathRulesets().build();

    /** Shares {@link #SHIPPED}; a {@code --rulesets} run gets its own engine, as in production. */
    static final EngineFactory ENGINES = dir -> dir == null ? SHIPPED : EngineFactory.DEFAULT.create(dir);

    static final Path SHIPPED_RULESETS = Path.of("../sdm-rulesets/src/main/resources/sdm/rulesets").toAbsolutePath().normalize();

    record Result(int exit, String out, String err) {
        /** Stdout as plain JSON values. */
        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return (Map<String, Object>) SdmJson.readPlain(out);
        }

        List<String> outLines() {
            return out.lines().toList();
        }
    }

    private Cli() {
    }

    static Result run(String... args) {
        return runWithStdin("", args);
    }

    static Result runWithStdin(String stdin, String... args) {
        return run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
    }

    static Result run(InputStream stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = SdmCli.commandLine(stdin, ENGINES);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** A test resource as a file path. */
    static String resource(String name) {
        try {
            return Path.of(Cli.class.getResource("/" + name).toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A family-risk request of the 2.x layout (R1..R14, all 'a' unless given), as one line of JSON. */
    static String familyRisk2(String version, String assessedOn, String... answerOverrides) {
        StringBuilder answers = new StringBuilder();
        for (int i = 1; i <= 14; i++) {
            String value = "\"a\"";
            for (int j = 0; j + 1 < answerOverrides.length; j += 2) {
                if (answerOverrides[j].equals("R" + i)) {
                    value = answerOverrides[j + 1];
                }
            }
            answers.append(i == 1 ? "" : ",").append("\"R").append(i).append("\":").append(value);
        }
        return "{\"ruleset\":\"ref.family-risk\"" + (version == null ? "" : ",\"version\":\"" + version + "\"")
                + ",\"assessedOn\":\"" + assessedOn + "\",\"answers\":{" + answers + "}}";
    }

    /** A family-risk 1.0 request (N1..N10, A1..A10; all 'a', A7 none), as one line of JSON. */
    static String familyRisk1(String assessedOn) {
        StringBuilder answers = new StringBuilder();
        for (int i = 1; i <= 10; i++) {
            answers.append(i == 1 ? "" : ",").append("\"N").append(i).append("\":\"a\"");
        }
        for (int i = 1; i <= 10; i++) {
            answers.append(",\"A").append(i).append("\":").append(i == 7 ? "[]" : "\"a\"");
        }
        return "{\"ruleset\":\"ref.family-risk\",\"assessedOn\":\"" + assessedOn + "\",\"answers\":{" + answers + "}}";
    }
}
