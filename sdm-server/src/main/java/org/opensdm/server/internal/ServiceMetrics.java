package org.opensdm.server.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.opensdm.engine.Decision;

/**
 * What {@code GET /metrics} shows (Prometheus text, through Micrometer): {@code sdm_evaluations_total}
 * (decisions made, by ruleset and version), {@code sdm_http_requests_seconds} (a latency histogram
 * by method, route and status), {@code sdm_errors_total} (problems answered and failed batch lines,
 * by kind), and the JVM's memory and threads. Meters are looked up once per tag combination.
 */
final class ServiceMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentHashMap<String, Counter> evaluations = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> errors = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

    ServiceMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
    }

    void decided(Decision d) {
        Decision.RulesetInfo r = d.ruleset();
        String key = r.id() + '\u0000' + r.version();
        evaluations.computeIfAbsent(key, k -> Counter.builder("sdm.evaluations")
                .description("Decisions made (POST /evaluate and each line of POST /evaluate/batch)")
                .tag("ruleset", r.id()).tag("version", r.version()).register(registry)).increment();
    }

    void error(String kind) {
        errors.computeIfAbsent(kind, k -> Counter.builder("sdm.errors")
                .description("Problems answered, and failed lines of batches, by kind")
                .tag("kind", k).register(registry)).increment();
    }

    void request(String method, String route, int status, long nanos) {
        String key = method + ' ' + route + ' ' + status;
        timers.computeIfAbsent(key, k -> Timer.builder("sdm.http.requests")
                .description("HTTP requests: time from the request's arrival to its handler's end, by method, route and status")
                .tag("method", method).tag("route", route).tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    String scrape() {
        return registry.scrape();
    }
}
