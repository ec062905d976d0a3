package org.opensdm.engine.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
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
 * request        the request as given (SdmJson.requestTree: null fields and empty overrides,
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

    private final long seq;
    private final Instant recordedAt;
    private final String recordedAtText;
    private final String engineVersion;
    private final String rulesetId;
    private final String rulesetVersion;
    private final String rulesetSha256;
    private final JsonNode request;
    private final JsonNode decision;
    private final String previousHash;
    private final String hash;

    private DecisionRecord(long seq, Instant recordedAt, String recordedAtText, String engineVersion, String rulesetId, String rulesetVersion,
                           String rulesetSha256, JsonNode request, JsonNode decision, String previousHash, String hash) {
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
     * Reads a record from its parsed JSON, checking its layout (not its hash: see
     * {@link #computeHash}); throws IllegalArgumentException naming what is wrong.
     */
    public static DecisionRecord fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        Set<String> unknown = new TreeSet<>();
        node.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                unknown.add(f);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown member " + String.join(", ", unknown));
        }
        JsonNode format = need(node, "format");
        if (!format.isIntegralNumber() || format.asLong() != FORMAT) {
            throw new IllegalArgumentException("format " + format + " is not " + FORMAT);
        }
        JsonNode seqNode = need(node, "seq");
        if (!seqNode.isIntegralNumber() || !seqNode.canConvertToLong() || seqNode.longValue() < 1) {
            throw new IllegalArgumentException("seq must be a positive integer, not " + seqNode);
        }
        Instant at;
        String atText = text(node, "recordedAt");
        try {
            at = Instant.parse(atText);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("recordedAt is not an ISO-8601 instant");
        }
        JsonNode rs = need(node, "ruleset");
        if (!rs.isObject() || rs.size() != RULESET_FIELDS.size()) {
            throw new IllegalArgumentException("ruleset must be an object with id, sha256 and version");
        }
        JsonNode request = need(node, "request");
        JsonNode decision = need(node, "decision");
        if (!request.isObject() || !decision.isObject()) {
            throw new IllegalArgumentException("request and decision must be objects");
        }
        return new DecisionRecord(seqNode.longValue(), at, atText, text(node, "engineVersion"), text(rs, "id"),
                text(rs, "version"), text(rs, "sha256"), request, decision, hex(node, "previousHash"), hex(node, "hash"));
    }

    private static JsonNode need(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            throw new IllegalArgumentException("missing " + field);
        }
        return n;
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = need(o, field);
        if (!n.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return n.textValue();
    }

    private static String hex(JsonNode o, String field) {
        String s = text(o, field);
        if (!HEX64.matcher(s).matches()) {
            throw new IllegalArgumentException(field + " must be 64 lower-case hex digits");
        }
        return s;
    }

    /** sha256 of the canonical JSON of {@code record} without its {@code hash} member. */
    public static String computeHash(JsonNode record) {
        ObjectNode copy = ((ObjectNode) record).deepCopy();
        copy.remove("hash");
        return CanonicalJson.sha256(CanonicalJson.bytes(copy));
    }

    /**
     * The canonical JSON of a record without its hash, assembled from the canonical JSON of its
     * request and decision (members in sorted order; the same bytes as {@link CanonicalJson}), in
     * two parts: {@code head + tail} is the record without its hash, and
     * {@code head + ",\"hash\":\"" + hash + "\"" + tail} its line.
     */
    record Body(String head, String tail) {
        String withoutHash() {
            return head + tail;
        }

        String withHash(String hash) {
            return head + ",\"hash\":\"" + hash + "\"" + tail;
        }
    }

    static Body body(long seq, String recordedAt, String engineVersion, String id, String version, String sha256,
                     String requestJson, String decisionJson, String previousHash) {
        StringBuilder head = new StringBuilder(decisionJson.length() + 64);
        head.append("{\"decision\":").append(decisionJson).append(",\"engineVersion\":");
        CanonicalJson.string(engineVersion, head);
        head.append(",\"format\":").append(FORMAT);
        StringBuilder tail = new StringBuilder(requestJson.length() + 300);
        tail.append(",\"previousHash\":\"").append(previousHash).append("\",\"recordedAt\":");
        CanonicalJson.string(recordedAt, tail);
        tail.append(",\"request\":").append(requestJson).append(",\"ruleset\":{\"id\":");
        CanonicalJson.string(id, tail);
        tail.append(",\"sha256\":");
        CanonicalJson.string(sha256, tail);
        tail.append(",\"version\":");
        CanonicalJson.string(version, tail);
        tail.append("},\"seq\":").append(seq).append('}');
        return new Body(head.toString(), tail.toString());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
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
        JsonNode n = decision.get("caseId");
        return n == null || !n.isTextual() ? null : n.textValue();
    }

    /** The date the decision was made for (the request's {@code assessedOn}, or the day it was evaluated). */
    public LocalDate assessedOn() {
        JsonNode n = decision.get("assessedOn");
        try {
            return n == null || !n.isTextual() ? null : LocalDate.parse(n.textValue());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The request as recorded, as plain Java values. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> request() {
        return (Map<String, Object>) SdmJson.plain(request);
    }

    /** The decision as recorded, as plain Java values. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> decision() {
        return (Map<String, Object>) SdmJson.plain(decision);
    }

    /** The recorded outcome (plain values, in the recorded order). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> outcome() {
        Object o = SdmJson.plain(decision.get("outcome"));
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** The request as recorded, ready to evaluate again; throws InvalidRequestException when it cannot be read. */
    public EvaluationRequest evaluationRequest() {
        SdmJson.ParsedRequest parsed = SdmJson.parseRequest(utf8(CanonicalJson.write(request)));
        if (parsed.request() == null || !parsed.problems().isEmpty()) {
            throw new InvalidRequestException(parsed.problems());
        }
        return parsed.request();
    }

    JsonNode decisionTree() {
        return decision;
    }

    /** The record's line in the log (canonical JSON, without the newline). */
    public String json() {
        return body(seq, recordedAtText, engineVersion, rulesetId, rulesetVersion, rulesetSha256,
                CanonicalJson.write(request), CanonicalJson.write(decision), previousHash).withHash(hash);
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
