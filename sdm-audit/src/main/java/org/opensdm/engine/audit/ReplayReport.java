package org.opensdm.engine.audit;

import java.util.List;

/**
 * Every result of a replay, in log order, with the summary. {@code tornTail}: the line number of a
 * torn last line, left out of the replay (an append cut short by a crash; never acknowledged), or 0.
 */
public record ReplayReport(List<ReplayResult> results, ReplaySummary summary, long tornTail) {
    public ReplayReport {
        results = List.copyOf(results);
    }
}
