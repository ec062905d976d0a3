package org.opensdm.engine.internal.drools;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drools.drl.ast.descr.AccumulateDescr;
import org.drools.drl.ast.descr.AnnotationDescr;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.CollectDescr;
import org.drools.drl.ast.descr.ConditionalElementDescr;
import org.drools.drl.ast.descr.ExprConstraintDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsError;
import org.drools.drl.parser.DroolsParserException;
import org.drools.drl.parser.ParserError;
import org.opensdm.engine.RulesetLoadException;
import org.opensdm.engine.RulesetProblem;
import org.opensdm.engine.ruleset.RuleInfo;
import org.opensdm.engine.ruleset.RuleInfo.OverridePattern;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * Reads the outline of a version's rules from the DRL source with the Drools parser (nothing is
 * compiled or run): each rule's name, line, {@code @item} and the literals its
 * {@code OverrideGiven} patterns compare type, code and value with.
 */
final class RuleOutline {
    /** {@code type == "x"}, {@code code == "x"}, {@code value == "x"} (either way round) in an OverrideGiven constraint. */
    private static final Pattern FIELD_EQUALS = Pattern.compile(
            "\\b(type|code|value)\\s*==\\s*\"((?:[^\"\\\\]|\\\\.)*)\"|\"((?:[^\"\\\\]|\\\\.)*)\"\\s*==\\s*(type|code|value)\\b");
    /** {@code type in ("a", "b")}. */
    private static final Pattern FIELD_IN = Pattern.compile(
            "\\b(type|code|value)\\s+in\\s*\\(([^)]*)\\)");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    private RuleOutline() {
    }

    /**
     * The rules of a version's DRL files (its own and included ones), read with the Drools parser
     * without compiling: name, file, line, {@code @item} and {@code OverrideGiven} patterns.
     *
     * @throws RulesetLoadException a DRL file does not parse (file, line, column of each error)
     */
    static List<RuleInfo> of(RulesetVersion version) {
        List<RuleInfo> rules = new ArrayList<>();
        List<RulesetProblem> problems = new ArrayList<>();
        for (String file : version.manifest().rules()) {
            String text = version.files().get(file);
            if (text == null) {
                continue;
            }
            DrlParser parser = new DrlParser();
            PackageDescr pkg;
            try {
                pkg = parser.parse(null, text);
            } catch (DroolsParserException e) {
                problems.add(new RulesetProblem(version.location(file), 0, 0, "cannot parse: " + e.getMessage()));
                continue;
            }
            if (parser.hasErrors() || pkg == null) {
                int before = problems.size();
                for (DroolsError e : parser.getErrors()) {
                    int line = e instanceof ParserError pe ? pe.getRow() : 0;
                    int column = e instanceof ParserError pe ? pe.getCol() + 1 : 0;
                    problems.add(new RulesetProblem(version.location(file), line, line > 0 ? column : 0,
                            e.getMessage().replaceAll("\\s+", " ").trim()));
                }
                if (problems.size() == before) {
                    problems.add(new RulesetProblem(version.location(file), 0, 0, "cannot parse"));
                }
                continue;
            }
            for (RuleDescr r : pkg.getRules()) {
                AnnotationDescr item = r.getAnnotation("item");
                List<OverridePattern> overrides = new ArrayList<>();
                overridePatterns(r.getLhs(), overrides);
                rules.add(new RuleInfo(r.getName(), file, Math.max(r.getLine(), 0),
                        item == null ? null : String.valueOf(item.getSingleValueStripped()), overrides, source(text, r)));
            }
        }
        if (!problems.isEmpty()) {
            throw new RulesetLoadException(problems);
        }
        return List.copyOf(rules);
    }

    /** The rule's text, from its {@code rule} keyword to its {@code end}, with LF line ends; empty when the parser gives no span. */
    static String source(String drl, RuleDescr r) {
        int from = r.getStartCharacter();
        int to = r.getEndCharacter();
        if (from < 0 || to <= from || to > drl.length() + 1) {
            return "";
        }
        return drl.substring(from, Math.min(to + 1, drl.length())).strip().replace("\r\n", "\n").replace('\r', '\n');
    }

    private static void overridePatterns(BaseDescr d,
                                         List<OverridePattern> out) {
        if (d instanceof PatternDescr p) {
            String type = p.getObjectType();
            if (type != null && (type.equals("OverrideGiven") || type.endsWith(".OverrideGiven"))) {
                Map<String, Set<String>> literals = Map.of("type", new HashSet<>(), "code", new HashSet<>(), "value", new HashSet<>());
                for (BaseDescr c : p.getConstraint().getDescrs()) {
                    String expr = c instanceof ExprConstraintDescr e ? e.getExpression() : c.getText();
                    if (expr == null) {
                        continue;
                    }
                    Matcher m = FIELD_EQUALS.matcher(expr);
                    while (m.find()) {
                        literals.get(m.group(1) != null ? m.group(1) : m.group(4)).add(m.group(1) != null ? m.group(2) : m.group(3));
                    }
                    m = FIELD_IN.matcher(expr);
                    while (m.find()) {
                        Matcher lit = STRING_LITERAL.matcher(m.group(2));
                        while (lit.find()) {
                            literals.get(m.group(1)).add(lit.group(1));
                        }
                    }
                }
                out.add(new OverridePattern(Math.max(p.getLine(), 0), literals.get("type"),
                        literals.get("code"), literals.get("value"), p.getIdentifier() != null));
            }
            if (p.getSource() instanceof CollectDescr c) {
                overridePatterns(c.getInputPattern(), out);
            } else if (p.getSource() instanceof AccumulateDescr a && a.getInput() != null) {
                overridePatterns(a.getInput(), out);
            }
        } else if (d instanceof ConditionalElementDescr ce) {
            for (BaseDescr c : ce.getDescrs()) {
                overridePatterns(c, out);
            }
        }
    }
}
