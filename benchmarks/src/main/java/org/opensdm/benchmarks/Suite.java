package org.opensdm.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
 * {@code ratios: engine/raw-drools=X.XX engine/hand-written=Y.YY cli-evaluate/cli-rulesets=Z.ZZ http/in-process=W.WW}
 * (single-thread family risk 2.0 evaluate, time per evaluation of the engine over that of each
 * baseline; the wall time of {@code sdm evaluate FILE} over that of {@code sdm rulesets},
 * medians of runs in new JVMs; and the service through HTTP at 64 connections,
 * {@link HttpBenchmark}, against the same work in-process on every processor).
 *
 * <p>{@code --quick}: one fork per benchmark, 2 warm-up (4 for two threads, 7 for replay)
 * and 2 measurement iterations of 1 s, the essential rows only (family risk; about 70 s). Default (full): 2 forks, 3 warm-up and 5 measurement
 * iterations of 2 s, every row. JMH's own output goes to {@code target/bench-results/jmh-NN-*.log}.
 */
public final class Suite {
    private final boolean quick;
    private final boolean storeOnly;
    private final Path out;
    private final Map<String, double[]> results = new TreeMap<>();
    private HttpBenchmark.Result http;
    private int runs;

    private Suite(boolean quick, boolean storeOnly, Path out) {
        this.quick = quick;
        this.storeOnly = storeOnly;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        boolean storeOnly = List.of(args).contains("--store");
        boolean quick = List.of(args).contains("--quick") || storeOnly;
        // relative to the working directory: run.sh runs this in benchmarks/
        Path out = Files.createDirectories(Path.of("target", "bench-results"));
        try (var old = Files.newDirectoryStream(out, "jmh*.log")) {
            for (Path f : old) {
                Files.delete(f);
            }
        }
        new Suite(quick, storeOnly, out).run();
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        if (storeOnly) {
            store();
            table(null, (System.nanoTime() - started) / 1e9);
            return;
        }
        String rr = "ref.family-risk@2.0";
        String ru = "ref.reunification@1.0";
        // single-thread evaluate: the engine and its baselines
        // quick: family risk only (the ratios line); full: both rulesets, every variant
        jmh("EvaluateBenchmark\\.(engine|engineDrl|rawDrools)$", 1, quick ? new String[] {rr} : new String[] {rr, ru});
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
        firstEvaluations();
        cli();
        if (!quick) { // no target; bound by the disk's flush latency
            jmh("DecisionLogBenchmark", 1);
            jmh("DecisionLogBenchmark", 2);
        }
        replay();
        if (!quick) { // one shot of about 20-60 s, plus writing its 3 GB of input the first time
            collect(new Runner(options("StudyBenchmark").forks(1).warmupIterations(0).measurementIterations(1).build()).run());
        }
        if (!quick) {
            store();
        }
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

    private void firstEvaluations() throws RunnerException {
        // one fork per sample: each a fresh JVM and a fresh engine
        collect(new Runner(options("FirstEvaluationsBenchmark").forks(quick ? 2 : 5).warmupIterations(0)
                .measurementIterations(1).build()).run());
    }

    /**
     * The {@code sdm} command's wall time, a new JVM each run: {@code sdm evaluate} of
     * {@code examples/requests/02-family-risk-2.0-policy-override.json} and {@code sdm rulesets},
     * one unmeasured run of each, then 5 (full: 9) of each in turn; the median of each.
     */
    private void cli() throws IOException, InterruptedException {
        Path jar = Path.of("..", "sdm-cli", "target", "sdm.jar");
        Path request = Path.of("..", "examples", "requests", "02-family-risk-2.0-policy-override.json");
        if (!Files.isRegularFile(jar) || !Files.isRegularFile(request)) {
            System.out.println("  no " + jar + " or " + request + " (run from benchmarks/ after building sdm-cli): no sdm command rows");
            return;
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> evaluate = List.of(java, "-jar", jar.toString(), "evaluate", request.toString());
        List<String> rulesets = List.of(java, "-jar", jar.toString(), "rulesets");
        wall(evaluate);
        wall(rulesets);
        int n = quick ? 5 : 9;
        double[] e = new double[n];
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            e[i] = wall(evaluate);
            r[i] = wall(rulesets);
        }
        Arrays.sort(e);
        Arrays.sort(r);
        results.put("Cli.evaluate t=1", new double[] {e[n / 2], 0});
        results.put("Cli.rulesets t=1", new double[] {r[n / 2], 0});
        System.out.printf(Locale.ROOT, "  measured sdm evaluate %s ms, sdm rulesets %s ms%n", Arrays.toString(e),
                Arrays.toString(r));
    }

    /** Milliseconds from starting the command to its end; it must exit 0. */
    private static double wall(List<String> command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue());
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private void replay() throws RunnerException {
        ChainedOptionsBuilder o = options("ReplayBenchmark").param("threads", quick ? new String[] {"2"} : new String[] {"1", "2"});
        // two replay threads and a reader on two processors: the JIT takes about 7 s to settle
        o.warmupIterations(quick ? 7 : 5);
        collect(new Runner(o.build()).run());
    }

    /**
     * The PostgreSQL store beside the log file: durable appends on 1 and 8 threads, verify of 20,000
     * records, replay on 2 threads (each store benchmark starts its own server in its fork).
     */
    private void store() throws RunnerException {
        for (int t : new int[] {1, 8}) {
            jmh("DecisionLogBenchmark", t);
            jmh("StoreBenchmark", t);
        }
        collect(new Runner(options("VerifyBenchmark").warmupIterations(3).build()).run());
        ChainedOptionsBuilder o = options("ReplayBenchmark").param("threads", "2").param("source", "log", "store");
        o.warmupIterations(quick ? 7 : 5);
        collect(new Runner(o.build()).run());
    }

    private void collect(Collection<RunResult> runs) {
        for (RunResult r : runs) {
            var p = r.getParams();
            String name = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.', p.getBenchmark().lastIndexOf('.') - 1) + 1);
            String key = name + (p.getParam("ruleset") != null ? " " + p.getParam("ruleset") : "")
                    + (p.getParam("threads") != null ? " replay-threads=" + p.getParam("threads") : "")
                    + (p.getParam("rules") != null ? " rules=" + p.getParam("rules") : "")
                    + (p.getParam("source") != null ? " source=" + p.getParam("source") : "")
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
            case "EvaluateBenchmark.engineDrl" -> new String[] {"engine evaluate, DRL compiled at run time, " + ruleset, threads, "/s"};
            case "EvaluateBenchmark.engineJson" -> new String[] {"engine JSON in -> JSON out, " + ruleset, threads, "/s"};
            case "EvaluateBenchmark.rawDrools" -> new String[] {"bare Drools, pooled stateless session, " + ruleset, threads, "/s"};
            case "EvaluateBenchmark.rawDroolsUnpooled" -> new String[] {"bare Drools, new stateless session, " + ruleset, threads, "/s"};
            case "HandWrittenBenchmark.handWritten" -> new String[] {"hand-written Java scorer, family risk 2.0", threads, "/s"};
            case "ColdStartBenchmark.buildWithAllRulesets" -> new String[] {"cold start: build engine + compileAll (8 versions), compiled at build time", "-", "ms"};
            case "ColdStartBenchmark.buildWithAllRulesetsCompiledAtRunTime" -> new String[] {"cold start: build engine + compileAll (8 versions), DRL compiled at run time", "-", "ms"};
            case "ColdStartBenchmark.firstDecision" -> new String[] {"fresh JVM to first decision (family risk 2.0), compiled at build time", "-", "ms"};
            case "ColdStartBenchmark.firstDecisionCompiledAtRunTime" -> new String[] {"fresh JVM to first decision (family risk 2.0), DRL compiled at run time", "-", "ms"};
            case "FirstEvaluationsBenchmark.firstEvaluations" -> new String[] {"first 10,000 evaluations of a fresh engine (family risk 2.0), "
                    + ("compiled".equals(p[1].substring(p[1].indexOf('=') + 1)) ? "compiled at build time" : "DRL compiled at run time"), "1", "ms"};
            case "Cli.evaluate" -> new String[] {"sdm evaluate FILE (family risk 2.0), wall, median", "-", "ms"};
            case "Cli.rulesets" -> new String[] {"sdm rulesets, wall, median", "-", "ms"};
            case "DecisionLogBenchmark.appendDurable" -> new String[] {"decision log append, forced to disk per record", threads, "records/s"};
            case "StudyBenchmark.study" -> new String[] {"sdm study: 1,000,000 decisions with outcomes", "1", "s"};
            case "ReplayBenchmark.replayAll" -> new String[] {"replay (FR 2.0 + RU 1.0 records), " + p[1].substring(p[1].indexOf('=') + 1)
                    + " replay thread(s)" + (key.contains("source=store") ? ", from the PostgreSQL store" : ""),
                p[1].substring(p[1].indexOf('=') + 1), "records/s"};
            case "StoreBenchmark.appendDurable" -> new String[] {"PostgreSQL store append, committed per record (synchronous_commit on)",
                threads, "records/s"};
            case "VerifyBenchmark.verify" -> new String[] {"verify 20,000 records, " + (key.contains("source=store")
                    ? "PostgreSQL store (server-side cursor, columns checked)" : "log file"), "1", "records/s"};
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
        List<String> order = List.of("EvaluateBenchmark.engine ", "EvaluateBenchmark.engineDrl ", "EvaluateBenchmark.rawDrools ", "EvaluateBenchmark.rawDroolsUnpooled",
                "HandWrittenBenchmark", "EvaluateBenchmark.engineJson", "ColdStart", "FirstEvaluations", "Cli", "DecisionLog", "StoreBenchmark",
                "VerifyBenchmark", "Replay");
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
        if (heap != null) {
            rows.add(new String[] {"retained heap per cached version, family risk 2.0", "-", mb(heap[0]), verdict(heap[0] <= 5e6, "<= 5 MB")});
            rows.add(new String[] {"retained heap per cached version, reunification 1.0", "-", mb(heap[1]), verdict(heap[1] <= 5e6, "<= 5 MB")});
            rows.add(new String[] {"retained heap per cached version, all 8 (mean)", "-", mb(heap[2]), verdict(heap[2] <= 5e6, "<= 5 MB")});
        }
        double replayStore = score("ReplayBenchmark.replayAll replay-threads=2 source=store t=1");
        double replayLog = score("ReplayBenchmark.replayAll replay-threads=2 source=log t=1");
        if (!Double.isNaN(replayStore)) {
            double r = replayStore / replayLog;
            rows.add(new String[] {"ratio replay from the store / from the log file, 2 replay threads", "2", ratio(r), verdict(r >= 0.8, ">= 0.8")});
        }
        if (storeOnly) {
            printTable(rows, seconds);
            return;
        }

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
        double drl = score("EvaluateBenchmark.engineDrl " + fr + " t=1") / engineFr;
        if (!Double.isNaN(drl)) {
            rows.add(new String[] {"ratio engine compiled at build time / DRL compiled at run time, family risk 2.0", "1", ratio(drl),
                    verdict(drl <= 1.0, "<= 1.00")});
        }
        double cli = score("Cli.evaluate t=1") / score("Cli.rulesets t=1");
        if (!Double.isNaN(cli)) {
            rows.add(new String[] {"ratio sdm evaluate / sdm rulesets (wall)", "-", ratio(cli), verdict(cli <= 1.3, "<= 1.3")});
        }
        double first = score("FirstEvaluationsBenchmark.firstEvaluations rules=runtime t=1")
                / score("FirstEvaluationsBenchmark.firstEvaluations rules=compiled t=1");
        if (!Double.isNaN(first)) {
            rows.add(new String[] {"ratio first 10,000 evaluations, DRL at run time / compiled at build time", "1", ratio(first), ""});
        }
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

        printTable(rows, seconds);
        System.out.println();
        System.out.printf(Locale.ROOT, "ratios: engine/raw-drools=%.2f engine/hand-written=%.2f cli-evaluate/cli-rulesets=%.2f http/in-process=%.2f%n",
                rawFr, hand, cli, httpRatio);
    }

    private void printTable(List<String[]> rows, double seconds) {
        int w0 = rows.stream().mapToInt(r -> r[0].length()).max().orElse(10);
        int w2 = rows.stream().mapToInt(r -> r[2].length()).max().orElse(10);
        String machine = Runtime.getRuntime().availableProcessors() + " cpus, " + cpuModel() + ", "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        System.out.println();
        System.out.printf("SDM engine benchmarks, %s mode (%s), %.0f s%n", storeOnly ? "store" : quick ? "quick" : "full",
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
        if (key.startsWith("ColdStartBenchmark.buildWithAllRulesets ")) {
            return verdict(v <= 600, "<= 600 ms");
        }
        if (key.startsWith("ColdStartBenchmark.buildWithAllRulesetsCompiledAtRunTime")) {
            return verdict(v <= 3_000, "<= 3,000 ms");
        }
        if (key.startsWith("StudyBenchmark")) {
            return verdict(v <= 60, "<= 60 s");
        }
        if (key.startsWith("StoreBenchmark") && key.endsWith(" t=8")) {
            return verdict(v >= 2_000, ">= 2,000/s");
        }
        if (key.startsWith("VerifyBenchmark") && key.contains("source=store")) {
            return verdict(v >= 50_000, ">= 50,000/s");
        }
        if (key.startsWith("ReplayBenchmark") && key.contains("replay-threads=2") && !key.contains("source=store")) {
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
