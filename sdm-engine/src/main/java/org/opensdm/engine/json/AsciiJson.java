package org.opensdm.engine.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict reader for the JSON most requests are: one object of ASCII text, strings without
 * escapes, integers of up to nine digits. It reads only what it can read exactly as Jackson
 * (with SdmJson's settings) reads it, into the same plain values; at anything else it gives up
 * (null) and the caller reads the input with Jackson. So it never accepts what Jackson refuses,
 * and it never reads a value differently: a string with an escape, a non-ASCII byte, a number
 * with a fraction, an exponent or ten digits, a key given twice, nesting deeper than 48, a token
 * Jackson would refuse, all make it give up.
 */
final class AsciiJson {
    /** Below Jackson's limits (nesting 64, name length 50,000): giving up early is always safe. */
    private static final int MAX_DEPTH = 48;
    private static final int MAX_STRING = 10_000;

    private static final String[] ONE_CHAR = new String[128];

    static {
        for (int c = 0; c < 128; c++) {
            ONE_CHAR[c] = String.valueOf((char) c).intern();
        }
    }

    private final byte[] in;
    private final int end;
    private int pos;
    private int depth;

    private AsciiJson(byte[] in) {
        this(in, 0, in.length);
    }

    private AsciiJson(byte[] in, int offset, int length) {
        this.in = in;
        this.pos = offset;
        this.end = offset + length;
    }

    private static final com.fasterxml.jackson.databind.node.JsonNodeFactory NODES =
            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;

    /**
     * The object as the Jackson tree {@code readTree} gives (same node types: IntNode, TextNode,
     * BooleanNode, NullNode, ArrayNode, ObjectNode in document order), or null: not one this reader
     * reads exactly. For the lines of a decision log, canonical JSON that is ASCII but for the
     * text of a request.
     */
    static com.fasterxml.jackson.databind.JsonNode readTree(byte[] json, int offset, int length) {
        AsciiJson r = new AsciiJson(json, offset, length);
        r.skipSpace();
        if (r.pos >= r.end || r.in[r.pos] != '{') {
            return null;
        }
        com.fasterxml.jackson.databind.JsonNode n = r.objectNode();
        if (n == null) {
            return null;
        }
        r.skipSpace();
        return r.pos == r.end ? n : null;
    }

    /** At '{': the object node, or null. */
    private com.fasterxml.jackson.databind.node.ObjectNode objectNode() {
        if (++depth > MAX_DEPTH) {
            return null;
        }
        pos++;
        com.fasterxml.jackson.databind.node.ObjectNode o = NODES.objectNode();
        skipSpace();
        if (pos < end && in[pos] == '}') {
            pos++;
            depth--;
            return o;
        }
        while (true) {
            if (pos >= end || in[pos] != '"') {
                return null;
            }
            String key = string();
            if (key == null) {
                return null;
            }
            skipSpace();
            if (pos >= end || in[pos] != ':') {
                return null;
            }
            pos++;
            skipSpace();
            com.fasterxml.jackson.databind.JsonNode v = valueNode();
            if (v == null || o.replace(key, v) != null) {
                return null; // not mine, or a key given twice (Jackson names it)
            }
            skipSpace();
            if (pos >= end) {
                return null;
            }
            byte c = in[pos++];
            if (c == ',') {
                skipSpace();
            } else if (c == '}') {
                depth--;
                return o;
            } else {
                return null;
            }
        }
    }

    /** A value as a node, or null: not mine. */
    private com.fasterxml.jackson.databind.JsonNode valueNode() {
        if (pos >= end) {
            return null;
        }
        byte c = in[pos];
        switch (c) {
            case '{':
                return objectNode();
            case '[': {
                if (++depth > MAX_DEPTH) {
                    return null;
                }
                pos++;
                com.fasterxml.jackson.databind.node.ArrayNode a = NODES.arrayNode();
                skipSpace();
                if (pos < end && in[pos] == ']') {
                    pos++;
                    depth--;
                    return a;
                }
                while (true) {
                    com.fasterxml.jackson.databind.JsonNode v = valueNode();
                    if (v == null) {
                        return null;
                    }
                    a.add(v);
                    skipSpace();
                    if (pos >= end) {
                        return null;
                    }
                    byte d = in[pos++];
                    if (d == ',') {
                        skipSpace();
                    } else if (d == ']') {
                        depth--;
                        return a;
                    } else {
                        return null;
                    }
                }
            }
            case '"': {
                String s = string();
                return s == null ? null : NODES.textNode(s);
            }
            case 't':
                return literal("true", Boolean.TRUE) != NOT_MINE ? NODES.booleanNode(true) : null;
            case 'f':
                return literal("false", Boolean.FALSE) != NOT_MINE ? NODES.booleanNode(false) : null;
            case 'n':
                return literal("null", null) == null ? NODES.nullNode() : null;
            default: {
                if (c != '-' && (c < '0' || c > '9')) {
                    return null;
                }
                Object n = number();
                return n == NOT_MINE ? null : NODES.numberNode((Integer) n);
            }
        }
    }

    /** The object, or null: not one this reader reads exactly (read it with Jackson). */
    static Map<String, Object> readObject(byte[] json) {
        AsciiJson r = new AsciiJson(json);
        r.skipSpace();
        if (r.pos >= r.end || r.in[r.pos] != '{') {
            return null;
        }
        Map<String, Object> m = r.object();
        if (m == null) {
            return null;
        }
        r.skipSpace();
        return r.pos == r.end ? m : null;
    }

    private void skipSpace() {
        while (pos < end) {
            byte c = in[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    /** Marks a value this reader does not read. */
    private static final Object NOT_MINE = new Object();

    private Object value() {
        if (pos >= end) {
            return NOT_MINE;
        }
        byte c = in[pos];
        switch (c) {
            case '{': {
                Map<String, Object> m = object();
                return m == null ? NOT_MINE : m;
            }
            case '[':
                return array();
            case '"': {
                String s = string();
                return s == null ? NOT_MINE : s;
            }
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                return c == '-' || (c >= '0' && c <= '9') ? number() : NOT_MINE;
        }
    }

    /** At '{'. */
    private Map<String, Object> object() {
        if (++depth > MAX_DEPTH) {
            return null;
        }
        pos++;
        Map<String, Object> m = new LinkedHashMap<>();
        skipSpace();
        if (pos < end && in[pos] == '}') {
            pos++;
            depth--;
            return frozen(m);
        }
        while (true) {
            if (pos >= end || in[pos] != '"') {
                return null;
            }
            String key = string();
            if (key == null) {
                return null;
            }
            skipSpace();
            if (pos >= end || in[pos] != ':') {
                return null;
            }
            pos++;
            skipSpace();
            Object v = value();
            if (v == NOT_MINE) {
                return null;
            }
            int size = m.size();
            m.put(key, v);
            if (m.size() == size) {
                return null; // a key given twice: Jackson names it
            }
            skipSpace();
            if (pos >= end) {
                return null;
            }
            byte c = in[pos++];
            if (c == ',') {
                skipSpace();
            } else if (c == '}') {
                depth--;
                return frozen(m);
            } else {
                return null;
            }
        }
    }

    /**
     * The root object and the objects directly in it (answers, facts) are read only by SdmJson,
     * which copies what it keeps (the request copies its maps): left as they are, they copy faster.
     * Deeper values may end up in a request as they are (an answer's value): unmodifiable.
     */
    private Map<String, Object> frozen(Map<String, Object> m) {
        return depth + 1 > 2 ? Collections.unmodifiableMap(m) : m;
    }

    /** At '['. */
    private Object array() {
        if (++depth > MAX_DEPTH) {
            return NOT_MINE;
        }
        pos++;
        List<Object> list = new ArrayList<>();
        skipSpace();
        if (pos < end && in[pos] == ']') {
            pos++;
            depth--;
            return Collections.unmodifiableList(list);
        }
        while (true) {
            Object v = value();
            if (v == NOT_MINE) {
                return NOT_MINE;
            }
            list.add(v);
            skipSpace();
            if (pos >= end) {
                return NOT_MINE;
            }
            byte c = in[pos++];
            if (c == ',') {
                skipSpace();
            } else if (c == ']') {
                depth--;
                return Collections.unmodifiableList(list);
            } else {
                return NOT_MINE;
            }
        }
    }

    /** At '"': the string, or null when it has an escape, a control or non-ASCII byte, or no end. */
    private String string() {
        int start = ++pos;
        int limit = Math.min(end, start + MAX_STRING);
        int h = 0;
        for (int i = start; i < limit; i++) {
            byte c = in[i];
            if (c == '"') {
                pos = i + 1;
                return text(start, i - start, h);
            }
            if (c < 0x20 || c == '\\') { // a negative byte is not ASCII
                return null;
            }
            h = 31 * h + c; // String.hashCode of ASCII text
        }
        return null;
    }

    /**
     * Recently read short strings (field names, item ids, option keys, dates, versions recur in
     * every request), by their hash: a hit saves making the string and, later, hashing it again as
     * a map key. A slot may be overwritten by any thread at any time; a String is immutable, so
     * whatever a thread reads from a slot is a whole string, checked against the bytes before use.
     */
    private static final String[] RECENT = new String[1024];

    private String text(int start, int length, int hash) {
        if (length == 1) {
            return ONE_CHAR[in[start]]; // an option key, usually
        }
        if (length > 24) {
            return new String(in, start, length, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        int slot = (hash ^ (hash >>> 10)) & (RECENT.length - 1);
        String known = RECENT[slot];
        if (known != null && known.length() == length) {
            int i = 0;
            while (i < length && known.charAt(i) == in[start + i]) {
                i++;
            }
            if (i == length) {
                return known;
            }
        }
        String s = new String(in, start, length, java.nio.charset.StandardCharsets.ISO_8859_1);
        RECENT[slot] = s;
        return s;
    }

    private Object literal(String word, Object value) {
        int n = word.length();
        if (pos + n > end) {
            return NOT_MINE;
        }
        for (int i = 0; i < n; i++) {
            if (in[pos + i] != word.charAt(i)) {
                return NOT_MINE;
            }
        }
        if (!delimiter(pos + n)) {
            return NOT_MINE;
        }
        pos += n;
        return value;
    }

    /** An integer of one to nine digits (an int, as Jackson's tree holds it), else not mine. */
    private Object number() {
        int i = pos;
        boolean negative = in[i] == '-';
        if (negative) {
            i++;
        }
        int first = i;
        int n = 0;
        while (i < end && in[i] >= '0' && in[i] <= '9') {
            n = n * 10 + (in[i] - '0');
            i++;
            if (i - first > 9) {
                return NOT_MINE;
            }
        }
        int digits = i - first;
        if (digits == 0 || (digits > 1 && in[first] == '0') || !delimiter(i)) {
            return NOT_MINE; // no digit, a leading zero, or a fraction, exponent or junk after it
        }
        pos = i;
        return negative ? -n : n;
    }

    /** What may follow a value inside an object or array. */
    private boolean delimiter(int at) {
        if (at >= end) {
            return false;
        }
        byte c = in[at];
        return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }
}
