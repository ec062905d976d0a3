package org.opensdm.engine;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One assessment to evaluate. {@code answers} maps item id to the answer: an option key String
 * (choice), a List of option keys (multi), a Boolean (yesno) or a String (text). Values are
 * checked against the ruleset's manifest when evaluated, never trusted.
 *
 * @param ruleset    the ruleset id, e.g. {@code ref.family-risk}
 * @param version    an exact version, or null for the version in force on {@code assessedOn}
 * @param assessedOn the assessment date, or null for today
 * @param caseId     the caller's case id, echoed in the decision (may be null)
 * @param answers    item id to answer
 * @param overrides  overrides the worker gives, each with a reason
 * @param facts      input facts the ruleset declares (e.g. {@code unresolvedSafetyThreats})
 * @param children   per-child answers, for tools that rate each child
 */
public record EvaluationRequest(
        String ruleset,
        String version,
        LocalDate assessedOn,
        String caseId,
        Map<String, Object> answers,
        List<OverrideRequest> overrides,
        Map<String, Object> facts,
        List<ChildAnswers> children) {

    public EvaluationRequest {
        answers = answers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(answers));
        overrides = overrides == null ? List.of() : List.copyOf(overrides);
        facts = facts == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        children = children == null ? List.of() : List.copyOf(children);
    }

    /** An override as requested: {@code type} with a {@code code} or a {@code value}, and a reason. */
    public record OverrideRequest(String type, String code, String value, String reason) {
        public static OverrideRequest policy(String code, String reason) {
            return new OverrideRequest("policy", code, null, reason);
        }

        public static OverrideRequest discretionary(String reason) {
            return new OverrideRequest("discretionary", null, null, reason);
        }
    }

    /** The answers about one child, for tools that rate each child. */
    public record ChildAnswers(String id, Map<String, Object> answers) {
        public ChildAnswers {
            answers = answers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(answers));
        }
    }

    public static Builder builder(String ruleset) {
        return new Builder(ruleset);
    }

    /** Fluent construction for Java callers. */
    public static final class Builder {
        private final String ruleset;
        private String version;
        private LocalDate assessedOn;
        private String caseId;
        private final Map<String, Object> answers = new LinkedHashMap<>();
        private final List<OverrideRequest> overrides = new ArrayList<>();
        private final Map<String, Object> facts = new LinkedHashMap<>();
        private final List<ChildAnswers> children = new ArrayList<>();

        private Builder(String ruleset) {
            this.ruleset = ruleset;
        }

        public Builder version(String v) { this.version = v; return this; }

        public Builder assessedOn(LocalDate d) { this.assessedOn = d; return this; }

        public Builder caseId(String id) { this.caseId = id; return this; }

        public Builder answer(String item, Object value) { answers.put(item, value); return this; }

        public Builder answers(Map<String, ?> all) { answers.putAll(all); return this; }

        public Builder override(OverrideRequest o) { overrides.add(o); return this; }

        public Builder fact(String name, Object value) { facts.put(name, value); return this; }

        public Builder child(String id, Map<String, Object> childAnswers) { children.add(new ChildAnswers(id, childAnswers)); return this; }

        public EvaluationRequest build() {
            return new EvaluationRequest(ruleset, version, assessedOn, caseId, answers, overrides, facts, children);
        }
    }
}
