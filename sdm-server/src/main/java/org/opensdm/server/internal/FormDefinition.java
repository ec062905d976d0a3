package org.opensdm.server.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opensdm.engine.analysis.WhatIf;
import org.opensdm.engine.rules.CutPoints;
import org.opensdm.engine.ruleset.RulesetManifest;
import org.opensdm.engine.ruleset.RulesetManifest.ItemDef;
import org.opensdm.engine.ruleset.RulesetManifest.OptionDef;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * A ruleset version as a form ({@code GET /rulesets/{id}/{version}}): what a case system or the
 * workbench needs to ask its questions and show its answers, from the manifest. Items in
 * manifest order with their options' texts and points; sections (steps that may not be reached)
 * with the items each holds; indices with their cut points; overrides with their codes or values;
 * input facts with their defaults; outcome keys; and the decision key a what-if lists changes of.
 */
final class FormDefinition {
    private FormDefinition() {
    }

    static Map<String, Object> of(RulesetVersion v) {
        RulesetManifest m = v.manifest();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", m.id());
        o.put("version", m.version());
        o.put("title", m.title());
        o.put("effectiveFrom", m.effectiveFrom().toString());
        o.put("status", m.status().wireName());
        o.put("sha256", v.sha256());
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("notice", m.provenance().notice());
        provenance.put("sources", m.provenance().sources().stream().map(s -> map("id", s.id(), "citation", s.citation())).toList());
        o.put("provenance", provenance);
        o.put("decisionKey", WhatIf.decisionKey(m));
        List<Object> sections = new ArrayList<>();
        for (RulesetManifest.SectionDef s : m.sections()) {
            Map<String, Object> sm = map("id", s.id(), "text", s.text());
            List<String> items = new ArrayList<>();
            m.items().stream().filter(i -> s.id().equals(i.section())).forEach(i -> items.add(i.id()));
            m.childItems().stream().filter(i -> s.id().equals(i.section())).forEach(i -> items.add(i.id()));
            sm.put("items", items);
            sections.add(sm);
        }
        o.put("sections", sections);
        List<Object> indices = new ArrayList<>();
        for (RulesetManifest.IndexDef index : m.indices()) {
            Map<String, Object> im = map("id", index.id(), "text", index.text());
            List<Object> bands = new ArrayList<>();
            for (CutPoints.Band b : index.cutPoints()) {
                Map<String, Object> bm = new LinkedHashMap<>();
                bm.put("level", b.level().name());
                bm.put("min", b.min());
                bm.put("max", b.max());
                bands.add(bm);
            }
            im.put("cutPoints", bands);
            indices.add(im);
        }
        o.put("indices", indices);
        o.put("items", m.items().stream().map(FormDefinition::item).toList());
        o.put("childItems", m.childItems().stream().map(FormDefinition::item).toList());
        List<Object> overrides = new ArrayList<>();
        for (RulesetManifest.OverrideDef d : m.overrides()) {
            Map<String, Object> om = map("type", d.type(), "text", d.text());
            om.put("codes", d.codes().stream().map(c -> map("code", c.code(), "text", c.text())).toList());
            om.put("values", d.values());
            overrides.add(om);
        }
        o.put("overrides", overrides);
        List<Object> facts = new ArrayList<>();
        for (RulesetManifest.FactDef f : m.facts()) {
            Map<String, Object> fm = map("id", f.id(), "text", f.text());
            fm.put("default", f.defaultValue());
            facts.add(fm);
        }
        o.put("facts", facts);
        List<Object> outcomes = new ArrayList<>();
        for (RulesetManifest.OutcomeDef d : m.outcomes()) {
            Map<String, Object> dm = map("key", d.key(), "text", d.text());
            dm.put("nullable", d.nullable());
            outcomes.add(dm);
        }
        o.put("outcomes", outcomes);
        return o;
    }

    private static Map<String, Object> item(ItemDef i) {
        Map<String, Object> m = map("id", i.id(), "text", i.text());
        m.put("kind", i.kind().wireName());
        m.put("required", i.required());
        m.put("section", i.section());
        m.put("scores", i.scores());
        List<Object> options = new ArrayList<>();
        for (OptionDef opt : i.options()) {
            Map<String, Object> om = map("key", opt.key(), "text", opt.text());
            om.put("points", opt.points());
            options.add(om);
        }
        m.put("options", options);
        m.put("maxPoints", i.maxPoints());
        return m;
    }

    private static Map<String, Object> map(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
