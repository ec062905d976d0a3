package org.opensdm.engine.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.opensdm.engine.Decision;
import org.opensdm.engine.Decision.OverrideResult;
import org.opensdm.engine.Decision.RulesetInfo;
import org.opensdm.engine.Decision.TrailEntry;

/**
 * A decision as a JSON tree, built node by node: the same tree as the ObjectMapper's
 * {@code valueToTree} (same members in the same order, same node types), without serializing
 * through a token buffer. Null when the decision holds a value other than the plain ones
 * (String, Integer, Long, Boolean, null, List, Map with String keys): the ObjectMapper builds
 * that one. A test checks the two trees are equal for every shipped ruleset's decisions.
 */
final class DecisionTree {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Thrown (without a stack) when a value is not plain; the caller falls back. */
    private static final class NotPlain extends RuntimeException {
        NotPlain() {
            super(null, null, false, false);
        }
    }

    private static final NotPlain NOT_PLAIN = new NotPlain();

    private DecisionTree() {
    }

    static JsonNode of(Decision d) {
        try {
            ObjectNode o = F.objectNode();
            RulesetInfo r = d.ruleset();
            if (r == null) {
                o.putNull("ruleset");
            } else {
                ObjectNode rs = o.putObject("ruleset");
                text(rs, "id", r.id());
                text(rs, "version", r.version());
                text(rs, "sha256", r.sha256());
                text(rs, "status", r.status());
                text(rs, "provenance", r.provenance());
            }
            text(o, "engineVersion", d.engineVersion());
            text(o, "caseId", d.caseId());
            text(o, "assessedOn", d.assessedOn() == null ? null : d.assessedOn().toString());
            o.set("outcome", value(d.outcome()));
            ArrayNode overrides = o.putArray("overrides");
            for (OverrideResult x : d.overrides()) {
                ObjectNode n = overrides.addObject();
                if (x.type() != null) {
                    n.put("type", x.type());
                }
                if (x.code() != null) {
                    n.put("code", x.code());
                }
                if (x.value() != null) {
                    n.put("value", x.value());
                }
                if (x.reason() != null) {
                    n.put("reason", x.reason());
                }
                n.put("applied", x.applied());
            }
            ArrayNode trail = o.putArray("trail");
            for (TrailEntry t : d.trail()) {
                ObjectNode n = trail.addObject();
                text(n, "rule", t.rule());
                text(n, "item", t.item());
                if (t.child() != null) {
                    n.put("child", t.child());
                }
                n.set("answer", value(t.answer()));
                n.set("effect", value(t.effect()));
            }
            return o;
        } catch (NotPlain e) {
            return null;
        }
    }

    private static void text(ObjectNode o, String field, String value) {
        if (value == null) {
            o.putNull(field);
        } else {
            o.put(field, value);
        }
    }

    private static JsonNode value(Object v) {
        if (v == null) {
            return F.nullNode();
        }
        if (v instanceof String s) {
            return F.textNode(s);
        }
        if (v instanceof Integer i) {
            return F.numberNode(i.intValue());
        }
        if (v instanceof Long l) {
            return F.numberNode(l.longValue());
        }
        if (v instanceof Boolean b) {
            return F.booleanNode(b);
        }
        if (v instanceof List<?> list) {
            ArrayNode a = F.arrayNode(list.size());
            for (Object e : list) {
                a.add(value(e));
            }
            return a;
        }
        if (v instanceof Map<?, ?> map) {
            ObjectNode o = F.objectNode();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw NOT_PLAIN;
                }
                o.set(key, value(e.getValue()));
            }
            return o;
        }
        throw NOT_PLAIN;
    }
}
