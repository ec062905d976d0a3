package org.opensdm.engine.analysis;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a scenario file (YAML, safe loading only):
 *
 * <pre>
 * base:                      # request fields shared by every scenario
 *   ruleset: ref.family-risk
 *   version: "2.0"
 *   answers: {R1: a, ...}
 * scenarios:
 *   - name: R1 b scores neglect 1
 *     answers: {R1: b}       # merged over base.answers (facts likewise)
 *     overrides: [...]       # replaces base.overrides (any other request field likewise)
 *     expect:
 *       outcome: {neglectScore: 1}
 *       overrides: [{code: PO1, applied: true}]
 *       trail: [{rule: R1 prior neglect investigations, effect: {neglect: 1, abuse: 0}}]
 *   - name: an override needs a reason
 *     overrides: [{type: discretionary}]
 *     expect:
 *       errors: [{path: "overrides[0].reason", message: reason}]
 * </pre>
 *
 * <p>The scenario files of a ruleset version run against that version only ({@link ScenarioRunner#forVersion}):
 * a {@code ruleset} or {@code version} naming another one (in {@code base} or in a scenario), or a request
 * without a version whose {@code assessedOn} falls where another version is in force, is an error of that
 * scenario, not a run against the other version.
 */
public final class ScenarioFile {
    private static final Set<String> TOP = Set.of("description", "base", "scenarios");
    private static final Set<String> EXPECT = Set.of("outcome", "overrides", "trail", "errors");
    private static final Set<String> MERGED = Set.of("answers", "facts");

    private ScenarioFile() {
    }

    /** Parses; throws IllegalArgumentException naming the file and what is wrong. */
    public static List<Scenario> parse(String file, String text) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (YAMLException e) {
            throw new IllegalArgumentException(file + ": malformed YAML: " + e.getMessage().replaceAll("\\s+", " "));
        }
        Map<String, Object> top = map(root, file, "(document)");
        for (String k : top.keySet()) {
            if (!TOP.contains(k)) {
                throw new IllegalArgumentException(file + ": unknown field " + k + " (allowed: " + TOP + ")");
            }
        }
        Map<String, Object> base = top.containsKey("base") ? map(top.get("base"), file, "base") : Map.of();
        if (!(top.get("scenarios") instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException(file + ": scenarios: missing or empty");
        }
        List<Scenario> out = new ArrayList<>();
        int i = 0;
        for (Object o : list) {
            String where = "scenarios[" + i++ + "]";
            Map<String, Object> s = map(o, file, where);
            if (!(s.get("name") instanceof String name) || name.isBlank()) {
                throw new IllegalArgumentException(file + ": " + where + ".name: missing");
            }
            Map<String, Object> expect = map(s.get("expect"), file, where + ".expect");
            for (String k : expect.keySet()) {
                if (!EXPECT.contains(k)) {
                    throw new IllegalArgumentException(file + ": " + where + ".expect." + k + ": unknown (allowed: " + EXPECT + ")");
                }
            }
            if (expect.containsKey("errors") && (expect.containsKey("outcome") || expect.containsKey("trail"))) {
                throw new IllegalArgumentException(file + ": " + where + ".expect: errors excludes outcome and trail");
            }
            if (expect.isEmpty()) {
                throw new IllegalArgumentException(file + ": " + where + ".expect: expects nothing");
            }
            Map<String, Object> request = new LinkedHashMap<>(base);
            Map<String, String> sources = new LinkedHashMap<>();
            base.keySet().forEach(k -> sources.put(k, "base." + k));
            for (Map.Entry<String, Object> e : s.entrySet()) {
                String k = e.getKey();
                if (k.equals("name") || k.equals("expect")) {
                    continue;
                }
                sources.put(k, where + "." + k);
                if (MERGED.contains(k) && request.get(k) instanceof Map<?, ?> b && e.getValue() instanceof Map<?, ?> over) {
                    Map<Object, Object> merged = new LinkedHashMap<>(b);
                    merged.putAll(over);
                    request.put(k, merged);
                } else {
                    request.put(k, e.getValue());
                }
            }
            out.add(new Scenario(file, name, normalize(request), mapOrNull(expect.get("outcome"), file, where),
                    listOfMaps(expect.get("overrides"), file, where + ".expect.overrides"),
                    listOfMaps(expect.get("trail"), file, where + ".expect.trail"),
                    listOfMaps(expect.get("errors"), file, where + ".expect.errors"), sources));
        }
        return out;
    }

    /**
     * The line (1-based) of each scenario of a scenario file, by name (the first, when a name
     * repeats); empty when the text is not readable YAML.
     */
    public static Map<String, Integer> lines(String text) {
        Map<String, Integer> lines = new LinkedHashMap<>();
        org.yaml.snakeyaml.nodes.Node root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new java.io.StringReader(text));
        } catch (YAMLException e) {
            return lines;
        }
        org.yaml.snakeyaml.nodes.Node list = field(root, "scenarios");
        if (list instanceof org.yaml.snakeyaml.nodes.SequenceNode seq) {
            for (org.yaml.snakeyaml.nodes.Node s : seq.getValue()) {
                if (field(s, "name") instanceof org.yaml.snakeyaml.nodes.ScalarNode name) {
                    lines.putIfAbsent(name.getValue(), s.getStartMark().getLine() + 1);
                }
            }
        }
        return lines;
    }

    private static org.yaml.snakeyaml.nodes.Node field(org.yaml.snakeyaml.nodes.Node node, String key) {
        if (node instanceof org.yaml.snakeyaml.nodes.MappingNode m) {
            for (org.yaml.snakeyaml.nodes.NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode k && k.getValue().equals(key)) {
                    return t.getValueNode();
                }
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String file, String where) {
        if (!(o instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(file + ": " + where + ": must be a mapping");
        }
        return (Map<String, Object>) m;
    }

    private static Map<String, Object> mapOrNull(Object o, String file, String where) {
        return o == null ? null : normalize(map(o, file, where + ".expect.outcome"));
    }

    private static List<Map<String, Object>> listOfMaps(Object o, String file, String where) {
        if (o == null) {
            return null;
        }
        if (!(o instanceof List<?> list)) {
            throw new IllegalArgumentException(file + ": " + where + ": must be a list");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object e : list) {
            out.add(normalize(map(e, file, where)));
        }
        return out;
    }

    /** YAML dates become ISO strings, so that scenario values compare with JSON values. */
    @SuppressWarnings("unchecked")
    static <T> T normalize(T value) {
        if (value instanceof Date d) {
            return (T) d.toInstant().atOffset(ZoneOffset.UTC).toLocalDate().toString();
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), normalize(v)));
            return (T) out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(normalize(v)));
            return (T) out;
        }
        return value;
    }
}
