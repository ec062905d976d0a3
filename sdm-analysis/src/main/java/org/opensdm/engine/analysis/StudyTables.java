package org.opensdm.engine.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A {@link Study} report as CSV tables, for a spreadsheet: {@code levels.csv} (one row per
 * population and level), {@code summary.csv} (one row per population: n, outcomes, AUC with its
 * interval, FPR, FNR, monotonic) and {@code items.csv} (one row per option and group value). A
 * population is {@code all} or a group column and value; with {@code --as-version}, a
 * {@code version} column tells the two studies apart ({@code recorded}, or the version re-evaluated under).
 */
public final class StudyTables {
    private StudyTables() {
    }

    /** The three tables' text, by file name. */
    @SuppressWarnings("unchecked")
    public static Map<String, String> of(Map<String, Object> report) {
        List<Map<String, Object>> studies = new ArrayList<>(List.of(report));
        List<String> versions = new ArrayList<>(List.of("recorded"));
        if (report.get("asVersion") instanceof Map<?, ?> as) {
            studies.add((Map<String, Object>) as);
            versions.add(String.valueOf(as.get("version")));
        }
        StringBuilder levels = new StringBuilder();
        StringBuilder summary = new StringBuilder();
        StringBuilder items = new StringBuilder();
        CSVFormat format = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();
        try (CSVPrinter l = new CSVPrinter(levels, format); CSVPrinter s = new CSVPrinter(summary, format);
             CSVPrinter i = new CSVPrinter(items, format)) {
            l.printRecord("version", "group", "value", "level", "n", "share", "outcomes", "rate", "ci95Low", "ci95High");
            s.printRecord("version", "group", "value", "n", "outcomes", "auc", "auc95Low", "auc95High", "fpr", "fnr", "monotonic");
            i.printRecord("version", "item", "option", "n", "outcomes", "rate", "associationWithOutcome", "group", "value",
                    "shareChoosing", "associationWithGroup", "flagged");
            for (int v = 0; v < studies.size(); v++) {
                Map<String, Object> r = studies.get(v);
                Map<String, Map<String, Object>> populations = new LinkedHashMap<>();
                populations.put("\u0000all", (Map<String, Object>) r.get("overall"));
                for (var g : ((Map<String, Object>) r.get("groups")).entrySet()) {
                    for (var value : ((Map<String, Object>) g.getValue()).entrySet()) {
                        populations.put(g.getKey() + "\u0000" + value.getKey(), (Map<String, Object>) value.getValue());
                    }
                }
                for (var p : populations.entrySet()) {
                    String[] gv = p.getKey().split("\u0000", 2);
                    String group = gv[0].isEmpty() ? "all" : gv[0];
                    String value = gv[0].isEmpty() ? "" : gv[1];
                    Map<String, Object> pop = p.getValue();
                    for (Object o : (List<Object>) pop.get("levels")) {
                        Map<String, Object> lv = (Map<String, Object>) o;
                        List<Object> ci = (List<Object>) lv.get("ci95");
                        l.printRecord(versions.get(v), group, value, lv.get("level"), lv.get("n"), lv.get("share"), lv.get("outcomes"),
                                lv.get("rate"), ci.get(0), ci.get(1));
                    }
                    Map<String, Object> auc = (Map<String, Object>) pop.get("auc");
                    List<Object> ci = auc.get("ci95") == null ? java.util.Arrays.asList(null, null) : (List<Object>) auc.get("ci95");
                    s.printRecord(versions.get(v), group, value, pop.get("n"), pop.get("outcomes"), auc.get("value"), ci.get(0), ci.get(1),
                            pop.get("fpr"), pop.get("fnr"), pop.get("monotonic"));
                }
                for (var item : ((Map<String, Object>) r.get("items")).entrySet()) {
                    for (var option : ((Map<String, Object>) item.getValue()).entrySet()) {
                        Map<String, Object> o = (Map<String, Object>) option.getValue();
                        Map<String, Object> groups = (Map<String, Object>) o.get("groups");
                        if (groups.isEmpty()) {
                            i.printRecord(versions.get(v), item.getKey(), option.getKey(), o.get("n"), o.get("outcomes"), o.get("rate"),
                                    o.get("associationWithOutcome"), "", "", "", "", o.get("flagged"));
                        }
                        for (var g : groups.entrySet()) {
                            Map<String, Object> gr = (Map<String, Object>) g.getValue();
                            for (var share : ((Map<String, Object>) gr.get("shareChoosing")).entrySet()) {
                                i.printRecord(versions.get(v), item.getKey(), option.getKey(), o.get("n"), o.get("outcomes"),
                                        o.get("rate"), o.get("associationWithOutcome"), g.getKey(), share.getKey(), share.getValue(),
                                        gr.get("associationWithGroup"), o.get("flagged"));
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put("levels.csv", levels.toString());
        out.put("summary.csv", summary.toString());
        out.put("items.csv", items.toString());
        return out;
    }
}
