package org.opensdm.engine.ruleset;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opensdm.engine.rules.CutPoints;

/**
 * A ruleset version's {@code ruleset.yaml}: identity, provenance, items with their points, index
 * cut points, overrides, input facts and outcome keys. Points and cut points live here only;
 * the DRL reads them from the facts the engine inserts.
 */
public record RulesetManifest(
        String id,
        String version,
        String title,
        LocalDate effectiveFrom,
        RulesetStatus status,
        Provenance provenance,
        List<String> rules,
        List<IncludeDef> includes,
        List<SectionDef> sections,
        List<IndexDef> indices,
        List<ItemDef> items,
        List<ItemDef> childItems,
        List<OverrideDef> overrides,
        List<FactDef> facts,
        List<OutcomeDef> outcomes) {

    /** Where the numbers come from: a one-line notice and the cited sources. */
    public record Provenance(String notice, List<Source> sources) { }

    public record Source(String id, String citation) { }

    /**
     * Logic shared with another ruleset version, in one place: that version's items and the
     * named DRL files of it become part of this ruleset (and of its content hash).
     */
    public record IncludeDef(String ruleset, String version, List<String> rules) {
        public String key() {
            return ruleset + "@" + version;
        }
    }

    /**
     * A section (step) of the tool. Its items are required only when a rule inserts
     * {@code Section(id)}: when the step is reached.
     */
    public record SectionDef(String id, String text) { }

    /**
     * A scored index and its cut points; {@code provenance} is a source id or {@code ref};
     * {@code text} its name for people (null when the manifest gives none).
     */
    public record IndexDef(String id, String text, String provenance, List<CutPoints.Band> cutPoints) { }

    /**
     * An item. {@code section} names the step it belongs to (null: always asked); {@code scores} names the indices its options score (empty when unscored);
     * {@code maxPoints} caps a multi item's sum per index; {@code provenance} maps an aspect
     * ({@code text}, {@code points}) to a source id or {@code ref}.
     */
    public record ItemDef(
            String id,
            String text,
            ItemKind kind,
            boolean required,
            String section,
            List<String> scores,
            List<OptionDef> options,
            Map<String, Integer> maxPoints,
            Map<String, String> provenance) {

        public Optional<OptionDef> option(String key) {
            return options.stream().filter(o -> o.key().equals(key)).findFirst();
        }
    }

    /** An option; {@code points} maps each scored index to its points (empty when unscored). */
    public record OptionDef(String key, String text, Map<String, Integer> points) { }

    /**
     * An override type the tool takes: {@code policy} (with codes), {@code discretionary}, or a
     * tool-specific type whose override carries one of {@code values}; {@code text} says what it
     * does (null when the manifest gives none).
     */
    public record OverrideDef(String type, String text, List<OverrideCode> codes, List<String> values) { }

    public record OverrideCode(String code, String text, String provenance) { }

    /** A boolean input fact with its default. */
    public record FactDef(String id, boolean defaultValue, String text) { }

    /** An outcome key the rules produce; {@code nullable} keys may be left unset (null). */
    public record OutcomeDef(String key, boolean nullable, String text) { }

    public Optional<ItemDef> item(String itemId) {
        return items.stream().filter(i -> i.id().equals(itemId)).findFirst();
    }

    public Optional<OverrideDef> override(String type) {
        return overrides.stream().filter(o -> o.type().equals(type)).findFirst();
    }

    /** {@code id@version}. */
    public String key() {
        return id + "@" + version;
    }
}
