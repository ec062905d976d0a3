package org.opensdm.engine.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.time.format.DateTimeParseException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.opensdm.engine.Decision;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.InvalidRequestException;
import org.opensdm.engine.json.SdmJson;

/**
 * One decision as recorded in a {@link DecisionLog}: the request as given, the decision with its
 * trail, the ruleset version (id, version, content hash), the engine version, when it was
 * recorded, its sequence number in the log, the previous record's hash and its own hash.
 *
 * <p>A record is one line of the log: its canonical JSON ({@link CanonicalJson}) followed by
 * {@code \n}. Its members, in canonical (sorted) order:
 * <pre>
 * decision       the decision JSON, exactly as the engine writes it (ruleset, engineVersion,
 *                caseId, assessedOn, outcome, overrides, trail)
 * engineVersion  the engine version that decided
 * format         1 (this layout)
 * hash           sha256, lower-case hex, of the canonical JSON of the record without "hash"
 * previousHash   the previous record's "hash"; 64 zeros ("000…0") for the first record
 * recordedAt     when it was appended: an ISO-8601 UTC instant, milliseconds, e.g. 2026-03-01T09:30:00.125Z
 * request        the request as given (SdmJson.requestPlain: null fields and empty overrides,
 *                facts, children left out; answers always present)
 * ruleset        {"id", "sha256", "version"} of the ruleset version that decided
 * seq            1 for the first record, then +1 per record
 * </pre>
 * To recompute a record's hash: parse the line, remove the member {@code hash}, write the rest
 * in canonical form, take sha256 of those UTF-8 bytes. The line itself must equal the canonical
 * form of the whole record, byte for byte.
 */
public final class DecisionRecord {
    /** The format number this engine writes and reads. */
    public static final int FORMAT = 1;
    /** The {@code previousHash} of the first record: 64 zeros. */
    public static final String GENESIS_HASH = "0".repeat(64);

    static final Set<String> FIELDS = Set.of("decision", "engineVersion", "format", "hash", "previousHash",
            "recordedAt", "request", "ruleset", "seq");
    private static final Set<String> RULESET_FIELDS = Set.of("id", "sha256", "version");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final DateTimeFormatter RECORDED_AT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final long seq;
    private final Instant recordedAt;
    private final String recordedAtText;
    private final String engineVersion;
    private final String rulesetId;
    private final String rulesetVersion;
    private final String rulesetSha256;
    private final Map<String, Object> request;
    private final Map<String, Object> decision;
    private final String previousHash;
    private final String hash;

    private DecisionRecord(long seq, Instant recordedAt, String recordedAtText, String engineVersion, String rulesetId, String rulesetVersion,
                           String rulesetSha256, Map<String, Object> request, Map<String, Object> decision, String previousHash, String hash) {
        this.seq = seq;
        this.recordedAt = recordedAt;
        this.recordedAtText = recordedAtText;
        this.engineVersion = engineVersion;
        this.rulesetId = rulesetId;
        this.rulesetVersion = rulesetVersion;
        this.rulesetSha256 = rulesetSha256;
        this.request = request;
        this.decision = decision;
        this.previousHash = previousHash;
        this.hash = hash;
    }

    /**
     * Reads a record from its JSON read as plain values ({@link SdmJson#readValue}), checking its
     * layout (not its hash: see {@link #computeHash}); throws IllegalArgumentException naming what
     * is wrong.
     */
    public static DecisionRecord fromJson(Object value) {
        if (!(value instanceof Map<?, ?> node)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        Set<String> unknown = new TreeSet<>();
        for (Object f : node.keySet()) {
            if (!FIELDS.contains(f)) {
                unknown.add(String.valueOf(f));
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown member " + String.join(", ", unknown));
        }
        Object format = need(node, "format");
        if (!Integer.valueOf(FORMAT).equals(format)) {
            throw new IllegalArgumentException("format " + SdmJson.write(format) + " is not " + FORMAT);
        }
        Object seqValue = need(node, "seq");
        long seq = positiveInteger(seqValue);
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be a positive integer, not " + SdmJson.write(seqValue));
        }
        Instant at;
        String atText = text(node, "recordedAt");
        try {
            at = Instant.parse(atText);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("recordedAt is not an ISO-8601 instant");
        }
        Object rs = need(node, "ruleset");
        if (!(rs instanceof Map<?, ?> ruleset) || ruleset.size() != RULESET_FIELDS.size()) {
            throw new IllegalArgumentException("ruleset must be an object with id, sha256 and version");
        }
        Object request = need(node, "request");
        Object decision = need(node, "decision");
        if (!(request instanceof Map<?, ?>) || !(decision instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("request and decision must be objects");
        }
        @SuppressWarnings("unchecked")
        DecisionRecord r = new DecisionRecord(seq, at, atText, text(node, "engineVersion"), text(ruleset, "id"),
                text(ruleset, "version"), text(ruleset, "sha256"), (Map<String, Object>) request,
                (Map<String, Object>) decision, hex(node, "previousHash"), hex(node, "hash"));
        return r;
    }

    /** An integer read from JSON (an Integer, or a BigDecimal of scale 0) that fits a long, or 0. */
    private static long positiveInteger(Object v) {
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof BigDecimal d && d.scale() == 0) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                return 0;
            }
        }
        return 0;
    }

    private static Object need(Map<?, ?> o, String field) {
        Object n = o.get(field);
        if (n == null) {
            throw new IllegalArgumentException("missing " + field);
        }
        return n;
    }

    private static String text(Map<?, ?> o, String field) {
        if (!(need(o, field) instanceof String s)) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return s;
    }

    private static String hex(Map<?, ?> o, String field) {
        String s = text(o, field);
        if (!HEX64.matcher(s).matches()) {
            throw new IllegalArgumentException(field + " must be 64 lower-case hex digits");
        }
        return s;
    }

    /** sha256 of the canonical JSON of {@code record} (plain values) without its {@code hash} member. */
    public static String computeHash(Map<String, Object> record) {
        Map<String, Object> copy = new LinkedHashMap<>(record);
        copy.remove("hash");
        return CanonicalJson.sha256(CanonicalJson.bytes(copy));
    }

    /**
     * The members of a record but its hash, in plain values: the one place that lists them. The
     * request and decision are given in canonical form already (written once, outside the log's
     * lock).
     */
    static Map<String, Object> members(long seq, String recordedAt, String engineVersion, String id, String version,
                                       String sha256, String requestJson, String decisionJson, String previousHash) {
        Map<String, Object> ruleset = new LinkedHashMap<>();
        ruleset.put("id", id);
        ruleset.put("sha256", sha256);
        ruleset.put("version", version);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("decision", SdmJson.canonicalText(decisionJson));
        m.put("engineVersion", engineVersion);
        m.put("format", FORMAT);
        m.put("previousHash", previousHash);
        m.put("recordedAt", recordedAt);
        m.put("request", SdmJson.canonicalText(requestJson));
        m.put("ruleset", ruleset);
        m.put("seq", seq);
        return m;
    }

    /** A record's line (canonical JSON, without the newline) and its hash: the hash of the members, then the members with it. */
    record Line(String json, String hash) { }

    static Line line(Map<String, Object> members) {
        String hash = CanonicalJson.sha256(CanonicalJson.bytes(members));
        Map<String, Object> all = new LinkedHashMap<>(members);
        all.put("hash", hash);
        return new Line(CanonicalJson.write(all), hash);
    }

    /**
     * A record's content but its place in a chain: the request and decision in canonical form, the
     * ruleset and the engine version, written once, before any lock is taken. {@link #seal} gives it
     * its place (seq, recordedAt, previousHash) and returns its line and hash: the one way every
     * store (the log file, a database) makes a record, so that the same decision at the same place
     * is the same bytes in each.
     */
    public static final class Draft {
        private final String engineVersion;
        private final String requestJson;
        private final String decisionJson;
        private final String rulesetId;
        private final String rulesetVersion;
        private final String rulesetSha256;
        private final Index index;

        private Draft(String engineVersion, String requestJson, String decisionJson, String rulesetId, String rulesetVersion,
                      String rulesetSha256, Index index) {
            this.engineVersion = engineVersion;
            this.requestJson = requestJson;
            this.decisionJson = decisionJson;
            this.rulesetId = rulesetId;
            this.rulesetVersion = rulesetVersion;
            this.rulesetSha256 = rulesetSha256;
            this.index = index;
        }

        /**
         * The record at {@code seq}, recorded at {@code recordedAt} (kept to the millisecond), chained to
         * {@code previousHash}: its canonical line and its hash.
         */
        public Sealed seal(long seq, Instant recordedAt, String previousHash) {
            if (seq < 1) {
                throw new IllegalArgumentException("seq must be positive, not " + seq);
            }
            if (previousHash == null || !HEX64.matcher(previousHash).matches()) {
                throw new IllegalArgumentException("previousHash must be 64 lower-case hex digits");
            }
            Line line = line(members(seq, RECORDED_AT.format(recordedAt), engineVersion, rulesetId, rulesetVersion,
                    rulesetSha256, requestJson, decisionJson, previousHash));
            return new Sealed(seq, line.json(), line.hash());
        }

        /** About the length of its line, to size a buffer. */
        int estimatedLength() {
            return requestJson.length() + decisionJson.length() + 600;
        }

        /** What a store indexes the record by (the same as {@link DecisionRecord#index()} of the sealed record). */
        public Index index() {
            return index;
        }
    }

    /**
     * A record given its place: its sequence number, its line (canonical JSON, no newline) and its hash.
     */
    public record Sealed(long seq, String line, String hash) { }

    /**
     * What a store indexes a record by, read from the recorded decision: its case id, {@code assessedOn},
     * ruleset id and version, the outcome {@code finalLevel} (null when the ruleset has none, e.g. a
     * safety decision) and whether any override was applied.
     */
    public record Index(String caseId, LocalDate assessedOn, String rulesetId, String rulesetVersion, String finalLevel,
                        boolean overrideApplied) {
        static Index of(Map<?, ?> decision, String rulesetId, String rulesetVersion) {
            String caseId = decision.get("caseId") instanceof String s ? s : null;
            LocalDate on = null;
            try {
                on = decision.get("assessedOn") instanceof String s ? LocalDate.parse(s) : null;
            } catch (DateTimeParseException e) {
                on = null;
            }
            String level = decision.get("outcome") instanceof Map<?, ?> o && o.get("finalLevel") instanceof String s ? s : null;
            boolean applied = false;
            if (decision.get("overrides") instanceof List<?> list) {
                for (Object ov : list) {
                    if (ov instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("applied"))) {
                        applied = true;
                        break;
                    }
                }
            }
            return new Index(caseId, on, rulesetId, rulesetVersion, level, applied);
        }
    }

    /** The draft of the record of {@code decision}, made for {@code request}. */
    public static Draft draft(EvaluationRequest request, Decision decision) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(decision, "decision");
        if (decision.ruleset() == null) {
            throw new IllegalArgumentException("a decision without its ruleset cannot be recorded");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> plain = (Map<String, Object>) SdmJson.plain(decision); // a decision is an object
        Decision.RulesetInfo rs = decision.ruleset();
        return new Draft(String.valueOf(decision.engineVersion()), CanonicalJson.write(SdmJson.requestPlain(request)),
                CanonicalJson.write(plain), rs.id(), rs.version(), rs.sha256(), Index.of(plain, rs.id(), rs.version()));
    }

    /** What a store indexes this record by. */
    public Index index() {
        return Index.of(decision, rulesetId, rulesetVersion);
    }

    /**
     * Reads one stored line (canonical JSON, UTF-8, without the newline) as a record and checks it on
     * its own: that it is a record, in canonical form, matching its hash.
     *
     * @return the record
     * @throws IllegalArgumentException naming what is wrong: not a record (and why), not in canonical
     *                                  form, or its content does not match its hash
     */
    public static DecisionRecord checked(byte[] line) {
        RecordCheck c = RecordCheck.of(new LogLines.Line(1, 0, line, true));
        if (c.record == null) {
            throw new IllegalArgumentException("not a decision record: " + c.malformed);
        }
        if (!c.sound()) {
            throw new IllegalArgumentException("record seq " + c.seq() + " is not sound: " + c.unsoundWhy());
        }
        return c.record;
    }

    public long seq() {
        return seq;
    }

    public Instant recordedAt() {
        return recordedAt;
    }

    public String engineVersion() {
        return engineVersion;
    }

    public String rulesetId() {
        return rulesetId;
    }

    public String rulesetVersion() {
        return rulesetVersion;
    }

    /** The content hash of the ruleset version that decided. */
    public String rulesetSha256() {
        return rulesetSha256;
    }

    public String previousHash() {
        return previousHash;
    }

    public String hash() {
        return hash;
    }

    /** The decision's case id (null when the request gave none). */
    public String caseId() {
        return decision.get("caseId") instanceof String s ? s : null;
    }

    /** The date the decision was made for (the request's {@code assessedOn}, or the day it was evaluated). */
    public LocalDate assessedOn() {
        try {
            return decision.get("assessedOn") instanceof String s ? LocalDate.parse(s) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The request as recorded, as plain Java values (unmodifiable). */
    public Map<String, Object> request() {
        return request;
    }

    /** The decision as recorded, as plain Java values (unmodifiable). */
    public Map<String, Object> decision() {
        return decision;
    }

    /** The recorded outcome (plain values, in the recorded order). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> outcome() {
        return decision.get("outcome") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** The request as recorded, ready to evaluate again; throws InvalidRequestException when it cannot be read. */
    public EvaluationRequest evaluationRequest() {
        SdmJson.ParsedRequest parsed = SdmJson.parseRequest(request);
        if (parsed.request() == null || !parsed.problems().isEmpty()) {
            throw new InvalidRequestException(parsed.problems());
        }
        return parsed.request();
    }

    /** The record's line in the log (canonical JSON, without the newline). */
    public String json() {
        Map<String, Object> all = members(seq, recordedAtText, engineVersion, rulesetId, rulesetVersion, rulesetSha256,
                CanonicalJson.write(request), CanonicalJson.write(decision), previousHash);
        all.put("hash", hash);
        return CanonicalJson.write(all);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecisionRecord r && r.seq == seq && r.hash.equals(hash);
    }

    @Override
    public int hashCode() {
        return hash.hashCode();
    }

    @Override
    public String toString() {
        return "DecisionRecord[seq=" + seq + ", case=" + caseId() + ", ruleset=" + rulesetId + "@" + rulesetVersion
                + ", hash=" + hash + "]";
    }
}
