package org.opensdm.engine.internal.drools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.rule.Match;
import org.opensdm.engine.Decision.TrailEntry;
import org.opensdm.engine.rules.Answer;
import org.opensdm.engine.rules.Recorder;

/**
 * Builds the audit trail of one evaluation: an entry per rule firing, in firing order, with the
 * item named by the rule's {@code @item} metadata, the answer it matched, and every effect the
 * consequence recorded through the fact types. One per evaluation; not thread-safe.
 */
final class AuditListener extends DefaultAgendaEventListener implements Recorder {
    /**
     * How often the budget is checked: every 8th firing (a check costs ~50-80 ns here; at every
     * firing it would add ~1.5 µs to a 15 µs evaluation), and every 256th match created, since a
     * join can create matches by the million before anything fires.
     */
    private static final int CHECK_EVERY = 8;
    private static final int CHECK_EVERY_MATCHES = 256;
    /** This thread's allocated bytes, where the JVM tells them (HotSpot does), else null. */
    private static final com.sun.management.ThreadMXBean ALLOCATION = allocationCounter();

    private final List<TrailEntry> trail = new ArrayList<>();
    private int fired;
    private int created;
    private long deadline;
    private long allocationLimit;
    private long allocatedAtStart;
    /** Set once the budget is exceeded: what ran out. */
    private String exceeded;
    private String rule;
    private String item;
    private String child;
    private Object answer;
    private Map<String, Object> effect;

    @Override
    public void beforeMatchFired(BeforeMatchFiredEvent event) {
        Match match = event.getMatch();
        rule = match.getRule().getName();
        Object meta = match.getRule().getMetaData().get("item");
        item = meta == null ? null : meta.toString();
        child = null;
        answer = null;
        if (item != null) {
            // @item("*"): a rule over any answer (e.g. "answer ignored: step not reached")
            boolean any = "*".equals(item);
            for (Object o : match.getObjects()) {
                if (o instanceof Answer a && (any || a.getItem().equals(item))) {
                    item = a.getItem();
                    answer = a.getValue();
                    child = a.getChild();
                    break;
                }
            }
        }
        effect = new LinkedHashMap<>(4);
    }

    @Override
    public void afterMatchFired(AfterMatchFiredEvent event) {
        trail.add(new TrailEntry(rule, item, child, answer, effect));
        effect = null;
        if (++fired % CHECK_EVERY == 0 && overBudget()) {
            throw new BudgetExceeded();
        }
    }

    @Override
    public void matchCreated(org.kie.api.event.rule.MatchCreatedEvent event) {
        if (++created % CHECK_EVERY_MATCHES == 0 && overBudget()) {
            throw new BudgetExceeded();
        }
    }

    /** Thrown out of the rule engine to stop an evaluation past its budget at once (no stack trace: cheap). */
    static final class BudgetExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BudgetExceeded() {
            super("the evaluation budget is exceeded", null, false, false);
        }
    }

    /** Starts the budget of one evaluation: {@code nanos} of wall-clock time, {@code bytes} allocated by this thread. */
    void startBudget(long nanos, long bytes) {
        deadline = System.nanoTime() + nanos;
        allocationLimit = bytes;
        allocatedAtStart = ALLOCATION == null ? 0 : ALLOCATION.getCurrentThreadAllocatedBytes();
    }

    /** Whether the budget ran out (checked now); {@link #exceeded()} then says how. */
    boolean overBudget() {
        if (exceeded == null) {
            if (System.nanoTime() - deadline > 0) {
                exceeded = "time";
            } else if (ALLOCATION != null && ALLOCATION.getCurrentThreadAllocatedBytes() - allocatedAtStart > allocationLimit) {
                exceeded = "memory";
            }
        }
        return exceeded != null;
    }

    /** "time", "memory", or null while within the budget. */
    String exceeded() {
        return exceeded;
    }

    int fired() {
        return fired;
    }

    private static com.sun.management.ThreadMXBean allocationCounter() {
        try {
            if (java.lang.management.ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                    && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled()) {
                return t;
            }
        } catch (LinkageError | SecurityException e) {
            // no jdk.management module: the time budget and the firing limit still hold
        }
        return null;
    }

    @Override
    public void effect(String key, Object value) {
        if (effect == null) {
            throw new IllegalStateException("an effect outside a rule consequence: " + key);
        }
        effect.put(key, value);
    }

    List<TrailEntry> trail() {
        return trail;
    }
}
