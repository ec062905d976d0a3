package org.opensdm.engine.ruleset;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.opensdm.engine.RulesetLoadException;
import org.opensdm.engine.RulesetProblem;
import org.opensdm.engine.ruleset.RulesetManifest.IncludeDef;
import org.opensdm.engine.ruleset.RulesetManifest.ItemDef;
import org.opensdm.engine.ruleset.RulesetManifest.SectionDef;

/**
 * Resolves a manifest's {@code include}: the included version's items and sections, and the
 * named DRL files of it, become part of the including version. The included files enter the
 * including version's files (and so its content hash) under {@code include/<id>/<version>/},
 * with the included manifest, so that a change to the shared logic changes every hash it
 * reaches. Includes do not nest.
 */
final class Includes {
    static final String PREFIX = "include/";

    private Includes() {
    }

    static RulesetVersion resolve(RulesetVersion v, BiFunction<String, String, RulesetVersion> lookup) {
        RulesetManifest m = v.manifest();
        if (m.includes().isEmpty()) {
            return v;
        }
        String where = v.location(RulesetFiles.MANIFEST);
        List<RulesetProblem> problems = new ArrayList<>();
        List<ItemDef> items = new ArrayList<>(m.items());
        List<SectionDef> sections = new ArrayList<>(m.sections());
        List<String> rules = new ArrayList<>(m.rules());
        Map<String, String> files = new TreeMap<>(v.files());
        Set<String> ids = new HashSet<>();
        items.forEach(i -> ids.add(i.id()));
        m.childItems().forEach(i -> ids.add(i.id()));
        for (IncludeDef inc : m.includes()) {
            RulesetVersion target = lookup.apply(inc.ruleset(), inc.version());
            if (target == null) {
                problems.add(new RulesetProblem(where, 0, 0, "include: " + inc.key() + " is not available"));
                continue;
            }
            if (!target.manifest().includes().isEmpty()) {
                problems.add(new RulesetProblem(where, 0, 0, "include: " + inc.key() + " itself includes others; includes do not nest"));
                continue;
            }
            String dir = PREFIX + inc.ruleset() + "/" + inc.version() + "/";
            files.put(dir + RulesetFiles.MANIFEST, target.files().get(RulesetFiles.MANIFEST));
            for (String file : inc.rules()) {
                String content = target.files().get(file);
                if (content == null) {
                    problems.add(new RulesetProblem(where, 0, 0, "include: " + inc.key() + " has no rule file " + file
                            + " (it has: " + String.join(", ", target.manifest().rules()) + ")"));
                    continue;
                }
                files.put(dir + file, content);
                rules.add(dir + file);
            }
            for (SectionDef s : target.manifest().sections()) {
                if (sections.stream().noneMatch(x -> x.id().equals(s.id()))) {
                    sections.add(s);
                }
            }
            for (ItemDef item : target.manifest().items()) {
                if (!ids.add(item.id())) {
                    problems.add(new RulesetProblem(where, 0, 0, "include: item " + item.id() + " of " + inc.key()
                            + " is already an item of " + m.key()));
                } else {
                    items.add(item);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new RulesetLoadException(problems);
        }
        RulesetManifest merged = new RulesetManifest(m.id(), m.version(), m.title(), m.effectiveFrom(), m.status(),
                m.provenance(), List.copyOf(rules), m.includes(), List.copyOf(sections), m.indices(), List.copyOf(items),
                m.childItems(), m.overrides(), m.facts(), m.outcomes());
        return new RulesetVersion(merged, files, v.scenariosAsHeld(), ContentHash.of(files), v.origin(), v.compiled());
    }
}
