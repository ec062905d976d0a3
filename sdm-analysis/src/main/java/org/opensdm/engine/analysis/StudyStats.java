package org.opensdm.engine.analysis;

/**
 * The statistics of a validation study, each a closed formula over counts (so a study of any
 * size aggregates in one pass and keeps only counts). Written here rather than taken from a
 * library: each is a few lines, the well-kept Java statistics libraries (Commons Math 3) are no
 * longer developed, and the tests check each against hand-computed values and brute force.
 */
final class StudyStats {
    /** The 97.5th percentile of the standard normal distribution: a two-sided 95 % interval. */
    static final double Z95 = 1.959963984540054;

    private StudyStats() {
    }

    /** The Wilson score interval (95 %) of {@code k} successes in {@code n} trials; {@code [0, 0]} when n is 0. */
    static double[] wilson(long k, long n) {
        if (n == 0) {
            return new double[] {0, 0};
        }
        double p = (double) k / n;
        double z2 = Z95 * Z95;
        double denominator = 1 + z2 / n;
        double center = (p + z2 / (2.0 * n)) / denominator;
        double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        return new double[] {Math.max(0, center - half), Math.min(1, center + half)};
    }

    /**
     * The AUC of an ordinal score: the probability that a case with the outcome ({@code pos}) is at
     * a higher level than one without ({@code neg}), ties counting one half; exact, from the counts
     * per level (index = level, lowest first), in O(levels). Its 95 % interval by DeLong's method
     * (DeLong, DeLong and Clarke-Pearson 1988: the variance of the placement values of each
     * class; with ties, the mid-rank placements), clipped to [0, 1]. NaN (and no interval) when
     * either class is empty.
     *
     * @return {value, low, high}
     */
    static double[] auc(long[] pos, long[] neg) {
        long m = 0;
        long n = 0;
        for (int i = 0; i < pos.length; i++) {
            m += pos[i];
            n += neg[i];
        }
        if (m == 0 || n == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        // placement of a positive at level i: share of negatives below it, ties one half
        double[] v10 = new double[pos.length];
        long below = 0;
        for (int i = 0; i < pos.length; i++) {
            v10[i] = (below + 0.5 * neg[i]) / n;
            below += neg[i];
        }
        // placement of a negative at level j: share of positives above it, ties one half
        double[] v01 = new double[pos.length];
        long above = 0;
        for (int j = pos.length - 1; j >= 0; j--) {
            v01[j] = (above + 0.5 * pos[j]) / m;
            above += pos[j];
        }
        double auc = 0;
        for (int i = 0; i < pos.length; i++) {
            auc += pos[i] * v10[i];
        }
        auc /= m;
        double s10 = 0;
        double s01 = 0;
        for (int i = 0; i < pos.length; i++) {
            s10 += pos[i] * (v10[i] - auc) * (v10[i] - auc);
            s01 += neg[i] * (v01[i] - auc) * (v01[i] - auc);
        }
        s10 = m > 1 ? s10 / (m - 1) : 0;
        s01 = n > 1 ? s01 / (n - 1) : 0;
        double se = Math.sqrt(s10 / m + s01 / n);
        return new double[] {auc, Math.max(0, auc - Z95 * se), Math.min(1, auc + Z95 * se)};
    }

    /**
     * Cramér's V of a 2 × k table (a binary row variable against k columns): sqrt(chi² / n), in
     * [0, 1]; for k = 2 it is the absolute phi coefficient. {@code yes[c]} and {@code all[c]} are
     * the row-1 and column totals; columns with no case are left out. 0 when the table has one
     * row or one column only.
     */
    static double cramersV(long[] yes, long[] all) {
        long n = 0;
        long rowYes = 0;
        int columns = 0;
        for (int c = 0; c < all.length; c++) {
            n += all[c];
            rowYes += yes[c];
            if (all[c] > 0) {
                columns++;
            }
        }
        long rowNo = n - rowYes;
        if (n == 0 || rowYes == 0 || rowNo == 0 || columns < 2) {
            return 0;
        }
        double chi2 = 0;
        for (int c = 0; c < all.length; c++) {
            if (all[c] == 0) {
                continue;
            }
            double eYes = (double) rowYes * all[c] / n;
            double eNo = (double) rowNo * all[c] / n;
            double oYes = yes[c];
            double oNo = all[c] - yes[c];
            chi2 += (oYes - eYes) * (oYes - eYes) / eYes + (oNo - eNo) * (oNo - eNo) / eNo;
        }
        return Math.sqrt(chi2 / n); // min(rows, columns) - 1 = 1
    }

    /** {@code x} rounded to 4 decimals, for the report (NaN stays NaN). */
    static double round4(double x) {
        return Double.isNaN(x) ? x : Math.round(x * 10_000) / 10_000.0;
    }
}
