package org.opensdm.engine.analysis;

import java.util.List;
import org.opensdm.engine.SdmException;

/**
 * Two versions cannot be compared case by case: their item ids differ, so the same answers do
 * not fit both. {@link #onlyInFrom()} and {@link #onlyInTo()} name the items that differ.
 */
public final class IncomparableVersionsException extends SdmException {
    private final List<String> onlyInFrom;
    private final List<String> onlyInTo;

    public IncomparableVersionsException(String from, String to, List<String> onlyInFrom, List<String> onlyInTo) {
        super(from + " and " + to + " do not share item ids, so one request cannot be evaluated under both: "
                + (onlyInFrom.isEmpty() ? "" : "only in " + from + ": " + String.join(", ", onlyInFrom))
                + (!onlyInFrom.isEmpty() && !onlyInTo.isEmpty() ? "; " : "")
                + (onlyInTo.isEmpty() ? "" : "only in " + to + ": " + String.join(", ", onlyInTo)));
        this.onlyInFrom = List.copyOf(onlyInFrom);
        this.onlyInTo = List.copyOf(onlyInTo);
    }

    /** Item ids of the first version that the second lacks, in form order. */
    public List<String> onlyInFrom() {
        return onlyInFrom;
    }

    /** Item ids of the second version that the first lacks, in form order. */
    public List<String> onlyInTo() {
        return onlyInTo;
    }
}
