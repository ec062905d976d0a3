package org.opensdm.engine.ruleset;

import java.io.StringReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Where things are in a {@code ruleset.yaml}'s text: the line and column of each item, index,
 * cut-point band and override declaration, so that a finding about them can point there. Reads
 * the YAML as a node tree (no object is constructed); an unreadable text has no locations.
 */
public final class ManifestLocations {
    /** A 1-based line and column. */
    public record Position(int line, int column) { }

    private final Map<String, Position> positions;

    private ManifestLocations(Map<String, Position> positions) {
        this.positions = positions;
    }

    /** The locations in a manifest's text; empty when the text is not readable YAML. */
    public static ManifestLocations of(String text) {
        Map<String, Position> positions = new HashMap<>();
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(10);
            options.setCodePointLimit(1 << 20);
            root = new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
        } catch (YAMLException e) {
            root = null;
        }
        if (root instanceof MappingNode top) {
            for (String list : List.of("items", "childItems")) {
                for (Node item : list(field(top, list))) {
                    put(positions, "item:" + scalar(field(item, "id")), item);
                }
            }
            for (Node index : list(field(top, "indices"))) {
                String id = scalar(field(index, "id"));
                put(positions, "index:" + id, index);
                int band = 0;
                for (Node b : list(field(index, "cutPoints"))) {
                    put(positions, "band:" + id + ":" + band++, b);
                }
            }
            for (Node o : list(field(top, "overrides"))) {
                String type = scalar(field(o, "type"));
                put(positions, "override:" + type, o);
                for (Node c : list(field(o, "codes"))) {
                    put(positions, "override:" + type + ":" + scalar(field(c, "code")), c);
                }
                for (Node v : list(field(o, "values"))) {
                    put(positions, "override:" + type + ":" + scalar(v), v);
                }
            }
        }
        return new ManifestLocations(positions);
    }

    /** The item (of {@code items} or {@code childItems}) with this id. */
    public Optional<Position> item(String id) {
        return Optional.ofNullable(positions.get("item:" + id));
    }

    /** The index with this id. */
    public Optional<Position> index(String id) {
        return Optional.ofNullable(positions.get("index:" + id));
    }

    /** The {@code n}th (0-based) cut-point band of an index. */
    public Optional<Position> band(String index, int n) {
        return Optional.ofNullable(positions.get("band:" + index + ":" + n));
    }

    /** The override type's declaration, or (with a code or value) that code's or value's. */
    public Optional<Position> override(String type, String codeOrValue) {
        return Optional.ofNullable(positions.get("override:" + type + (codeOrValue == null ? "" : ":" + codeOrValue)));
    }

    private static void put(Map<String, Position> positions, String key, Node node) {
        Mark m = node.getStartMark();
        if (m != null) {
            positions.putIfAbsent(key, new Position(m.getLine() + 1, m.getColumn() + 1));
        }
    }

    private static Node field(Node node, String key) {
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    return t.getValueNode();
                }
            }
        }
        return null;
    }

    private static List<Node> list(Node node) {
        return node instanceof SequenceNode s ? s.getValue() : List.of();
    }

    private static String scalar(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : null;
    }
}
