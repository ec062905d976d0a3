package org.opensdm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import org.opensdm.engine.analysis.RulesetDocs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sdm docs [-o DIR] [--schemas DIR]}: the ruleset reference (one Markdown page per
 * version and an index) and the request JSON Schema of every version, generated from the
 * manifests ({@link RulesetDocs}).
 */
@Command(name = "docs", mixinStandardHelpOptions = true, versionProvider = SdmCli.Version.class,
        description = {"Generate the ruleset reference from the manifests: DIR/<id>-<version>.md for every ruleset version "
                + "(items, options and points, cut points, overrides, facts, outcome keys, sections, includes, provenance, "
                + "content sha256) and DIR/README.md as the index; and the JSON Schema (draft 2020-12) of each version's "
                + "requests, SCHEMAS/<id>-<version>.request.schema.json.",
            "The same rulesets always give byte-identical files. Files are written over; a file of a version no longer "
                + "known is left in place."})
final class DocsCommand extends RulesetVerb implements Callable<Integer> {
    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "docs/rulesets",
            description = "Folder of the reference pages (default: ${DEFAULT-VALUE}); created if absent.")
    Path output;

    @Option(names = "--schemas", paramLabel = "DIR",
            description = "Folder of the request schemas (default: the folder 'schemas' beside DIR, so docs/schemas).")
    Path schemas;

    @Override
    public Integer call() {
        Path pages = output.toAbsolutePath().normalize();
        Path schemaDir = (schemas != null ? schemas.toAbsolutePath() : pages.resolveSibling("schemas")).normalize();
        String link = pages.relativize(schemaDir).toString().replace('\\', '/');
        RulesetDocs docs = new RulesetDocs(engine().registry());
        SortedMap<String, String> pageFiles = docs.referencePages(link.isEmpty() ? "." : link);
        SortedMap<String, String> schemaFiles = docs.schemas();
        int changed = write(pages, pageFiles) + write(schemaDir, schemaFiles);
        PrintWriter out = out();
        out.println("sdm docs: " + pageFiles.size() + " reference pages in " + TerminalText.escape(output.toString()) + ", "
                + schemaFiles.size() + " request schemas in "
                + TerminalText.escape((schemas != null ? schemas : output.resolveSibling("schemas")).toString())
                + "; " + changed + " written, " + (pageFiles.size() + schemaFiles.size() - changed) + " unchanged");
        out.flush();
        return ExitCode.OK;
    }

    /** Writes each file whose content differs; returns how many it wrote. */
    private static int write(Path dir, Map<String, String> files) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InputException("cannot create " + TerminalText.escape(dir.toString()) + ": " + e.getMessage());
        }
        int written = 0;
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path file = dir.resolve(f.getKey());
            byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
            try {
                if (Files.isRegularFile(file) && java.util.Arrays.equals(Files.readAllBytes(file), content)) {
                    continue;
                }
            } catch (IOException e) {
                // unreadable: written over below, or the write names the problem
            }
            AnalysisRulesets.write(file, f.getValue());
            written++;
        }
        return written;
    }
}
