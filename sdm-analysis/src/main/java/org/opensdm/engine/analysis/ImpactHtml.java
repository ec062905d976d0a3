package org.opensdm.engine.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.opensdm.engine.SdmEngine;

/**
 * Renders an {@link ImpactReport} as one self-contained HTML page (inline CSS and SVG; no script,
 * font, image or style is fetched): summary figures, the final level's transition matrix as a
 * heat map, bar charts of the level distribution before and after, decisions changed per outcome
 * key, the point and cut-point changes, the other level keys' matrices, and the changed cases.
 * Every number of a matrix, chart and count carries {@code data-*} attributes, so that a program
 * can read the page back.
 */
public final class ImpactHtml {
    static final String CSS = """
            :root { --ink: #1e293b; --muted: #64748b; --line: #e2e8f0; --up: 220, 38, 38; --down: 37, 99, 235;
              --same: 100, 116, 139; --before: #94a3b8; --after: #2563eb; }
            * { box-sizing: border-box; }
            body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
              color: var(--ink); background: #f8fafc; }
            header { padding: 28px 40px 20px; background: #0f172a; color: #f8fafc; }
            header h1 { margin: 0 0 4px; font-size: 24px; font-weight: 650; }
            header p { margin: 0; color: #cbd5e1; }
            main { padding: 24px 40px 48px; max-width: 1200px; }
            section { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 18px 22px; margin: 0 0 20px; }
            h2 { font-size: 17px; margin: 0 0 4px; }
            h3 { font-size: 14px; margin: 14px 0 6px; }
            p.note { margin: 0 0 12px; color: var(--muted); }
            .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px;
              background: none; border: 0; padding: 0; }
            .card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
            .card .n { font-size: 26px; font-weight: 700; }
            .card .l { color: var(--muted); font-size: 13px; }
            .card.up .n { color: rgb(var(--up)); } .card.down .n { color: rgb(var(--down)); }
            .row { display: flex; flex-wrap: wrap; gap: 28px; align-items: flex-start; }
            table { border-collapse: collapse; }
            table.heat th, table.heat td { border: 1px solid #fff; text-align: center; }
            table.heat td { width: 96px; height: 56px; font-weight: 650; font-size: 15px; border-radius: 4px; }
            table.heat td small { display: block; font-weight: 400; font-size: 11px; opacity: .85; }
            table.heat th { font-size: 12px; color: var(--muted); padding: 4px 8px; font-weight: 600; }
            table.heat th.corner { text-align: right; font-weight: 400; }
            table.heat td.total, table.heat th.total { background: #f1f5f9; color: var(--ink); font-weight: 600; }
            table.small td { width: 64px; height: 36px; font-size: 13px; }
            .legend { display: flex; gap: 14px; font-size: 12px; color: var(--muted); margin: 10px 0 0; }
            .legend span::before { content: ""; display: inline-block; width: 12px; height: 12px; border-radius: 3px;
              margin-right: 5px; vertical-align: -2px; background: var(--c); }
            table.list { width: 100%; }
            table.list th, table.list td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
            table.list th { font-size: 12px; color: var(--muted); font-weight: 600; }
            td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
            .bar { height: 10px; background: var(--after); border-radius: 5px; min-width: 1px; }
            .chg, .nowrap { white-space: nowrap; }
            .up { color: rgb(var(--up)); } .down { color: rgb(var(--down)); }
            code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f1f5f9; padding: 1px 4px; border-radius: 4px; }
            details summary { cursor: pointer; color: var(--muted); margin: 6px 0; }
            footer { color: var(--muted); font-size: 12px; padding: 0 40px 30px; }
            """;

    private ImpactHtml() {
    }

    /** The page. */
    public static String render(ImpactReport r) {
        StringBuilder h = new StringBuilder(64 * 1024);
        String title = r.ruleset() + " " + r.from() + " \u2192 " + r.to();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Impact: ").append(esc(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n")
                .append("<body data-ruleset=\"").append(esc(r.ruleset())).append("\" data-from=\"").append(esc(r.from()))
                .append("\" data-to=\"").append(esc(r.to())).append("\" data-total=\"").append(r.total())
                .append("\" data-evaluated=\"").append(r.evaluated()).append("\">\n");
        h.append("<header><h1>Impact of ").append(esc(title)).append("</h1><p>Every request evaluated under both versions: ")
                .append(r.total()).append(" requests, ").append(r.evaluated()).append(" with a decision under both.</p></header>\n<main>\n");

        String fin = r.finalLevelKey();
        cards(h, r, fin);
        if (fin != null) {
            h.append("<section id=\"final\"><h2>").append(esc(fin)).append(": how cases move</h2>")
                    .append("<p class=\"note\">Rows: level under ").append(esc(r.from())).append("; columns: level under ")
                    .append(esc(r.to())).append(". Red cells moved up, blue cells moved down, grey cells stayed.</p>")
                    .append("<div class=\"row\">");
            matrix(h, r, fin, false);
            bars(h, r, fin, 440, 260);
            h.append("</div>");
            legend(h, r);
            h.append("</section>\n");
        }
        changedPerKey(h, r);
        rulesetChanges(h, r);
        List<String> others = r.levelKeys().stream().filter(k -> !k.equals(fin)).toList();
        if (!others.isEmpty()) {
            h.append("<section id=\"levels\"><h2>Other levels</h2><p class=\"note\">The same view for every level-valued outcome key.</p>");
            for (String key : others) {
                h.append("<h3>").append(esc(key)).append("</h3><div class=\"row\">");
                matrix(h, r, key, true);
                bars(h, r, key, 400, 190);
                h.append("</div>");
            }
            h.append("</section>\n");
        }
        cases(h, r);
        failures(h, r);
        h.append("</main>\n<footer>Made by <code>sdm diff</code>, engine ").append(esc(SdmEngine.VERSION))
                .append(". Self-contained page: no network access.</footer>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void cards(StringBuilder h, ImpactReport r, String fin) {
        h.append("<section class=\"cards\">");
        card(h, "", "requests", r.total(), "data-total");
        card(h, "", "with a changed decision", r.casesChanged(), "data-cases-changed");
        if (fin != null) {
            int up = 0;
            int down = 0;
            List<String> levels = new ArrayList<>(r.matrix().get(fin).keySet());
            for (var row : r.matrix().get(fin).entrySet()) {
                for (var cell : row.getValue().entrySet()) {
                    int d = Integer.compare(levels.indexOf(cell.getKey()), levels.indexOf(row.getKey()));
                    up += d > 0 ? cell.getValue() : 0;
                    down += d < 0 ? cell.getValue() : 0;
                }
            }
            card(h, "", esc(fin) + " changed", r.changed().getOrDefault(fin, 0), "data-final-changed");
            card(h, "up", esc(fin) + " raised", up, "data-raised");
            card(h, "down", esc(fin) + " lowered", down, "data-lowered");
        }
        if (!r.failures().isEmpty()) {
            card(h, "", "without a decision", r.total() - r.evaluated(), "data-failed");
        }
        h.append("</section>\n");
    }

    private static void card(StringBuilder h, String cls, String label, int n, String attr) {
        h.append("<div class=\"card ").append(cls).append("\" ").append(attr).append("=\"").append(n).append("\"><div class=\"n\">")
                .append(n).append("</div><div class=\"l\">").append(label).append("</div></div>");
    }

    private static void matrix(StringBuilder h, ImpactReport r, String key, boolean small) {
        Map<String, Map<String, Integer>> m = r.matrix().get(key);
        List<String> levels = new ArrayList<>(m.keySet());
        int maxSame = 1;
        int maxMoved = 1;
        for (String a : levels) {
            for (String b : levels) {
                int n = m.get(a).get(b);
                if (a.equals(b)) {
                    maxSame = Math.max(maxSame, n);
                } else {
                    maxMoved = Math.max(maxMoved, n);
                }
            }
        }
        h.append("<table class=\"heat").append(small ? " small" : "").append("\" data-matrix=\"").append(esc(key)).append("\">")
                .append("<tr><th class=\"corner\">").append(esc(r.from())).append(" \u2193 / ").append(esc(r.to())).append(" \u2192</th>");
        levels.forEach(l -> h.append("<th>").append(esc(l)).append("</th>"));
        h.append("<th class=\"total\">total</th></tr>");
        int[] colTotals = new int[levels.size()];
        for (String a : levels) {
            int rowTotal = m.get(a).values().stream().mapToInt(Integer::intValue).sum();
            h.append("<tr><th>").append(esc(a)).append("</th>");
            for (int j = 0; j < levels.size(); j++) {
                String b = levels.get(j);
                int n = m.get(a).get(b);
                colTotals[j] += n;
                int dir = Integer.compare(j, levels.indexOf(a));
                double alpha = n == 0 ? 0 : dir == 0 ? 0.10 + 0.55 * n / maxSame : 0.15 + 0.75 * n / maxMoved;
                String rgb = dir == 0 ? "var(--same)" : dir > 0 ? "var(--up)" : "var(--down)";
                h.append("<td data-key=\"").append(esc(key)).append("\" data-from=\"").append(esc(a)).append("\" data-to=\"")
                        .append(esc(b)).append("\" data-count=\"").append(n).append("\" style=\"background: rgba(").append(rgb)
                        .append(", ").append(String.format(Locale.ROOT, "%.3f", alpha)).append("); color: ")
                        .append(n == 0 ? "#cbd5e1" : alpha > 0.55 ? "#fff" : "var(--ink)").append("\" title=\"")
                        .append(esc(a)).append(" \u2192 ").append(esc(b)).append(": ").append(n).append("\">").append(n);
                if (n > 0 && !small && rowTotal > 0) {
                    h.append("<small>").append(pct(n, rowTotal)).append(" of row</small>");
                }
                h.append("</td>");
            }
            h.append("<td class=\"total\" data-row-total=\"").append(rowTotal).append("\">").append(rowTotal).append("</td></tr>");
        }
        h.append("<tr><th class=\"total\">total</th>");
        for (int t : colTotals) {
            h.append("<td class=\"total\">").append(t).append("</td>");
        }
        h.append("<td class=\"total\">").append(java.util.Arrays.stream(colTotals).sum()).append("</td></tr></table>");
    }

    private static void legend(StringBuilder h, ImpactReport r) {
        h.append("<div class=\"legend\"><span style=\"--c: rgba(var(--up), .7)\">moved up</span>")
                .append("<span style=\"--c: rgba(var(--down), .7)\">moved down</span>")
                .append("<span style=\"--c: rgba(var(--same), .4)\">unchanged</span>")
                .append("<span style=\"--c: var(--before)\">").append(esc(r.from())).append("</span>")
                .append("<span style=\"--c: var(--after)\">").append(esc(r.to())).append("</span></div>");
    }

    /** Grouped bars: per level, the count before (grey) and after (blue). */
    private static void bars(StringBuilder h, ImpactReport r, String key, int width, int height) {
        Map<String, Integer> before = r.distribution(key, true);
        Map<String, Integer> after = r.distribution(key, false);
        List<String> levels = new ArrayList<>(before.keySet());
        int max = 1;
        for (String l : levels) {
            max = Math.max(max, Math.max(before.get(l), after.get(l)));
        }
        int top = 22;
        int bottom = 34;
        int left = 10;
        double plot = height - top - bottom;
        double group = (width - 2.0 * left) / Math.max(1, levels.size());
        double bar = Math.min(46, group * 0.34);
        h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" data-chart=\"").append(esc(key))
                .append("\" font-family=\"system-ui, sans-serif\" font-size=\"12\"><title>").append(esc(key))
                .append(" distribution under ").append(esc(r.from())).append(" and ").append(esc(r.to())).append("</title>");
        h.append("<line x1=\"").append(left).append("\" x2=\"").append(width - left).append("\" y1=\"").append(top + plot)
                .append("\" y2=\"").append(top + plot).append("\" stroke=\"#cbd5e1\"/>");
        for (int i = 0; i < levels.size(); i++) {
            String l = levels.get(i);
            double cx = left + group * i + group / 2;
            barRect(h, key, "from", l, before.get(l), cx - bar - 2, bar, top, plot, max, "var(--before)");
            barRect(h, key, "to", l, after.get(l), cx + 2, bar, top, plot, max, "var(--after)");
            h.append("<text x=\"").append(fmt(cx)).append("\" y=\"").append(fmt(top + plot + 20))
                    .append("\" text-anchor=\"middle\" fill=\"#334155\" font-weight=\"600\">").append(esc(l)).append("</text>");
        }
        h.append("</svg>");
    }

    private static void barRect(StringBuilder h, String key, String side, String level, int n, double x, double w, int top,
                                double plot, int max, String color) {
        double bh = plot * n / max;
        double y = top + plot - bh;
        h.append("<rect data-key=\"").append(esc(key)).append("\" data-side=\"").append(side).append("\" data-level=\"")
                .append(esc(level)).append("\" data-count=\"").append(n).append("\" x=\"").append(fmt(x)).append("\" y=\"")
                .append(fmt(y)).append("\" width=\"").append(fmt(w)).append("\" height=\"").append(fmt(bh))
                .append("\" rx=\"3\" style=\"fill: ").append(color).append("\"><title>").append(esc(level)).append(", ")
                .append(side.equals("from") ? "before" : "after").append(": ").append(n).append("</title></rect>")
                .append("<text x=\"").append(fmt(x + w / 2)).append("\" y=\"").append(fmt(y - 5))
                .append("\" text-anchor=\"middle\" fill=\"#475569\">").append(n).append("</text>");
    }

    private static void changedPerKey(StringBuilder h, ImpactReport r) {
        int max = Math.max(1, r.changed().values().stream().mapToInt(Integer::intValue).max().orElse(1));
        h.append("<section id=\"changed\"><h2>Decisions changed per outcome key</h2><p class=\"note\">Of ").append(r.evaluated())
                .append(" cases with a decision under both versions.</p><table class=\"list\"><tr><th>outcome key</th>")
                .append("<th class=\"num\">changed</th><th class=\"num\">share</th><th style=\"width: 45%\"></th></tr>");
        r.changed().forEach((key, n) -> h.append("<tr data-changed-key=\"").append(esc(key)).append("\" data-count=\"").append(n)
                .append("\"><td><code>").append(esc(key)).append("</code></td><td class=\"num\">").append(n).append("</td><td class=\"num\">")
                .append(pct(n, r.evaluated())).append("</td><td><div class=\"bar\" style=\"width: ")
                .append(String.format(Locale.ROOT, "%.1f", 100.0 * n / max)).append("%\"></div></td></tr>"));
        h.append("</table></section>\n");
    }

    private static void rulesetChanges(StringBuilder h, ImpactReport r) {
        h.append("<section id=\"ruleset\"><h2>What differs between the versions</h2>");
        if (r.pointChanges().isEmpty() && r.cutPointChanges().isEmpty()) {
            h.append("<p class=\"note\">No point or cut point differs (the difference, if any, is in the rules).</p>");
        }
        if (!r.cutPointChanges().isEmpty()) {
            h.append("<h3>Cut points</h3><table class=\"list\"><tr><th>index</th><th>").append(esc(r.from())).append("</th><th>")
                    .append(esc(r.to())).append("</th></tr>");
            for (ImpactReport.CutPointChange c : r.cutPointChanges()) {
                h.append("<tr><td><code>").append(esc(c.index())).append("</code></td><td>").append(esc(String.valueOf(c.from())))
                        .append("</td><td>").append(esc(String.valueOf(c.to()))).append("</td></tr>");
            }
            h.append("</table>");
        }
        if (!r.pointChanges().isEmpty()) {
            h.append("<h3>Points</h3><table class=\"list\"><tr><th>item</th><th>option</th><th>").append(esc(r.from()))
                    .append("</th><th>").append(esc(r.to())).append("</th></tr>");
            for (ImpactReport.PointChange p : r.pointChanges()) {
                h.append("<tr><td><code>").append(esc(p.item())).append("</code></td><td>").append(esc(p.option())).append("</td><td>")
                        .append(esc(points(p.from()))).append("</td><td>").append(esc(points(p.to()))).append("</td></tr>");
            }
            h.append("</table>");
        }
        h.append("</section>\n");
    }

    private static void cases(StringBuilder h, ImpactReport r) {
        h.append("<section id=\"cases\" data-cases=\"").append(r.casesChanged()).append("\"><h2>Changed cases (")
                .append(r.casesChanged()).append(")</h2>");
        if (r.cases().isEmpty()) {
            h.append("<p class=\"note\">No decision changed.</p></section>\n");
            return;
        }
        h.append("<p class=\"note\">Each case whose decision changed: the outcome keys that changed, and the answered items whose ")
                .append("points differ between the versions.</p><details").append(r.cases().size() <= 200 ? " open" : "")
                .append("><summary>show ").append(r.cases().size()).append(" cases</summary><table class=\"list\"><tr>")
                .append("<th class=\"num\">line</th><th>case</th><th>changed</th><th>items whose points differ</th></tr>");
        String fin = r.finalLevelKey();
        List<String> levels = fin == null ? List.of() : new ArrayList<>(r.matrix().get(fin).keySet());
        for (ImpactReport.ChangedCase c : r.cases()) {
            h.append("<tr data-line=\"").append(c.line()).append("\"><td class=\"num\">").append(c.line()).append("</td><td class=\"nowrap\">")
                    .append(esc(c.caseId() == null ? "" : c.caseId())).append("</td><td>");
            String changes = c.changes().entrySet().stream().map(e -> {
                String cls = "";
                if (e.getKey().equals(fin)) {
                    int d = Integer.compare(levels.indexOf(String.valueOf(e.getValue().to())), levels.indexOf(String.valueOf(e.getValue().from())));
                    cls = d > 0 ? " up" : d < 0 ? " down" : "";
                }
                return "<span class=\"chg" + cls + "\"><code>" + esc(e.getKey()) + "</code> " + esc(String.valueOf(e.getValue().from()))
                        + " \u2192 " + esc(String.valueOf(e.getValue().to())) + "</span>";
            }).collect(Collectors.joining(", "));
            h.append(changes).append("</td><td>");
            h.append(c.items().isEmpty() ? "<span class=\"note\">none (cut points)</span>" : c.items().stream()
                    .map(i -> "<code>" + esc(i.item()) + "=" + esc(String.valueOf(i.answer())) + "</code> " + esc(points(i.from()))
                            + " \u2192 " + esc(points(i.to())))
                    .collect(Collectors.joining("; ")));
            h.append("</td></tr>");
        }
        h.append("</table></details></section>\n");
    }

    private static void failures(StringBuilder h, ImpactReport r) {
        if (r.failures().isEmpty()) {
            return;
        }
        h.append("<section id=\"failures\"><h2>Requests without a decision (").append(r.failures().size())
                .append(")</h2><table class=\"list\"><tr><th class=\"num\">line</th><th>case</th><th>version</th><th>why</th></tr>");
        for (ImpactReport.FailedCase f : r.failures()) {
            h.append("<tr><td class=\"num\">").append(f.line()).append("</td><td>").append(esc(f.caseId() == null ? "" : f.caseId()))
                    .append("</td><td>").append(esc(f.version() == null ? "" : f.version())).append("</td><td>").append(esc(f.message()))
                    .append("</td></tr>");
        }
        h.append("</table></section>\n");
    }

    /** {@code neglect 2, abuse 1}, or {@code not offered}. */
    static String points(Map<String, Integer> p) {
        if (p == null) {
            return "not offered";
        }
        return p.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String pct(int n, int of) {
        return of == 0 ? "0%" : String.format(Locale.ROOT, "%.1f%%", 100.0 * n / of);
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    /** Escapes text for HTML content and double-quoted attributes. */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
