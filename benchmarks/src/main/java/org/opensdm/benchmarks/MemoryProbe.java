package org.opensdm.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.ruleset.RulesetRegistry;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * Retained heap per cached ruleset version, measured in a JVM of its own (run by {@link Suite}
 * with the serial collector, so that "used after a full GC" is exact).
 *
 * <p>Method: one shared registry (manifests and DRL text are loaded once, whatever is compiled).
 * First an engine compiles every shipped version and evaluates on two threads, so that Drools'
 * classes, static caches and the JIT are in place; that is the baseline. Then, for one version,
 * {@code copies} more engines are built on the same registry, each compiles that version (its own
 * KieBase, class loader and generated classes) and evaluates its requests on two threads (so any
 * per-version session pool holds what two threads need); all are kept reachable. Heap used after
 * a full GC, minus the baseline, divided by {@code copies}, is what one more cached version
 * retains. Prints {@code heap <version> <bytes> metaspace <bytes>} lines.
 */
public final class MemoryProbe {
    private MemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        int copies = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        RulesetRegistry registry = RulesetRegistry.builder().addClasspath().build();
        SdmEngine warm = SdmEngine.builder().registry(registry).build().compileAll();
        for (String key : List.of(Workload.FAMILY_RISK, Workload.REUNIFICATION)) {
            exercise(warm, Workload.requests(Workload.version(registry, key), 2_000, 7));
        }
        List<Object> keep = new ArrayList<>();
        for (String key : List.of(Workload.FAMILY_RISK, Workload.REUNIFICATION)) {
            RulesetVersion v = Workload.version(registry, key);
            List<EvaluationRequest> requests = Workload.requests(v, 200, 7);
            long heap0 = usedHeapAfterGc();
            long meta0 = usedNonHeap("Metaspace");
            List<SdmEngine> engines = new ArrayList<>();
            for (int i = 0; i < copies; i++) {
                SdmEngine e = SdmEngine.builder().registry(registry).build();
                e.compile(v.id(), v.version());
                exercise(e, requests);
                engines.add(e);
            }
            long heap1 = usedHeapAfterGc();
            long meta1 = usedNonHeap("Metaspace");
            keep.add(engines);
            System.out.printf("heap %s %d metaspace %d%n", key, (heap1 - heap0) / copies, (meta1 - meta0) / copies);
        }
        // every shipped version at once: one more engine with compileAll, per version
        long heap0 = usedHeapAfterGc();
        List<SdmEngine> all = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            all.add(SdmEngine.builder().registry(registry).build().compileAll());
        }
        long heap1 = usedHeapAfterGc();
        keep.add(all);
        System.out.printf("heap all-versions %d metaspace 0 versions %d%n", (heap1 - heap0) / (2L * registry.versions().size()),
                registry.versions().size());
        java.lang.ref.Reference.reachabilityFence(keep);
        java.lang.ref.Reference.reachabilityFence(warm);
    }

    /** Evaluates every request on two threads at once. */
    private static void exercise(SdmEngine engine, List<EvaluationRequest> requests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int from = t;
                fs.add(pool.submit(() -> {
                    for (int i = from; i < requests.size(); i += 2) {
                        engine.evaluate(requests.get(i));
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static long usedNonHeap(String pool) {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.NON_HEAP && p.getName().equals(pool)) {
                return p.getUsage().getUsed();
            }
        }
        return 0;
    }
}
