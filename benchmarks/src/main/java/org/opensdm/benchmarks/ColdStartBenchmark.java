package org.opensdm.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.opensdm.engine.SdmEngine;

/**
 * Cold start: in a fresh JVM (one JMH fork per sample, a single shot, no warm-up), build the
 * engine over the shipped rulesets and compile every version ({@code compileAll()}). The time
 * includes loading and initialising Drools, the manifests, the sandbox check and every KieBase.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ColdStartBenchmark {
    @Benchmark
    public SdmEngine buildWithAllRulesets() {
        return SdmEngine.builder().classpathRulesets().build().compileAll();
    }
}
