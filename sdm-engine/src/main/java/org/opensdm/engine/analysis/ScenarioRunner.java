package org.opensdm.engine.analysis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.opensdm.engine.Decision;
import org.opensdm.engine.InvalidRequestException;
import org.opensdm.engine.Problem;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.SdmException;
import org.opensdm.engine.json.SdmJson;
import org.opensdm.engine.ruleset.RulesetVersion;

/** Runs scenarios through an engine (via JSON, as a case system would) and compares expectations. */
public final class ScenarioRunner {
    /** The result of one scenario: its mismatches (empty when it passed) and the decision, if any. */
    public record Result(Scenario scenario, List<String> mismatches, Decision decision) {
        public boolean passed() {
            return mismatches.isEmpty();
        }
    }

    private final SdmEngine engine;

    public ScenarioRunner(SdmEngine engine) {
        this.engine = engine;
    }

    /** Every scenario of every scenario file of a version. */
    public static List<Scenario> scenariosOf(RulesetVersion version) {
        List<Scenario> all = new ArrayList<>();
        version.scenarios().forEach((path, text) -> all.addAll(ScenarioFile.parse(version.location(path), text)));
        return all;
    }

    public Result run(Scenario s) {
        List<String> mismatches = new ArrayList<>();
        Decision decision = null;
        try {
            decision = engine.evaluateJson(SdmJson.write(s.request()).getBytes(StandardCharsets.UTF_8));
        } catch (InvalidRequestException e) {
            if (!s.expectsErrors()) {
                mismatches.add("expected a decision, got an invalid request: " + e.problems());
            } else {
                compareErrors(s.errors(), e.problems(), mismatches);
            }
            return new Result(s, mismatches, null);
        } catch (SdmException e) {
            mismatches.add("expected " + (s.expectsErrors() ? "errors" : "a decision") + ", got: " + e.getMessage());
            return new Result(s, mismatches, null);
        }
        if (s.expectsErrors()) {
            mismatches.add("expected an invalid request " + s.errors() + ", got a decision " + decision.outcome());
            return new Result(s, mismatches, decision);
        }
        Map<String, Object> actual = plainMap(decision.outcome());
        if (s.outcome() != null) {
            s.outcome().forEach((key, expected) -> {
                if (!actual.containsKey(key)) {
                    mismatches.add("outcome." + key + ": expected " + expected + ", but the decision has no such key");
                } else if (!Objects.equals(plain(expected), actual.get(key))) {
                    mismatches.add("outcome." + key + ": expected " + expected + ", actual " + actual.get(key));
                }
            });
        }
        if (s.overrides() != null) {
            List<Decision.OverrideResult> got = decision.overrides();
            if (got.size() != s.overrides().size()) {
                mismatches.add("overrides: expected " + s.overrides().size() + ", actual " + got.size());
            } else {
                for (int i = 0; i < got.size(); i++) {
                    Map<String, Object> g = plainMap(got.get(i));
                    int n = i;
                    s.overrides().get(i).forEach((k, v) -> {
                        if (!Objects.equals(plain(v), g.get(k))) {
                            mismatches.add("overrides[" + n + "]." + k + ": expected " + v + ", actual " + g.get(k));
                        }
                    });
                }
            }
        }
        if (s.trail() != null) {
            int from = 0;
            for (Map<String, Object> want : s.trail()) {
                int found = -1;
                for (int i = from; i < decision.trail().size(); i++) {
                    if (subset(want, plainMap(decision.trail().get(i)))) {
                        found = i;
                        break;
                    }
                }
                if (found < 0) {
                    mismatches.add("trail: no entry (in order) matches " + want);
                } else {
                    from = found + 1;
                }
            }
        }
        return new Result(s, mismatches, decision);
    }

    /** Each expected problem must match its own actual problem (one to one), and nothing more may be reported. */
    private static void compareErrors(List<Map<String, Object>> expected, List<Problem> actual, List<String> mismatches) {
        List<Problem> unmatched = new ArrayList<>(actual);
        for (Map<String, Object> want : expected) {
            Problem match = unmatched.stream().filter(p -> Objects.equals(want.get("path"), p.path())
                    && (want.get("message") == null || p.message().contains(String.valueOf(want.get("message")))))
                    .findFirst().orElse(null);
            if (match == null) {
                mismatches.add("errors: expected a problem " + want + ", actual " + actual);
            } else {
                unmatched.remove(match);
            }
        }
        if (actual.size() != expected.size()) {
            mismatches.add("errors: expected " + expected.size() + " problems, actual " + actual.size() + ": " + actual);
        }
    }

    private static boolean subset(Map<String, Object> want, Map<String, Object> got) {
        for (Map.Entry<String, Object> e : want.entrySet()) {
            if (!Objects.equals(plain(e.getValue()), got.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> plainMap(Object o) {
        return (Map<String, Object>) SdmJson.readPlain(SdmJson.write(o));
    }

    private static Object plain(Object o) {
        return SdmJson.readPlain(SdmJson.write(o));
    }
}
