package org.opensdm.engine.analysis;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.opensdm.engine.json.Printable;
import org.opensdm.engine.rules.RiskLevel;

/**
 * A validation study of a risk assessment: how its levels relate to a later outcome, overall,
 * per group (e.g. race or ethnicity), per item option, and for overrides. The inputs are
 * decisions (plain JSON values as the engine writes them: {@code caseId}, {@code assessedOn},
 * {@code outcome}, {@code overrides}, {@code trail}) and an outcomes table (CSV with a header:
 * {@code caseId}, {@code outcome} as 1/0 or true/false, and any group columns).
 *
 * <p><b>Joining.</b> One decision per case: the last by {@code assessedOn} (a later line wins a
 * tie), so a case assessed twice counts once, at its latest level. The outcomes are read first,
 * then the decisions once, each kept only as what the study needs of it (levels, override type
 * and codes, the options chosen): memory grows with the number of cases (a few hundred bytes
 * each), not with the size of the decisions. Decisions without
 * a case id, cases whose latest decision has no level under the level key, decisions whose case
 * has no outcome row, and outcome rows whose case has no decision are counted and reported, never
 * dropped silently.
 *
 * <p><b>Definitions</b> (at the level key, {@code finalLevel} by default; levels in the order
 * LOW, MODERATE, HIGH, VERY_HIGH): {@code rate} = outcomes / n; {@code ci95} the Wilson score
 * interval; {@code auc} the probability that a case with the outcome is at a higher level than
 * one without, ties one half, exact from the counts, its {@code ci95} by DeLong's method;
 * {@code fpr} the share of cases without the outcome at or above the threshold, {@code fnr} the
 * share of cases with the outcome below it; {@code monotonic}: the rate never falls from one level
 * (with cases) to the next. Overrides compare {@code scoredLevel} with the level key:
 * {@code rate} is the share of cases where they differ, {@code byType} counts
 * {@code overrideApplied}, {@code byCode} the codes of the overrides applied, and
 * {@code aucScored}/{@code aucFinal} the AUC at each.
 *
 * <p><b>Items.</b> For each option of each item the trail records (an answer a scoring rule
 * read; a multi item's options each; yes/no as {@code yes}/{@code no}): n, outcomes, rate, and
 * per group column the share of each group's cases choosing it. Association is measured per
 * option, as Cramér's V of "chose it" against the outcome (the absolute phi coefficient) and
 * against the group column (a 2 × groups table); an option is flagged when its association with
 * group membership is stronger than with the outcome and at least 0.1 (a small effect).
 */
public final class Study {
    private static final List<String> LEVELS = Arrays.stream(RiskLevel.values()).map(Enum::name).toList();
    /** The levels, lowest first. */
    static final List<String> LEVEL_NAMES = LEVELS;

    /**
     * An option is flagged only when its association with a group is at least this (Cohen's
     * "small" effect for Cramér's V of a 2 × 2 table), so that chance associations of a few
     * hundredths with a random grouping do not flag every option whose association with the
     * outcome is smaller still.
     */
    static final double MIN_ASSOCIATION = 0.1;

    /** What to study: the outcome key of the level, the threshold level, the group columns. */
    public record Options(String levelKey, String threshold, List<String> groups) {
        public Options {
            groups = List.copyOf(groups);
            if (!LEVELS.contains(threshold)) {
                throw new IllegalArgumentException("threshold " + threshold + " is not a level (" + String.join(", ", LEVELS) + ")");
            }
        }
    }

    /** The outcomes table could not be used: every problem, by line. */
    public static final class OutcomesException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final List<String> problems;

        OutcomesException(List<String> problems) {
            super(String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    private Study() {
    }

    /** One outcome row: the outcome, and the index of its value in each group column. */
    private record Row(boolean outcome, int[] groups) { }

    /** The latest decision of a case, as much of it as the study needs (about a hundred bytes). */
    private record Seen(long day, int level, int scored, String type, String[] codes, int[] options) { }

    /**
     * Studies the decisions against the outcomes: reads the outcomes, then the decisions once.
     *
     * @param decisions the decisions in their order (read once, then closed)
     * @throws OutcomesException the CSV lacks a column, has a bad outcome value or a case twice
     */
    public static Map<String, Object> run(Stream<Map<String, Object>> decisions, Reader outcomesCsv, Options options) {
        List<List<String>> groupValues = new ArrayList<>();
        options.groups().forEach(g -> groupValues.add(new ArrayList<>()));
        Map<String, Row> outcomes = readOutcomes(outcomesCsv, options.groups(), groupValues);

        // one pass: the latest decision of each case, kept small
        Map<String, Seen> last = new HashMap<>();
        Map<String, String> types = new HashMap<>();
        Map<String, Integer> optionIds = new HashMap<>();
        List<String> optionNames = new ArrayList<>();
        long[] counts = new long[5]; // lines, without case id, without level, not a decision, superseded
        try (decisions) {
            Iterator<Map<String, Object>> it = decisions.iterator();
            while (it.hasNext()) {
                Map<String, Object> d = it.next();
                counts[0]++;
                if (!(d.get("outcome") instanceof Map<?, ?> outcome)) {
                    counts[3]++; // e.g. an error line of evaluate --batch
                    continue;
                }
                if (!(d.get("caseId") instanceof String caseId)) {
                    counts[1]++;
                    continue;
                }
                long day = day(d.get("assessedOn"));
                Seen before = last.get(caseId);
                if (before != null) {
                    counts[4]++; // one of the two is superseded
                    if (day < before.day()) {
                        continue;
                    }
                }
                String type = outcome.get("overrideApplied") instanceof String t ? types.computeIfAbsent(t, k -> k) : null;
                List<String> options2 = options(d);
                int[] ids = new int[options2.size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = optionIds.computeIfAbsent(options2.get(i), k -> {
                        optionNames.add(k);
                        return optionNames.size() - 1;
                    });
                }
                last.put(caseId, new Seen(day, LEVELS.indexOf(String.valueOf(outcome.get(options.levelKey()))),
                        LEVELS.indexOf(String.valueOf(outcome.get("scoredLevel"))), type, codes(d), ids));
            }
        }

        Tally overall = new Tally();
        List<List<Tally>> byGroup = new ArrayList<>();
        for (List<String> values : groupValues) {
            List<Tally> t = new ArrayList<>();
            values.forEach(v -> t.add(new Tally()));
            byGroup.add(t);
        }
        OptionTally[] optionTallies = new OptionTally[optionNames.size()];
        long unmatchedDecisions = 0;
        long matched = 0;
        for (Map.Entry<String, Seen> e : last.entrySet()) {
            Seen seen = e.getValue();
            if (seen.level() < 0) {
                counts[2]++;
                continue;
            }
            Row row = outcomes.get(e.getKey());
            if (row == null) {
                unmatchedDecisions++;
                continue;
            }
            matched++;
            overall.add(seen, row.outcome());
            for (int g = 0; g < row.groups().length; g++) {
                byGroup.get(g).get(row.groups()[g]).add(seen, row.outcome());
            }
            for (int id : seen.options()) {
                if (optionTallies[id] == null) {
                    optionTallies[id] = new OptionTally(groupValues);
                }
                optionTallies[id].add(row);
            }
        }
        Map<String, Map<String, OptionTally>> items = new TreeMap<>(Study::itemOrder);
        for (int id = 0; id < optionTallies.length; id++) {
            if (optionTallies[id] != null) {
                String name = optionNames.get(id);
                int cut = name.indexOf('=');
                items.computeIfAbsent(name.substring(0, cut), k -> new TreeMap<>()).put(name.substring(cut + 1), optionTallies[id]);
            }
        }
        long superseded = counts[4];
        int threshold = LEVELS.indexOf(options.threshold());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("n", overall.n());
        Map<String, Object> unmatched = new LinkedHashMap<>();
        unmatched.put("decisions", unmatchedDecisions);
        unmatched.put("outcomes", outcomes.size() - matched);
        report.put("unmatched", unmatched);
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("lines", counts[0]);
        input.put("notADecision", counts[3]);
        input.put("supersededByALaterDecision", superseded);
        input.put("withoutCaseId", counts[1]);
        input.put("withoutLevel", counts[2]);
        input.put("outcomeRows", outcomes.size());
        report.put("input", input);
        report.put("levelKey", options.levelKey());
        report.put("threshold", options.threshold());
        report.put("joining", "one decision per case: the last by assessedOn (a later line wins a tie)");
        report.put("aucInterval", "DeLong");
        report.put("overall", overall.report(threshold));
        Map<String, Object> groups = new LinkedHashMap<>();
        for (int g = 0; g < options.groups().size(); g++) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (int v = 0; v < groupValues.get(g).size(); v++) {
                values.put(groupValues.get(g).get(v), byGroup.get(g).get(v).report(threshold));
            }
            groups.put(options.groups().get(g), values);
        }
        report.put("groups", groups);
        report.put("overrides", overall.overrides());
        report.put("items", items(items, overall, byGroup, options.groups(), groupValues));
        return report;
    }

    private static long day(Object assessedOn) {
        try {
            return assessedOn instanceof String s ? java.time.LocalDate.parse(s).toEpochDay() : Long.MIN_VALUE;
        } catch (java.time.format.DateTimeParseException e) {
            return Long.MIN_VALUE;
        }
    }

    private static int itemOrder(String a, String b) {
        // R2 before R10: by the letters, then by the number
        String pa = a.replaceAll("\\d+$", "");
        String pb = b.replaceAll("\\d+$", "");
        if (!pa.equals(pb) || a.length() == pa.length() || b.length() == pb.length()) {
            return a.compareTo(b);
        }
        int c = Long.compare(Long.parseLong(a.substring(pa.length())), Long.parseLong(b.substring(pb.length())));
        return c != 0 ? c : a.compareTo(b);
    }

    private static Map<String, Row> readOutcomes(Reader csv, List<String> groups, List<List<String>> groupValues) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setCommentMarker('#')
                .setIgnoreSurroundingSpaces(true).get();
        Map<String, Row> rows = new HashMap<>();
        List<String> problems = new ArrayList<>();
        List<Map<String, Integer>> valueIndex = new ArrayList<>();
        groups.forEach(g -> valueIndex.add(new HashMap<>()));
        try (CSVParser parser = CSVParser.builder().setReader(csv).setFormat(format).get()) {
            List<String> header = parser.getHeaderNames();
            for (String need : concat(List.of("caseId", "outcome"), groups)) {
                if (!header.contains(need)) {
                    problems.add("the outcomes CSV has no column " + need + " (columns: " + String.join(", ", header) + ")");
                }
            }
            if (!problems.isEmpty()) {
                throw new OutcomesException(problems);
            }
            for (CSVRecord r : parser) {
                long line = parser.getCurrentLineNumber();
                if (!r.isConsistent()) {
                    problems.add("line " + line + ": " + r.size() + " fields, the header has " + header.size());
                    continue;
                }
                String caseId = r.get("caseId");
                String value = r.get("outcome").toLowerCase(Locale.ROOT);
                boolean outcome;
                if (value.equals("1") || value.equals("true")) {
                    outcome = true;
                } else if (value.equals("0") || value.equals("false")) {
                    outcome = false;
                } else {
                    problems.add("line " + line + ": outcome must be 1, 0, true or false, not \"" + Printable.clip(r.get("outcome")) + "\"");
                    continue;
                }
                if (caseId.isEmpty()) {
                    problems.add("line " + line + ": caseId is empty");
                    continue;
                }
                int[] g = new int[groups.size()];
                for (int i = 0; i < groups.size(); i++) {
                    String v = r.get(groups.get(i));
                    List<String> values = groupValues.get(i);
                    g[i] = valueIndex.get(i).computeIfAbsent(v, k -> {
                        values.add(k);
                        return values.size() - 1;
                    });
                }
                if (rows.put(caseId, new Row(outcome, g)) != null) {
                    problems.add("line " + line + ": case " + Printable.clip(caseId) + " is given twice");
                }
                if (problems.size() > 20) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            problems.add("the outcomes CSV is malformed: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new OutcomesException(problems);
        }
        return rows;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** The codes of the overrides the decision applied. */
    private static String[] codes(Map<String, Object> d) {
        if (!(d.get("overrides") instanceof List<?> overrides) || overrides.isEmpty()) {
            return NO_CODES;
        }
        List<String> out = new ArrayList<>();
        for (Object o : overrides) {
            if (o instanceof Map<?, ?> ov && Boolean.TRUE.equals(ov.get("applied")) && ov.get("code") instanceof String code) {
                out.add(code);
            }
        }
        return out.toArray(NO_CODES);
    }

    private static final String[] NO_CODES = new String[0];

    /** {@code item=option} for each option the trail records the case as choosing. */
    private static List<String> options(Map<String, Object> d) {
        List<String> out = new ArrayList<>();
        if (!(d.get("trail") instanceof List<?> trail)) {
            return out;
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Object e : trail) {
            if (!(e instanceof Map<?, ?> t) || !(t.get("item") instanceof String item) || t.get("child") != null || !seen.add(item)) {
                continue;
            }
            Object answer = t.get("answer");
            if (answer instanceof String s) {
                out.add(item + "=" + s);
            } else if (answer instanceof Boolean b) {
                out.add(item + "=" + (b ? "yes" : "no"));
            } else if (answer instanceof List<?> l) {
                l.forEach(o -> out.add(item + "=" + o));
            }
        }
        return out;
    }

    private static Map<String, Object> items(Map<String, Map<String, OptionTally>> items, Tally overall, List<List<Tally>> byGroup,
                                             List<String> groups, List<List<String>> groupValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        long n = overall.n();
        long pos = overall.outcomes();
        for (var item : items.entrySet()) {
            Map<String, Object> options = new LinkedHashMap<>();
            for (var option : item.getValue().entrySet()) {
                OptionTally t = option.getValue();
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("n", t.n);
                o.put("outcomes", t.pos);
                o.put("rate", StudyStats.round4(t.n == 0 ? 0 : (double) t.pos / t.n));
                double withOutcome = StudyStats.cramersV(new long[] {t.pos, t.n - t.pos}, new long[] {pos, n - pos});
                o.put("associationWithOutcome", StudyStats.round4(withOutcome));
                Map<String, Object> byG = new LinkedHashMap<>();
                boolean flagged = false;
                for (int g = 0; g < groups.size(); g++) {
                    Map<String, Object> shares = new LinkedHashMap<>();
                    long[] all = new long[groupValues.get(g).size()];
                    for (int v = 0; v < all.length; v++) {
                        all[v] = byGroup.get(g).get(v).n();
                        shares.put(groupValues.get(g).get(v), StudyStats.round4(all[v] == 0 ? 0 : (double) t.byGroup[g][v] / all[v]));
                    }
                    double withGroup = StudyStats.cramersV(t.byGroup[g], all);
                    Map<String, Object> gr = new LinkedHashMap<>();
                    gr.put("shareChoosing", shares);
                    gr.put("associationWithGroup", StudyStats.round4(withGroup));
                    byG.put(groups.get(g), gr);
                    flagged |= withGroup > withOutcome && withGroup >= MIN_ASSOCIATION;
                }
                o.put("groups", byG);
                o.put("flagged", flagged);
                options.put(option.getKey(), o);
            }
            out.put(item.getKey(), options);
        }
        return out;
    }

    /** Counts of one item option. */
    private static final class OptionTally {
        long n;
        long pos;
        final long[][] byGroup;

        OptionTally(List<List<String>> groupValues) {
            byGroup = new long[groupValues.size()][];
            for (int g = 0; g < byGroup.length; g++) {
                byGroup[g] = new long[groupValues.get(g).size()];
            }
        }

        void add(Row row) {
            n++;
            pos += row.outcome() ? 1 : 0;
            for (int g = 0; g < byGroup.length; g++) {
                byGroup[g][row.groups()[g]]++;
            }
        }
    }

    /** Counts per level of one population (everyone, or one group value). */
    private static final class Tally {
        final long[] pos = new long[LEVELS.size()];
        final long[] neg = new long[LEVELS.size()];
        final long[] scoredPos = new long[LEVELS.size()];
        final long[] scoredNeg = new long[LEVELS.size()];
        long withScored;
        long changed;
        final Map<String, Long> byType = new TreeMap<>();
        final Map<String, Long> byCode = new TreeMap<>();

        void add(Seen seen, boolean outcome) {
            int level = seen.level();
            int scored = seen.scored();
            (outcome ? pos : neg)[level]++;
            if (scored >= 0) {
                withScored++;
                (outcome ? scoredPos : scoredNeg)[scored]++;
                if (scored != level) {
                    changed++;
                }
            }
            if (seen.type() != null) {
                byType.merge(seen.type(), 1L, Long::sum);
            }
            for (String code : seen.codes()) {
                byCode.merge(code, 1L, Long::sum);
            }
        }

        long n() {
            return Arrays.stream(pos).sum() + Arrays.stream(neg).sum();
        }

        long outcomes() {
            return Arrays.stream(pos).sum();
        }

        Map<String, Object> report(int threshold) {
            long n = n();
            List<Object> levels = new ArrayList<>();
            boolean monotonic = true;
            double previous = -1;
            long falsePositives = 0;
            long negatives = 0;
            long falseNegatives = 0;
            long positives = 0;
            for (int l = 0; l < LEVELS.size(); l++) {
                long k = pos[l];
                long m = pos[l] + neg[l];
                Map<String, Object> level = new LinkedHashMap<>();
                level.put("level", LEVELS.get(l));
                level.put("n", m);
                level.put("share", StudyStats.round4(n == 0 ? 0 : (double) m / n));
                level.put("outcomes", k);
                double rate = m == 0 ? 0 : (double) k / m;
                level.put("rate", StudyStats.round4(rate));
                double[] ci = StudyStats.wilson(k, m);
                level.put("ci95", List.of(StudyStats.round4(ci[0]), StudyStats.round4(ci[1])));
                levels.add(level);
                if (m > 0) {
                    monotonic &= rate >= previous;
                    previous = rate;
                }
                negatives += neg[l];
                positives += pos[l];
                if (l >= threshold) {
                    falsePositives += neg[l];
                } else {
                    falseNegatives += pos[l];
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("n", n);
            out.put("outcomes", positives);
            out.put("levels", levels);
            out.put("monotonic", monotonic);
            out.put("auc", auc(pos, neg));
            out.put("fpr", negatives == 0 ? null : StudyStats.round4((double) falsePositives / negatives));
            out.put("fnr", positives == 0 ? null : StudyStats.round4((double) falseNegatives / positives));
            return out;
        }

        Map<String, Object> overrides() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("casesWithScoredLevel", withScored);
            out.put("rate", withScored == 0 ? null : StudyStats.round4((double) changed / withScored));
            out.put("byType", byType);
            out.put("byCode", byCode);
            out.put("aucScored", withScored == 0 ? null : auc(scoredPos, scoredNeg));
            out.put("aucFinal", auc(pos, neg));
            return out;
        }

        private static Map<String, Object> auc(long[] pos, long[] neg) {
            double[] a = StudyStats.auc(pos, neg);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("value", Double.isNaN(a[0]) ? null : StudyStats.round4(a[0]));
            out.put("ci95", Double.isNaN(a[0]) ? null : List.of(StudyStats.round4(a[1]), StudyStats.round4(a[2])));
            return out;
        }
    }
}
