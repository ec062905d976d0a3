package org.opensdm.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.opensdm.engine.Decision;
import org.opensdm.engine.InvalidRequestException;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.SdmException;

/**
 * How a case system uses the library: build the engine once at start-up (compiling every shipped
 * ruleset), then evaluate assessments from many request threads at once, and show the worker
 * the final level, the recommendation and why (the trail).
 *
 * <p>Run: {@code mvn -B -q -DskipTests package -Pdemo} (evaluates {@code examples/requests/*.json}).
 */
public final class CaseSystemExample {
    private CaseSystemExample() {
    }

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args.length > 0 ? args[0] : "examples/requests");
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }

        // 1. Once per application: the engine is immutable and thread-safe.
        SdmEngine engine = SdmEngine.builder().classpathRulesets().build().compileAll();

        // 2. Per request, from any thread: JSON in (as a case system receives it), decision out.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<String>> results = new ArrayList<>();
        for (Path file : files) {
            byte[] json = Files.readAllBytes(file);
            results.add(pool.submit(() -> render(file.getFileName().toString(), engine, json)));
        }
        PrintStream out = System.out;
        out.println("Evaluated " + files.size() + " requests from " + folder + " on 4 threads.\n");
        for (Future<String> r : results) {
            out.println(r.get());
        }
        pool.shutdown();
    }

    static String render(String name, SdmEngine engine, byte[] json) throws IOException {
        StringBuilder sb = new StringBuilder("== ").append(name).append('\n');
        Decision d;
        try {
            d = engine.evaluateJson(json);
        } catch (InvalidRequestException e) {
            sb.append("   INVALID REQUEST, no decision:\n");
            e.problems().forEach(p -> sb.append("     ").append(p).append('\n'));
            return sb.toString();
        } catch (SdmException e) {
            return sb.append("   ERROR: ").append(e.getMessage()).append('\n').toString();
        }
        sb.append("   case ").append(d.caseId()).append(", assessed ").append(d.assessedOn())
                .append(", ruleset ").append(d.ruleset().id()).append(' ').append(d.ruleset().version())
                .append(" (").append(d.ruleset().status()).append(", sha256 ").append(d.ruleset().sha256(), 0, 12)
                .append(")\n");
        sb.append("   outcome: ").append(d.outcome().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "))).append('\n');
        for (Decision.OverrideResult o : d.overrides()) {
            sb.append("   override ").append(o.type()).append(o.code() == null ? "" : " " + o.code())
                    .append(o.value() == null ? "" : " " + o.value()).append(o.applied() ? " APPLIED" : " not applied")
                    .append(": ").append(o.reason()).append('\n');
        }
        sb.append("   trail:\n");
        for (Decision.TrailEntry t : d.trail()) {
            sb.append("     - ").append(t.rule());
            if (t.item() != null) {
                sb.append("  [").append(t.item()).append(t.child() == null ? "" : "/" + t.child()).append(" = ")
                        .append(t.answer()).append(']');
            }
            sb.append("  -> ").append(effect(t.effect())).append('\n');
        }
        return sb.toString();
    }

    private static String effect(Map<String, Object> effect) {
        return effect.isEmpty() ? "(no change)" : effect.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
