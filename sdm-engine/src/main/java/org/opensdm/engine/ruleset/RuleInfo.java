package org.opensdm.engine.ruleset;

import java.util.List;
import java.util.Set;

/**
 * One rule of a ruleset version, as static analysis sees it in the DRL source (read with the
 * Drools parser, not compiled): its name and place, the item its {@code @item} metadata names,
 * and every {@code OverrideGiven} pattern of its conditions.
 *
 * @param name      the rule's name
 * @param file      the DRL file, relative to the version folder ({@code include/<id>/<version>/x.drl}
 *                  for a file taken in by {@code include})
 * @param line      the rule's line in that file (1-based; 0 when not known)
 * @param item      the {@code @item} value: an item id, {@code "*"} for a rule over any answer, or null
 * @param overrides the {@code OverrideGiven} patterns of its conditions, in source order
 * @param text      the rule's DRL source, from {@code rule} to {@code end}, line ends as LF (empty when not known)
 */
public record RuleInfo(String name, String file, int line, String item, List<OverridePattern> overrides, String text) {
    public RuleInfo {
        overrides = List.copyOf(overrides);
        text = text == null ? "" : text;
    }

    /** A rule whose source text is not known. */
    public RuleInfo(String name, String file, int line, String item, List<OverridePattern> overrides) {
        this(name, file, line, item, overrides, "");
    }

    /**
     * An {@code OverrideGiven(...)} pattern: the override types, codes and values its constraints
     * compare with a string literal ({@code type == "policy"}, {@code code in ("PO1", "PO2")};
     * empty when it does not pin that field to literals), and whether it binds the fact to a
     * variable ({@code $o : OverrideGiven(...)}), which a rule needs to apply the override.
     */
    public record OverridePattern(int line, Set<String> types, Set<String> codes, Set<String> values, boolean bound) {
        public OverridePattern {
            types = Set.copyOf(types);
            codes = Set.copyOf(codes);
            values = Set.copyOf(values);
        }
    }
}
