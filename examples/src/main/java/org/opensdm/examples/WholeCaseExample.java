package org.opensdm.examples;

import java.io.PrintStream;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opensdm.engine.Decision;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.SdmEngine;

/**
 * One family through a whole case, each decision feeding the next, as a case system would chain
 * them: hotline screening → safety assessment → family risk assessment (its
 * {@code unresolvedSafetyThreats} taken from the safety decision) → in-home risk reassessment →
 * reunification reassessment after a later placement (its U1 taken from the last risk level).
 *
 * <p>Run: {@code mvn -B -q -DskipTests package -Pdemo} (after the sample requests).
 */
public final class WholeCaseExample {
    private static final String CASE = "C-2001";

    private WholeCaseExample() {
    }

    public static void main(String[] args) {
        run(SdmEngine.builder().classpathRulesets().build(), System.out);
    }

    /** Walks the case and returns each step's decision, in order. */
    public static List<Decision> run(SdmEngine engine, PrintStream out) {
        // 1. The call: a toddler with a bruise, the alleged perpetrator at home tonight.
        Decision hotline = engine.evaluate(request("ref.hotline", LocalDate.of(2024, 3, 1))
                .answer("preliminary", "none")
                .answer("criteria", List.of("PA1", "NG2"))
                .answers(pairs("RP1", false, "RP2", true, "RP3", true, "RP4", false, "RP5", false))
                .build());
        show(out, "1. hotline", hotline);

        // 2. First face-to-face contact: threats found, an in-home plan protects the child.
        Decision safety = engine.evaluate(request("ref.safety", LocalDate.of(2024, 3, 1))
                .answer("vulnerability", List.of("age-0-5"))
                .answers(threats("ST1", "ST8"))
                .answer("interventions", List.of("1", "2"))
                .build());
        show(out, "2. safety", safety);

        // 3. Family risk: the safety decision says whether threats are still unresolved.
        boolean unresolved = !"SAFE".equals(safety.outcome().get("decision"));
        Decision risk = engine.evaluate(request("ref.family-risk", LocalDate.of(2024, 3, 8))
                .answers(pairs("R1", "c", "R2", "b", "R3", "b", "R4", "a", "R5", "b", "R6", "a", "R7", "b",
                        "R8", "b", "R9", "b", "R10", "a", "R11", "a", "R12", "a", "R13", "b", "R14", "a"))
                .fact("unresolvedSafetyThreats", unresolved)
                .build());
        show(out, "3. family risk (unresolvedSafetyThreats=" + unresolved + ")", risk);

        // 4. Six months of in-home services: the reassessment before the case review.
        Decision reassessment = engine.evaluate(request("ref.risk-reassessment", LocalDate.of(2024, 9, 6))
                .answers(pairs("RR1", "b", "RR2", "b", "RR3", "b", "RR4", "a", "RR5", "c", "RR6", "c", "RR7", "a",
                        "RR8", "c"))
                .build());
        show(out, "4. risk reassessment", reassessment);

        // 5. After a substantiated new incident the child was placed; months later, may the child go home?
        String u1 = switch ((String) reassessment.outcome().get("finalLevel")) {
            case "LOW" -> "a";
            case "MODERATE" -> "b";
            case "HIGH" -> "c";
            default -> "d";
        };
        Decision reunification = engine.evaluate(request("ref.reunification", LocalDate.of(2025, 3, 3))
                .answers(pairs("U1", u1, "U2", "a", "U3", "a", "V1", "a", "V2", "b"))
                .answer("vulnerability", List.of())
                .answers(threats())
                .answer("interventions", List.of())
                .build());
        show(out, "5. reunification (U1=" + u1 + " from the last risk level)", reunification);
        return List.of(hotline, safety, risk, reassessment, reunification);
    }

    private static EvaluationRequest.Builder request(String ruleset, LocalDate on) {
        return EvaluationRequest.builder(ruleset).assessedOn(on).caseId(CASE);
    }

    private static Map<String, Object> pairs(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }

    /** ST1..ST12, the given ones marked. */
    private static Map<String, Object> threats(String... marked) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 1; i <= 12; i++) {
            m.put("ST" + i, List.of(marked).contains("ST" + i));
        }
        return m;
    }

    private static void show(PrintStream out, String step, Decision d) {
        out.println(step + ": " + d.ruleset().id() + " " + d.ruleset().version() + " -> " + d.outcome());
        d.trail().stream().filter(t -> !t.effect().isEmpty())
                .forEach(t -> out.println("     " + t.rule() + (t.item() == null ? "" : " [" + t.item() + "=" + t.answer() + "]")
                        + " " + t.effect()));
    }
}
