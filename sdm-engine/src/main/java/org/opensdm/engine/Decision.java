package org.opensdm.engine;

import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scored decision: the exact ruleset version it came from, the outcome keys the ruleset
 * declares (in manifest order), every override given with whether it applied, and the audit
 * trail of every rule that fired, in firing order.
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
        outcome = Collections.unmodifiableMap(new LinkedHashMap<>(outcome));
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
     * (per-child items only) and the answer, and what it set or added.
     */
    public record TrailEntry(String rule, String item, String child, Object answer, Map<String, Object> effect) {
        public TrailEntry {
            effect = Collections.unmodifiableMap(new LinkedHashMap<>(effect));
        }
    }
}
