package org.opensdm.server;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.opensdm.engine.SdmEngine;
import org.opensdm.server.internal.HttpService;

/**
 * The engine behind HTTP, for case systems on any platform, and the analyst workbench at {@code /}.
 *
 * <pre>{@code
 * SdmEngine engine = SdmEngine.builder().classpathRulesets().build().compileAll();
 * try (SdmServer server = SdmServer.builder(engine).port(8080).build().start()) {
 *     // POST http://127.0.0.1:8080/evaluate ...
 * }
 * }</pre>
 *
 * <p>Routes: {@code GET /rulesets}, {@code GET /rulesets/{id}/{version}} (the form definition),
 * {@code GET /rulesets/{id}/{version}/schema} (the request JSON Schema), {@code POST /evaluate}
 * (the decision, byte for byte what {@code sdm evaluate --compact} prints), {@code POST /evaluate/batch}
 * (JSON Lines in and out, streamed), {@code POST /whatif} (what {@code sdm whatif --compact}
 * prints), {@code GET /decisions?caseId=} and {@code POST /replay} (with a {@link DecisionStore}),
 * {@code GET /health}, {@code GET /metrics} (Prometheus text), {@code GET /openapi.json} (OpenAPI
 * 3.1), and the workbench ({@code GET /}, {@code GET /assets/{name}}). Every error is an RFC 9457
 * {@code application/problem+json} document whose {@code problems} list is what {@code sdm} reports.
 *
 * <p>Safe by default: it listens on 127.0.0.1 and, so bound, answers only requests addressed to a
 * loopback name (a web page cannot reach it through a name it makes resolve here); bound to any other
 * address it needs a {@link BearerToken}, which it then asks of every request but the workbench's
 * files, {@code /health} and {@code /openapi.json}. Requests are limited in size (the engine's
 * request size limit; {@link Builder#maxBatchBytes} for a batch), in number at once
 * ({@link Builder#maxConcurrent}) and in time ({@link Builder#timeLimit}); CORS is off unless
 * {@linkplain Builder#corsOrigins origins are given}.
 */
public final class SdmServer implements AutoCloseable {
    /** The address listened on unless told otherwise: this machine only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The requests evaluated at once unless told otherwise: twice the processors (at least 2). */
    public static final int DEFAULT_MAX_CONCURRENT = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());

    /** The port listened on unless told otherwise. */
    public static final int DEFAULT_PORT = 8080;

    private final HttpService service;
    private final String host;
    private volatile boolean started;

    private SdmServer(HttpService service, String host) {
        this.service = service;
        this.host = host;
    }

    /** A server for {@code engine} (build it with {@code compileAll()} so that a broken ruleset stops the start). */
    public static Builder builder(SdmEngine engine) {
        return new Builder(Objects.requireNonNull(engine));
    }

    /**
     * Starts listening.
     *
     * @throws ServerConfigException the address cannot be listened on (in use, not this machine's)
     */
    public SdmServer start() {
        service.start();
        started = true;
        return this;
    }

    /** The port listened on (the one chosen when port 0 was asked for). */
    public int port() {
        return service.port();
    }

    /** The address listened on. */
    public String host() {
        return host;
    }

    /** The service's base address, {@code http://HOST:PORT/}. */
    public URI uri() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + h + ":" + port() + "/");
    }

    /** Every route served, as {@code METHOD PATH} ({@code GET /rulesets/{id}/{version}}), in a fixed order. */
    public List<String> routes() {
        return service.routes();
    }

    /** Stops listening (requests under way are ended); the decision store is the caller's to close. */
    @Override
    public void close() {
        if (started) {
            service.stop();
            started = false;
        }
    }

    /** The server's settings; {@link #build} checks them together. */
    public static final class Builder {
        private final SdmEngine engine;
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private BearerToken token;
        private DecisionStore store;
        private int maxConcurrent = DEFAULT_MAX_CONCURRENT;
        private Duration queueWait = Duration.ofSeconds(1);
        private Duration timeLimit = Duration.ofSeconds(10);
        private long maxBatchBytes = 64L << 20;
        private final List<String> corsOrigins = new ArrayList<>();

        private Builder(SdmEngine engine) {
            this.engine = engine;
        }

        /** The address to listen on (default 127.0.0.1); any other than a loopback address needs a {@link #bearerToken}. */
        public Builder host(String h) {
            this.host = Objects.requireNonNull(h);
            return this;
        }

        /** The port (default 8080; 0: any free port, see {@link SdmServer#port()}). */
        public Builder port(int p) {
            this.port = p;
            return this;
        }

        /** The token every request but the workbench's files, /health and /openapi.json must carry (null: none). */
        public Builder bearerToken(BearerToken t) {
            this.token = t;
            return this;
        }

        /** Where decisions are recorded and read back (null: none; then /decisions and /replay answer 404). */
        public Builder decisionStore(DecisionStore s) {
            this.store = s;
            return this;
        }

        /**
         * At most this many requests are evaluated at once (default {@link #DEFAULT_MAX_CONCURRENT}, twice the
         * processors: more at once only contend for them, and each evaluation then costs more processor time).
         */
        public Builder maxConcurrent(int n) {
            this.maxConcurrent = n;
            return this;
        }

        /** How long a request waits for a free slot before it is answered 503 too-busy (default 1 s; zero: not at all). */
        public Builder queueWait(Duration d) {
            this.queueWait = Objects.requireNonNull(d);
            return this;
        }

        /**
         * The time a request may take (default 10 s), from its arrival: waiting for a slot, then each step of
         * a batch, a what-if, a replay or a case's decisions; no step starts after it.
         */
        public Builder timeLimit(Duration d) {
            this.timeLimit = Objects.requireNonNull(d);
            return this;
        }

        /** The largest batch body read (default 64 MiB); each line also within the engine's request size limit. */
        public Builder maxBatchBytes(long bytes) {
            this.maxBatchBytes = bytes;
            return this;
        }

        /** Origins (e.g. {@code https://case.example.org}) whose pages may call the service (CORS); none by default. */
        public Builder corsOrigins(List<String> origins) {
            this.corsOrigins.clear();
            this.corsOrigins.addAll(origins);
            return this;
        }

        /**
         * The server, not yet listening.
         *
         * @throws ServerConfigException bound beyond this machine without a token, or a setting out of range
         */
        public SdmServer build() {
            if (port < 0 || port > 65535) {
                throw new ServerConfigException("the port must be from 0 to 65535, not " + port);
            }
            if (maxConcurrent < 1) {
                throw new ServerConfigException("the concurrency limit must be at least 1, not " + maxConcurrent);
            }
            if (queueWait.isNegative()) {
                throw new ServerConfigException("the queue wait cannot be negative");
            }
            if (timeLimit.isNegative() || timeLimit.isZero()) {
                throw new ServerConfigException("the time limit must be positive");
            }
            if (maxBatchBytes < 1) {
                throw new ServerConfigException("the batch size limit must be positive, not " + maxBatchBytes);
            }
            for (String origin : corsOrigins) {
                if (!origin.matches("https?://[^/\\s*]+")) {
                    throw new ServerConfigException("the CORS origin " + origin + " is not an origin: give scheme, host and "
                            + "port if not the default, e.g. https://case.example.org (no path, no wildcard)");
                }
            }
            if (token == null && !HttpService.isLoopback(host)) {
                throw new ServerConfigException("listening on " + host + " would open the service to other machines: give "
                        + "a bearer token (sdm serve --token-env VAR or --token-file FILE), or listen on 127.0.0.1");
            }
            HttpService service = new HttpService(engine, store, new HttpService.Settings(host, port, token, maxConcurrent,
                    queueWait, timeLimit, maxBatchBytes, corsOrigins));
            return new SdmServer(service, host);
        }
    }
}
