package org.opensdm.engine.audit;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** How many replayed records got each status (every status listed, zero included). */
public record ReplaySummary(long records, Map<ReplayResult.Status, Long> counts) {
    public ReplaySummary {
        EnumMap<ReplayResult.Status, Long> all = new EnumMap<>(ReplayResult.Status.class);
        for (ReplayResult.Status s : ReplayResult.Status.values()) {
            all.put(s, counts.getOrDefault(s, 0L));
        }
        counts = Collections.unmodifiableMap(all);
    }

    public long count(ReplayResult.Status s) {
        return counts.get(s);
    }

    /** Every record replayed IDENTICAL (true for none). */
    public boolean allIdentical() {
        return count(ReplayResult.Status.IDENTICAL) == records;
    }

    /** As plain JSON values: {@code records}, then the count of every status by its name. */
    public Map<String, Object> toPlain() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("records", records);
        counts.forEach((k, v) -> s.put(k.name(), v));
        return s;
    }

    /** E.g. {@code 12 records: 11 IDENTICAL, 1 DIFFERENT} (statuses with zero left out). */
    public String describe() {
        StringBuilder sb = new StringBuilder().append(records).append(records == 1 ? " record" : " records");
        String sep = ": ";
        for (Map.Entry<ReplayResult.Status, Long> e : counts.entrySet()) {
            if (e.getValue() > 0) {
                sb.append(sep).append(e.getValue()).append(' ').append(e.getKey());
                sep = ", ";
            }
        }
        return sb.toString();
    }
}
