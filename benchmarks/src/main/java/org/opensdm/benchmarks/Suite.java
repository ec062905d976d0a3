package org.opensdm.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark of the issue and prints one table with the targets, then the line
 * {@code ratios: engine/raw-drools=X.XX engine/hand-written=Y.YY http/in-process=Z.ZZ} (single-thread family risk
 * 2.0 evaluate, time per evaluation of the engine over that of each baseline; and the service through
 * HTTP at 64 connections, {@link HttpBenchmark}, against the same work in-process on every processor).
 *
 * <p>{@code --quick}: one fork per benchmark, 2 warm-up (4 for two threads, 7 for replay)
 * and 2 measurement iterations of 1 s, the essential rows only (family risk; about 70 s). Default (full): 2 forks, 3 warm-up and 5 measurement
 * iterations of 2 s, every row. JMH's own output goes to {@code target/bench-results/jmh-NN-*.log}.
 */
public final class Suite {
    private final boolean quick;
    private final Path out;
    private final Map<String, double[]> results = new TreeMap<>();
    private HttpBenchmark.Result http;
    private int runs;

    private Suite(boolean quick, Path out) {
        this.quick = quick;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        // relative to the working directory: run.sh runs this in benchmarks/
        Path out = Files.createDirectories(Path.of("target", "bench-results"));
        try (var old = Files.newDirectoryStream(out, "jmh*.log")) {
            for (Path f : old) {
                Files.delete(f);
            }
        }
        new Suite(quick, out).run();
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        String rr = "ref.family-risk@2.0";
        String ru = "ref.reunification@1.0";
        // single-thread evaluate: the engine and its baselines
        // quick: family risk only (the ratios line); full: both rulesets, every variant
        jmh("EvaluateBenchmark\\.(engine|rawDrools)$", 1, quick ? new String[] {rr} : new String[] {rr, ru});
        jmh("HandWrittenBenchmark", 1);
        jmh("EvaluateBenchmark\\.engineJson$", 1, quick ? new String[] {rr} : new String[] {rr, ru});
        if (!quick) {
            jmh("EvaluateBenchmark\\.rawDroolsUnpooled$", 1, rr, ru);
        }
        // two threads
        jmh("EvaluateBenchmark\\.engine$", 2, quick ? new String[] {rr} : new String[] {rr, ru});
        if (!quick) {
            jmh("EvaluateBenchmark\\.rawDrools$", 2, rr, ru);
            jmh("HandWrittenBenchmark", 2);
        }
        coldStart();
        if (!quick) { // no target; bound by the disk's flush latency
            jmh("DecisionLogBenchmark", 1);
            jmh("DecisionLogBenchmark", 2);
        }
        replay();
        double[] heap = memory();
        http = HttpBenchmark.run(quick, out);
        table(heap, (System.nanoTime() - started) / 1e9);
    }

    private ChainedOptionsBuilder options(String include) {
        // one log per JMH run (a run truncates its output file): jmh-01-EvaluateBenchmark.log ...
        String log = String.format(Locale.ROOT, "jmh-%02d-%s.log", ++runs, include.replaceAll("[^A-Za-z]+", "-").replaceAll("-+$", ""));
        ChainedOptionsBuilder o = new OptionsBuilder().include(include)
                .output(out.resolve(log).toString())
                .shouldFailOnError(true)
                .jvmArgsAppend("-Xms1g", "-Xmx1g");
        if (quick) {
            o.forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(1)).measurementIterations(2)
                    .measurementTime(TimeValue.seconds(1));
        } else {
            o.forks(2).warmupIterations(3).warmupTime(TimeValue.seconds(2)).measurementIterations(5)
                    .measurementTime(TimeValue.seconds(2));
        }
        return o;
    }

    private void jmh(String include, int threads, String... rulesets) throws RunnerException {
        ChainedOptionsBuilder o = options(include).threads(threads);
        if (threads > 1) {
            // two threads on two processors leave the JIT less room: it takes longer to settle
            o.warmupIterations(4);
        }
        if (rulesets.length > 0) {
            o.param("ruleset", rulesets);
        }
        collect(new Runner(o.build()).run());
    }

    private void coldStart() throws RunnerException {
        // one fork per sample: each is a fresh JVM, one shot
        collect(new Runner(options("ColdStartBenchmark").forks(quick ? 2 : 10).warmupIterations(0)
                .measurementIterations(1).build()).run());
    }

    private void replay() throws RunnerException {
        ChainedOptionsBuilder o = options("ReplayBenchmark").param("threads", quick ? new String[] {"2"} : new String[] {"1", "2"});
        // two replay threads and a reader on two processors: the JIT takes about 7 s to settle
        o.warmupIterations(quick ? 7 : 5);
        collect(new Runner(o.build()).run());
    }

    private void collect(Collection<RunResult> runs) {
        for (RunResult r : runs) {
            var p = r.getParams();
            String name = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.', p.getBenchmark().lastIndexOf('.') - 1) + 1);
            String key = name + (p.getParam("ruleset") != null ? " " + p.getParam("ruleset") : "")
                    + (p.getParam("threads") != null ? " replay-threads=" + p.getParam("threads") : "")
                    + " t=" + p.getThreads();
            double score = r.getPrimaryResult().getScore();
            double error = r.getPrimaryResult().getScoreError();
            results.put(key, new double[] {score, Double.isNaN(error) ? 0 : error});
            System.out.printf(Locale.ROOT, "  measured %-70s %,14.1f %s%n", key, score, r.getPrimaryResult().getScoreUnit());
        }
    }

    /** Runs {@link MemoryProbe} in a JVM of its own; returns bytes per version {family risk, reunification, all}. */
    private double[] memory() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                MemoryProbe.class.getName(), quick ? "4" : "10").redirectErrorStream(true).start();
        double[] heap = new double[3];
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 3 && f[0].equals("heap")) {
                    int i = f[1].equals(Workload.FAMILY_RISK) ? 0 : f[1].equals(Workload.REUNIFICATION) ? 1 : 2;
                    heap[i] = Double.parseDouble(f[2]);
                    System.out.println("  measured " + line.trim());
                } else {
                    System.out.println("  memory probe: " + line);
                }
            }
        }
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("the memory probe failed");
        }
        return heap;
    }

    private double score(String key) {
        double[] r = results.get(key);
        return r == null ? Double.NaN : r[0];
    }

    /** What a JMH result key measured, in words; its thread count; its unit. */
    private static String[] describe(String key) {
        String[] p = key.split(" ");
        String what = p[0];
        String ruleset = p.length > 2 && p[1].startsWith("ref.") ? name(p[1]) : "";
        String threads = p[p.length - 1].substring(2);
        return switch (what) {
            case "EvaluateBenchmark.engine" -> new String[] {"engine evaluate (object in, decision out), " + ruleset, threads, "/s"};
            case "EvaluateBenchmark.engineJson" -> new String[] {"engine JSON in -> JSON out, " + ruleset, threads, "/s"};
            case "EvaluateBenchmark.rawDrools" -> new String[] {"bare Drools, pooled stateless session, " + ruleset, threads, "/s"};
            case "EvaluateBenchmark.rawDroolsUnpooled" -> new String[] {"bare Drools, new stateless session, " + ruleset, threads, "/s"};
            case "HandWrittenBenchmark.handWritten" -> new String[] {"hand-written Java scorer, family risk 2.0", threads, "/s"};
            case "ColdStartBenchmark.buildWithAllRulesets" -> new String[] {"cold start: build engine + compileAll (8 versions)", "-", "ms"};
            case "DecisionLogBenchmark.appendDurable" -> new String[] {"decision log append, forced to disk per record", threads, "records/s"};
            case "ReplayBenchmark.replayAll" -> new String[] {"replay (FR 2.0 + RU 1.0 records), " + p[1].substring(p[1].indexOf('=') + 1)
                    + " replay thread(s)", p[1].substring(p[1].indexOf('=') + 1), "records/s"};
            default -> new String[] {key, threads, ""};
        };
    }

    private static String name(String key) {
        return key.equals(Workload.FAMILY_RISK) ? "family risk 2.0" : key.equals(Workload.REUNIFICATION) ? "reunification 1.0" : key;
    }

    private void table(double[] heap, double seconds) {
        String fr = Workload.FAMILY_RISK;
        String ru = Workload.REUNIFICATION;
        List<String[]> rows = new ArrayList<>();
        List<String> order = List.of("EvaluateBenchmark.engine ", "EvaluateBenchmark.rawDrools ", "EvaluateBenchmark.rawDroolsUnpooled",
                "HandWrittenBenchmark", "EvaluateBenchmark.engineJson", "ColdStart", "DecisionLog", "Replay");
        List<String> keys = new ArrayList<>(results.keySet());
        keys.sort(java.util.Comparator.comparingInt((String k) -> {
            for (int i = 0; i < order.size(); i++) {
                if (k.startsWith(order.get(i))) {
                    return i;
                }
            }
            return order.size();
        }).thenComparing(k -> k));
        for (String key : keys) {
            double[] v = results.get(key);
            String[] d = describe(key);
            String result = fmt(v[0]) + " " + d[2] + (v[1] > 0 ? " ± " + fmt(v[1]) : "");
            rows.add(new String[] {d[0], d[1], result, target(key, v[0])});
        }
        rows.add(new String[] {"retained heap per cached version, family risk 2.0", "-", mb(heap[0]), verdict(heap[0] <= 5e6, "<= 5 MB")});
        rows.add(new String[] {"retained heap per cached version, reunification 1.0", "-", mb(heap[1]), verdict(heap[1] <= 5e6, "<= 5 MB")});
        rows.add(new String[] {"retained heap per cached version, all 8 (mean)", "-", mb(heap[2]), verdict(heap[2] <= 5e6, "<= 5 MB")});

        double engineFr = score("EvaluateBenchmark.engine " + fr + " t=1");
        double engineRu = score("EvaluateBenchmark.engine " + ru + " t=1");
        double rawFr = score("EvaluateBenchmark.rawDrools " + fr + " t=1") / engineFr;
        double rawRu = score("EvaluateBenchmark.rawDrools " + ru + " t=1") / engineRu;
        double hand = score("HandWrittenBenchmark.handWritten t=1") / engineFr;
        double jsonFr = engineFr / score("EvaluateBenchmark.engineJson " + fr + " t=1");
        double jsonRu = engineRu / score("EvaluateBenchmark.engineJson " + ru + " t=1");
        rows.add(new String[] {"ratio engine / bare Drools, family risk 2.0", "1", ratio(rawFr), verdict(rawFr <= 1.5, "<= 1.5")});
        if (!Double.isNaN(rawRu)) {
            rows.add(new String[] {"ratio engine / bare Drools, reunification 1.0", "1", ratio(rawRu), verdict(rawRu <= 1.5, "<= 1.5")});
        }
        rows.add(new String[] {"ratio engine / hand-written, family risk 2.0", "1", ratio(hand), "(the physical limit)"});
        rows.add(new String[] {"ratio JSON path / object path, family risk 2.0", "1", ratio(jsonFr), verdict(jsonFr <= 1.3, "<= 1.3")});
        if (!Double.isNaN(jsonRu)) {
            rows.add(new String[] {"ratio JSON path / object path, reunification 1.0", "1", ratio(jsonRu), verdict(jsonRu <= 1.3, "<= 1.3")});
        }

        HttpBenchmark.Result h = http;
        String perSecond = "/s";
        rows.add(new String[] {"HTTP POST /evaluate, family risk 2.0, wrk in another process, " + HttpBenchmark.CONNECTIONS
                + " keep-alive connections", "64", fmt(h.perSecond()) + " " + perSecond, verdict(h.perSecond() >= 10_000, ">= 10,000/s")});
        rows.add(new String[] {"HTTP latency p50 / p90 / p99 (max)", "64", String.format(Locale.ROOT, "%.1f / %.1f / %.1f ms (%.0f)",
                h.p50Ms(), h.p90Ms(), h.p99Ms(), h.maxMs()), verdict(h.p99Ms() <= 20, "p99 <= 20 ms")});
        rows.add(new String[] {"HTTP errors: non-2xx, socket, time-outs (of " + String.format(Locale.ROOT, "%,d", h.requests())
                + " requests; " + h.verified() + " answers checked byte for byte first)", "64",
                h.non2xx() + ", " + h.socketErrors() + ", " + h.timeouts(), verdict(h.errors() == 0, "0")});
        double growth = (double) h.rssEndKb() / h.rssStartKb() - 1;
        rows.add(new String[] {"service resident memory after warm-up -> end (max), over " + String.format(Locale.ROOT, "%,d", h.requests())
                + " requests", "-", String.format(Locale.ROOT, "%.0f -> %.0f MB (%.0f), %+.1f %%", h.rssStartKb() / 1024.0,
                h.rssEndKb() / 1024.0, h.rssMaxKb() / 1024.0, 100 * growth),
                verdict(growth <= 0.10 && h.requests() >= HttpBenchmark.TARGET_REQUESTS, "flat (<= +10 %) over >= 1,000,000")});
        int cpus = Runtime.getRuntime().availableProcessors();
        rows.add(new String[] {"the same work in-process (evaluateJson + write), just before, in a JVM like the service's", String.valueOf(cpus),
                fmt(h.inProcessPerSecond()) + " /s", ""});
        rows.add(new String[] {"processor time per evaluation: service (user + system) / in-process", "-",
                String.format(Locale.ROOT, "%.0f / %.0f us", h.cpuMicrosPerRequest(), h.inProcessCpuMicros()), ""});
        rows.add(new String[] {"load average (1 min) before / after the HTTP run", "-",
                String.format(Locale.ROOT, "%.1f / %.1f", h.loadBefore(), h.loadAfter()), "(" + cpus + " processors; other work shows here)"});
        double httpRatio = h.inProcessPerSecond() / h.perSecond();
        rows.add(new String[] {"ratio HTTP / in-process, family risk 2.0", "-", ratio(httpRatio), "(time per evaluation)"});

        int w0 = rows.stream().mapToInt(r -> r[0].length()).max().orElse(10);
        int w2 = rows.stream().mapToInt(r -> r[2].length()).max().orElse(10);
        String machine = Runtime.getRuntime().availableProcessors() + " cpus, " + cpuModel() + ", "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        System.out.println();
        System.out.printf("SDM engine benchmarks, %s mode (%s), %.0f s%n", quick ? "quick" : "full",
                quick ? "1 fork, warm-up 2 x 1 s (4 for 2 threads, 7 for replay), measurement 2 x 1 s" : "2 forks, warm-up 3 x 2 s (4 for 2 threads, 5 for replay), measurement 5 x 2 s", seconds);
        System.out.println("machine: " + machine);
        System.out.println("ratios are of time per evaluation (throughput of the baseline / throughput of the engine)");
        System.out.println();
        String format = "%-" + w0 + "s  %7s  %" + w2 + "s  %s%n";
        System.out.printf(format, "benchmark", "threads", "result", "target");
        System.out.println("-".repeat(w0 + w2 + 36));
        for (String[] r : rows) {
            System.out.printf(format, r[0], r[1], r[2], r[3]);
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "ratios: engine/raw-drools=%.2f engine/hand-written=%.2f http/in-process=%.2f%n", rawFr, hand,
                httpRatio);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static String target(String key, double v) {
        if (key.equals("EvaluateBenchmark.engine " + Workload.FAMILY_RISK + " t=1")) {
            return verdict(v >= 40_000, ">= 40,000/s");
        }
        if (key.equals("EvaluateBenchmark.engine " + Workload.FAMILY_RISK + " t=2")) {
            return verdict(v >= 70_000, ">= 70,000/s");
        }
        if (key.startsWith("ColdStartBenchmark")) {
            return verdict(v <= 3_000, "<= 3,000 ms");
        }
        if (key.startsWith("ReplayBenchmark") && key.contains("replay-threads=2")) {
            return verdict(v >= 20_000, ">= 20,000/s");
        }
        return "";
    }

    private static String verdict(boolean met, String target) {
        return target + (met ? "  met" : "  MISSED");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%,.0f" : "%,.2f", v);
    }

    private static String mb(double bytes) {
        return String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2f", r);
    }
}
