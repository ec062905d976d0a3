package org.opensdm.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.opensdm.engine.ruleset.RulesetVersion;
import picocli.CommandLine.Command;

/** {@code sdm rulesets}: every known ruleset version, and where it came from. */
@Command(name = "rulesets", mixinStandardHelpOptions = true, versionProvider = SdmCli.Version.class,
        description = "List every ruleset version: id, version, effectiveFrom, status, sha256 (first 12 hex) "
                + "and origin (classpath or the --rulesets folder).")
final class RulesetsCommand extends RulesetVerb implements Runnable {
    static final String[] HEADER = {"id", "version", "effectiveFrom", "status", "sha256", "origin"};

    @Override
    public void run() {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (RulesetVersion v : engine().registry().versions()) {
            rows.add(new String[] {v.id(), v.version(), String.valueOf(v.manifest().effectiveFrom()),
                v.manifest().status().wireName(), v.sha256().substring(0, Math.min(12, v.sha256().length())),
                TerminalText.escape(v.origin())}); // a folder name may hold anything
        }
        print(rows, out());
    }

    /** Left-aligned columns, two spaces apart, no trailing blanks. */
    static void print(List<String[]> rows, PrintWriter out) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                sb.append(r[i]);
                if (i < r.length - 1) {
                    sb.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            out.println(sb);
        }
        out.flush();
    }
}
