package org.opensdm.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.opensdm.engine.ruleset.RulesetVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sdm rulesets}: every known ruleset version, and where it came from. */
@Command(name = "rulesets", mixinStandardHelpOptions = true, versionProvider = SdmCli.Version.class,
        description = "List every ruleset version: id, version, effectiveFrom, status, sha256 (first 12 hex) "
                + "and origin (classpath or the --rulesets folder).")
final class RulesetsCommand implements Runnable {
    static final String[] HEADER = {"id", "version", "effectiveFrom", "status", "sha256", "origin"};

    @ParentCommand
    SdmCli parent;

    @Spec
    CommandSpec spec;

    @Mixin
    RulesetSource rulesets;

    @Override
    public void run() {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (RulesetVersion v : parent.engine(rulesets.dir()).registry().versions()) {
            rows.add(new String[] {v.id(), v.version(), String.valueOf(v.manifest().effectiveFrom()),
                v.manifest().status().wireName(), v.sha256().substring(0, Math.min(12, v.sha256().length())),
                v.origin()});
        }
        print(rows, spec.commandLine().getOut());
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
