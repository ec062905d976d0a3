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
    private final List<TrailEntry> trail = new ArrayList<>();
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
