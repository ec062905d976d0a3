package org.opensdm.engine.analysis;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
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

/**
 * Runs scenarios through an engine (via JSON, as a case system would) and compares expectations.
 * A runner {@link #forVersion for a version} runs the scenarios of that version's files against
 * that version only: a scenario that would be decided under another one fails without running
 * ({@link #versionProblem}).
 */
public final class ScenarioRunner {
    /** The result of one scenario: its mismatches (empty when it passed) and the decision, if any. */
    public record Result(Scenario scenario, List<String> mismatches, Decision decision) {
        public boolean passed() {
            return mismatches.isEmpty();
        }
    }

    private final SdmEngine engine;
    /** The version whose scenario files this runner runs, or null (free-standing scenarios, run as they are). */
    private final RulesetVersion folder;

    /** Runs scenarios as they are, under whatever version their requests name or their dates choose. */
    public ScenarioRunner(SdmEngine engine) {
        this(engine, null);
    }

    private ScenarioRunner(SdmEngine engine, RulesetVersion folder) {
        this.engine = engine;
        this.folder = folder;
    }

    /**
     * Runs the scenarios of {@code version}'s scenario files against {@code version} only: a
     * scenario whose request names another ruleset or version, or names no version and is dated
     * where another version is in force, fails naming both versions, without running.
     */
    public static ScenarioRunner forVersion(SdmEngine engine, RulesetVersion version) {
        return new ScenarioRunner(engine, java.util.Objects.requireNonNull(version));
    }

    /**
     * Why {@code s}, a scenario of this runner's version, would not be decided under that version,
     * or null when it would be (or when the engine itself will refuse the request: a missing
     * ruleset, a version that is not a string, a date that does not parse or has no version in force).
     * The request's own {@code ruleset} and {@code version} must name this version, or its
     * {@code version} be left out and its {@code assessedOn} (default: today) fall where this
     * version is in force.
     */
    public String versionProblem(Scenario s) {
        if (folder == null) {
            return null;
        }
        Map<String, Object> request = s.request();
        String here = "its file is among the scenarios of " + folder.id() + " " + folder.version()
                + ": scenarios run against the version whose folder holds them";
        if (request.get("ruleset") instanceof String id && !id.equals(folder.id())) {
            return "ruleset: the scenario names ruleset " + id + " (" + s.source("ruleset") + "), but " + here;
        }
        if (!(request.get("ruleset") instanceof String)) {
            return null;
        }
        Object version = request.get("version");
        if (version instanceof String v) {
            return v.equals(folder.version()) ? null : "version: the scenario pins " + folder.id() + " " + v + " ("
                    + s.source("version") + "), but " + here + ", not " + v + " (pin \"" + folder.version()
                    + "\" or leave version out)";
        }
        if (version != null) {
            return null;
        }
        Object on = request.get("assessedOn");
        LocalDate date;
        try {
            date = on == null ? LocalDate.now() : LocalDate.parse(String.valueOf(on));
        } catch (java.time.DateTimeException e) {
            return null;
        }
        RulesetVersion chosen;
        try {
            chosen = engine.registry().resolve(folder.id(), null, date);
        } catch (SdmException e) {
            return null;
        }
        if (chosen.version().equals(folder.version())) {
            return null;
        }
        LocalDate from = folder.manifest().effectiveFrom();
        return "version: the scenario names no version, and on " + date + " (" + (on == null ? "today: it has no assessedOn"
                : s.source("assessedOn")) + ") " + folder.id() + " " + chosen.version() + " is in force, but " + here
                + ", not " + chosen.version() + " (pin \"" + folder.version() + "\"" + (date.isBefore(from)
                ? " and date it on or after " + from : "") + ")";
    }

    /** Every scenario of every scenario file of a version. */
    public static List<Scenario> scenariosOf(RulesetVersion version) {
        List<Scenario> all = new ArrayList<>();
        version.scenarios().forEach((path, text) -> all.addAll(ScenarioFile.parse(version.location(path), text)));
        return all;
    }

    public Result run(Scenario s) {
        String wrongVersion = versionProblem(s);
        if (wrongVersion != null) {
            return new Result(s, List.of(wrongVersion), null);
        }
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
