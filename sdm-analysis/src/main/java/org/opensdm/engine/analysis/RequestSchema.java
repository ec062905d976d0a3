package org.opensdm.engine.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.opensdm.engine.ruleset.RulesetManifest;
import org.opensdm.engine.ruleset.RulesetManifest.ItemDef;
import org.opensdm.engine.ruleset.RulesetManifest.OptionDef;
import org.opensdm.engine.ruleset.RulesetManifest.OverrideDef;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * The JSON Schema (draft 2020-12) of the requests one ruleset version takes, generated from its
 * manifest: the ruleset id and version as constants, {@code assessedOn} a date, {@code answers}
 * with one property per item (choice: an enum of its option keys; multi: an array of distinct
 * option keys; yesno: a boolean; text: a non-blank string), the items outside sections required,
 * no other answer, the override types with their codes or values and a required reason, the
 * input facts as booleans, and {@code children} for per-child items.
 *
 * <p>What a schema cannot say is said in its descriptions: which items are required only once
 * their section is reached (the rules decide that), cross-item checks the rules make, and that
 * an override code or child id may be given only once. A request valid against the schema can
 * still be refused by the engine for those. The schema describes the form to send: the engine
 * also reads {@code null} for an optional field as the field left out, which the schema refuses,
 * and "blank" is the usual whitespace in both (Java's and ECMA-262's differ at the edges).
 */
public final class RequestSchema {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** A value that is not blank (as the engine's {@code String.isBlank} sees it, for the usual blanks). */
    private static final String NOT_BLANK = "\\S";

    private RequestSchema() {
    }

    /**
     * The schema of a version's requests, as the text {@code sdm docs} writes: two-space indents,
     * {@code \n} line ends, a final line end.
     */
    public static String json(RulesetVersion v) {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        try {
            return new ObjectMapper().writer(printer).writeValueAsString(schema(v)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the schema of " + v.key() + ": " + e.getMessage(), e);
        }
    }

    /** The schema of a version's requests, as a tree. */
    static ObjectNode schema(RulesetVersion v) {
        RulesetManifest m = v.manifest();
        ObjectNode s = F.objectNode();
        s.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        s.put("$id", "urn:opensdm:request:" + m.id() + ":" + m.version());
        s.put("title", "Request for " + m.id() + " " + m.version() + ": " + RulesetDocs.text(m.title()));
        s.put("description", description(m));
        s.put("type", "object");

        ObjectNode props = s.putObject("properties");
        ObjectNode ruleset = props.putObject("ruleset");
        ruleset.put("description", "The ruleset id.");
        ruleset.put("const", m.id());
        ObjectNode version = props.putObject("version");
        version.put("description", "The exact version. Left out: the version in force on assessedOn (the latest effectiveFrom "
                + "on or before it); validate such a request against the schema of the version it gets. This version is "
                + "effective from " + m.effectiveFrom() + ".");
        version.put("const", m.version());
        ObjectNode assessedOn = props.putObject("assessedOn");
        assessedOn.put("description", "The assessment date, YYYY-MM-DD; left out: today (the engine's clock).");
        assessedOn.put("type", "string");
        assessedOn.put("format", "date");
        assessedOn.put("pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
        ObjectNode caseId = props.putObject("caseId");
        caseId.put("description", "The caller's case id, echoed in the decision.");
        caseId.put("type", "string");
        caseId.put("pattern", NOT_BLANK);

        List<String> requiredItems = required(m.items());
        props.set("answers", answers(m.items(), "Item id to answer; every item of this version is listed here, no other key "
                + "is taken." + sectionNote(m)));
        props.set("overrides", overrides(m));
        props.set("facts", facts(m));
        props.set("children", children(m));

        ArrayNode required = s.putArray("required");
        required.add("ruleset");
        if (!requiredItems.isEmpty()) {
            required.add("answers");
        }
        if (!m.childItems().isEmpty()) {
            required.add("children");
        }
        s.put("additionalProperties", false);
        return s;
    }

    private static String description(RulesetManifest m) {
        return "A request to evaluate under " + m.id() + " " + m.version() + " (status " + m.status().wireName() + "). "
                + "Generated from the version's ruleset.yaml by `./sdm docs`. Beyond this schema, the engine refuses "
                + "what only the rules can tell: an unanswered item of a section the rules reach, and the cross-item "
                + "checks of the rules, an override code or child id given twice.";
    }

    /** The items required in every request: required ones outside any section. */
    private static List<String> required(List<ItemDef> items) {
        return items.stream().filter(i -> i.required() && i.section() == null).map(ItemDef::id).toList();
    }

    private static String sectionNote(RulesetManifest m) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, List<ItemDef>> e : RulesetDocs.sectionItems(m).entrySet()) {
            List<String> ids = e.getValue().stream().filter(ItemDef::required).map(ItemDef::id).toList();
            if (ids.isEmpty()) {
                continue;
            }
            String text = m.sections().stream().filter(s -> s.id().equals(e.getKey())).map(s -> RulesetDocs.text(s.text()))
                    .findFirst().orElse("").replaceAll("[.]$", "");
            parts.add("section " + e.getKey() + " (" + text + "): " + String.join(", ", ids));
        }
        List<String> optional = m.items().stream().filter(i -> !i.required()).map(ItemDef::id).toList();
        String out = "";
        if (!parts.isEmpty()) {
            out += " Required only when the rules reach their section (a schema cannot express that; answers to a section "
                    + "not reached are ignored): " + String.join("; ", parts) + ".";
        }
        if (!optional.isEmpty()) {
            out += " Optional (the rules may still ask for them, see their text): " + String.join(", ", optional) + ".";
        }
        return out;
    }

    private static ObjectNode answers(List<ItemDef> items, String description) {
        ObjectNode a = F.objectNode();
        a.put("description", description);
        a.put("type", "object");
        ObjectNode props = a.putObject("properties");
        for (ItemDef item : items) {
            props.set(item.id(), item(item));
        }
        List<String> required = required(items);
        if (!required.isEmpty()) {
            ArrayNode r = a.putArray("required");
            required.forEach(r::add);
        }
        a.put("additionalProperties", false);
        return a;
    }

    private static ObjectNode item(ItemDef item) {
        ObjectNode p = F.objectNode();
        String options = item.options().stream().map(o -> o.key() + " = " + RulesetDocs.text(o.text()))
                .collect(Collectors.joining("; "));
        p.put("description", RulesetDocs.text(item.text()) + " (" + item.kind().wireName()
                + (item.section() == null ? "" : ", section " + item.section()) + ")"
                + (options.isEmpty() ? "" : ". Options: " + options));
        switch (item.kind()) {
            case CHOICE -> keys(p.putArray("enum"), item);
            case MULTI -> {
                p.put("type", "array");
                keys(p.putObject("items").putArray("enum"), item);
                p.put("uniqueItems", true);
            }
            case YESNO -> p.put("type", "boolean");
            case TEXT -> {
                p.put("type", "string");
                p.put("pattern", NOT_BLANK);
            }
            default -> throw new IllegalStateException("unhandled kind " + item.kind());
        }
        return p;
    }

    private static void keys(ArrayNode into, ItemDef item) {
        item.options().stream().map(OptionDef::key).forEach(into::add);
    }

    private static ObjectNode overrides(RulesetManifest m) {
        ObjectNode o = F.objectNode();
        o.put("type", "array");
        if (m.overrides().isEmpty()) {
            o.put("description", "This version takes no overrides: leave overrides out, or empty.");
            o.put("maxItems", 0);
            return o;
        }
        o.put("description", "Overrides the worker gives, each with a written reason. Each policy code may be given once, "
                + "and at most one override of each other type (not expressed here).");
        ArrayNode oneOf = o.putObject("items").putArray("oneOf");
        for (OverrideDef def : m.overrides()) {
            ObjectNode t = oneOf.addObject();
            t.put("description", def.type() + " override" + (def.text() == null ? "" : ": " + RulesetDocs.text(def.text())));
            t.put("type", "object");
            ObjectNode props = t.putObject("properties");
            props.putObject("type").put("const", def.type());
            ArrayNode required = F.arrayNode().add("type");
            if (!def.codes().isEmpty()) {
                ObjectNode code = props.putObject("code");
                code.put("description", def.codes().stream().map(c -> c.code() + " = " + RulesetDocs.text(c.text()))
                        .collect(Collectors.joining("; ")));
                ArrayNode e = code.putArray("enum");
                def.codes().forEach(c -> e.add(c.code()));
                required.add("code");
            }
            if (!def.values().isEmpty()) {
                ArrayNode e = props.putObject("value").putArray("enum");
                def.values().forEach(e::add);
                required.add("value");
            }
            ObjectNode reason = props.putObject("reason");
            reason.put("description", "Why the worker overrides: required, not blank.");
            reason.put("type", "string");
            reason.put("pattern", NOT_BLANK);
            required.add("reason");
            t.set("required", required);
            t.put("additionalProperties", false);
        }
        return o;
    }

    private static ObjectNode facts(RulesetManifest m) {
        ObjectNode f = F.objectNode();
        f.put("description", m.facts().isEmpty() ? "This version takes no facts: leave facts out, or empty."
                : "Input facts; a fact left out takes its default.");
        f.put("type", "object");
        ObjectNode props = f.putObject("properties");
        for (RulesetManifest.FactDef fact : m.facts()) {
            ObjectNode p = props.putObject(fact.id());
            p.put("description", RulesetDocs.text(fact.text()));
            p.put("type", "boolean");
            p.put("default", fact.defaultValue());
        }
        f.put("additionalProperties", false);
        return f;
    }

    private static ObjectNode children(RulesetManifest m) {
        ObjectNode c = F.objectNode();
        c.put("type", "array");
        if (m.childItems().isEmpty()) {
            c.put("description", "This version rates no children: leave children out, or empty.");
            c.put("maxItems", 0);
            return c;
        }
        c.put("description", "One entry per child, at least one; each child id once (not expressed here).");
        c.put("minItems", 1);
        ObjectNode child = c.putObject("items");
        child.put("type", "object");
        ObjectNode props = child.putObject("properties");
        ObjectNode id = props.putObject("id");
        id.put("description", "The child's id, distinct within the request.");
        id.put("type", "string");
        id.put("pattern", NOT_BLANK);
        props.set("answers", answers(m.childItems(), "Child item id to answer, for this child."));
        ArrayNode required = child.putArray("required");
        required.add("id");
        if (!required(m.childItems()).isEmpty()) {
            required.add("answers");
        }
        child.put("additionalProperties", false);
        return c;
    }
}
