package org.opensdm.benchmarks;

import java.io.IOException;
import org.opensdm.engine.SdmEngine;
import org.opensdm.server.SdmServer;

/**
 * The service as {@code sdm serve} runs it (the shipped rulesets, every version compiled first,
 * 127.0.0.1, the default limits), on a free port, in a JVM of its own: {@link HttpBenchmark}
 * starts it and drives it from another process. Prints {@code port N} once it listens; stops when
 * its standard input closes (so it never outlives the benchmark).
 */
public final class HttpServerMain {
    private HttpServerMain() {
    }

    public static void main(String[] args) throws IOException {
        SdmEngine engine = SdmEngine.builder().classpathRulesets().build().compileAll();
        try (SdmServer server = SdmServer.builder(engine).port(0).build().start()) {
            System.out.println("port " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the benchmark closes the pipe
            }
        }
    }
}
