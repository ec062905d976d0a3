package org.opensdm.engine.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.opensdm.engine.rules.CutPoints;
import org.opensdm.engine.ruleset.ManifestLoader;
import org.opensdm.engine.ruleset.RulesetManifest;
import org.opensdm.engine.ruleset.RulesetManifest.IncludeDef;
import org.opensdm.engine.ruleset.RulesetManifest.IndexDef;
import org.opensdm.engine.ruleset.RulesetManifest.ItemDef;
import org.opensdm.engine.ruleset.RulesetManifest.OptionDef;
import org.opensdm.engine.ruleset.RulesetManifest.OverrideCode;
import org.opensdm.engine.ruleset.RulesetManifest.OverrideDef;
import org.opensdm.engine.ruleset.RulesetRegistry;
import org.opensdm.engine.ruleset.RulesetVersion;
import org.opensdm.engine.ruleset.ScoreRange;

/**
 * The ruleset reference, generated from the manifests ({@code sdm docs}): one Markdown page per
 * ruleset version ({@code <id>-<version>.md}: identity, status, provenance, sources, sections,
 * includes, indices with their cut points, every item with its options and points, overrides,
 * input facts, outcome keys, content hash), a {@code README.md} index, and one JSON Schema of
 * the request per version ({@link RequestSchema}).
 *
 * <p>The output depends on the manifests and content hashes only (not on where a version was
 * loaded from, the clock or the platform): the same rulesets give byte-identical files, with
 * {@code \n} line ends.
 */
public final class RulesetDocs {
    /** The file name of a version's reference page. */
    public static String pageName(RulesetVersion v) {
        return v.id() + "-" + v.version() + ".md";
    }

    /** The file name of a version's request schema. */
    public static String schemaName(RulesetVersion v) {
        return v.id() + "-" + v.version() + ".request.schema.json";
    }

    /** The name of the index page. */
    public static final String INDEX = "README.md";

    /** The command that writes the files, named in every generated file. */
    public static final String COMMAND = "./sdm docs";

    private final RulesetRegistry registry;

    public RulesetDocs(RulesetRegistry registry) {
        this.registry = registry;
    }

    /**
     * The reference pages and the index, by file name.
     *
     * @param schemaLink how a page links to the schema folder (e.g. {@code ../schemas}), without a trailing slash
     */
    public SortedMap<String, String> referencePages(String schemaLink) {
        SortedMap<String, String> files = new TreeMap<>();
        for (RulesetVersion v : registry.versions()) {
            files.put(pageName(v), page(v, schemaLink));
        }
        files.put(INDEX, index(schemaLink));
        return files;
    }

    /** The request schemas, by file name. */
    public SortedMap<String, String> schemas() {
        SortedMap<String, String> files = new TreeMap<>();
        for (RulesetVersion v : registry.versions()) {
            files.put(schemaName(v), RequestSchema.json(v));
        }
        return files;
    }

    private String generatedNote() {
        return "<!-- Generated from the ruleset manifests by `" + COMMAND + "`; do not edit by hand. -->\n";
    }

    String index(String schemaLink) {
        StringBuilder b = new StringBuilder();
        b.append("# Ruleset reference\n\n").append(generatedNote()).append('\n');
        b.append("One page per ruleset version, generated from its `ruleset.yaml`: items, options and points, cut\n")
                .append("points, overrides, input facts, outcome keys and provenance. Each version also has a JSON Schema\n")
                .append("of its request. How requests and decisions work is in the [request and decision contract](../contract.md).\n\n");
        b.append("| ruleset | version | effective from | status | title | request schema | sha256 |\n");
        b.append("|---|---|---|---|---|---|---|\n");
        for (RulesetVersion v : registry.versions()) {
            RulesetManifest m = v.manifest();
            b.append("| `").append(m.id()).append("` | [").append(m.version()).append("](").append(pageName(v)).append(") | ")
                    .append(m.effectiveFrom()).append(" | ").append(m.status().wireName()).append(" | ").append(cell(m.title()))
                    .append(" | [schema](").append(schemaLink).append('/').append(schemaName(v)).append(") | `")
                    .append(v.sha256(), 0, Math.min(12, v.sha256().length())).append("` |\n");
        }
        b.append("\nWhich version a request gets: the one it names in `version`, else the one whose `effectiveFrom` is the\n")
                .append("latest on or before its `assessedOn` (default: today).\n");
        return b.toString();
    }

    /** The items a version takes from the versions it includes, by item id, with the version they come from. */
    private Map<String, RulesetVersion> includedItems(RulesetVersion v) {
        Map<String, RulesetVersion> out = new LinkedHashMap<>();
        for (IncludeDef inc : v.manifest().includes()) {
            registry.find(inc.ruleset(), inc.version()).ifPresent(target -> {
                for (ItemDef item : target.manifest().items()) {
                    out.putIfAbsent(item.id(), target);
                }
            });
        }
        return out;
    }

    String page(RulesetVersion v, String schemaLink) {
        RulesetManifest m = v.manifest();
        Map<String, RulesetVersion> included = includedItems(v);
        StringBuilder b = new StringBuilder();
        b.append("# ").append(m.id()).append(' ').append(m.version()).append(": ").append(text(m.title())).append("\n\n");
        b.append(generatedNote()).append('\n');
        b.append("| | |\n|---|---|\n");
        b.append("| id | `").append(m.id()).append("` |\n");
        b.append("| version | `").append(m.version()).append("` |\n");
        b.append("| status | ").append(m.status().wireName()).append(" |\n");
        b.append("| effective from | ").append(m.effectiveFrom()).append(" |\n");
        b.append("| rule files | ").append(m.rules().stream().map(r -> "`" + r + "`").collect(Collectors.joining(", "))).append(" |\n");
        b.append("| content sha256 | `").append(v.sha256()).append("` |\n");
        b.append("| request schema | [").append(schemaName(v)).append("](").append(schemaLink).append('/').append(schemaName(v)).append(") |\n");
        b.append("\n> **Provenance.** ").append(text(m.provenance().notice())).append("\n\n");

        b.append("Each number and text below is marked with where it comes from: a source id of the table below, or\n")
                .append("`ref`, a reference value chosen by this project.\n\n");
        b.append("## Sources\n\n");
        sources(b, m);

        if (!m.includes().isEmpty()) {
            b.append("\n## Includes\n\n");
            b.append("The items and sections of each included version, and the named rule files of it, are part of this\n")
                    .append("version (and of its content hash, under `include/<id>/<version>/`).\n\n");
            b.append("| ruleset | version | rule files | items |\n|---|---|---|---|\n");
            for (IncludeDef inc : m.includes()) {
                String items = included.entrySet().stream().filter(e -> e.getValue().key().equals(inc.key()))
                        .map(e -> "`" + e.getKey() + "`").collect(Collectors.joining(", "));
                b.append("| `").append(inc.ruleset()).append("` | ").append(inc.version()).append(" | ")
                        .append(inc.rules().stream().map(r -> "`" + r + "`").collect(Collectors.joining(", "))).append(" | ")
                        .append(items).append(" |\n");
            }
        }

        if (!m.sections().isEmpty()) {
            b.append("\n## Sections\n\n");
            b.append("The items of a section are required only when a rule opens the section (the step is reached);\n")
                    .append("answers to a section that is not reached are ignored and recorded in the trail as not applicable.\n\n");
            b.append("| section | text | items |\n|---|---|---|\n");
            for (RulesetManifest.SectionDef s : m.sections()) {
                String items = m.items().stream().filter(i -> s.id().equals(i.section())).map(i -> "`" + i.id() + "`")
                        .collect(Collectors.joining(", "));
                b.append("| `").append(s.id()).append("` | ").append(cell(s.text())).append(" | ").append(items).append(" |\n");
            }
        }

        b.append("\n## Indices and cut points\n");
        if (m.indices().isEmpty()) {
            b.append("\nThis version scores no index: no item has points, and there are no cut points.\n");
        } else {
            for (IndexDef index : m.indices()) {
                int[] range = ScoreRange.of(index.id(), m.items());
                b.append("\n### ").append(index.id()).append(index.text() == null ? "" : ": " + text(index.text())).append("\n\n");
                b.append("Cut points: ").append(provenance(index.provenance())).append(". Scores the points can reach: ")
                        .append(range[0]).append(" to ").append(range[1]).append(". Scored by: ")
                        .append(m.items().stream().filter(i -> i.scores().contains(index.id())).map(i -> "`" + i.id() + "`")
                                .collect(Collectors.joining(", ")))
                        .append(".\n\n");
                b.append("| level | min score | max score |\n|---|---|---|\n");
                for (CutPoints.Band band : index.cutPoints()) {
                    b.append("| ").append(band.level()).append(" | ").append(band.min()).append(" | ")
                            .append(band.max() == null ? "no limit" : band.max().toString()).append(" |\n");
                }
            }
        }

        List<ItemDef> own = m.items().stream().filter(i -> !included.containsKey(i.id())).toList();
        b.append("\n## Items\n\n");
        b.append("Every item below is a key of the request's `answers`.\n");
        items(b, own, m, false);
        for (IncludeDef inc : m.includes()) {
            List<ItemDef> fromInc = m.items().stream().filter(i -> included.containsKey(i.id())
                    && included.get(i.id()).key().equals(inc.key())).toList();
            if (fromInc.isEmpty()) {
                continue;
            }
            RulesetManifest target = included.get(fromInc.get(0).id()).manifest();
            b.append("\n## Items included from ").append(inc.ruleset()).append(' ').append(inc.version()).append("\n\n");
            b.append("Also keys of `answers`. Their provenance names the sources of ").append(inc.ruleset()).append(' ')
                    .append(inc.version()).append(":\n\n");
            sources(b, target);
            items(b, fromInc, m, false);
        }
        if (!m.childItems().isEmpty()) {
            b.append("\n## Child items\n\n");
            b.append("Answered once per child, in the request's `children[].answers` (each child with a distinct `id`;\n")
                    .append("at least one child).\n");
            items(b, m.childItems(), m, true);
        }

        b.append("\n## Overrides\n\n");
        if (m.overrides().isEmpty()) {
            b.append("This version takes no overrides.\n");
        } else {
            b.append("Each override in the request's `overrides` names its `type`, a `code` or a `value` where the type\n")
                    .append("has them, and a non-blank `reason`. The decision lists each one with `applied`.\n");
            for (OverrideDef o : m.overrides()) {
                b.append("\n### ").append(o.type()).append("\n\n");
                if (o.text() != null) {
                    b.append(text(o.text())).append("\n\n");
                }
                if (!o.codes().isEmpty()) {
                    b.append("`code`, one of (each code at most once per request):\n\n");
                    b.append("| code | text | provenance |\n|---|---|---|\n");
                    for (OverrideCode c : o.codes()) {
                        b.append("| `").append(c.code()).append("` | ").append(cell(c.text())).append(" | ")
                                .append(provenance(c.provenance())).append(" |\n");
                    }
                } else if (!o.values().isEmpty()) {
                    b.append("`value`, one of: ").append(o.values().stream().map(x -> "`" + x + "`").collect(Collectors.joining(", ")))
                            .append(". At most one ").append(o.type()).append(" override per request.\n");
                } else {
                    b.append("No code or value. At most one ").append(o.type()).append(" override per request.\n");
                }
            }
        }

        b.append("\n## Input facts\n\n");
        if (m.facts().isEmpty()) {
            b.append("This version takes no facts: leave the request's `facts` out (or empty).\n");
        } else {
            b.append("Keys of the request's `facts`; a fact left out takes its default.\n\n");
            b.append("| fact | type | default | text |\n|---|---|---|---|\n");
            for (RulesetManifest.FactDef f : m.facts()) {
                b.append("| `").append(f.id()).append("` | boolean | ").append(f.defaultValue()).append(" | ").append(cell(f.text())).append(" |\n");
            }
        }

        b.append("\n## Outcome keys\n\n");
        b.append("The keys of the decision's `outcome`, in this order. A key marked nullable may be `null`; every other key\n")
                .append("is always set.\n\n");
        b.append("| key | nullable | text |\n|---|---|---|\n");
        for (RulesetManifest.OutcomeDef o : m.outcomes()) {
            b.append("| `").append(o.key()).append("` | ").append(o.nullable() ? "yes" : "no").append(" | ").append(cell(o.text())).append(" |\n");
        }
        return b.toString();
    }

    private static void sources(StringBuilder b, RulesetManifest m) {
        b.append("| id | citation |\n|---|---|\n");
        for (RulesetManifest.Source s : m.provenance().sources()) {
            b.append("| `").append(s.id()).append("` | ").append(cell(s.citation())).append(" |\n");
        }
        b.append("| `").append(ManifestLoader.REFERENCE_VALUE).append("` | this project's reference value, not from a published source |\n");
    }

    private static void items(StringBuilder b, List<ItemDef> items, RulesetManifest m, boolean perChild) {
        for (ItemDef item : items) {
            b.append("\n### ").append(item.id()).append(": ").append(text(item.text())).append("\n\n");
            List<String> facts = new ArrayList<>();
            facts.add("kind: `" + item.kind().wireName() + "` (" + expects(item) + ")");
            if (!item.required()) {
                facts.add("optional");
            } else if (item.section() != null) {
                facts.add("required when section `" + item.section() + "` is reached");
            } else {
                facts.add(perChild ? "required for every child" : "required");
            }
            if (!item.scores().isEmpty()) {
                facts.add("scores: " + item.scores().stream().map(s -> "`" + s + "`").collect(Collectors.joining(", ")));
            }
            item.maxPoints().forEach((index, cap) -> facts.add("maxPoints: at most " + cap + " `" + index
                    + "` points in all, whatever the options add up to"));
            List<String> prov = new ArrayList<>();
            item.provenance().forEach((aspect, source) -> prov.add(aspect + " " + provenance(source)));
            if (!prov.isEmpty()) {
                facts.add("provenance: " + String.join(", ", prov));
            }
            b.append(String.join("; ", facts)).append(".\n");
            if (item.options().isEmpty()) {
                continue;
            }
            b.append('\n');
            StringBuilder head = new StringBuilder("| option | text |");
            StringBuilder rule = new StringBuilder("|---|---|");
            for (String index : item.scores()) {
                head.append(' ').append(index).append(" points |");
                rule.append("---|");
            }
            b.append(head).append('\n').append(rule).append('\n');
            for (OptionDef o : item.options()) {
                b.append("| `").append(o.key()).append("` | ").append(cell(o.text())).append(" |");
                for (String index : item.scores()) {
                    b.append(' ').append(o.points().getOrDefault(index, 0)).append(" |");
                }
                b.append('\n');
            }
        }
    }

    /** What a request gives for an item of this kind. */
    static String expects(ItemDef item) {
        return switch (item.kind()) {
            case CHOICE -> "one option key";
            case MULTI -> "an array of distinct option keys, `[]` for none";
            case YESNO -> "`true` or `false`";
            case TEXT -> "a non-blank string";
        };
    }

    private static String provenance(String source) {
        return source == null ? "not stated" : "`" + source + "`";
    }

    /** Text on one line: line breaks and runs of blanks become one space. */
    static String text(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s+", " ");
    }

    /** Text for a table cell: one line, {@code |} escaped. */
    static String cell(String s) {
        return text(s).replace("|", "\\|");
    }

    /** The section ids in manifest order, with the items of each. */
    static Map<String, List<ItemDef>> sectionItems(RulesetManifest m) {
        Map<String, List<ItemDef>> out = new LinkedHashMap<>();
        m.sections().forEach(s -> out.put(s.id(), new ArrayList<>()));
        for (ItemDef i : m.items()) {
            if (i.section() != null) {
                out.computeIfAbsent(i.section(), k -> new ArrayList<>()).add(i);
            }
        }
        return out;
    }
}
