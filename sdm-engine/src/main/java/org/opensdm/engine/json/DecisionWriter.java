package org.opensdm.engine.json;

import java.util.List;
import java.util.Map;
import org.opensdm.engine.Decision;
import org.opensdm.engine.Decision.OverrideResult;
import org.opensdm.engine.Decision.RulesetInfo;
import org.opensdm.engine.Decision.TrailEntry;

/**
 * Writes a decision as compact JSON: the same bytes as the ObjectMapper of {@link SdmJson}
 * writes (fields in record order, {@code child} and null override fields left out, strings
 * escaped as Jackson escapes them), without its reflection and per-call set-up, on the hot path
 * of {@code SdmEngine.evaluateJson}. {@link Latin1} writes bytes and reuses the JSON of strings
 * and trail entries it wrote before; a decision with a character above U+00FF is written by the
 * general writer into a StringBuilder. A value other than the plain ones (String, Integer, Long,
 * Boolean, null, List, Map with String keys) is handed to the ObjectMapper. Tests check both
 * writers give the ObjectMapper's bytes, for decisions of every shipped ruleset and for awkward
 * strings.
 */
final class DecisionWriter {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private DecisionWriter() {
    }

    static String write(Decision d) {
        String fast = Latin1.write(d);
        return fast != null ? fast : writeChars(d);
    }

    /** The general writer, for a decision with a character above U+00FF. */
    static String writeChars(Decision d) {
        StringBuilder b = new StringBuilder(512 + 160 * d.trail().size());
        b.append("{\"ruleset\":").append(rulesetBlockChars(d.ruleset()));
        b.append(",\"engineVersion\":");
        string(b, d.engineVersion());
        b.append(",\"caseId\":");
        string(b, d.caseId());
        b.append(",\"assessedOn\":");
        string(b, d.assessedOn() == null ? null : d.assessedOn().toString());
        b.append(",\"outcome\":");
        value(b, d.outcome());
        b.append(",\"overrides\":[");
        List<OverrideResult> overrides = d.overrides();
        for (int i = 0; i < overrides.size(); i++) {
            OverrideResult o = overrides.get(i);
            b.append(i == 0 ? "{" : ",{");
            boolean first = true;
            first = optional(b, first, "type", o.type());
            first = optional(b, first, "code", o.code());
            first = optional(b, first, "value", o.value());
            first = optional(b, first, "reason", o.reason());
            b.append(first ? "\"applied\":" : ",\"applied\":").append(o.applied()).append('}');
        }
        b.append("],\"trail\":[");
        List<TrailEntry> trail = d.trail();
        for (int i = 0; i < trail.size(); i++) {
            TrailEntry t = trail.get(i);
            b.append(i == 0 ? "{\"rule\":" : ",{\"rule\":");
            string(b, t.rule());
            b.append(",\"item\":");
            string(b, t.item());
            if (t.child() != null) {
                b.append(",\"child\":");
                string(b, t.child());
            }
            b.append(",\"answer\":");
            value(b, t.answer());
            b.append(",\"effect\":");
            value(b, t.effect());
            b.append('}');
        }
        return b.append("]}").toString();
    }

    private static String rulesetBlockChars(RulesetInfo r) {
        if (r == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(400);
        b.append("{\"id\":");
        string(b, r.id());
        b.append(",\"version\":");
        string(b, r.version());
        b.append(",\"sha256\":");
        string(b, r.sha256());
        b.append(",\"status\":");
        string(b, r.status());
        b.append(",\"provenance\":");
        string(b, r.provenance());
        return b.append('}').toString();
    }

    private static boolean optional(StringBuilder b, boolean first, String name, String value) {
        if (value == null) {
            return first;
        }
        b.append(first ? "\"" : ",\"").append(name).append("\":");
        string(b, value);
        return false;
    }

    private static void value(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof String s) {
            string(b, s);
        } else if (v instanceof Integer i) {
            b.append(i.intValue());
        } else if (v instanceof Long l) {
            b.append(l.longValue());
        } else if (v instanceof Boolean flag) {
            b.append(flag.booleanValue());
        } else if (v instanceof List<?> list) {
            b.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                value(b, list.get(i));
            }
            b.append(']');
        } else if (v instanceof Map<?, ?> map) {
            int mark = b.length();
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    // not a plain map: the ObjectMapper writes it whole
                    b.setLength(mark);
                    b.append(SdmJson.writeWithDatabind(v));
                    return;
                }
                if (!first) {
                    b.append(',');
                }
                first = false;
                string(b, key);
                b.append(':');
                value(b, e.getValue());
            }
            b.append('}');
        } else {
            b.append(SdmJson.writeWithDatabind(v));
        }
    }

    /** A JSON string as Jackson writes it: only '"', '\\' and control characters escaped. */
    static void string(StringBuilder b, String s) {
        if (s == null) {
            b.append("null");
            return;
        }
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                break;
            }
            i++;
        }
        b.append('"');
        if (i == n) {
            // the usual case: nothing to escape, appended whole (append(s, from, to) copies char by char)
            b.append(s).append('"');
            return;
        }
        int start = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            b.append(s, start, i);
            start = i + 1;
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\f' -> b.append("\\f");
                case '\r' -> b.append("\\r");
                default -> b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        b.append(s, start, n).append('"');
    }

    /**
     * The fast writer: every character of a decision is usually at most U+00FF, so the JSON is
     * written as bytes, one per character, into an array that becomes the string (ISO-8859-1)
     * in one copy. Null as soon as a character above U+00FF turns up: the general writer then
     * writes the decision.
     */
    static final class Latin1 {
        /** Per ASCII character: 0 when written as itself, else the letter of its short escape, or 'u'. */
        private static final byte[] ESCAPE = new byte[128];

        static {
            for (int c = 0; c < 0x20; c++) {
                ESCAPE[c] = 'u';
            }
            ESCAPE['"'] = '"';
            ESCAPE['\\'] = '\\';
            ESCAPE['\b'] = 'b';
            ESCAPE['\t'] = 't';
            ESCAPE['\n'] = 'n';
            ESCAPE['\f'] = 'f';
            ESCAPE['\r'] = 'r';
        }

        /** The ruleset block of recent versions (identity of the RulesetInfo, bytes), newest first. */
        private static volatile Object[] blocks = new Object[0];

        private byte[] buf;
        private int pos;

        // the fixed parts of the JSON, as bytes
        private static final byte[] RULESET = bytes("{\"ruleset\":");
        private static final byte[] ENGINE_VERSION = bytes(",\"engineVersion\":");
        private static final byte[] CASE_ID = bytes(",\"caseId\":");
        private static final byte[] ASSESSED_ON = bytes(",\"assessedOn\":");
        private static final byte[] OUTCOME = bytes(",\"outcome\":");
        private static final byte[] OVERRIDES = bytes(",\"overrides\":[");
        private static final byte[] OPEN = bytes("{");
        private static final byte[] NEXT_OPEN = bytes(",{");
        private static final byte[] TYPE = bytes("\"type\":");
        private static final byte[] CODE = bytes("\"code\":");
        private static final byte[] NEXT_CODE = bytes(",\"code\":");
        private static final byte[] VALUE = bytes("\"value\":");
        private static final byte[] NEXT_VALUE = bytes(",\"value\":");
        private static final byte[] REASON = bytes("\"reason\":");
        private static final byte[] NEXT_REASON = bytes(",\"reason\":");
        private static final byte[] APPLIED = bytes("\"applied\":");
        private static final byte[] NEXT_APPLIED = bytes(",\"applied\":");
        private static final byte[] TRUE_CLOSE = bytes("true}");
        private static final byte[] FALSE_CLOSE = bytes("false}");
        private static final byte[] TRAIL = bytes("],\"trail\":[");
        private static final byte[] RULE = bytes("{\"rule\":");
        private static final byte[] ITEM = bytes(",\"item\":");
        private static final byte[] CHILD = bytes(",\"child\":");
        private static final byte[] ANSWER = bytes(",\"answer\":");
        private static final byte[] EFFECT = bytes(",\"effect\":");
        private static final byte[] CLOSE = bytes("}");
        private static final byte[] END = bytes("]}");
        private static final byte[] NULL = bytes("null");
        private static final byte[] TRUE = bytes("true");
        private static final byte[] FALSE = bytes("false");
        private static final byte[] ARRAY = bytes("[");
        private static final byte[] COMMA = bytes(",");
        private static final byte[] ARRAY_END = bytes("]");
        private static final byte[] COLON = bytes(":");

        private static byte[] bytes(String ascii) {
            return ascii.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        }

        private Latin1(int capacity) {
            buf = new byte[capacity];
        }

        /** Each thread's buffer, kept between decisions (allocating and zeroing one each time costs more than writing into it). */
        private static final ThreadLocal<Latin1> WRITERS = ThreadLocal.withInitial(() -> new Latin1(8192));

        static String write(Decision d) {
            Latin1 w = WRITERS.get();
            w.pos = 0;
            boolean ok = w.decision(d);
            String json = ok ? new String(w.buf, 0, w.pos, java.nio.charset.StandardCharsets.ISO_8859_1) : null;
            if (w.buf.length > 1 << 16) {
                w.buf = new byte[8192]; // a huge decision once does not keep its buffer
            }
            return json;
        }

        private boolean decision(Decision d) {
            raw(RULESET);
            byte[] block = rulesetBlock(d.ruleset());
            if (block == null) {
                return false;
            }
            raw(block);
            raw(ENGINE_VERSION);
            // the request's own values are new strings each time: escaped as they come, not looked up
            boolean ok = escapeOrNull(d.engineVersion());
            raw(CASE_ID);
            ok &= escapeOrNull(d.caseId());
            raw(ASSESSED_ON);
            date(d.assessedOn());
            raw(OUTCOME);
            ok &= value(d.outcome());
            raw(OVERRIDES);
            List<OverrideResult> overrides = d.overrides();
            for (int i = 0; ok && i < overrides.size(); i++) {
                OverrideResult o = overrides.get(i);
                raw(i == 0 ? OPEN : NEXT_OPEN);
                boolean first = true;
                if (o.type() != null) {
                    raw(TYPE);
                    ok &= escapeOrNull(o.type());
                    first = false;
                }
                if (o.code() != null) {
                    raw(first ? CODE : NEXT_CODE);
                    ok &= escapeOrNull(o.code());
                    first = false;
                }
                if (o.value() != null) {
                    raw(first ? VALUE : NEXT_VALUE);
                    ok &= escapeOrNull(o.value());
                    first = false;
                }
                if (o.reason() != null) {
                    raw(first ? REASON : NEXT_REASON);
                    ok &= escapeOrNull(o.reason());
                    first = false;
                }
                raw(first ? APPLIED : NEXT_APPLIED);
                raw(o.applied() ? TRUE_CLOSE : FALSE_CLOSE);
            }
            raw(TRAIL);
            List<TrailEntry> trail = d.trail();
            for (int i = 0; ok && i < trail.size(); i++) {
                if (i > 0) {
                    raw(COMMA);
                }
                ok &= entry(trail.get(i));
            }
            raw(END);
            return ok;
        }

        /**
         * Trail entries written before, with their JSON: the entry of a scoring rule for a given
         * option, and most entries of level and outcome rules, are the same from one decision to
         * the next. Slot by the identity of the rule name and the answer's hash; a hit needs the
         * same rule, item and child objects, an equal answer and an effect of the same key objects
         * in the same order with equal values. Only values whose equality means the same JSON are
         * kept (String, Integer, Boolean, lists of strings, copied), so a hit writes exactly the
         * bytes the entry would give. Bounded and racy like {@link #SEEN}.
         */
        private static final EntryJson[] ENTRIES = new EntryJson[4096];

        private record EntryJson(String rule, String item, String child, Object answer, Object[] effect, byte[] json) { }

        /** Not a value kept for comparison. */
        private static final Object UNKEPT = new Object();

        private boolean entry(TrailEntry t) {
            Object answer = t.answer();
            int slot = (System.identityHashCode(t.rule()) * 31 + (answer == null ? 0 : answer.hashCode())) & (ENTRIES.length - 1);
            EntryJson known = ENTRIES[slot];
            if (known != null && known.rule() == t.rule() && known.item() == t.item() && known.child() == t.child()
                    && java.util.Objects.equals(known.answer(), answer) && sameEffect(known.effect(), t.effect())) {
                raw(known.json());
                return true;
            }
            int start = pos;
            raw(RULE);
            boolean ok = string(t.rule());
            raw(ITEM);
            ok &= string(t.item());
            if (t.child() != null) {
                raw(CHILD);
                ok &= string(t.child());
            }
            raw(ANSWER);
            ok &= value(t.answer());
            raw(EFFECT);
            ok &= value(t.effect());
            raw(CLOSE);
            Object kept = kept(answer);
            Object[] effect = kept == UNKEPT ? null : keptEffect(t.effect());
            if (ok && effect != null) {
                ENTRIES[slot] = new EntryJson(t.rule(), t.item(), t.child(), kept, effect,
                        java.util.Arrays.copyOfRange(buf, start, pos));
            }
            return ok;
        }

        /** The value to compare later entries with (immutable), or UNKEPT. */
        private static Object kept(Object v) {
            if (v == null || v instanceof String || v instanceof Integer || v instanceof Boolean) {
                return v;
            }
            if (v instanceof List<?> list && list.size() <= 32) {
                for (Object e : list) {
                    if (!(e instanceof String)) {
                        return UNKEPT;
                    }
                }
                return List.copyOf(list);
            }
            return UNKEPT;
        }

        /** The effect as key, value, key, value... (values kept), or null when a value cannot be kept. */
        private static Object[] keptEffect(Map<String, Object> effect) {
            Object[] kv = new Object[effect.size() * 2];
            int i = 0;
            for (Map.Entry<String, Object> e : effect.entrySet()) {
                Object v = kept(e.getValue());
                if (v == UNKEPT || v == null) {
                    return null;
                }
                kv[i++] = e.getKey();
                kv[i++] = v;
            }
            return kv;
        }

        private static boolean sameEffect(Object[] kv, Map<String, Object> effect) {
            if (kv.length != effect.size() * 2) {
                return false;
            }
            int i = 0;
            for (Map.Entry<String, Object> e : effect.entrySet()) {
                Object v = e.getValue();
                if (kv[i] != e.getKey() || !(kv[i + 1] == v || kv[i + 1].equals(v))) {
                    return false;
                }
                i += 2;
            }
            return true;
        }

        private static byte[] rulesetBlock(RulesetInfo r) {
            Object[] known = blocks;
            for (int i = 0; i < known.length; i += 2) {
                if (known[i] == r) {
                    return (byte[]) known[i + 1];
                }
            }
            Latin1 w = new Latin1(400);
            if (r == null) {
                w.ascii("null");
            } else {
                w.ascii("{\"id\":");
                boolean ok = w.string(r.id());
                w.ascii(",\"version\":");
                ok &= w.string(r.version());
                w.ascii(",\"sha256\":");
                ok &= w.string(r.sha256());
                w.ascii(",\"status\":");
                ok &= w.string(r.status());
                w.ascii(",\"provenance\":");
                ok &= w.string(r.provenance());
                w.ascii("}");
                if (!ok) {
                    return null;
                }
            }
            byte[] block = java.util.Arrays.copyOf(w.buf, w.pos);
            // remember the last 16 versions (a handful in practice), newest first
            Object[] next = new Object[Math.min(known.length + 2, 32)];
            next[0] = r;
            next[1] = block;
            System.arraycopy(known, 0, next, 2, next.length - 2);
            blocks = next;
            return block;
        }

        private boolean value(Object v) {
            if (v == null) {
                raw(NULL);
                return true;
            }
            if (v instanceof String s) {
                return string(s);
            }
            if (v instanceof Integer i) {
                number(i.intValue());
                return true;
            }
            if (v instanceof Long l) {
                ascii(Long.toString(l));
                return true;
            }
            if (v instanceof Boolean flag) {
                raw(flag ? TRUE : FALSE);
                return true;
            }
            if (v instanceof List<?> list) {
                raw(ARRAY);
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        raw(COMMA);
                    }
                    if (!value(list.get(i))) {
                        return false;
                    }
                }
                raw(ARRAY_END);
                return true;
            }
            if (v instanceof Map<?, ?> map) {
                int mark = pos;
                raw(OPEN);
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!(e.getKey() instanceof String key)) {
                        pos = mark;
                        return chars(SdmJson.writeWithDatabind(v));
                    }
                    if (!first) {
                        raw(COMMA);
                    }
                    first = false;
                    if (!string(key)) {
                        return false;
                    }
                    raw(COLON);
                    if (!value(e.getValue())) {
                        return false;
                    }
                }
                raw(CLOSE);
                return true;
            }
            return chars(SdmJson.writeWithDatabind(v));
        }

        private void number(int n) {
            if (n >= 0 && n < 10) {
                ensure(1);
                buf[pos++] = (byte) ('0' + n);
            } else {
                ascii(Integer.toString(n));
            }
        }

        /**
         * Strings written before, by identity, with their JSON bytes: the rule names, item ids,
         * keys and most values of a decision are the same string objects in every decision (from
         * the compiled rules and the manifest), and copying their bytes whole is several times
         * faster than escaping them character by character. Direct-mapped on the identity hash,
         * bounded (a slot is overwritten by the next string that maps to it), shared by all
         * threads: an entry is immutable, so a racing read sees a whole entry or another one.
         */
        private static final Encoded[] SEEN = new Encoded[4096];

        private record Encoded(String text, byte[] json) { }

        /** Shorter strings are escaped as they come: a lookup would cost as much. */
        private static final int SEEN_MIN_LENGTH = 6;

        /** A JSON string, escaped as Jackson escapes it; false at a character above U+00FF. */
        private boolean string(String s) {
            if (s == null) {
                raw(NULL);
                return true;
            }
            if (s.length() < SEEN_MIN_LENGTH) {
                return escape(s);
            }
            int slot = System.identityHashCode(s) & (SEEN.length - 1);
            Encoded e = SEEN[slot];
            if (e != null && e.text() == s) {
                raw(e.json());
                return true;
            }
            int start = pos;
            if (!escape(s)) {
                return false;
            }
            SEEN[slot] = new Encoded(s, java.util.Arrays.copyOfRange(buf, start, pos));
            return true;
        }

        private boolean escapeOrNull(String s) {
            if (s == null) {
                raw(NULL);
                return true;
            }
            return escape(s);
        }

        /** A date as LocalDate.toString writes it (years 0 to 9999: yyyy-mm-dd), in quotes. */
        private void date(java.time.LocalDate d) {
            if (d == null) {
                raw(NULL);
                return;
            }
            int y = d.getYear();
            if (y < 0 || y > 9999) {
                escape(d.toString());
                return;
            }
            ensure(12);
            byte[] b = buf;
            int p = pos;
            b[p++] = '"';
            b[p++] = (byte) ('0' + y / 1000);
            b[p++] = (byte) ('0' + y / 100 % 10);
            b[p++] = (byte) ('0' + y / 10 % 10);
            b[p++] = (byte) ('0' + y % 10);
            b[p++] = '-';
            b[p++] = (byte) ('0' + d.getMonthValue() / 10);
            b[p++] = (byte) ('0' + d.getMonthValue() % 10);
            b[p++] = '-';
            b[p++] = (byte) ('0' + d.getDayOfMonth() / 10);
            b[p++] = (byte) ('0' + d.getDayOfMonth() % 10);
            b[p++] = '"';
            pos = p;
        }

        private boolean escape(String s) {
            int n = s.length();
            ensure(n + 2);
            byte[] b = buf;
            int p = pos;
            b[p++] = '"';
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c < 128 && ESCAPE[c] == 0) {
                    b[p++] = (byte) c;
                } else if (c >= 128 && c <= 0xFF) {
                    b[p++] = (byte) c;
                } else if (c > 0xFF) {
                    return false;
                } else {
                    pos = p;
                    ensure(6 + (n - i));
                    b = buf;
                    p = pos;
                    byte e = ESCAPE[c];
                    b[p++] = '\\';
                    if (e == 'u') {
                        b[p++] = 'u';
                        b[p++] = '0';
                        b[p++] = '0';
                        b[p++] = (byte) HEX[c >> 4];
                        b[p++] = (byte) HEX[c & 0xF];
                    } else {
                        b[p++] = e;
                    }
                }
            }
            b[p++] = '"';
            pos = p;
            return true;
        }

        /** Text written as it is (JSON from the ObjectMapper); false at a character above U+00FF. */
        private boolean chars(String s) {
            int n = s.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c > 0xFF) {
                    return false;
                }
                buf[pos++] = (byte) c;
            }
            return true;
        }

        /** ASCII text of this writer's own (numbers, the ruleset block). */
        @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int): one byte per char, right for ASCII
        private void ascii(String s) {
            int n = s.length();
            ensure(n);
            s.getBytes(0, n, buf, pos); // ASCII: a byte per character
            pos += n;
        }

        private void raw(byte[] bytes) {
            int n = bytes.length;
            ensure(n);
            System.arraycopy(bytes, 0, buf, pos, n);
            pos += n;
        }

        private void ensure(int more) {
            if (pos + more > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
            }
        }
    }
}
