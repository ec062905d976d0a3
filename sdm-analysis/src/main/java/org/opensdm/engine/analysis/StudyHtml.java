package org.opensdm.engine.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link Study} report as one self-contained HTML page (inline CSS and SVG, nothing
 * fetched), for a program manager: the headline figures; the outcome rate per level with its
 * interval, overall and per group; the level distribution per group; false-positive and
 * false-negative rates per group at the threshold; overrides; and the item options flagged for
 * association with a group. Every bar carries {@code data-*} attributes with its numbers, so a
 * program can read the page back.
 */
public final class StudyHtml {
    private static final String[] COLORS = {"#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#0ea5e9", "#64748b"};
    private static final String[] LEVEL_COLORS = {"#bbf7d0", "#fde68a", "#fdba74", "#f87171"};
    private static final String CSS = ImpactHtml.CSS + """
            svg text { font: 12px system-ui, sans-serif; fill: #334155; }
            .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin: 0 4px 0 12px; vertical-align: -2px; }
            .flag { color: #b91c1c; font-weight: 650; }
            header code { background: rgba(255, 255, 255, .12); color: #f8fafc; }
            .scroll { overflow-x: auto; }
            @media (max-width: 640px) {
              header { padding: 18px 16px 14px; } main { padding: 14px 12px 32px; } footer { padding: 0 12px 24px; }
              section { padding: 14px 12px; } .cards { grid-template-columns: repeat(2, 1fr); }
              .card .n { font-size: 20px; } td.barcell, th.barcell { display: none; }
            }
            """;

    private StudyHtml() {
    }

    /** The page for {@code report} (as {@link Study#run} gives it; an {@code asVersion} part is shown after it). */
    @SuppressWarnings("unchecked")
    public static String render(Map<String, Object> report, String title) {
        StringBuilder b = new StringBuilder(32_768);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
                .append(ImpactHtml.esc(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        b.append("<header><h1>").append(ImpactHtml.esc(title)).append("</h1><p>How the levels of ")
                .append(report.get("n")).append(" cases relate to a later outcome; level key <code>")
                .append(ImpactHtml.esc(String.valueOf(report.get("levelKey")))).append("</code>, threshold ")
                .append(ImpactHtml.esc(String.valueOf(report.get("threshold")))).append(".</p></header>\n<main>\n");
        body(b, report);
        if (report.get("asVersion") instanceof Map<?, ?> as) {
            b.append("<h2 style=\"margin:28px 0 12px\">The same requests under version ").append(ImpactHtml.esc(String.valueOf(as.get("version"))))
                    .append("</h2>\n");
            body(b, (Map<String, Object>) as);
        }
        b.append("</main>\n<footer>Rates with 95 % Wilson intervals; AUC with a 95 % DeLong interval. One decision per case: ")
                .append(ImpactHtml.esc(String.valueOf(report.get("joining")))).append(".</footer>\n</body>\n</html>\n");
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private static void body(StringBuilder b, Map<String, Object> r) {
        Map<String, Object> overall = (Map<String, Object>) r.get("overall");
        Map<String, Object> unmatched = (Map<String, Object>) r.get("unmatched");
        Map<String, Object> auc = (Map<String, Object>) overall.get("auc");
        b.append("<section class=\"cards\">");
        card(b, String.valueOf(r.get("n")), "cases studied");
        card(b, String.valueOf(overall.get("outcomes")), "with the outcome");
        card(b, auc.get("value") == null ? "–" : num(auc.get("value")), "AUC (0.5 = chance)");
        card(b, Boolean.TRUE.equals(overall.get("monotonic")) ? "yes" : "NO", "rates rise with the level");
        card(b, pct(overall.get("fpr")), "false-positive rate");
        card(b, pct(overall.get("fnr")), "false-negative rate");
        card(b, unmatched.get("decisions") + " / " + unmatched.get("outcomes"), "unmatched decisions / outcome rows");
        b.append("</section>\n");

        Map<String, Object> groups = (Map<String, Object>) r.get("groups");
        List<String> names = new ArrayList<>(List.of("all cases"));
        List<Map<String, Object>> populations = new ArrayList<>(List.of(overall));
        Map.Entry<String, Object> first = groups.isEmpty() ? null : groups.entrySet().iterator().next();
        String column = first == null ? null : first.getKey();
        if (first != null) {
            for (Map.Entry<String, Object> g : ((Map<String, Object>) first.getValue()).entrySet()) {
                names.add(column + " " + g.getKey());
                populations.add((Map<String, Object>) g.getValue());
            }
        }
        b.append("<section><h2>Outcome rate per level</h2><p class=\"note\">The share of cases at each level that had the "
                + "outcome, with its 95 % interval. It should rise from level to level, for every group alike.</p>");
        rateChart(b, names, populations);
        b.append("</section>\n");
        if (column != null) {
            b.append("<section><h2>Levels per group</h2><p class=\"note\">How each group's cases spread over the levels.</p>");
            distribution(b, names.subList(1, names.size()), populations.subList(1, populations.size()));
            b.append("</section>\n<section><h2>Errors at the threshold, per group</h2><p class=\"note\">False-positive rate: "
                    + "cases without the outcome placed at or above the threshold. False-negative rate: cases with the outcome "
                    + "placed below it. A gap between groups is an equity finding.</p>");
            errors(b, names, populations);
            b.append("</section>\n");
        }
        overrides(b, (Map<String, Object>) r.get("overrides"));
        items(b, (Map<String, Object>) r.get("items"));
    }

    private static void card(StringBuilder b, String n, String label) {
        b.append("<div class=\"card\"><div class=\"n\">").append(ImpactHtml.esc(n)).append("</div><div class=\"l\">")
                .append(ImpactHtml.esc(label)).append("</div></div>");
    }

    @SuppressWarnings("unchecked")
    private static void rateChart(StringBuilder b, List<String> names, List<Map<String, Object>> populations) {
        List<Object> levels = (List<Object>) populations.get(0).get("levels");
        double max = 0.05;
        for (Map<String, Object> p : populations) {
            for (Object l : (List<Object>) p.get("levels")) {
                max = Math.max(max, ((Number) ((List<Object>) ((Map<String, Object>) l).get("ci95")).get(1)).doubleValue());
            }
        }
        double step = max <= 0.5 ? 0.1 : 0.2;
        int ticks = (int) Math.ceil(max / step - 1e-9);
        max = ticks * step;
        int w = 720;
        int h = 260;
        int left = 48;
        int bottom = 30;
        int groupWidth = (w - left) / levels.size();
        int barWidth = Math.max(6, (groupWidth - 20) / populations.size());
        b.append("<svg viewBox=\"0 0 ").append(w).append(' ').append(h).append("\" width=\"100%\" style=\"max-width:").append(w)
                .append("px\" role=\"img\" aria-label=\"outcome rate per level\">");
        for (int t = 0; t <= ticks; t++) {
            double v = step * t;
            double y = h - bottom - (h - bottom - 10) * (double) t / ticks;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e2e8f0\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f%%</text>", left, w, y, y, left - 6, y + 4, v * 100));
        }
        for (int l = 0; l < levels.size(); l++) {
            String level = String.valueOf(((Map<String, Object>) levels.get(l)).get("level"));
            int x0 = left + l * groupWidth + 10;
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                    x0 + barWidth * populations.size() / 2, h - 10, ImpactHtml.esc(level)));
            for (int p = 0; p < populations.size(); p++) {
                Map<String, Object> lv = (Map<String, Object>) ((List<Object>) populations.get(p).get("levels")).get(l);
                double rate = ((Number) lv.get("rate")).doubleValue();
                List<Object> ci = (List<Object>) lv.get("ci95");
                double lo = ((Number) ci.get(0)).doubleValue();
                double hi = ((Number) ci.get(1)).doubleValue();
                double scale = (h - bottom - 10) / max;
                double x = x0 + p * barWidth;
                b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\" "
                                + "data-population=\"%s\" data-level=\"%s\" data-rate=\"%s\" data-n=\"%s\"><title>%s, %s: %.1f%% of %s"
                                + " (95%%: %.1f–%.1f%%)</title></rect>",
                        x, h - bottom - rate * scale, barWidth - 2, rate * scale, COLORS[p % COLORS.length],
                        ImpactHtml.esc(names.get(p)), level, lv.get("rate"), lv.get("n"), ImpactHtml.esc(names.get(p)), level, rate * 100,
                        lv.get("n"), lo * 100, hi * 100));
                double cx = x + (barWidth - 2) / 2.0;
                b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#0f172a\"/>",
                        cx, cx, h - bottom - lo * scale, h - bottom - hi * scale));
            }
        }
        b.append("</svg>");
        legend(b, names);
    }

    private static void legend(StringBuilder b, List<String> names) {
        b.append("<div>");
        for (int p = 0; p < names.size(); p++) {
            b.append("<span class=\"swatch\" style=\"background:").append(COLORS[p % COLORS.length]).append("\"></span>")
                    .append(ImpactHtml.esc(names.get(p)));
        }
        b.append("</div>");
    }

    @SuppressWarnings("unchecked")
    private static void distribution(StringBuilder b, List<String> names, List<Map<String, Object>> populations) {
        b.append("<table class=\"list\"><tr><th>group</th><th>cases</th><th style=\"width:70%\">share at each level</th></tr>");
        for (int p = 0; p < populations.size(); p++) {
            b.append("<tr><td class=\"nowrap\">").append(ImpactHtml.esc(names.get(p))).append("</td><td class=\"num\">")
                    .append(populations.get(p).get("n")).append("</td><td><div style=\"display:flex;height:18px;border-radius:4px;overflow:hidden\">");
            List<Object> levels = (List<Object>) populations.get(p).get("levels");
            for (int l = 0; l < levels.size(); l++) {
                Map<String, Object> lv = (Map<String, Object>) levels.get(l);
                double share = ((Number) lv.get("share")).doubleValue();
                b.append(String.format(Locale.ROOT, "<div style=\"width:%.2f%%;background:%s\" data-level=\"%s\" data-share=\"%s\" "
                        + "title=\"%s: %.1f%%\"></div>", share * 100, LEVEL_COLORS[l % LEVEL_COLORS.length], lv.get("level"),
                        lv.get("share"), lv.get("level"), share * 100));
            }
            b.append("</div></td></tr>");
        }
        b.append("</table><div>");
        for (int l = 0; l < LEVEL_COLORS.length; l++) {
            b.append("<span class=\"swatch\" style=\"background:").append(LEVEL_COLORS[l]).append("\"></span>")
                    .append(Study.LEVEL_NAMES.get(l));
        }
        b.append("</div>");
    }

    private static void errors(StringBuilder b, List<String> names, List<Map<String, Object>> populations) {
        b.append("<div class=\"scroll\"><table class=\"list\"><tr><th>population</th><th class=\"num\">false-positive rate</th>"
                + "<th class=\"barcell\"></th><th class=\"num\">false-negative rate</th><th class=\"barcell\"></th><th class=\"num\">AUC</th></tr>");
        for (int p = 0; p < populations.size(); p++) {
            Map<String, Object> pop = populations.get(p);
            @SuppressWarnings("unchecked")
            Map<String, Object> auc = (Map<String, Object>) pop.get("auc");
            b.append("<tr><td>").append(ImpactHtml.esc(names.get(p))).append("</td>");
            for (String k : List.of("fpr", "fnr")) {
                double v = pop.get(k) == null ? 0 : ((Number) pop.get(k)).doubleValue();
                b.append("<td class=\"num\" data-").append(k).append("=\"").append(pop.get(k)).append("\">").append(pct(pop.get(k)))
                        .append(String.format(Locale.ROOT, "</td><td class=\"barcell\" style=\"width:22%%\"><div class=\"bar\" style=\"width:%.1f%%;background:%s\"></div></td>",
                                v * 100, COLORS[p % COLORS.length]));
            }
            b.append("<td class=\"num\">").append(auc.get("value") == null ? "–" : num(auc.get("value"))).append("</td></tr>");
        }
        b.append("</table></div>");
    }

    @SuppressWarnings("unchecked")
    private static void overrides(StringBuilder b, Map<String, Object> o) {
        b.append("<section><h2>Overrides</h2><p class=\"note\">Cases whose final level differs from the scored level, by "
                + "override type and code, and the AUC before and after overrides (higher is better).</p><table class=\"list\">");
        row(b, "cases where an override changed the level", pct(o.get("rate")));
        for (Map.Entry<String, Object> e : ((Map<String, Object>) o.get("byType")).entrySet()) {
            row(b, "override applied: " + e.getKey(), String.valueOf(e.getValue()));
        }
        for (Map.Entry<String, Object> e : ((Map<String, Object>) o.get("byCode")).entrySet()) {
            row(b, "code " + e.getKey(), String.valueOf(e.getValue()));
        }
        Object scored = o.get("aucScored") instanceof Map<?, ?> m ? m.get("value") : null;
        Object fin = ((Map<String, Object>) o.get("aucFinal")).get("value");
        row(b, "AUC of the scored level", scored == null ? "–" : num(scored));
        row(b, "AUC of the final level", fin == null ? "–" : num(fin));
        b.append("</table></section>\n");
    }

    private static void row(StringBuilder b, String label, String value) {
        b.append("<tr><td>").append(ImpactHtml.esc(label)).append("</td><td class=\"num\">").append(ImpactHtml.esc(value)).append("</td></tr>");
    }

    @SuppressWarnings("unchecked")
    private static void items(StringBuilder b, Map<String, Object> items) {
        b.append("<section><h2>Item options more tied to a group than to the outcome</h2><p class=\"note\">Flagged when an "
                + "option's association with group membership (Cramér's V) is at least 0.1 and above its association with the "
                + "outcome: the item may measure who a family is more than the risk.</p>");
        List<String> rows = new ArrayList<>();
        for (Map.Entry<String, Object> item : items.entrySet()) {
            for (Map.Entry<String, Object> option : ((Map<String, Object>) item.getValue()).entrySet()) {
                Map<String, Object> o = (Map<String, Object>) option.getValue();
                if (Boolean.TRUE.equals(o.get("flagged"))) {
                    rows.add("<tr><td class=\"flag\">" + ImpactHtml.esc(item.getKey() + " = " + option.getKey()) + "</td><td class=\"num\">"
                            + o.get("n") + "</td><td class=\"num\">" + pct(o.get("rate")) + "</td><td class=\"num\">"
                            + num(o.get("associationWithOutcome")) + "</td></tr>");
                }
            }
        }
        if (rows.isEmpty()) {
            b.append("<p>No option is flagged.</p>");
        } else {
            b.append("<table class=\"list\"><tr><th>option</th><th class=\"num\">cases</th><th class=\"num\">outcome rate</th>"
                    + "<th class=\"num\">association with the outcome</th></tr>");
            rows.forEach(b::append);
            b.append("</table>");
        }
        b.append("</section>\n");
    }

    private static String pct(Object v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.1f%%", ((Number) v).doubleValue() * 100);
    }

    private static String num(Object v) {
        return String.format(Locale.ROOT, "%.3f", ((Number) v).doubleValue());
    }
}
