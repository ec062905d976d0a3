package org.opensdm.engine.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opensdm.engine.Decision;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.EvaluationRequest.ChildAnswers;
import org.opensdm.engine.EvaluationRequest.OverrideRequest;
import org.opensdm.engine.InvalidRequestException;
import org.opensdm.engine.Problem;

/**
 * The one place where requests and decisions meet JSON. Reading checks the request's shape and
 * names every problem with its JSON path; writing is deterministic (field order fixed by the
 * types, outcome keys in manifest order), so the same decision always gives the same bytes.
 */
public final class SdmJson {
    private static final Set<String> REQUEST_FIELDS =
            Set.of("ruleset", "version", "assessedOn", "caseId", "answers", "overrides", "facts", "children");
    private static final Set<String> OVERRIDE_FIELDS = Set.of("type", "code", "value", "reason");
    private static final Set<String> CHILD_FIELDS = Set.of("id", "answers");

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .addMixIn(Decision.OverrideResult.class, OverrideResultMixin.class)
            .addMixIn(Decision.TrailEntry.class, TrailEntryMixin.class)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    private abstract static class OverrideResultMixin {
    }

    private abstract static class TrailEntryMixin {
        @JsonInclude(JsonInclude.Include.NON_NULL)
        abstract String child();
    }

    private SdmJson() {
    }

    /** A request as far as its JSON could be read, and every shape problem found on the way. */
    public record ParsedRequest(EvaluationRequest request, List<Problem> problems) {
        public ParsedRequest {
            problems = List.copyOf(problems);
        }
    }

    /** Reads a request; throws {@link InvalidRequestException} naming every shape problem. */
    public static EvaluationRequest readRequest(String json) {
        ParsedRequest parsed = parseRequest(json.getBytes(StandardCharsets.UTF_8));
        if (!parsed.problems().isEmpty()) {
            throw new InvalidRequestException(parsed.problems());
        }
        return parsed.request();
    }

    /**
     * Reads a request leniently: answers and facts keep whatever JSON values they hold (the
     * engine checks them against the manifest); the request is null when not even its ruleset
     * could be read.
     */
    public static ParsedRequest parseRequest(byte[] json) {
        List<Problem> problems = new ArrayList<>();
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            problems.add(new Problem("$", "malformed JSON" + where + ": " + e.getOriginalMessage()));
            return new ParsedRequest(null, problems);
        } catch (java.io.IOException e) {
            problems.add(new Problem("$", "unreadable input: " + e.getMessage()));
            return new ParsedRequest(null, problems);
        }
        if (root == null || root.isMissingNode()) {
            problems.add(new Problem("$", "empty input: expected a JSON object"));
            return new ParsedRequest(null, problems);
        }
        if (!root.isObject()) {
            problems.add(new Problem("$", "must be a JSON object, not " + type(root)));
            return new ParsedRequest(null, problems);
        }
        unknownFields(root, "", REQUEST_FIELDS, problems);
        String ruleset = text(root, "ruleset", "", true, problems);
        String version = text(root, "version", "", false, problems);
        String date = text(root, "assessedOn", "", false, problems);
        LocalDate assessedOn = null;
        if (date != null) {
            try {
                assessedOn = LocalDate.parse(date);
            } catch (DateTimeParseException e) {
                problems.add(new Problem("assessedOn", "must be a date YYYY-MM-DD, not \"" + clip(date) + "\""));
            }
        }
        String caseId = text(root, "caseId", "", false, problems);
        Map<String, Object> answers = values(root.get("answers"), "answers", problems);
        Map<String, Object> facts = values(root.get("facts"), "facts", problems);
        List<OverrideRequest> overrides = new ArrayList<>();
        JsonNode ov = root.get("overrides");
        if (ov != null && !ov.isNull()) {
            if (!ov.isArray()) {
                problems.add(new Problem("overrides", "must be an array, not " + type(ov)));
            } else {
                for (int i = 0; i < ov.size(); i++) {
                    String path = "overrides[" + i + "]";
                    JsonNode o = ov.get(i);
                    if (!o.isObject()) {
                        problems.add(new Problem(path, "must be an object, not " + type(o)));
                        continue;
                    }
                    unknownFields(o, path + ".", OVERRIDE_FIELDS, problems);
                    overrides.add(new OverrideRequest(text(o, "type", path + ".", false, problems),
                            text(o, "code", path + ".", false, problems), text(o, "value", path + ".", false, problems),
                            reason(o, path, problems)));
                }
            }
        }
        List<ChildAnswers> children = new ArrayList<>();
        JsonNode ch = root.get("children");
        if (ch != null && !ch.isNull()) {
            if (!ch.isArray()) {
                problems.add(new Problem("children", "must be an array, not " + type(ch)));
            } else {
                for (int i = 0; i < ch.size(); i++) {
                    String path = "children[" + i + "]";
                    JsonNode c = ch.get(i);
                    if (!c.isObject()) {
                        problems.add(new Problem(path, "must be an object, not " + type(c)));
                        continue;
                    }
                    unknownFields(c, path + ".", CHILD_FIELDS, problems);
                    // a blank id is passed on: the engine names it once, with the other child problems
                    JsonNode id = c.get("id");
                    children.add(new ChildAnswers(id != null && id.isTextual() ? id.textValue() : text(c, "id", path + ".", false, problems),
                            values(c.get("answers"), path + ".answers", problems)));
                }
            }
        }
        EvaluationRequest request = ruleset == null ? null
                : new EvaluationRequest(ruleset, version, assessedOn, caseId, answers, overrides, facts, children);
        return new ParsedRequest(request, problems);
    }

    /** Compact JSON, one line: for batch output and records. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** Indented JSON, for people. */
    public static String writePretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** A value (a decision, plain Java values) as a JSON tree, as {@link #write} would write it. */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /**
     * A request as JSON, in the form {@link #parseRequest} reads back into an equal request:
     * fields in the order of the request contract; null fields, and empty {@code overrides},
     * {@code facts} and {@code children}, left out; {@code answers} always present.
     */
    public static com.fasterxml.jackson.databind.node.ObjectNode requestTree(EvaluationRequest r) {
        var o = MAPPER.createObjectNode();
        putText(o, "ruleset", r.ruleset());
        putText(o, "version", r.version());
        putText(o, "assessedOn", r.assessedOn() == null ? null : r.assessedOn().toString());
        putText(o, "caseId", r.caseId());
        o.set("answers", MAPPER.valueToTree(r.answers()));
        if (!r.overrides().isEmpty()) {
            var list = o.putArray("overrides");
            for (OverrideRequest ov : r.overrides()) {
                var n = list.addObject();
                putText(n, "type", ov.type());
                putText(n, "code", ov.code());
                putText(n, "value", ov.value());
                putText(n, "reason", ov.reason());
            }
        }
        if (!r.facts().isEmpty()) {
            o.set("facts", MAPPER.valueToTree(r.facts()));
        }
        if (!r.children().isEmpty()) {
            var list = o.putArray("children");
            for (ChildAnswers c : r.children()) {
                var n = list.addObject();
                putText(n, "id", c.id());
                n.set("answers", MAPPER.valueToTree(c.answers()));
            }
        }
        return o;
    }

    private static void putText(com.fasterxml.jackson.databind.node.ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    /**
     * Parses JSON text strictly (duplicate keys and trailing content refused) into a tree;
     * throws IllegalArgumentException naming where it is malformed.
     */
    public static JsonNode readTree(byte[] utf8, int offset, int length) {
        try {
            JsonNode n = MAPPER.readTree(utf8, offset, length);
            if (n == null || n.isMissingNode()) {
                throw new IllegalArgumentException("malformed JSON: empty");
            }
            return n;
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at column " + loc.getColumnNr();
            throw new IllegalArgumentException("malformed JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("unreadable JSON: " + e.getMessage(), e);
        }
    }

    /** Reads any JSON value into plain Java values (Map, List, String, Boolean, Number, null). */
    public static Object plain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(n -> list.add(plain(n)));
            return java.util.Collections.unmodifiableList(list);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), plain(e.getValue())));
        return java.util.Collections.unmodifiableMap(map);
    }

    /** Parses JSON text into plain Java values; throws IllegalArgumentException when malformed. */
    public static Object readPlain(String json) {
        try {
            return plain(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Map<String, Object> values(JsonNode node, String path, List<Problem> problems) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            problems.add(new Problem(path, "must be an object, not " + type(node)));
            return out;
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().isNull() ? null : plain(e.getValue()));
        }
        return out;
    }

    private static String reason(JsonNode o, String path, List<Problem> problems) {
        JsonNode r = o.get("reason");
        if (r != null && !r.isNull() && !r.isTextual()) {
            problems.add(new Problem(path + ".reason", "must be a string, not " + type(r)));
            return null;
        }
        return r == null || r.isNull() ? null : r.textValue();
    }

    private static String text(JsonNode o, String field, String prefix, boolean required, List<Problem> problems) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                problems.add(new Problem(prefix + field, "missing"));
            }
            return null;
        }
        if (!n.isTextual()) {
            problems.add(new Problem(prefix + field, "must be a string, not " + type(n)));
            return null;
        }
        if (n.textValue().isBlank()) {
            problems.add(new Problem(prefix + field, "must not be blank"));
            return null;
        }
        return n.textValue();
    }

    private static void unknownFields(JsonNode o, String prefix, Set<String> allowed, List<Problem> problems) {
        o.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                problems.add(new Problem(prefix + clip(f), "unknown field (allowed: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ")"));
            }
        });
    }

    /** The JSON type of a value, for messages. */
    public static String type(JsonNode n) {
        if (n.isTextual()) {
            return "a string";
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        if (n.isNumber()) {
            return "a number";
        }
        if (n.isArray()) {
            return "an array";
        }
        if (n.isObject()) {
            return "an object";
        }
        return "null";
    }

    /** A user-given string cut to a printable length, for messages. */
    public static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
