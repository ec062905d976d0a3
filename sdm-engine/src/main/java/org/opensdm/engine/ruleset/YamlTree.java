package org.opensdm.engine.ruleset;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opensdm.engine.RulesetProblem;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads YAML as a node tree (SnakeYAML {@code compose}: no object is ever constructed from a
 * tag) and gives typed, located access to it. Every problem is collected with file, line,
 * column and the field's path; nothing throws until the caller asks.
 */
final class YamlTree {
    private static final Set<Tag> PLAIN_TAGS = Set.of(Tag.MAP, Tag.SEQ, Tag.STR, Tag.INT, Tag.BOOL,
            Tag.FLOAT, Tag.NULL, Tag.TIMESTAMP);

    private final String file;
    private final List<RulesetProblem> problems;

    YamlTree(String file, List<RulesetProblem> problems) {
        this.file = file;
        this.problems = problems;
    }

    /** Parses the text; returns the root mapping, or null after recording why it cannot. */
    Obj root(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        options.setCodePointLimit(1 << 20);
        Node root;
        try {
            root = new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            problems.add(new RulesetProblem(file, mark == null ? 0 : mark.getLine() + 1,
                    mark == null ? 0 : mark.getColumn() + 1, "malformed YAML: " + oneLine(e.getProblem())));
            return null;
        } catch (YAMLException e) {
            problems.add(new RulesetProblem(file, 0, 0, "malformed YAML: " + oneLine(e.getMessage())));
            return null;
        }
        if (root == null) {
            problems.add(new RulesetProblem(file, 1, 1, "empty document"));
            return null;
        }
        if (!checkTags(root, "")) {
            return null;
        }
        return obj(root, "");
    }

    private boolean checkTags(Node node, String path) {
        boolean ok = true;
        if (!PLAIN_TAGS.contains(node.getTag())) {
            problem(node, path.isEmpty() ? "(document)" : path,
                    "type tag " + node.getTag().getValue() + " is not allowed (plain YAML values only)");
            ok = false;
        }
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
                ok &= checkTags(t.getKeyNode(), join(path, key));
                ok &= checkTags(t.getValueNode(), join(path, key));
            }
        } else if (node instanceof SequenceNode s) {
            int i = 0;
            for (Node n : s.getValue()) {
                ok &= checkTags(n, path + "[" + i++ + "]");
            }
        }
        return ok;
    }

    void problem(Node node, String path, String message) {
        Mark mark = node == null ? null : node.getStartMark();
        problems.add(new RulesetProblem(file, mark == null ? 0 : mark.getLine() + 1,
                mark == null ? 0 : mark.getColumn() + 1, (path.isEmpty() ? "" : path + ": ") + message));
    }

    Obj obj(Node node, String path) {
        if (!(node instanceof MappingNode m)) {
            problem(node, path, "must be a mapping");
            return null;
        }
        Map<String, Node> fields = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                problem(t.getKeyNode(), path, "keys must be plain strings");
                continue;
            }
            if (fields.put(k.getValue(), t.getValueNode()) != null) {
                problem(k, join(path, k.getValue()), "duplicate key");
            }
        }
        return new Obj(node, path, fields);
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }

    /** A located mapping. */
    final class Obj {
        final Node node;
        final String path;
        private final Map<String, Node> fields;

        Obj(Node node, String path, Map<String, Node> fields) {
            this.node = node;
            this.path = path;
            this.fields = fields;
        }

        String path(String key) {
            return join(path, key);
        }

        /** Records every key not in {@code allowed}. */
        void allowOnly(String... allowed) {
            Set<String> set = Set.of(allowed);
            for (Map.Entry<String, Node> e : fields.entrySet()) {
                if (!set.contains(e.getKey())) {
                    problem(e.getValue(), path(e.getKey()), "unknown field (allowed: " + String.join(", ", allowed) + ")");
                }
            }
        }

        boolean has(String key) {
            Node n = fields.get(key);
            return n != null && !(n instanceof ScalarNode s && s.getTag().equals(Tag.NULL));
        }

        Node node(String key) {
            return fields.get(key);
        }

        private Node required(String key, boolean required) {
            if (!has(key)) {
                if (required) {
                    problem(node, path(key), "missing");
                }
                return null;
            }
            return fields.get(key);
        }

        String str(String key, boolean required) {
            Node n = required(key, required);
            if (n == null) {
                return null;
            }
            if (!(n instanceof ScalarNode s)) {
                problem(n, path(key), "must be a plain value");
                return null;
            }
            if (s.getValue().isBlank()) {
                problem(n, path(key), "must not be blank");
                return null;
            }
            return s.getValue();
        }

        Integer integer(String key, boolean required) {
            Node n = required(key, required);
            return n == null ? null : YamlTree.this.integer(n, path(key));
        }

        boolean bool(String key, boolean defaultValue) {
            Node n = required(key, false);
            if (n == null) {
                return defaultValue;
            }
            if (n instanceof ScalarNode s && n.getTag().equals(Tag.BOOL)) {
                return Boolean.parseBoolean(s.getValue().toLowerCase(java.util.Locale.ROOT));
            }
            problem(n, path(key), "must be true or false");
            return defaultValue;
        }

        /** The items of a sequence (empty list when absent and not required). */
        List<Node> list(String key, boolean required) {
            Node n = required(key, required);
            if (n == null) {
                return List.of();
            }
            if (!(n instanceof SequenceNode s)) {
                problem(n, path(key), "must be a list");
                return List.of();
            }
            return new ArrayList<>(s.getValue());
        }

        Obj obj(String key, boolean required) {
            Node n = required(key, required);
            return n == null ? null : YamlTree.this.obj(n, path(key));
        }
    }

    Integer integer(Node n, String path) {
        if (n instanceof ScalarNode s && n.getTag().equals(Tag.INT)) {
            try {
                return Integer.parseInt(s.getValue());
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        problem(n, path, "must be a whole number");
        return null;
    }

    String scalar(Node n, String path) {
        if (n instanceof ScalarNode s && !s.getValue().isBlank()) {
            return s.getValue();
        }
        problem(n, path, "must be a non-blank plain value");
        return null;
    }
}
