package org.opensdm.cli;

import java.io.PrintWriter;
import org.opensdm.engine.SdmEngine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What every verb that reads rulesets shares: the {@code sdm} command it runs under, its own
 * picocli spec (for the out and err writers), and the {@code --rulesets DIR} option.
 */
abstract class RulesetVerb {
    @ParentCommand
    SdmCli parent;

    @Spec
    CommandSpec spec;

    @Mixin
    RulesetSource rulesets;

    /** The engine over the shipped rulesets and, when given, the {@code --rulesets} folder. */
    SdmEngine engine() {
        return parent.engine(rulesets.dir());
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
