package org.opensdm.engine.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
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
 * The one place where requests and decisions meet JSON, all of it on Jackson.
 *
 * <ul>
 *   <li><b>One reader</b> ({@link #readValue}): Jackson's streaming parser, strict (a duplicate key,
 *       trailing content, nesting deeper than 64 are malformed), into plain Java values: an
 *       unmodifiable {@code Map<String, Object>} in document order, an unmodifiable {@code List},
 *       {@code String}, {@code Boolean}, {@code null}, an {@code Integer} for an integer that fits
 *       one, else a {@code BigDecimal} (exact, as written; an exponent beyond 1000 is refused). Requests ({@link #parseRequest}), decision log records and
 *       every other JSON the tools read go through it; a request's shape is then checked once, on
 *       those values, naming every problem by its JSON path.</li>
 *   <li><b>One writer</b> ({@link #write}, {@link #writePretty}): Jackson's ObjectMapper, configured
 *       here once. A {@link Decision} is written in the order of its record components, its
 *       {@code child} and null override fields left out, its outcome keys in manifest order; so the
 *       same decision always gives the same bytes. {@link #plain} is what reading the written JSON
 *       gives (the canonical record form of the audit module is written from it).</li>
 * </ul>
 *
 * <p>No Jackson type appears in this class's signatures. Jackson's buffers are recycled through a
 * pool owned by this class's factory, not a {@code ThreadLocal}, so no thread of an application
 * server keeps a buffer (and the class loader that made it) after a call.
 */
public final class SdmJson {
    private static final Set<String> REQUEST_FIELDS =
            Set.of("ruleset", "version", "assessedOn", "caseId", "answers", "overrides", "facts", "children");
    private static final Set<String> OVERRIDE_FIELDS = Set.of("type", "code", "value", "reason");
    private static final Set<String> CHILD_FIELDS = Set.of("id", "answers");

    /**
     * A number whose plain decimal form would have more than this many digits after or before the
     * point from its exponent ({@code 1e999999999}) is refused: its canonical form would be huge.
     */
    static final int MAX_SCALE = 1000;

    /** Nesting deeper than this is malformed. */
    static final int MAX_DEPTH = 64;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();

    /**
     * The ObjectMapper, built on first use: reading requests and writing a decision of plain values
     * need only the factory, so an application that evaluates once (the {@code sdm} command) does
     * not load Jackson's databind machinery for it.
     */
    private static final class Mapper {
        static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY)
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .addModule(new com.fasterxml.jackson.databind.module.SimpleModule("sdm-decision")
                        .addSerializer(Decision.class, new DecisionSerializer()))
                .build();
    }

    /** The one decision writer, used straight on a generator when a decision holds plain values only. */
    private static final DecisionSerializer DECISION = new DecisionSerializer();

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
     * could be read. The bytes are checked to be UTF-8 (Jackson reads an encoded surrogate or an
     * overlong form as a character the bytes do not hold), read by {@link #readValue}'s reader,
     * and the request's shape is checked on the values read.
     */
    public static ParsedRequest parseRequest(byte[] json) {
        Problem encoding = invalidUtf8(json);
        if (encoding != null) {
            return new ParsedRequest(null, List.of(encoding));
        }
        Object root;
        try {
            root = read(json, 0, json.length);
        } catch (IllegalArgumentException e) {
            return new ParsedRequest(null, List.of(new Problem("$", e.getMessage())));
        }
        if (root == EMPTY) {
            return new ParsedRequest(null, List.of(new Problem("$", "empty input: expected a JSON object")));
        }
        if (!(root instanceof Map<?, ?> map)) {
            return new ParsedRequest(null, List.of(new Problem("$", "must be a JSON object, not " + typeOf(root))));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) map;
        return parseRequest(object);
    }

    /**
     * A request from its JSON already read as plain values (a request recorded in a decision
     * log): the same shape checks, and the same lone-surrogate check, as {@link #parseRequest(byte[])}.
     */
    public static ParsedRequest parseRequest(Map<String, Object> plain) {
        return withLoneSurrogates(checkShape(plain), plain);
    }

    /** What {@link #read} gives for input with nothing but whitespace. */
    private static final Object EMPTY = new Object();

    /**
     * Reads one JSON value strictly into plain values (see the class comment); throws
     * IllegalArgumentException ("malformed JSON at line L, column C: why") when the input is
     * empty, malformed, has a duplicate key, nests deeper than 64 or has anything but whitespace
     * after the value.
     */
    public static Object readValue(byte[] utf8, int offset, int length) {
        Object v = read(utf8, offset, length);
        if (v == EMPTY) {
            throw new IllegalArgumentException("malformed JSON: empty input");
        }
        return v;
    }

    /** {@link #readValue} of a string. */
    public static Object readPlain(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return readValue(b, 0, b.length);
    }

    private static Object read(byte[] utf8, int offset, int length) {
        try (JsonParser p = FACTORY.createParser(utf8, offset, length)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return EMPTY;
            }
            Object v = read(p, t);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("malformed JSON" + where(p) + ": content after the JSON value");
            }
            return v;
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String at = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new IllegalArgumentException("malformed JSON" + at + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading from memory
        }
    }

    private static String where(JsonParser p) {
        var loc = p.currentTokenLocation();
        return " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    /** The value that starts at token {@code t}, read to its end. */
    private static Object read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    if (map.containsKey(name)) {
                        // here rather than by Jackson's duplicate detector, which costs a HashSet per object
                        throw new IllegalArgumentException("malformed JSON" + where(p) + ": the key \"" + Printable.clip(name)
                                + "\" is given twice in one object");
                    }
                    map.put(name, read(p, p.nextToken()));
                }
                return Collections.unmodifiableMap(map);
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(read(p, e));
                }
                return Collections.unmodifiableList(list);
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
                return p.getNumberType() == JsonParser.NumberType.INT ? (Object) p.getIntValue()
                        : new BigDecimal(p.getBigIntegerValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                BigDecimal d = p.getDecimalValue(); // exact, as written
                if (Math.abs((long) d.scale()) > MAX_SCALE) {
                    throw new IllegalArgumentException("malformed JSON" + where(p) + ": the number " + Printable.clip(p.getText())
                            + " is out of range (its exponent is beyond " + MAX_SCALE + ")");
                }
                return d;
            }
            case VALUE_EMBEDDED_OBJECT -> {
                return p.getEmbeddedObject(); // only from a token buffer (plain): a value databind left as it is
            }
            default -> throw new IllegalStateException("unexpected JSON token " + t);
        }
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
            int at = Printable.loneSurrogate(s);
            if (at >= 0) {
                problems.add(new Problem(path.isEmpty() ? "$" : path, surrogate(s, at)));
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = (String) e.getKey();
                String member = (path.isEmpty() ? "" : path + ".") + clip(key);
                int at = Printable.loneSurrogate(key);
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
    }    /**
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
    /** The shape checks of a request read as plain values: every problem, by JSON path. */
    private static ParsedRequest checkShape(Map<String, Object> root) {
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

    /** {@code LocalDate.parse} (ISO, strict), or null where it throws. */
    private static LocalDate date(String s) {
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
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
    /** Compact JSON, one line: for batch output and records. */
    public static String write(Object value) {
        if (value instanceof Decision d && DecisionSerializer.plain(d)) {
            // the same serializer, without the ObjectMapper's provider (it needs none for plain values)
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(4096);
            try (JsonGenerator g = FACTORY.createGenerator(out, com.fasterxml.jackson.core.JsonEncoding.UTF8)) {
                DECISION.serialize(d, g, null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toString(StandardCharsets.UTF_8);
        }
        try {
            // Jackson's UTF-8 generator, then one decoding copy: 25 % faster than its char generator here
            return new String(Mapper.MAPPER.writeValueAsBytes(value), StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** Indented JSON, for people. */
    public static String writePretty(Object value) {
        if (value instanceof Decision d && DecisionSerializer.plain(d)) {
            java.io.StringWriter out = new java.io.StringWriter(8192);
            try (JsonGenerator g = FACTORY.createGenerator(out)) {
                g.setPrettyPrinter(new com.fasterxml.jackson.core.util.DefaultPrettyPrinter());
                DECISION.serialize(d, g, null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toString();
        }
        try {
            return Mapper.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /**
     * A value (a decision, a report, plain values) as the plain values {@link #readValue} gives for
     * the JSON {@link #write} writes of it, without writing the text: the writer's tokens are read
     * back by the reader.
     */
    public static Object plain(Object value) {
        try (TokenBuffer buffer = new TokenBuffer(Mapper.MAPPER, false)) {
            Mapper.MAPPER.writeValue(buffer, value);
            try (JsonParser p = buffer.asParser()) {
                return read(p, p.nextToken());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /**
     * A request as plain JSON values, in the form {@link #parseRequest} reads back into an equal
     * request: fields in the order of the request contract; null fields, and empty
     * {@code overrides}, {@code facts} and {@code children}, left out; {@code answers} always
     * present; strings exactly as given.
     */
    public static Map<String, Object> requestPlain(EvaluationRequest r) {
        Map<String, Object> o = new LinkedHashMap<>();
        putText(o, "ruleset", r.ruleset());
        putText(o, "version", r.version());
        putText(o, "assessedOn", r.assessedOn() == null ? null : r.assessedOn().toString());
        putText(o, "caseId", r.caseId());
        o.put("answers", r.answers());
        if (!r.overrides().isEmpty()) {
            List<Object> list = new ArrayList<>();
            for (OverrideRequest ov : r.overrides()) {
                Map<String, Object> n = new LinkedHashMap<>();
                putText(n, "type", ov.type());
                putText(n, "code", ov.code());
                putText(n, "value", ov.value());
                putText(n, "reason", ov.reason());
                list.add(n);
            }
            o.put("overrides", list);
        }
        if (!r.facts().isEmpty()) {
            o.put("facts", r.facts());
        }
        if (!r.children().isEmpty()) {
            List<Object> list = new ArrayList<>();
            for (ChildAnswers c : r.children()) {
                Map<String, Object> n = new LinkedHashMap<>();
                putText(n, "id", c.id());
                n.put("answers", c.answers());
                list.add(n);
            }
            o.put("children", list);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> plain = (Map<String, Object>) plain(o);
        return plain;
    }

    private static void putText(Map<String, Object> o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    /**
     * Writes plain values (as {@link #readValue} gives them) in a canonical form: object members
     * sorted by key ({@code String.compareTo}: UTF-16 code units, as RFC 8785), no whitespace,
     * strings escaped as Jackson escapes them with lower-case hex ({@code \u001f}), integers as
     * their digits, other numbers as their shortest plain decimal. The audit module's
     * {@code CanonicalJson} documents the form; this is its writer.
     *
     * <p>A value made by {@link #canonicalText} is written as the text it holds.
     *
     * @throws IllegalArgumentException for a string or key with a lone surrogate (which has no
     *     UTF-8 form, so no canonical one: RFC 8785 refuses it), a NaN or infinity, or a value
     *     that is not plain
     */
    public static String writeCanonical(Object value) {
        java.io.StringWriter out = new java.io.StringWriter(1024);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
            g.configure(com.fasterxml.jackson.core.json.JsonWriteFeature.WRITE_HEX_UPPER_CASE.mappedFeature(), false);
            canonical(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * A value that {@link #writeCanonical} writes as {@code json}, unchecked: for a member whose
     * canonical form is already written (a decision's, in a record).
     */
    public static Object canonicalText(String json) {
        return new CanonicalText(json);
    }

    private record CanonicalText(String json) { }

    private static void canonical(JsonGenerator g, Object v) throws IOException {
        if (v instanceof CanonicalText t) {
            g.writeRawValue(t.json());
        } else if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(checked(s));
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger) {
            g.writeNumber(v.toString());
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString());
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("NaN and infinities have no JSON form");
            }
            canonical(g, BigDecimal.valueOf(d));
        } else if (v instanceof Map<?, ?> m) {
            List<String> keys = new ArrayList<>(m.size());
            for (Object k : m.keySet()) {
                if (!(k instanceof String key)) {
                    throw new IllegalArgumentException("not a JSON object: key " + k + " is not a string");
                }
                keys.add(key);
            }
            keys.sort(null);
            g.writeStartObject();
            for (String k : keys) {
                g.writeFieldName(checked(k));
                canonical(g, m.get(k));
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object e : l) {
                canonical(g, e);
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("not a plain JSON value: " + v.getClass().getName());
        }
    }

    private static String checked(String s) {
        int at = Printable.loneSurrogate(s);
        if (at >= 0) {
            throw new IllegalArgumentException(String.format("the string \"%s\" %s", clip(s), surrogate(s, at)));
        }
        return s;
    }

    /** A user-given string cut to a printable length, for messages. */
    public static String clip(String s) {
        return Printable.clip(s);
    }
}
