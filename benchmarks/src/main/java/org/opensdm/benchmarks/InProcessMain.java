package org.opensdm.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.json.SdmJson;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * What {@code POST /evaluate} does, without HTTP, in a JVM like the service's (-Xms512m -Xmx512m):
 * {@code SdmJson.write(engine.evaluateJson(bytes))} and its line end, on as many threads as
 * processors, over the same 1,024 requests; run by {@link HttpBenchmark} just before the service, so
 * that the two throughputs are taken minutes apart on the same machine. Prints
 * {@code in-process OPS_PER_SECOND CPU_MICROS_PER_OP}.
 */
public final class InProcessMain {
    private InProcessMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int warmUp = Integer.parseInt(args[0]);
        int measure = Integer.parseInt(args[1]);
        SdmEngine engine = SdmEngine.builder().classpathRulesets().build().compileAll();
        RulesetVersion v = Workload.version(engine.registry(), Workload.FAMILY_RISK);
        List<byte[]> requests = Workload.json(Workload.requests(v, 1024, 42)).stream()
                .map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        int threads = Runtime.getRuntime().availableProcessors();
        run(engine, requests, threads, warmUp);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        long ops = run(engine, requests, threads, measure);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long cpu = os.getProcessCpuTime() - cpu0;
        System.out.printf(Locale.ROOT, "in-process %.1f %.2f%n", ops / seconds, cpu / 1e3 / ops);
    }

    private static long run(SdmEngine engine, List<byte[]> requests, int threads, int seconds) throws InterruptedException {
        AtomicLong ops = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int start = t * 512;
            ts[t] = new Thread(() -> {
                long n = 0;
                int i = start;
                long sink = 0;
                while (System.nanoTime() < end) {
                    i = (i + 1) & 1023;
                    byte[] body = (SdmJson.write(engine.evaluateJson(requests.get(i))) + "\n").getBytes(StandardCharsets.UTF_8);
                    sink += body.length;
                    n++;
                }
                ops.addAndGet(n + (sink == 42 ? 1 : 0));
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        return ops.get();
    }
}
