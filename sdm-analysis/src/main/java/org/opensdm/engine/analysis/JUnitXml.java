package org.opensdm.engine.analysis;

import java.io.Writer;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.opensdm.engine.Decision;
import org.opensdm.engine.RulesetProblem;

/**
 * Writes scenario results as a JUnit XML report, the format CI servers read: one
 * {@code <testsuite>} per ruleset version, one {@code <testcase>} per scenario (class name
 * {@code <ruleset>.<scenario file>}), a {@code <failure>} with every mismatch and the decision's
 * trail for a failed scenario, and an {@code <error>} test case for a version that does not load,
 * or whose rules have a defect or whose scenario files do not parse.
 */
public final class JUnitXml {
    private JUnitXml() {
    }

    public static void write(List<ScenarioSuite> suites, Writer out) {
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites");
            x.writeAttribute("name", "sdm test");
            x.writeAttribute("tests", String.valueOf(suites.stream().mapToInt(JUnitXml::tests).sum()));
            x.writeAttribute("failures", String.valueOf(suites.stream().mapToInt(ScenarioSuite::failed).sum()));
            x.writeAttribute("errors", String.valueOf(suites.stream().mapToInt(s -> s.problems().isEmpty() ? 0 : 1).sum()));
            x.writeAttribute("time", seconds(suites.stream().mapToLong(JUnitXml::nanos).sum()));
            for (ScenarioSuite suite : suites) {
                x.writeCharacters("\n  ");
                x.writeStartElement("testsuite");
                x.writeAttribute("name", suite.ruleset());
                x.writeAttribute("tests", String.valueOf(tests(suite)));
                x.writeAttribute("failures", String.valueOf(suite.failed()));
                x.writeAttribute("errors", suite.problems().isEmpty() ? "0" : "1");
                x.writeAttribute("skipped", "0");
                x.writeAttribute("time", seconds(nanos(suite)));
                for (ScenarioSuite.Run run : suite.runs()) {
                    Scenario s = run.result().scenario();
                    x.writeCharacters("\n    ");
                    x.writeStartElement("testcase");
                    x.writeAttribute("classname", suite.ruleset() + "." + fileName(s.file()));
                    x.writeAttribute("name", s.name());
                    x.writeAttribute("time", seconds(run.nanos()));
                    if (!run.passed()) {
                        x.writeStartElement("failure");
                        x.writeAttribute("message", String.join("; ", run.result().mismatches()));
                        x.writeAttribute("type", "ScenarioMismatch");
                        x.writeCharacters(details(run.result()));
                        x.writeEndElement();
                    }
                    x.writeEndElement();
                }
                if (!suite.problems().isEmpty()) {
                    x.writeCharacters("\n    ");
                    x.writeStartElement("testcase");
                    x.writeAttribute("classname", suite.ruleset());
                    x.writeAttribute("name", suite.loaded() ? "rule checks and scenario files" : "ruleset loads");
                    x.writeAttribute("time", "0.000");
                    x.writeStartElement("error");
                    x.writeAttribute("message", suite.loaded() ? suite.problems().size() + " problem(s) in the rules or the scenario files"
                            : "the ruleset fails to load");
                    x.writeAttribute("type", suite.loaded() ? "RulesetCheckError" : "RulesetLoadError");
                    StringBuilder sb = new StringBuilder();
                    for (RulesetProblem p : suite.problems()) {
                        sb.append(p).append('\n');
                    }
                    x.writeCharacters(sb.toString());
                    x.writeEndElement();
                    x.writeEndElement();
                }
                x.writeCharacters("\n  ");
                x.writeEndElement();
            }
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.flush();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the JUnit XML report: " + e.getMessage(), e);
        }
    }

    /** The mismatches, then the decision's trail (one entry per line), for people. */
    public static String details(ScenarioRunner.Result r) {
        StringBuilder sb = new StringBuilder();
        r.mismatches().forEach(m -> sb.append(m).append('\n'));
        Decision d = r.decision();
        if (d != null) {
            sb.append("trail:\n");
            for (Decision.TrailEntry e : d.trail()) {
                sb.append("  ").append(trailLine(e)).append('\n');
            }
        }
        return sb.toString();
    }

    /** One trail entry on one line: {@code rule "name" [item=answer] effect}. */
    public static String trailLine(Decision.TrailEntry e) {
        StringBuilder sb = new StringBuilder("rule \"").append(e.rule()).append('"');
        if (e.item() != null) {
            sb.append(" [").append(e.item());
            if (e.child() != null) {
                sb.append(" of ").append(e.child());
            }
            sb.append('=').append(e.answer()).append(']');
        }
        if (!e.effect().isEmpty()) {
            sb.append(' ').append(e.effect());
        }
        return sb.toString();
    }

    private static int tests(ScenarioSuite s) {
        return s.runs().size() + (s.problems().isEmpty() ? 0 : 1);
    }

    private static long nanos(ScenarioSuite s) {
        return s.runs().stream().mapToLong(ScenarioSuite.Run::nanos).sum();
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
    }

    private static String fileName(String file) {
        String name = file.substring(file.lastIndexOf('/') + 1);
        return name.endsWith(".yaml") ? name.substring(0, name.length() - 5) : name.endsWith(".yml") ? name.substring(0, name.length() - 4) : name;
    }
}
