package org.opensdm.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --rulesets DIR} option, mixed into every verb that reads rulesets. A version found
 * in the folder replaces the shipped one with the same id and version, for this run only.
 */
public final class RulesetSource {
    @Option(names = "--rulesets", paramLabel = "DIR",
            description = "Also load rulesets from DIR, laid out as DIR/<id>/<version>/ruleset.yaml "
                    + "(+ its DRL); a version there replaces the shipped one with the same id and version. Its files must "
                    + "be regular files inside DIR (manifest and DRL at most 1 MiB, scenario files 4 MiB).")
    Path dir;

    /** The folder, or null when not given. */
    public Path dir() {
        return dir;
    }
}
