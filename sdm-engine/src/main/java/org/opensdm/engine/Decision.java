package org.opensdm.engine;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A scored decision: the exact ruleset version it came from, the outcome keys the ruleset
 * declares (in manifest order), every override given with whether it applied, and the audit
 * trail of every rule that fired, in firing order.
 *
 * <p>Deeply immutable: the outcome map and every list, map or set in its values (at any depth),
 * the overrides, the trail, each trail entry's effect map and answer are unmodifiable copies made
 * once, when the decision is made (their order kept); a change throws
 * {@link UnsupportedOperationException}. Every {@link DecisionSink} and the caller get the same
 * objects, so none of them can change what another one sees or records.
 */
public record Decision(
        RulesetInfo ruleset,
        String engineVersion,
        String caseId,
        LocalDate assessedOn,
        Map<String, Object> outcome,
        List<OverrideResult> overrides,
        List<TrailEntry> trail) {

    public Decision {
        outcome = Immutables.map(outcome); // the same map when the engine made it so already
        overrides = List.copyOf(overrides);
        trail = List.copyOf(trail);
    }

    /**
     * The ruleset version: id, version, content hash, status ({@code reference} or
     * {@code certified}) and its provenance notice, so that no reader mistakes a reference value
     * for a jurisdiction's official one.
     */
    public record RulesetInfo(String id, String version, String sha256, String status, String provenance) { }

    /** An override as given, and whether a rule applied it. */
    public record OverrideResult(String type, String code, String value, String reason, boolean applied) { }

    /**
     * One rule that fired: its name, the item it read ({@code @item} metadata) with the child
     * (per-child items only) and the answer, and what it set or added. The effect map (in the
     * order the consequence recorded it) and its values, and the answer, are unmodifiable copies,
     * taken when the rule fired.
     */
    public record TrailEntry(String rule, String item, String child, Object answer, Map<String, Object> effect) {
        public TrailEntry {
            answer = Immutables.value(answer);
            effect = Immutables.map(effect);
        }
    }
}
