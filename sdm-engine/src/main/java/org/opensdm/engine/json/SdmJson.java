package org.opensdm.engine.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
        Problem text = loneSurrogateInText(json);
        if (text != null) {
            throw new InvalidRequestException(List.of(text));
        }
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
     *
     * <p>Three ways, one result. The usual request is read into plain Java values by a strict
     * ASCII reader ({@link AsciiJson}), or, when it has escapes, non-ASCII text or numbers that
     * reader leaves alone, by Jackson's streaming parser, and checked there; anything else
     * (malformed JSON, a duplicate key, trailing content, another root) is read again by
     * {@link #parseRequestViaTree}, whose Jackson tree gives the located error. Tests check all
     * give the same result.
     */
    public static ParsedRequest parseRequest(byte[] json) {
        Map<String, Object> root = AsciiJson.readObject(json);
        if (root != null) {
            return parseRequest(root); // ASCII without escapes: no bad byte, no surrogate
        }
        Problem encoding = invalidUtf8(json);
        if (encoding != null) {
            return new ParsedRequest(null, List.of(encoding));
        }
        root = readObjectFast(json);
        ParsedRequest parsed = root == null ? parseRequestViaTree(json) : parseRequest(root);
        return root == null ? parsed : withLoneSurrogates(parsed, root);
    }

    /**
     * The problem of the first byte sequence that is not well-formed UTF-8 (RFC 3629: no overlong
     * form, no encoded surrogate, nothing above U+10FFFF), or null. Jackson's reader accepts some
     * of these (an encoded surrogate, an overlong form) and would read a character the bytes do
     * not hold.
     */
    static Problem invalidUtf8(byte[] in) {
        int line = 1;
        int lineStart = 0;
        int i = 0;
        int n = in.length;
        while (i < n) {
            int b = in[i] & 0xff;
            if (b < 0x80) {
                if (b == '\n') {
                    line++;
                    lineStart = i + 1;
                }
                i++;
                continue;
            }
            int len;
            int min;
            int lo = 0x80;
            int hi = 0xbf;
            if (b >= 0xc2 && b <= 0xdf) {
                len = 2;
            } else if (b >= 0xe0 && b <= 0xef) {
                len = 3;
                if (b == 0xe0) {
                    lo = 0xa0; // overlong
                } else if (b == 0xed) {
                    hi = 0x9f; // U+D800..U+DFFF: a surrogate
                }
            } else if (b >= 0xf0 && b <= 0xf4) {
                len = 4;
                if (b == 0xf0) {
                    lo = 0x90; // overlong
                } else if (b == 0xf4) {
                    hi = 0x8f; // above U+10FFFF
                }
            } else {
                return badByte(in, i, line, lineStart, b >= 0x80 && b <= 0xbf ? "a continuation byte without a lead byte"
                        : b == 0xc0 || b == 0xc1 ? "an overlong encoding" : "a byte that never occurs in UTF-8");
            }
            min = len;
            for (int k = 1; k < min; k++) {
                if (i + k >= n) {
                    return badByte(in, i, line, lineStart, "a character cut off by the end of the input");
                }
                int c = in[i + k] & 0xff;
                int l = k == 1 ? lo : 0x80;
                int h = k == 1 ? hi : 0xbf;
                if (c < l || c > h) {
                    String why = k == 1 && b == 0xed && c >= 0xa0 && c <= 0xbf ? "an encoded surrogate (not a character)"
                            : k == 1 && (b == 0xe0 || b == 0xf0) && c >= 0x80 && c < lo ? "an overlong encoding"
                            : k == 1 && b == 0xf4 && c > 0x8f && c <= 0xbf ? "a code point above U+10FFFF"
                            : "a character cut off by byte 0x" + String.format("%02x", c);
                    return badByte(in, i, line, lineStart, why);
                }
            }
            i += len;
        }
        return null;
    }

    private static Problem badByte(byte[] in, int at, int line, int lineStart, String why) {
        return new Problem("$", "not valid UTF-8 at line " + line + ", byte " + (at - lineStart + 1) + " of the line (byte 0x"
                + String.format("%02x", in[at] & 0xff) + " at offset " + at + "): " + why);
    }

    /** The parsed request, refused when a string or key of the input holds a lone surrogate. */
    private static ParsedRequest withLoneSurrogates(ParsedRequest parsed, Object root) {
        List<Problem> found = new ArrayList<>();
        loneSurrogates(root, "", found);
        if (found.isEmpty()) {
            return parsed;
        }
        List<Problem> problems = new ArrayList<>(parsed.problems());
        // a value already refused for its type keeps that problem; a value refused for its text is named once
        problems.removeIf(p -> found.stream().anyMatch(f -> f.path().equals(p.path())));
        problems.addAll(found);
        return new ParsedRequest(parsed.request() == null ? null : parsed.request(), problems);
    }

    /**
     * Adds a problem for every string and key of a plain JSON value that holds a lone surrogate: a
     * UTF-16 code unit that is not a character, which UTF-8 and so canonical JSON (RFC 8785) cannot
     * write.
     */
    public static void loneSurrogates(Object value, String path, List<Problem> problems) {
        if (!Printable.anyLoneSurrogate(value)) {
            return; // the usual case, without building paths
        }
        List<Problem> found = new ArrayList<>();
        collectLoneSurrogates(value, path, found);
        // a flood of them costs a few lines, not one per string
        if (found.size() > MAX_SURROGATES_NAMED) {
            int more = found.size() - MAX_SURROGATES_NAMED;
            found = new ArrayList<>(found.subList(0, MAX_SURROGATES_NAMED));
            found.add(new Problem(path.isEmpty() ? "$" : path, more + " more strings or keys contain a lone surrogate"));
        }
        problems.addAll(found);
    }

    /** How many strings or keys with a lone surrogate are named one by one. */
    static final int MAX_SURROGATES_NAMED = 20;

    private static void collectLoneSurrogates(Object value, String path, List<Problem> problems) {
        if (value instanceof String s) {
            int at = org.opensdm.engine.json.Printable.loneSurrogate(s);
            if (at >= 0) {
                problems.add(new Problem(path.isEmpty() ? "$" : path, surrogate(s, at)));
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = (String) e.getKey();
                String member = (path.isEmpty() ? "" : path + ".") + clip(key);
                int at = org.opensdm.engine.json.Printable.loneSurrogate(key);
                if (at >= 0) {
                    problems.add(new Problem(member, "the key " + surrogate(key, at)));
                }
                collectLoneSurrogates(e.getValue(), member, problems);
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                collectLoneSurrogates(list.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    private static String surrogate(String s, int at) {
        return String.format("contains a lone surrogate U+%04X (at character %d), which is not a character: "
                + "UTF-8 and canonical JSON cannot hold it", (int) s.charAt(at), at + 1);
    }

    /** What the Jackson streaming reader gives for an object the ASCII reader reads (for the tests). */
    static Map<String, Object> readObjectStreaming(byte[] json) {
        return readObjectFast(json);
    }

    /** What the ASCII reader gives, or null where it gives up (for the tests). */
    static Map<String, Object> readObjectAscii(byte[] json) {
        return AsciiJson.readObject(json);
    }

    /** The request read through a Jackson tree (strict: every malformed input gets its located error). */
    static ParsedRequest parseRequestViaTree(byte[] json) {
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
        List<Problem> surrogates = new ArrayList<>();
        loneSurrogates(plain(root), "", surrogates);
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
        if (!surrogates.isEmpty()) {
            problems.removeIf(p -> surrogates.stream().anyMatch(f -> f.path().equals(p.path())));
            problems.addAll(surrogates);
        }
        return new ParsedRequest(request, problems);
    }

    /**
     * The problem of JSON text given as a Java string that holds a lone surrogate (UTF-8 cannot
     * encode it: {@code getBytes} would put a '?' in its place), with its line and column; or null.
     */
    public static Problem loneSurrogateInText(String json) {
        int at = Printable.loneSurrogate(json);
        if (at < 0) {
            return null;
        }
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at; i++) {
            if (json.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new Problem("$", String.format("the request text contains a lone surrogate U+%04X at line %d, column %d, "
                + "which is not a character: UTF-8 cannot encode it", (int) json.charAt(at), line, at - lineStart + 1));
    }

    /** A value that stands for a duplicate key: the fast reader gives up, the tree reader names it. */
    private static final Object DUPLICATE = new Object();

    /**
     * A JSON object read as plain values (as {@link #plain} gives them), or null when the input is
     * not one well-formed object with distinct keys followed by nothing but whitespace.
     */
    private static Map<String, Object> readObjectFast(byte[] json) {
        try (JsonParser p = MAPPER.getFactory().createParser(json)) {
            // duplicate keys are caught below, as a value put twice (the strict reader then names them)
            p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Object root = readValue(p, JsonToken.START_OBJECT);
            if (root == DUPLICATE || p.nextToken() != null) {
                return null;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) root;
            return map;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private static Object readValue(JsonParser p, JsonToken t) throws java.io.IOException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    Object v = readValue(p, p.nextToken());
                    if (v == DUPLICATE || map.containsKey(name)) {
                        return DUPLICATE;
                    }
                    map.put(name, v);
                }
                return java.util.Collections.unmodifiableMap(map);
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    Object v = readValue(p, e);
                    if (v == DUPLICATE) {
                        return DUPLICATE;
                    }
                    list.add(v);
                }
                return java.util.Collections.unmodifiableList(list);
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            case VALUE_NUMBER_INT -> {
                // as plain() reads a tree's number: an int when it fits, else a BigDecimal
                return p.getNumberType() == JsonParser.NumberType.INT ? (Object) p.getIntValue()
                        : new java.math.BigDecimal(p.getBigIntegerValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return java.math.BigDecimal.valueOf(p.getDoubleValue());
            }
            default -> throw new IllegalStateException("unexpected JSON token " + t);
        }
    }

    /** The checks of {@link #parseRequestViaTree}, in the same order, on a request read as plain values. */
    private static ParsedRequest parseRequest(Map<String, Object> root) {
        List<Problem> problems = new ArrayList<>();
        unknownFields(root, "", REQUEST_FIELDS, problems);
        String ruleset = text(root, "ruleset", "", true, problems);
        String version = text(root, "version", "", false, problems);
        String date = text(root, "assessedOn", "", false, problems);
        LocalDate assessedOn = null;
        if (date != null) {
            assessedOn = date(date);
            if (assessedOn == null) {
                problems.add(new Problem("assessedOn", "must be a date YYYY-MM-DD, not \"" + clip(date) + "\""));
            }
        }
        String caseId = text(root, "caseId", "", false, problems);
        Map<String, Object> answers = values(root.get("answers"), "answers", problems);
        Map<String, Object> facts = values(root.get("facts"), "facts", problems);
        List<OverrideRequest> overrides = new ArrayList<>();
        Object ov = root.get("overrides");
        if (ov != null) {
            if (!(ov instanceof List<?> list)) {
                problems.add(new Problem("overrides", "must be an array, not " + typeOf(ov)));
            } else {
                for (int i = 0; i < list.size(); i++) {
                    String path = "overrides[" + i + "]";
                    if (!(list.get(i) instanceof Map<?, ?> o)) {
                        problems.add(new Problem(path, "must be an object, not " + typeOf(list.get(i))));
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
        Object ch = root.get("children");
        if (ch != null) {
            if (!(ch instanceof List<?> list)) {
                problems.add(new Problem("children", "must be an array, not " + typeOf(ch)));
            } else {
                for (int i = 0; i < list.size(); i++) {
                    String path = "children[" + i + "]";
                    if (!(list.get(i) instanceof Map<?, ?> c)) {
                        problems.add(new Problem(path, "must be an object, not " + typeOf(list.get(i))));
                        continue;
                    }
                    unknownFields(c, path + ".", CHILD_FIELDS, problems);
                    // a blank id is passed on: the engine names it once, with the other child problems
                    Object id = c.get("id");
                    children.add(new ChildAnswers(id instanceof String s ? s : text(c, "id", path + ".", false, problems),
                            values(c.get("answers"), path + ".answers", problems)));
                }
            }
        }
        EvaluationRequest request = ruleset == null ? null
                : new EvaluationRequest(ruleset, version, assessedOn, caseId, answers, overrides, facts, children);
        return new ParsedRequest(request, problems);
    }

    /**
     * What {@code LocalDate.parse} gives (ISO, strict), or null where it throws; the usual
     * {@code YYYY-MM-DD} is read without the formatter, which is slow.
     */
    static LocalDate date(String s) {
        if (s.length() == 10 && s.charAt(4) == '-' && s.charAt(7) == '-') {
            int y = digits(s, 0, 4);
            int m = digits(s, 5, 7);
            int d = digits(s, 8, 10);
            if (y >= 0 && m >= 0 && d >= 0) {
                try {
                    return LocalDate.of(y, m, d);
                } catch (java.time.DateTimeException e) {
                    return null;
                }
            }
        }
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The ASCII digits from..to as a number, or -1. */
    private static int digits(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static Map<String, Object> values(Object node, String path, List<Problem> problems) {
        if (node == null) {
            return new LinkedHashMap<>();
        }
        if (!(node instanceof Map<?, ?> map)) {
            problems.add(new Problem(path, "must be an object, not " + typeOf(node)));
            return new LinkedHashMap<>();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) map;
        return values;
    }

    private static String reason(Map<?, ?> o, String path, List<Problem> problems) {
        Object r = o.get("reason");
        if (r != null && !(r instanceof String)) {
            problems.add(new Problem(path + ".reason", "must be a string, not " + typeOf(r)));
            return null;
        }
        return (String) r;
    }

    private static String text(Map<?, ?> o, String field, String prefix, boolean required, List<Problem> problems) {
        Object n = o.get(field);
        if (n == null) {
            if (required) {
                problems.add(new Problem(prefix + field, "missing"));
            }
            return null;
        }
        if (!(n instanceof String s)) {
            problems.add(new Problem(prefix + field, "must be a string, not " + typeOf(n)));
            return null;
        }
        if (s.isBlank()) {
            problems.add(new Problem(prefix + field, "must not be blank"));
            return null;
        }
        return s;
    }

    private static void unknownFields(Map<?, ?> o, String prefix, Set<String> allowed, List<Problem> problems) {
        for (Object f : o.keySet()) {
            if (!allowed.contains(f)) {
                problems.add(new Problem(prefix + clip((String) f), "unknown field (allowed: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ")"));
            }
        }
    }

    /** The JSON type of a plain value, for messages (as {@link #type} names a tree node's). */
    private static String typeOf(Object v) {
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof Number) {
            return "a number";
        }
        if (v instanceof List<?>) {
            return "an array";
        }
        if (v instanceof Map<?, ?>) {
            return "an object";
        }
        return "null";
    }

    /** Compact JSON, one line: for batch output and records. A decision is written by {@link DecisionWriter}. */
    public static String write(Object value) {
        if (value instanceof Decision d) {
            return DecisionWriter.write(d);
        }
        return writeWithDatabind(value);
    }

    /** Compact JSON by the ObjectMapper (what {@link #write} gives for every value). */
    static String writeWithDatabind(Object value) {
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
        if (value instanceof Decision d) {
            JsonNode built = DecisionTree.of(d);
            if (built != null) {
                return built;
            }
        }
        return MAPPER.valueToTree(value);
    }

    /** The ObjectMapper's tree of a value (what {@link #tree} gives for every value). */
    static JsonNode treeWithDatabind(Object value) {
        return MAPPER.valueToTree(value);
    }

    /**
     * A request as JSON, in the form {@link #parseRequest} reads back into an equal request:
     * fields in the order of the request contract; null fields, and empty {@code overrides},
     * {@code facts} and {@code children}, left out; {@code answers} always present.
     */
    /** {@link #requestTree} as plain values (maps, lists, strings ...), strings exactly as given. */
    public static Object requestPlain(EvaluationRequest r) {
        return MAPPER.convertValue(requestTree(r), Object.class);
    }

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
        // the usual line of a decision log (an ASCII object): read without Jackson's parser, the same tree
        JsonNode fast = AsciiJson.readTree(utf8, offset, length);
        if (fast != null) {
            return fast;
        }
        return readTreeStrict(utf8, offset, length);
    }

    /** {@link #readTree} by Jackson alone (for the tests). */
    static JsonNode readTreeStrict(byte[] utf8, int offset, int length) {
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
        return org.opensdm.engine.json.Printable.clip(s);
    }
}
