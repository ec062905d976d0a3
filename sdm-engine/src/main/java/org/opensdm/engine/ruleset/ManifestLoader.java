package org.opensdm.engine.ruleset;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.opensdm.engine.RulesetLoadException;
import org.opensdm.engine.RulesetProblem;
import org.opensdm.engine.rules.CutPoints;
import org.opensdm.engine.rules.RiskLevel;
import org.opensdm.engine.ruleset.RulesetManifest.FactDef;
import org.opensdm.engine.ruleset.RulesetManifest.IndexDef;
import org.opensdm.engine.ruleset.RulesetManifest.ItemDef;
import org.opensdm.engine.ruleset.RulesetManifest.OptionDef;
import org.opensdm.engine.ruleset.RulesetManifest.OutcomeDef;
import org.opensdm.engine.ruleset.RulesetManifest.OverrideCode;
import org.opensdm.engine.ruleset.RulesetManifest.OverrideDef;
import org.opensdm.engine.ruleset.RulesetManifest.Provenance;
import org.opensdm.engine.ruleset.RulesetManifest.Source;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Loads and validates a {@code ruleset.yaml}. Reports every problem it finds, each with file,
 * line, column and field path: missing fields, unknown fields, unknown item kinds, options
 * without points on a scored item, cut points with gaps or overlaps or that miss part of the
 * score range the points can reach, unknown source ids in provenance.
 */
public final class ManifestLoader {
    /** The provenance value for a number this project chose (not from a published source). */
    public static final String REFERENCE_VALUE = "ref";

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*");
    private static final Pattern VERSION = Pattern.compile("\\d+(?:\\.\\d+)*");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    private static final Pattern DRL_FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*\\.drl");

    private ManifestLoader() {
    }

    /** Unmodifiable and in insertion order: iteration order reaches decisions, so it must never vary. */
    private static <K, V> Map<K, V> ordered(Map<K, V> map) {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** Parses and validates; throws {@link RulesetLoadException} listing every problem. */
    public static RulesetManifest load(String file, String text) {
        List<RulesetProblem> problems = new ArrayList<>();
        RulesetManifest manifest = new Reader(new YamlTree(file, problems)).read(text);
        if (!problems.isEmpty() || manifest == null) {
            throw new RulesetLoadException(problems);
        }
        return manifest;
    }

    private static final class Reader {
        private final YamlTree yaml;
        private final Set<String> sourceIds = new HashSet<>();
        private final Set<String> sectionIds = new HashSet<>();

        Reader(YamlTree yaml) {
            this.yaml = yaml;
        }

        RulesetManifest read(String text) {
            YamlTree.Obj root = yaml.root(text);
            if (root == null) {
                return null;
            }
            root.allowOnly("id", "version", "title", "effectiveFrom", "status", "provenance", "rules", "include",
                    "sections", "indices", "items", "childItems", "overrides", "facts", "outcomes");
            String id = root.str("id", true);
            if (id != null && !ID.matcher(id).matches()) {
                yaml.problem(root.node("id"), "id", "must be lower-case words joined by '.' or '-' (e.g. ref.family-risk)");
            }
            String version = root.str("version", true);
            if (version != null && !VERSION.matcher(version).matches()) {
                yaml.problem(root.node("version"), "version", "must be numbers joined by '.' (e.g. 2.1); quote it in YAML");
            }
            String title = root.str("title", true);
            LocalDate effectiveFrom = date(root, "effectiveFrom");
            RulesetStatus status = status(root);
            Provenance provenance = provenance(root.obj("provenance", true));
            List<String> rules = rules(root);
            List<RulesetManifest.IncludeDef> includes = includes(root);
            List<RulesetManifest.SectionDef> sections = sections(root);
            sectionIds.clear();
            sections.forEach(s -> sectionIds.add(s.id()));
            List<IndexDef> indices = indices(root);
            Set<String> indexIds = new HashSet<>();
            indices.forEach(i -> indexIds.add(i.id()));
            List<ItemDef> items = items(root, "items", indexIds, true);
            List<ItemDef> childItems = items(root, "childItems", Set.of(), false);
            checkUniqueIds(root, items, childItems);
            checkCutPointsCoverRange(root, indices, items);
            List<OverrideDef> overrides = overrides(root);
            List<FactDef> facts = facts(root);
            List<OutcomeDef> outcomes = outcomes(root);
            return new RulesetManifest(id, version, title, effectiveFrom, status, provenance, rules, includes, sections,
                    indices, items, childItems, overrides, facts, outcomes);
        }

        private LocalDate date(YamlTree.Obj o, String key) {
            String s = o.str(key, true);
            if (s == null) {
                return null;
            }
            try {
                return LocalDate.parse(s);
            } catch (DateTimeParseException e) {
                yaml.problem(o.node(key), o.path(key), "must be a date YYYY-MM-DD");
                return null;
            }
        }

        private RulesetStatus status(YamlTree.Obj root) {
            String s = root.str("status", true);
            if (s == null) {
                return null;
            }
            for (RulesetStatus st : RulesetStatus.values()) {
                if (st.wireName().equals(s)) {
                    return st;
                }
            }
            yaml.problem(root.node("status"), "status", "must be reference or certified, not '" + s + "'");
            return null;
        }

        private Provenance provenance(YamlTree.Obj p) {
            if (p == null) {
                return null;
            }
            p.allowOnly("notice", "sources");
            String notice = p.str("notice", true);
            List<Source> sources = new ArrayList<>();
            int i = 0;
            for (Node n : p.list("sources", true)) {
                YamlTree.Obj s = yaml.obj(n, p.path("sources") + "[" + i++ + "]");
                if (s == null) {
                    continue;
                }
                s.allowOnly("id", "citation");
                String sid = s.str("id", true);
                String citation = s.str("citation", true);
                if (sid != null && REFERENCE_VALUE.equals(sid)) {
                    yaml.problem(s.node("id"), s.path("id"), "'ref' is reserved for reference values");
                } else if (sid != null && !sourceIds.add(sid)) {
                    yaml.problem(s.node("id"), s.path("id"), "duplicate source id " + sid);
                }
                sources.add(new Source(sid, citation));
            }
            return new Provenance(notice, List.copyOf(sources));
        }

        private List<String> rules(YamlTree.Obj root) {
            List<Node> nodes = root.list("rules", true);
            if (nodes.isEmpty() && root.has("rules")) {
                yaml.problem(root.node("rules"), "rules", "must name at least one .drl file");
            }
            return drlFiles(nodes, "rules");
        }

        private List<String> drlFiles(List<Node> nodes, String at) {
            List<String> rules = new ArrayList<>();
            int i = 0;
            for (Node n : nodes) {
                String path = at + "[" + i++ + "]";
                String f = yaml.scalar(n, path);
                if (f == null) {
                    continue;
                }
                if (!DRL_FILE.matcher(f).matches()) {
                    yaml.problem(n, path, "must be a .drl file name in the ruleset's folder, not '" + f + "'");
                } else if (rules.contains(f)) {
                    yaml.problem(n, path, "duplicate file " + f);
                } else {
                    rules.add(f);
                }
            }
            return List.copyOf(rules);
        }

        private List<RulesetManifest.IncludeDef> includes(YamlTree.Obj root) {
            List<RulesetManifest.IncludeDef> includes = new ArrayList<>();
            int i = 0;
            for (Node n : root.list("include", false)) {
                YamlTree.Obj o = yaml.obj(n, "include[" + i++ + "]");
                if (o == null) {
                    continue;
                }
                o.allowOnly("ruleset", "version", "rules");
                String ruleset = o.str("ruleset", true);
                String version = o.str("version", true);
                List<String> files = drlFiles(o.list("rules", true), o.path("rules"));
                if (ruleset != null && version != null) {
                    includes.add(new RulesetManifest.IncludeDef(ruleset, version, files));
                }
            }
            return List.copyOf(includes);
        }

        private List<RulesetManifest.SectionDef> sections(YamlTree.Obj root) {
            List<RulesetManifest.SectionDef> sections = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            int i = 0;
            for (Node n : root.list("sections", false)) {
                YamlTree.Obj o = yaml.obj(n, "sections[" + i++ + "]");
                if (o == null) {
                    continue;
                }
                o.allowOnly("id", "text");
                String id = o.str("id", true);
                String text = o.str("text", true);
                if (id != null && !seen.add(id)) {
                    yaml.problem(o.node("id"), o.path("id"), "duplicate section " + id);
                }
                if (id != null) {
                    sections.add(new RulesetManifest.SectionDef(id, text));
                }
            }
            return List.copyOf(sections);
        }

        private String provenanceValue(Node n, String path) {
            String v = yaml.scalar(n, path);
            if (v != null && !REFERENCE_VALUE.equals(v) && !sourceIds.contains(v)) {
                yaml.problem(n, path, "'" + v + "' is neither 'ref' nor a source id of provenance.sources");
            }
            return v;
        }

        private List<IndexDef> indices(YamlTree.Obj root) {
            List<IndexDef> indices = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            int i = 0;
            for (Node n : root.list("indices", false)) {
                YamlTree.Obj o = yaml.obj(n, "indices[" + i++ + "]");
                if (o == null) {
                    continue;
                }
                o.allowOnly("id", "text", "provenance", "cutPoints");
                String id = o.str("id", true);
                if (id != null && !seen.add(id)) {
                    yaml.problem(o.node("id"), o.path("id"), "duplicate index " + id);
                }
                String text = o.str("text", false);
                String prov = o.has("provenance") ? provenanceValue(o.node("provenance"), o.path("provenance")) : null;
                if (!o.has("provenance")) {
                    yaml.problem(o.node, o.path("provenance"), "missing (a source id, or 'ref' for a reference value)");
                }
                List<CutPoints.Band> bands = bands(o);
                indices.add(new IndexDef(id, text, prov, bands));
            }
            return List.copyOf(indices);
        }

        private List<CutPoints.Band> bands(YamlTree.Obj index) {
            List<CutPoints.Band> bands = new ArrayList<>();
            List<Node> nodes = index.list("cutPoints", true);
            if (nodes.isEmpty() && index.has("cutPoints")) {
                yaml.problem(index.node("cutPoints"), index.path("cutPoints"), "must have at least one band");
            }
            boolean ok = true;
            int i = 0;
            for (Node n : nodes) {
                YamlTree.Obj b = yaml.obj(n, index.path("cutPoints") + "[" + i++ + "]");
                if (b == null) {
                    ok = false;
                    continue;
                }
                b.allowOnly("level", "min", "max");
                String levelName = b.str("level", true);
                RiskLevel level = null;
                if (levelName != null) {
                    try {
                        level = RiskLevel.valueOf(levelName);
                    } catch (IllegalArgumentException e) {
                        yaml.problem(b.node("level"), b.path("level"), "must be LOW, MODERATE, HIGH or VERY_HIGH");
                    }
                }
                Integer min = b.integer("min", true);
                Integer max = b.integer("max", false);
                if (level == null || min == null || (b.has("max") && max == null)) {
                    ok = false;
                    continue;
                }
                if (max != null && max < min) {
                    yaml.problem(b.node, b.path, "max " + max + " is below min " + min);
                    ok = false;
                    continue;
                }
                if (!bands.isEmpty()) {
                    CutPoints.Band prev = bands.get(bands.size() - 1);
                    if (prev.max() == null) {
                        yaml.problem(b.node, b.path, "overlaps the previous band, which has no max");
                        ok = false;
                    } else if (min <= prev.max()) {
                        yaml.problem(b.node("min"), b.path("min"), "overlap: min " + min + " is not above the previous band's max " + prev.max());
                        ok = false;
                    } else if (min > prev.max() + 1) {
                        yaml.problem(b.node("min"), b.path("min"), "gap: scores " + (prev.max() + 1) + ".." + (min - 1) + " have no level");
                        ok = false;
                    }
                    if (level.compareTo(prev.level()) <= 0) {
                        yaml.problem(b.node("level"), b.path("level"), "levels must rise band by band (" + level + " after " + prev.level() + ")");
                        ok = false;
                    }
                }
                bands.add(new CutPoints.Band(level, min, max));
            }
            return ok ? List.copyOf(bands) : List.of();
        }

        private List<ItemDef> items(YamlTree.Obj root, String key, Set<String> indexIds, boolean required) {
            List<ItemDef> items = new ArrayList<>();
            List<Node> nodes = root.list(key, required);
            int i = 0;
            for (Node n : nodes) {
                YamlTree.Obj o = yaml.obj(n, key + "[" + i++ + "]");
                if (o != null) {
                    ItemDef item = item(o, indexIds);
                    if (item != null) {
                        items.add(item);
                    }
                }
            }
            return List.copyOf(items);
        }

        private ItemDef item(YamlTree.Obj o, Set<String> indexIds) {
            o.allowOnly("id", "text", "kind", "required", "section", "scores", "options", "maxPoints", "provenance");
            String id = o.str("id", true);
            if (id != null && !KEY.matcher(id).matches()) {
                yaml.problem(o.node("id"), o.path("id"), "must be letters, digits, '-' or '_'");
            }
            String text = o.str("text", true);
            String kindName = o.str("kind", true);
            ItemKind kind = null;
            if (kindName != null) {
                for (ItemKind k : ItemKind.values()) {
                    if (k.wireName().equals(kindName)) {
                        kind = k;
                    }
                }
                if (kind == null) {
                    yaml.problem(o.node("kind"), o.path("kind"), "unknown item kind '" + kindName + "' (choice, multi, yesno, text)");
                }
            }
            boolean required = o.bool("required", true);
            String section = o.str("section", false);
            if (section != null && !sectionIds.contains(section)) {
                yaml.problem(o.node("section"), o.path("section"), "unknown section '" + section + "' (declare it under sections)");
            }
            List<String> scores = new ArrayList<>();
            int s = 0;
            for (Node n : o.list("scores", false)) {
                String path = o.path("scores") + "[" + s++ + "]";
                String index = yaml.scalar(n, path);
                if (index != null && !indexIds.contains(index)) {
                    yaml.problem(n, path, "unknown index '" + index + "' (declared: " + String.join(", ", new java.util.TreeSet<>(indexIds)) + ")");
                } else if (index != null) {
                    scores.add(index);
                }
            }
            if (!scores.isEmpty() && kind != null && kind != ItemKind.CHOICE && kind != ItemKind.MULTI) {
                yaml.problem(o.node("scores"), o.path("scores"), "only choice and multi items can be scored");
            }
            List<OptionDef> options = new ArrayList<>();
            boolean hasOptions = kind == ItemKind.CHOICE || kind == ItemKind.MULTI;
            if (hasOptions) {
                List<Node> nodes = o.list("options", true);
                if (nodes.isEmpty() && o.has("options")) {
                    yaml.problem(o.node("options"), o.path("options"), "must offer at least one option");
                }
                Set<String> keys = new HashSet<>();
                int k = 0;
                for (Node n : nodes) {
                    YamlTree.Obj opt = yaml.obj(n, o.path("options") + "[" + k++ + "]");
                    if (opt == null) {
                        continue;
                    }
                    OptionDef option = option(opt, scores);
                    if (option.key() != null && !keys.add(option.key())) {
                        yaml.problem(opt.node("key"), opt.path("key"), "duplicate option key " + option.key());
                    }
                    options.add(option);
                }
            } else if (o.has("options") && kind != null) {
                yaml.problem(o.node("options"), o.path("options"), kind.wireName() + " items take no options");
            }
            Map<String, Integer> maxPoints = new LinkedHashMap<>();
            YamlTree.Obj max = o.obj("maxPoints", false);
            if (max != null) {
                if (kind != ItemKind.MULTI || scores.isEmpty()) {
                    yaml.problem(max.node, max.path, "only a scored multi item takes maxPoints");
                }
                max.allowOnly(scores.toArray(String[]::new));
                for (String index : scores) {
                    Integer v = max.integer(index, false);
                    if (v != null) {
                        maxPoints.put(index, v);
                    }
                }
            }
            Map<String, String> provenance = new LinkedHashMap<>();
            YamlTree.Obj prov = o.obj("provenance", true);
            if (prov != null) {
                prov.allowOnly("text", "options", "points");
                for (String aspect : List.of("text", "options", "points")) {
                    if (prov.has(aspect)) {
                        provenance.put(aspect, provenanceValue(prov.node(aspect), prov.path(aspect)));
                    }
                }
                if (!scores.isEmpty() && !prov.has("points")) {
                    yaml.problem(prov.node, prov.path("points"), "missing: a scored item states where its points come from");
                }
                if (!prov.has("text")) {
                    yaml.problem(prov.node, prov.path("text"), "missing: where the item comes from");
                }
            }
            if (id == null || text == null || kind == null) {
                return null;
            }
            return new ItemDef(id, text, kind, required, section, List.copyOf(scores), List.copyOf(options), ordered(maxPoints),
                    ordered(provenance));
        }

        private OptionDef option(YamlTree.Obj opt, List<String> scores) {
            opt.allowOnly("key", "text", "points");
            String key = opt.str("key", true);
            if (key != null && !KEY.matcher(key).matches()) {
                yaml.problem(opt.node("key"), opt.path("key"), "must be letters, digits, '-' or '_'");
            }
            String text = opt.str("text", true);
            Map<String, Integer> points = new LinkedHashMap<>();
            Node p = opt.node("points");
            if (scores.isEmpty()) {
                if (opt.has("points")) {
                    yaml.problem(p, opt.path("points"), "the item scores no index, so its options take no points");
                }
            } else if (!opt.has("points")) {
                yaml.problem(opt.node, opt.path("points"), "missing: the item scores " + String.join(", ", scores));
            } else if (p instanceof ScalarNode) {
                if (scores.size() != 1) {
                    yaml.problem(p, opt.path("points"), "the item scores " + String.join(", ", scores)
                            + ": give points per index, e.g. {" + scores.get(0) + ": 1, ...}");
                } else {
                    Integer v = yaml.integer(p, opt.path("points"));
                    if (v != null) {
                        points.put(scores.get(0), v);
                    }
                }
            } else {
                YamlTree.Obj map = yaml.obj(p, opt.path("points"));
                if (map != null) {
                    map.allowOnly(scores.toArray(String[]::new));
                    for (String index : scores) {
                        Integer v = map.integer(index, true);
                        if (v != null) {
                            points.put(index, v);
                        }
                    }
                }
            }
            return new OptionDef(key, text, ordered(points));
        }

        private void checkUniqueIds(YamlTree.Obj root, List<ItemDef> items, List<ItemDef> childItems) {
            Set<String> seen = new HashSet<>();
            for (ItemDef item : items) {
                if (!seen.add(item.id())) {
                    yaml.problem(root.node("items"), "items", "duplicate item id " + item.id());
                }
            }
            Set<String> childSeen = new HashSet<>();
            for (ItemDef item : childItems) {
                if (!childSeen.add(item.id()) || seen.contains(item.id())) {
                    yaml.problem(root.node("childItems"), "childItems", "duplicate item id " + item.id());
                }
                if (!item.scores().isEmpty()) {
                    yaml.problem(root.node("childItems"), "childItems", "child item " + item.id() + " cannot be scored");
                }
            }
        }

        /** Every score the points can reach must fall in a band. */
        private void checkCutPointsCoverRange(YamlTree.Obj root, List<IndexDef> indices, List<ItemDef> items) {
            int i = 0;
            for (IndexDef index : indices) {
                String path = "indices[" + i++ + "].cutPoints";
                if (index.cutPoints().isEmpty()) {
                    continue;
                }
                int[] range = ScoreRange.of(index.id(), items);
                CutPoints.Band first = index.cutPoints().get(0);
                CutPoints.Band last = index.cutPoints().get(index.cutPoints().size() - 1);
                Node node = root.node("indices");
                if (first.min() > range[0]) {
                    yaml.problem(node, path, "gap: the lowest reachable " + index.id() + " score " + range[0]
                            + " is below the first band's min " + first.min());
                }
                if (last.max() != null && last.max() < range[1]) {
                    yaml.problem(node, path, "gap: the highest reachable " + index.id() + " score " + range[1]
                            + " is above the last band's max " + last.max());
                }
                if (items.stream().noneMatch(it -> it.scores().contains(index.id()))) {
                    yaml.problem(node, path, "no item scores index " + index.id());
                }
            }
        }

        private List<OverrideDef> overrides(YamlTree.Obj root) {
            List<OverrideDef> overrides = new ArrayList<>();
            Set<String> types = new HashSet<>();
            int i = 0;
            for (Node n : root.list("overrides", false)) {
                YamlTree.Obj o = yaml.obj(n, "overrides[" + i++ + "]");
                if (o == null) {
                    continue;
                }
                o.allowOnly("type", "text", "codes", "values");
                String type = o.str("type", true);
                String overrideText = o.str("text", false);
                if (type != null && !types.add(type)) {
                    yaml.problem(o.node("type"), o.path("type"), "duplicate override type " + type);
                }
                List<OverrideCode> codes = new ArrayList<>();
                Set<String> seen = new HashSet<>();
                int c = 0;
                for (Node cn : o.list("codes", "policy".equals(type))) {
                    YamlTree.Obj co = yaml.obj(cn, o.path("codes") + "[" + c++ + "]");
                    if (co == null) {
                        continue;
                    }
                    co.allowOnly("code", "text", "provenance");
                    String code = co.str("code", true);
                    String text = co.str("text", true);
                    String prov = co.has("provenance") ? provenanceValue(co.node("provenance"), co.path("provenance")) : null;
                    if (!co.has("provenance")) {
                        yaml.problem(co.node, co.path("provenance"), "missing");
                    }
                    if (code != null && !seen.add(code)) {
                        yaml.problem(co.node("code"), co.path("code"), "duplicate code " + code);
                    }
                    codes.add(new OverrideCode(code, text, prov));
                }
                List<String> values = new ArrayList<>();
                int v = 0;
                for (Node vn : o.list("values", false)) {
                    String value = yaml.scalar(vn, o.path("values") + "[" + v++ + "]");
                    if (value != null) {
                        values.add(value);
                    }
                }
                if ("discretionary".equals(type) && (o.has("codes") || o.has("values"))) {
                    yaml.problem(o.node, o.path, "a discretionary override takes no codes or values");
                }
                if (!codes.isEmpty() && !values.isEmpty()) {
                    yaml.problem(o.node, o.path, "an override type takes codes or values, not both");
                }
                if (type != null && !"policy".equals(type) && !"discretionary".equals(type) && values.isEmpty()) {
                    yaml.problem(o.node, o.path("values"), "missing: a tool-specific override type lists the values it may set");
                }
                overrides.add(new OverrideDef(type, overrideText, List.copyOf(codes), List.copyOf(values)));
            }
            return List.copyOf(overrides);
        }

        private List<FactDef> facts(YamlTree.Obj root) {
            List<FactDef> facts = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            int i = 0;
            for (Node n : root.list("facts", false)) {
                YamlTree.Obj o = yaml.obj(n, "facts[" + i++ + "]");
                if (o == null) {
                    continue;
                }
                o.allowOnly("id", "type", "default", "text");
                String id = o.str("id", true);
                String type = o.str("type", true);
                if (type != null && !"boolean".equals(type)) {
                    yaml.problem(o.node("type"), o.path("type"), "unsupported fact type '" + type + "' (boolean)");
                }
                if (!o.has("default")) {
                    yaml.problem(o.node, o.path("default"), "missing");
                }
                boolean def = o.bool("default", false);
                String text = o.str("text", true);
                if (id != null && !seen.add(id)) {
                    yaml.problem(o.node("id"), o.path("id"), "duplicate fact " + id);
                }
                facts.add(new FactDef(id, def, text));
            }
            return List.copyOf(facts);
        }

        private List<OutcomeDef> outcomes(YamlTree.Obj root) {
            List<OutcomeDef> outcomes = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            int i = 0;
            List<Node> nodes = root.list("outcomes", true);
            if (nodes.isEmpty() && root.has("outcomes")) {
                yaml.problem(root.node("outcomes"), "outcomes", "must declare at least one outcome key");
            }
            for (Node n : nodes) {
                YamlTree.Obj o = yaml.obj(n, "outcomes[" + i++ + "]");
                if (o == null) {
                    continue;
                }
                o.allowOnly("key", "nullable", "text");
                String key = o.str("key", true);
                boolean nullable = o.bool("nullable", false);
                String text = o.str("text", true);
                if (key != null && !seen.add(key)) {
                    yaml.problem(o.node("key"), o.path("key"), "duplicate outcome key " + key);
                }
                outcomes.add(new OutcomeDef(key, nullable, text));
            }
            return List.copyOf(outcomes);
        }
    }

}
