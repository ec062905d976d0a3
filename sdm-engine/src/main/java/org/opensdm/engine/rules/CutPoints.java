package org.opensdm.engine.rules;

import java.util.List;

/** The cut points of one index, from the manifest: score bands, lowest first. */
public final class CutPoints {
    /** A band of scores {@code min..max} (max null: no upper bound) mapped to a level. */
    public record Band(RiskLevel level, int min, Integer max) {
        public boolean contains(int score) {
            return score >= min && (max == null || score <= max);
        }
    }

    private final String index;
    private final List<Band> bands;

    public CutPoints(String index, List<Band> bands) {
        this.index = index;
        this.bands = List.copyOf(bands);
    }

    public String getIndex() { return index; }

    public List<Band> getBands() { return bands; }

    public RiskLevel levelFor(int score) {
        for (Band band : bands) {
            if (band.contains(score)) {
                return band.level();
            }
        }
        throw new IllegalStateException("score " + score + " of index " + index + " is outside every cut point band");
    }
}
