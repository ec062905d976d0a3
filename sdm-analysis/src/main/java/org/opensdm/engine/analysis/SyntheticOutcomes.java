package org.opensdm.engine.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Synthetic outcomes for sampled requests, to try {@link Study} without real data. NOT real data:
 * the file says so in its first lines, and every row carries {@code synthetic=true}.
 *
 * <p>The model: each case is put in group {@code A} or {@code B} with probability one half; its
 * outcome (a new substantiated report, say) happens with probability {@link #RATE} at its final
 * level, times {@link #GROUP_B_FACTOR} for group B. So the tool is calibrated for group A and
 * over-predicts for group B: a study of this file shows rates rising with the level, and a higher
 * false-positive rate for group B than for A, as an equity finding would look. The same seed gives
 * the same file.
 */
public final class SyntheticOutcomes {
    /** Outcome probability per final level (LOW, MODERATE, HIGH, VERY_HIGH), for group A. */
    public static final Map<String, Double> RATE = Map.of("LOW", 0.05, "MODERATE", 0.12, "HIGH", 0.25, "VERY_HIGH", 0.45);
    /** Group B's outcome probability, as a share of group A's at the same level. */
    public static final double GROUP_B_FACTOR = 0.6;

    private SyntheticOutcomes() {
    }

    /** One case: its id and final level. */
    public record Case(String caseId, String level) { }

    /** Writes the CSV (comment lines, then {@code caseId,outcome,group,synthetic}) for {@code cases}. */
    public static void write(List<Case> cases, long seed, Appendable out) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setCommentMarker('#').setRecordSeparator('\n').get();
        try (CSVPrinter p = new CSVPrinter(out, format)) {
            p.printComment("SYNTHETIC outcomes written by sdm sample --outcomes: not real data, for trying sdm study.");
            p.printComment("Model: group A or B, one half each; outcome with probability LOW 0.05, MODERATE 0.12, HIGH 0.25, "
                    + "VERY_HIGH 0.45 at the final level for group A, times " + GROUP_B_FACTOR + " for group B.");
            p.printRecord("caseId", "outcome", "group", "synthetic");
            SplittableRandom random = new SplittableRandom(seed);
            for (Case c : cases) {
                Double rate = RATE.get(c.level());
                if (rate == null) {
                    throw new IllegalArgumentException("case " + c.caseId() + " has level " + c.level() + ", not a risk level");
                }
                boolean b = random.nextBoolean();
                double p1 = b ? rate * GROUP_B_FACTOR : rate;
                p.printRecord(c.caseId(), random.nextDouble() < p1 ? 1 : 0, b ? "B" : "A", "true");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
