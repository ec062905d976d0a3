package org.opensdm.engine.rules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Running index scores of one evaluation (global {@code scores}). */
public final class Scores {
    private final Map<String, Integer> totals = new LinkedHashMap<>();
    private final Recorder recorder;

    public Scores(List<String> indices, Recorder recorder) {
        for (String index : indices) {
            totals.put(index, 0);
        }
        this.recorder = recorder;
    }

    /** Adds the manifest points of this answer to each index the item scores; records each, zero too. */
    public void add(Answer answer) {
        answer.getPoints().forEach((index, points) -> {
            Integer total = totals.get(index);
            if (total == null) {
                throw new IllegalStateException("item " + answer.getItem() + " scores unknown index " + index);
            }
            totals.put(index, total + points);
            recorder.effect(index, points);
        });
    }

    public int get(String index) {
        Integer total = totals.get(index);
        if (total == null) {
            throw new IllegalStateException("unknown index " + index);
        }
        return total;
    }
}
