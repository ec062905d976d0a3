package org.opensdm.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opensdm.engine.Decision;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.audit.CanonicalJson;
import org.opensdm.engine.audit.DecisionLog;
import org.opensdm.engine.audit.DecisionRecord;
import org.opensdm.engine.audit.LogVerification;
import org.opensdm.engine.audit.Replay;
import org.opensdm.engine.audit.ReplayReport;
import org.opensdm.engine.audit.ReplayResult;
import org.opensdm.engine.json.SdmJson;

/**
 * How an auditor's evidence is made and checked:
 * <ol>
 *   <li>the case system's engine records every decision in a decision log before returning it;</li>
 *   <li>the auditor verifies the log's hash chain and replays every decision under the exact
 *       ruleset version it was made with: all IDENTICAL;</li>
 *   <li>a log edited by hand is caught by verify, naming the line;</li>
 *   <li>a careful forger who recomputes every hash gets past verify, but replay shows the
 *       forged outcome as DIFFERENT.</li>
 * </ol>
 * Run: {@code mvn -B -q -o -f examples/pom.xml compile exec:java -Dexec.mainClass=org.opensdm.examples.AuditorExample}
 * (writes into a new temporary folder, or into the folder given as the first argument).
 */
public final class AuditorExample {
    private AuditorExample() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Files.createDirectories(Path.of(args[0])) : Files.createTempDirectory("sdm-audit");
        run(dir, SdmEngine.builder().classpathRulesets().build(), System.out);
    }

    /** What the example found, for its test. */
    record Findings(LogVerification intact, ReplayReport replay, LogVerification tampered, LogVerification forgedVerify,
                    ReplayReport forgedReplay) { }

    static Findings run(Path dir, SdmEngine shipped, PrintStream out) throws IOException {
        Path log = dir.resolve("decisions.jsonl");

        // 1. The case system: one engine, with the log as its decision sink. evaluate() returns only once the
        //    decision is durably recorded; if recording fails, it throws and the decision is withheld.
        out.println("1. Recording 12 decisions in " + log);
        try (DecisionLog decisions = DecisionLog.open(log)) {
            SdmEngine engine = shipped.withDecisionSink(decisions); // or SdmEngine.builder()...decisionSink(decisions).build()
            for (int i = 1; i <= 12; i++) {
                Decision d = engine.evaluate(FamilyRiskRequests.request(i));
                out.printf("   %-5s %s under %s %s: %s%n", d.caseId(), d.assessedOn(), d.ruleset().id(), d.ruleset().version(),
                        d.outcome().get("finalLevel"));
            }
            out.println("   receipt of the last one: seq " + decisions.lastSeq() + ", hash " + decisions.lastHash());
        }

        // 2. The auditor: verify the chain, then replay every decision.
        LogVerification v = DecisionLog.verify(log);
        out.println("2. verify: " + v.describe());
        ReplayReport replay = Replay.with(shipped).run(log);
        out.println("   replay: " + replay.summary().describe());

        // 3. Someone edits a decision in the file: the level of record 5.
        Path tampered = dir.resolve("tampered.jsonl");
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        List<String> edited = new ArrayList<>(lines);
        String level = (String) object(object(parse(lines.get(4)).get("decision")).get("outcome")).get("finalLevel");
        edited.set(4, edited.get(4).replace("\"finalLevel\":\"" + level + "\"",
                "\"finalLevel\":\"" + ("LOW".equals(level) ? "HIGH" : "LOW") + "\""));
        Files.write(tampered, edited, StandardCharsets.UTF_8);
        LogVerification t = DecisionLog.verify(tampered);
        out.println("3. verify of an edited copy: " + t.describe());

        // 4. A forger who knows the format changes record 5's final level and recomputes every hash after it.
        Path forged = dir.resolve("forged.jsonl");
        List<String> rewritten = new ArrayList<>(lines.subList(0, 4));
        String previous = hashOf(lines.get(3));
        for (int i = 4; i < lines.size(); i++) {
            Map<String, Object> record = new LinkedHashMap<>(parse(lines.get(i))); // read values are unmodifiable: copies
            if (i == 4) {
                Map<String, Object> decision = new LinkedHashMap<>(object(record.get("decision")));
                Map<String, Object> outcome = new LinkedHashMap<>(object(decision.get("outcome")));
                outcome.put("finalLevel", "VERY_HIGH".equals(outcome.get("finalLevel")) ? "LOW" : "VERY_HIGH");
                decision.put("outcome", outcome);
                record.put("decision", decision);
            }
            record.put("previousHash", previous);
            record.put("hash", DecisionRecord.computeHash(record));
            previous = (String) record.get("hash");
            rewritten.add(CanonicalJson.write(record));
        }
        Files.write(forged, rewritten, StandardCharsets.UTF_8);
        LogVerification fv = DecisionLog.verify(forged);
        ReplayReport fr = Replay.with(shipped).run(forged);
        out.println("4. a forgery with every hash recomputed: verify says " + fv.describe().replaceFirst(", last hash.*", ""));
        out.println("   but replay says " + fr.summary().describe() + ":");
        for (ReplayResult r : fr.results()) {
            if (r.status() != ReplayResult.Status.IDENTICAL) {
                out.println("   line " + r.line() + " (case " + r.caseId() + ") " + r.status());
                r.differences().forEach(d -> out.println("     " + d));
            }
        }
        out.println("   (keep the last hash of a log elsewhere, e.g. with the case: a recomputed chain ends in another hash)");
        return new Findings(v, replay, t, fv, fr);
    }

    /** A log line read as plain values: a JSON object is a {@code Map}. */
    private static Map<String, Object> parse(String line) {
        return object(SdmJson.readPlain(line));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) {
        return (Map<String, Object>) value;
    }

    private static String hashOf(String line) {
        return (String) parse(line).get("hash");
    }
}
