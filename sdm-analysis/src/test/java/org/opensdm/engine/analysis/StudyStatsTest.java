package org.opensdm.engine.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class StudyStatsTest {
    @Test
    void wilson_intervals_match_hand_computed_values() {
        assertThat(round(StudyStats.wilson(120, 2000))).containsExactly(0.0504, 0.0713);
        assertThat(round(StudyStats.wilson(0, 10))).containsExactly(0.0, 0.2775);
        assertThat(round(StudyStats.wilson(10, 10))).containsExactly(0.7225, 1.0);
        assertThat(round(StudyStats.wilson(3, 7))).containsExactly(0.1582, 0.7495);
        assertThat(StudyStats.wilson(0, 0)).containsExactly(0.0, 0.0);
    }

    @Test
    void auc_with_ties_matches_a_hand_count() {
        // positives at levels 0, 1, 3, 3; negatives at 0, 0, 0, 1, 2: 15 of 20 pairs, ties one half
        assertThat(StudyStats.auc(new long[] {1, 1, 0, 2}, new long[] {3, 1, 1, 0})[0]).isEqualTo(0.75);
        assertThat(StudyStats.auc(new long[] {0, 0, 0, 0}, new long[] {3, 1, 1, 0})[0]).isNaN();
        assertThat(StudyStats.auc(new long[] {2, 0}, new long[] {2, 0})).containsExactly(0.5, 0.5, 0.5);
    }

    @Test
    void auc_and_its_delong_interval_match_a_brute_force_pairwise_computation_on_random_data() {
        Random random = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            int levels = 2 + random.nextInt(4);
            long[] pos = new long[levels];
            long[] neg = new long[levels];
            for (int l = 0; l < levels; l++) {
                pos[l] = random.nextInt(30);
                neg[l] = random.nextInt(30);
            }
            pos[random.nextInt(levels)]++;
            neg[random.nextInt(levels)]++;
            int[] p = expand(pos);
            int[] n = expand(neg);
            // DeLong from its definition: placement values over every pair
            double[] v10 = new double[p.length];
            double[] v01 = new double[n.length];
            double sum = 0;
            for (int i = 0; i < p.length; i++) {
                for (int j = 0; j < n.length; j++) {
                    double psi = p[i] > n[j] ? 1 : p[i] == n[j] ? 0.5 : 0;
                    v10[i] += psi / n.length;
                    v01[j] += psi / p.length;
                    sum += psi;
                }
            }
            double auc = sum / ((double) p.length * n.length);
            double se = Math.sqrt(variance(v10, auc) / p.length + variance(v01, auc) / n.length);
            double[] got = StudyStats.auc(pos, neg);
            assertThat(got[0]).isCloseTo(auc, within(1e-12));
            assertThat(got[1]).isCloseTo(Math.max(0, auc - StudyStats.Z95 * se), within(1e-9));
            assertThat(got[2]).isCloseTo(Math.min(1, auc + StudyStats.Z95 * se), within(1e-9));
        }
    }

    @Test
    void cramers_v_of_a_two_by_two_table_is_the_absolute_phi() {
        // chose it: 30 of 50 in column 1, 10 of 50 in column 2: phi = (30*40 - 20*10) / sqrt(40*60*50*50)
        assertThat(StudyStats.cramersV(new long[] {30, 10}, new long[] {50, 50})).isCloseTo(1000 / Math.sqrt(6_000_000.0), within(1e-12));
        assertThat(StudyStats.cramersV(new long[] {10, 30}, new long[] {50, 50})).isCloseTo(1000 / Math.sqrt(6_000_000.0), within(1e-12));
        assertThat(StudyStats.cramersV(new long[] {25, 25}, new long[] {50, 50})).isZero();
        assertThat(StudyStats.cramersV(new long[] {5, 0}, new long[] {10, 0})).isZero(); // one column only
    }

    private static int[] expand(long[] counts) {
        int total = 0;
        for (long c : counts) {
            total += (int) c;
        }
        int[] out = new int[total];
        int k = 0;
        for (int l = 0; l < counts.length; l++) {
            for (int i = 0; i < counts[l]; i++) {
                out[k++] = l;
            }
        }
        return out;
    }

    private static double variance(double[] v, double mean) {
        if (v.length < 2) {
            return 0;
        }
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return s / (v.length - 1);
    }

    private static double[] round(double[] ci) {
        return new double[] {StudyStats.round4(ci[0]), StudyStats.round4(ci[1])};
    }
}
