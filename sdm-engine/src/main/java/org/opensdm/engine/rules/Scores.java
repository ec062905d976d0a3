package org.opensdm.engine.rules;

import java.util.List;
import java.util.Map;

/** Running index scores of one evaluation (global {@code scores}). */
public final class Scores {
    private final String[] indices;
    private final int[] totals;
    private final Recorder recorder;

    public Scores(List<String> indices, Recorder recorder) {
        this.indices = indices.toArray(new String[0]);
        this.totals = new int[this.indices.length];
        this.recorder = recorder;
    }

    /** Adds the manifest points of this answer to each index the item scores; records each, zero too. */
    public void add(Answer answer) {
        for (Map.Entry<String, Integer> e : answer.getPoints().entrySet()) {
            String index = e.getKey();
            int at = slot(index);
            if (at < 0) {
                throw new IllegalStateException("item " + answer.getItem() + " scores unknown index " + index);
            }
            totals[at] += e.getValue();
            recorder.effect(index, e.getValue());
        }
    }

    public int get(String index) {
        int at = slot(index);
        if (at < 0) {
            throw new IllegalStateException("unknown index " + index);
        }
        return totals[at];
    }

    /** A tool has a handful of indices: a scan beats hashing. */
    private int slot(String index) {
        for (int i = 0; i < indices.length; i++) {
            if (indices[i].equals(index)) {
                return i;
            }
        }
        return -1;
    }
}
