package org.opensdm.server.internal;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.router.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.opensdm.engine.Decision;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.InvalidRequestException;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.analysis.RequestSchema;
import org.opensdm.engine.analysis.WhatIf;
import org.opensdm.engine.audit.DecisionRecord;
import org.opensdm.engine.audit.Replay;
import org.opensdm.engine.audit.ReplayFilter;
import org.opensdm.engine.audit.ReplayResult;
import org.opensdm.engine.audit.ReplaySummary;
import org.opensdm.engine.json.SdmJson;
import org.opensdm.engine.ruleset.RulesetRegistry;
import org.opensdm.engine.ruleset.RulesetVersion;
import org.opensdm.server.BearerToken;
import org.opensdm.server.DecisionStore;
import org.opensdm.server.JsonLinesBatch;
import org.opensdm.server.Problems;
import org.opensdm.server.ServerConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP service on Javalin (Jetty 12): its routes, its guards (bearer token, host names, CORS,
 * request size, concurrency and time limits) and its error answers. Built and started by
 * {@link org.opensdm.server.SdmServer}; not API.
 */
public final class HttpService {
    private static final Logger LOG = LoggerFactory.getLogger(HttpService.class);
    private static final String JSON = "application/json";
    private static final String NDJSON = "application/x-ndjson";
    private static final Set<String> BATCH_TYPES = Set.of(NDJSON, "application/jsonl", "application/json-lines");
    private static final String START = "sdm.start";

    /** What the service is told to do (checked by {@link org.opensdm.server.SdmServer.Builder}). */
    public record Settings(String host, int port, BearerToken token, int maxConcurrent, Duration queueWait,
                           Duration timeLimit, long maxBatchBytes, List<String> corsOrigins) {
        public Settings {
            corsOrigins = List.copyOf(corsOrigins);
        }
    }

    private final SdmEngine engine;
    private final SdmEngine deciding;
    private final DecisionStore store;
    private final Settings settings;
    private final boolean loopback;
    private final Set<String> hostNames;
    private final ServiceMetrics metrics = new ServiceMetrics();
    private final Semaphore slots;
    private final WhatIf whatIf;
    private final byte[] rulesets;
    private final Map<String, byte[]> forms = new TreeMap<>();
    private final Map<String, byte[]> schemas = new TreeMap<>();
    private final byte[] openApi;
    private final Map<String, Workbench.Asset> assets;
    private final List<String> routes = new ArrayList<>();
    private final Javalin app;

    public HttpService(SdmEngine engine, DecisionStore store, Settings settings) {
        this.engine = Objects.requireNonNull(engine);
        this.store = store;
        this.deciding = store == null ? engine : engine.withDecisionSink(store.sink());
        this.settings = settings;
        this.loopback = isLoopback(settings.host());
        Set<String> names = new java.util.HashSet<>(List.of("localhost", "127.0.0.1", "[::1]", "::1"));
        names.add(settings.host().toLowerCase(Locale.ROOT));
        this.hostNames = Set.copyOf(names);
        // not fair: a thread that frees a slot may take it again at once, which keeps about 1.7 times as many evaluations
        // going on a busy machine as handing it to a parked thread does, for a longer tail (benchmarks/README.md)
        this.slots = new Semaphore(settings.maxConcurrent());
        this.whatIf = new WhatIf(engine);
        RulesetRegistry registry = engine.registry();
        this.rulesets = line(SdmJson.write(rulesetList(registry)));
        for (RulesetVersion v : registry.versions()) {
            forms.put(v.key(), line(SdmJson.write(FormDefinition.of(v))));
            schemas.put(v.key(), RequestSchema.json(v).getBytes(StandardCharsets.UTF_8));
        }
        this.openApi = OpenApi.document();
        this.assets = Workbench.assets();
        this.app = Javalin.create(this::configure);
    }

    /** True when {@code host} names only this machine (a loopback address, or a name all of whose addresses are loopback). */
    public static boolean isLoopback(String host) {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            throw new ServerConfigException("cannot listen on " + host + ": no such host name", e);
        }
    }

    private void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.jetty.host = settings.host();
        config.jetty.port = settings.port();
        config.http.compressionStrategy = CompressionStrategy.NONE;
        config.http.generateEtags = false;
        config.http.prefer405over404 = true;
        config.http.maxRequestSize = engine.maxRequestBytes();
        config.jetty.modifyHttpConfiguration(http -> {
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
        });
        config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
        if (!settings.corsOrigins().isEmpty()) {
            List<String> origins = settings.corsOrigins();
            config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                rule.allowHost(origins.get(0), origins.subList(1, origins.size()).toArray(new String[0]));
                rule.maxAge = 600;
            }));
        }
        config.router.javaLangErrorHandler((res, error) -> {
            LOG.error("error in the service", error);
            HttpProblem p = JettyErrors.problem(500);
            res.setStatus(p.status);
            res.setContentType(HttpProblem.MEDIA_TYPE);
            try {
                res.getOutputStream().write(p.body());
            } catch (IOException e) {
                LOG.debug("cannot write the error answer", e);
            }
        });
        config.routes.before(this::before);
        config.routes.after(this::after);
        config.routes.exception(Exception.class, this::failed);
        config.routes.error(404, ctx -> ensureProblem(ctx, JettyErrors.problem(404)));
        config.routes.error(405, ctx -> ensureProblem(ctx, JettyErrors.problem(405)));

        get(config, "/health", ctx -> json(ctx, line("{\"status\":\"up\"}")));
        get(config, "/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.scrape().getBytes(StandardCharsets.UTF_8)));
        get(config, "/openapi.json", ctx -> json(ctx, openApi));
        get(config, "/rulesets", ctx -> json(ctx, rulesets));
        get(config, "/rulesets/{id}/{version}", ctx -> json(ctx, versionDocument(ctx, forms)));
        get(config, "/rulesets/{id}/{version}/schema", ctx -> ctx.contentType("application/schema+json")
                .result(versionDocument(ctx, schemas)));
        post(config, "/evaluate", this::evaluate);
        post(config, "/evaluate/batch", this::batch);
        post(config, "/whatif", this::whatIf);
        get(config, "/decisions", this::decisions);
        post(config, "/replay", this::replay);
        get(config, "/", ctx -> asset(ctx, "index.html"));
        get(config, "/assets/{name}", ctx -> asset(ctx, ctx.pathParam("name")));
    }

    private void get(JavalinConfig config, String path, Handler h) {
        config.routes.get(path, h);
        routes.add("GET " + path);
    }

    private void post(JavalinConfig config, String path, Handler h) {
        config.routes.post(path, h);
        routes.add("POST " + path);
    }

    /** Listens; throws {@link ServerConfigException} when the address cannot be listened on. */
    public void start() {
        try {
            app.start();
        } catch (RuntimeException e) {
            throw new ServerConfigException("cannot listen on " + settings.host() + ":" + settings.port() + ": "
                    + rootMessage(e), e);
        }
    }

    public int port() {
        return app.port();
    }

    public void stop() {
        app.stop();
    }

    /** Every route, as {@code METHOD PATH}, in the order registered. */
    public List<String> routes() {
        return List.copyOf(routes);
    }

    // ---------------------------------------------------------------- guards

    private void before(Context ctx) {
        ctx.attribute(START, System.nanoTime());
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
        if (loopback && !hostAllowed(ctx.header("Host"))) {
            throw HttpProblem.of(403, "host-not-allowed", "Host not allowed", "$", "this service listens on " + settings.host()
                    + " and answers only requests addressed to localhost, 127.0.0.1 or [::1] (a page elsewhere cannot reach it "
                    + "through a name that resolves here)");
        }
        if (settings.token() != null && !isPublic(ctx.path()) && !"OPTIONS".equals(ctx.method().name())) {
            String given = ctx.header("Authorization");
            if (!settings.token().matches(given)) {
                throw HttpProblem.of(401, "unauthorized", "Unauthorized", "$", given == null
                        ? "this service needs a bearer token: send Authorization: Bearer <token>"
                        : "the bearer token is not this service's token")
                        .withHeader("WWW-Authenticate", given == null ? "Bearer realm=\"sdm\""
                                : "Bearer realm=\"sdm\", error=\"invalid_token\"");
            }
        }
    }

    private static boolean isPublic(String path) {
        return path.equals("/") || path.equals("/health") || path.equals("/openapi.json") || path.startsWith("/assets/");
    }

    private boolean hostAllowed(String host) {
        if (host == null) {
            return true; // HTTP/1.0: no browser sends a request without one
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            h = end < 0 ? h : h.substring(0, end + 1);
        } else if (h.indexOf(':') == h.lastIndexOf(':') && h.indexOf(':') >= 0) {
            h = h.substring(0, h.indexOf(':'));
        }
        return hostNames.contains(h) || h.startsWith("127.") && h.matches("127(\\.\\d{1,3}){3}");
    }

    private void after(Context ctx) {
        Long start = ctx.attribute(START);
        if (start == null) {
            return;
        }
        Endpoint e = ctx.endpoints().matchedHttpEndpoint();
        metrics.request(ctx.method().name(), e == null ? "unmatched" : e.path, ctx.statusCode(), System.nanoTime() - start);
    }

    private void failed(Exception e, Context ctx) {
        HttpProblem p = HttpProblem.from(e);
        if ("internal".equals(p.kind) || "decision-store".equals(p.kind)) {
            LOG.error("{} {} failed", ctx.method().name(), ctx.path(), e);
        }
        if (ctx.res().isCommitted()) {
            LOG.debug("{} {}: the answer was under way when it failed", ctx.method().name(), ctx.path(), e);
            return;
        }
        answer(ctx, p);
    }

    private void answer(Context ctx, HttpProblem p) {
        metrics.error(p.kind);
        p.headers.forEach(ctx::header);
        ctx.status(p.status).contentType(HttpProblem.MEDIA_TYPE).result(p.body());
    }

    /** A 404 or 405 that Javalin answers (no route, or not this method): a problem, unless a handler answered one already. */
    private void ensureProblem(Context ctx, HttpProblem p) {
        String type = ctx.res().getContentType();
        if (type == null || !type.startsWith(HttpProblem.MEDIA_TYPE)) {
            answer(ctx, p);
        }
    }

    /** Waits for one of the evaluation slots, at most the queue wait and never past the request's time limit. */
    private void acquire(Context ctx) {
        long wait = Math.min(settings.queueWait().toNanos(), remaining(ctx).toNanos());
        boolean got;
        try {
            got = wait <= 0 ? slots.tryAcquire() : slots.tryAcquire(wait, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            got = false;
        }
        if (!got) {
            throw HttpProblem.of(503, "too-busy", "Too busy", "$", "all " + settings.maxConcurrent()
                    + " evaluation slots stayed busy for " + settings.queueWait().toMillis() + " ms: try again")
                    .withHeader("Retry-After", "1");
        }
    }

    private Duration remaining(Context ctx) {
        Long start = ctx.attribute(START);
        long used = System.nanoTime() - (start == null ? System.nanoTime() : start);
        return settings.timeLimit().minusNanos(used);
    }

    private HttpProblem timeLimit(String what) {
        return HttpProblem.of(503, "time-limit", "Time limit reached", "$", what + " did not finish within the service's "
                + "time limit of " + settings.timeLimit().toMillis() + " ms");
    }

    /** Refuses a body that is not of the media types given (415), naming what to send. */
    private static void requireType(Context ctx, Set<String> types, String send) {
        String given = ctx.header("Content-Type");
        String media = given == null ? "" : given.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        String params = given == null || !given.contains(";") ? "" : given.substring(given.indexOf(';') + 1).trim().toLowerCase(Locale.ROOT);
        boolean charsetOk = params.isEmpty() || params.replace(" ", "").equals("charset=utf-8")
                || params.replace(" ", "").equals("charset=\"utf-8\"");
        if (!types.contains(media) || !charsetOk) {
            throw HttpProblem.of(415, "unsupported-media-type", "Unsupported media type", "$", (given == null
                    ? "the request has no Content-Type" : "the request's Content-Type is " + clip(given))
                    + ": send Content-Type: " + send + " (UTF-8)");
        }
    }

    /** The body, read up to the engine's request size limit and one byte more; a larger one is refused (413). */
    private byte[] body(Context ctx, int limit) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw tooLarge("the request is " + declared + " bytes, more than the limit of " + limit + " bytes");
        }
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            bytes = in.readNBytes(limit + 1);
        }
        if (bytes.length > limit) {
            throw tooLarge("the request is more than the limit of " + limit + " bytes (read no further than " + bytes.length
                    + " bytes)");
        }
        return bytes;
    }

    private static HttpProblem tooLarge(String message) {
        return HttpProblem.of(413, "request-too-large", "Request too large", "$", message);
    }

    // ---------------------------------------------------------------- routes

    private byte[] versionDocument(Context ctx, Map<String, byte[]> documents) {
        String id = ctx.pathParam("id");
        String version = ctx.pathParam("version");
        byte[] doc = documents.get(id + "@" + version);
        if (doc == null) {
            throw HttpProblem.of(404, "unknown-ruleset", "Unknown ruleset or version", "$",
                    engine.registry().versions().stream().anyMatch(v -> v.id().equals(id))
                            ? "ruleset " + clip(id) + " has no version " + clip(version)
                            : "no ruleset " + clip(id));
        }
        return doc;
    }

    private void evaluate(Context ctx) throws IOException {
        requireType(ctx, Set.of(JSON), JSON);
        byte[] request = body(ctx, engine.maxRequestBytes());
        acquire(ctx);
        Decision d;
        try {
            d = deciding.evaluateJson(request);
        } finally {
            slots.release();
        }
        metrics.decided(d);
        json(ctx, line(SdmJson.write(d)));
    }

    private void batch(Context ctx) throws IOException {
        requireType(ctx, BATCH_TYPES, NDJSON);
        long declared = ctx.req().getContentLengthLong();
        if (declared > settings.maxBatchBytes()) {
            throw tooLarge("the batch is " + declared + " bytes, more than the limit of " + settings.maxBatchBytes() + " bytes");
        }
        acquire(ctx);
        try {
            ctx.status(200).contentType(NDJSON);
            OutputStream out = ctx.res().getOutputStream();
            // what is decided so far goes out before waiting for more input, so a client that writes a line
            // and waits for its answer gets it
            InputStream in = new java.io.FilterInputStream(ctx.req().getInputStream()) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    out.flush();
                    return super.read(b, off, len);
                }
            };
            JsonLinesBatch.on(deciding).revealInternalErrors(false).maxBytes(settings.maxBatchBytes()).timeLimit(remaining(ctx))
                    .listener(new JsonLinesBatch.Listener() {
                        @Override
                        public void decided(int line, Decision decision) {
                            metrics.decided(decision);
                        }

                        @Override
                        public void failed(int line, RuntimeException e) {
                            metrics.error(Problems.kind(e));
                            if ("internal".equals(Problems.kind(e))) {
                                LOG.error("POST /evaluate/batch line {} failed", line, e);
                            }
                        }

                        @Override
                        public void stopped(int line, String why) {
                            metrics.error(why.contains("time limit") ? "time-limit" : "request-too-large");
                        }
                    })
                    .run(in, json -> {
                        out.write(json.getBytes(StandardCharsets.UTF_8));
                        out.write('\n');
                    });
            out.flush();
        } finally {
            slots.release();
        }
    }

    private void whatIf(Context ctx) throws IOException {
        requireType(ctx, Set.of(JSON), JSON);
        byte[] json = body(ctx, engine.maxRequestBytes());
        String key = ctx.queryParam("key");
        SdmJson.ParsedRequest parsed = SdmJson.parseRequest(json);
        if (parsed.request() == null || !parsed.problems().isEmpty()) {
            throw new InvalidRequestException(parsed.problems());
        }
        EvaluationRequest request = parsed.request();
        acquire(ctx);
        WhatIf.Report report;
        try {
            report = whatIf.run(request, key, remaining(ctx));
        } catch (IllegalArgumentException e) {
            if (key == null) {
                throw e;
            }
            throw HttpProblem.of(400, "invalid-request", "Invalid request", "?key", e.getMessage());
        } catch (WhatIf.OutOfTime e) {
            throw HttpProblem.of(503, "time-limit", "Time limit reached", "$", e.getMessage());
        } finally {
            slots.release();
        }
        json(ctx, line(SdmJson.write(report.toPlain())));
    }

    private DecisionStore store() {
        if (store == null) {
            throw HttpProblem.of(404, "no-decision-store", "No decision store", "$", "this service records no decisions: "
                    + "start it with a decision log (sdm serve --record LOG) to have decisions recorded, listed and replayed");
        }
        return store;
    }

    private void decisions(Context ctx) {
        DecisionStore s = store();
        String caseId = ctx.queryParam("caseId");
        if (caseId == null || caseId.isBlank()) {
            throw HttpProblem.of(400, "invalid-request", "Invalid request", "?caseId", "missing: give the case id, "
                    + "GET /decisions?caseId=C-1001");
        }
        acquire(ctx);
        StringBuilder sb = new StringBuilder().append("{\"caseId\":").append(SdmJson.write(caseId)).append(",\"decisions\":[");
        try {
            long limit = System.nanoTime() + remaining(ctx).toNanos();
            boolean[] first = {true};
            s.decisionsOfCase(caseId, (DecisionRecord r) -> {
                if (System.nanoTime() - limit > 0) {
                    throw timeLimit("reading the decisions of the case");
                }
                sb.append(first[0] ? "" : ",").append(r.json()); // as recorded: canonical JSON
                first[0] = false;
            });
        } finally {
            slots.release();
        }
        sb.append("]}\n");
        json(ctx, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void replay(Context ctx) throws IOException {
        DecisionStore s = store();
        requireType(ctx, Set.of(JSON), JSON);
        byte[] body = body(ctx, engine.maxRequestBytes());
        Object value;
        try {
            value = SdmJson.readValue(body, 0, body.length);
        } catch (IllegalArgumentException e) {
            throw HttpProblem.of(400, "invalid-request", "Invalid request", "$", e.getMessage());
        }
        ReplayAsk ask = ReplayAsk.of(value);
        Replay replay = Replay.with(engine).filter(ask.filter()).asVersion(ask.asVersion());
        acquire(ctx);
        List<ReplayResult> results = new ArrayList<>();
        try {
            long limit = System.nanoTime() + remaining(ctx).toNanos();
            s.replay(replay, r -> {
                if (System.nanoTime() - limit > 0) {
                    throw timeLimit("the replay");
                }
                results.add(r);
            });
        } finally {
            slots.release();
        }
        ReplaySummary summary = Replay.summarize(results);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("summary", summary.toPlain());
        doc.put("results", results.stream().map(ReplayResult::toPlain).toList());
        json(ctx, line(SdmJson.write(doc)));
    }

    /** The body of {@code POST /replay}: which records, under which version. */
    record ReplayAsk(ReplayFilter filter, String asVersion) {
        private static final Set<String> FIELDS = Set.of("caseId", "from", "to", "ruleset", "asVersion");

        static ReplayAsk of(Object value) {
            if (!(value instanceof Map<?, ?> map)) {
                throw HttpProblem.of(400, "invalid-request", "Invalid request", "$", "must be a JSON object (e.g. {} to replay "
                        + "every record, or {\"caseId\": \"C-1001\"})");
            }
            List<Map<String, Object>> problems = new ArrayList<>();
            for (Object k : map.keySet()) {
                if (!FIELDS.contains(k)) {
                    problems.add(Problems.problem(clip((String) k), "unknown field (allowed: " + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ")"));
                }
            }
            String caseId = text(map, "caseId", problems);
            LocalDate from = date(map, "from", problems);
            LocalDate to = date(map, "to", problems);
            String ruleset = text(map, "ruleset", problems);
            String asVersion = text(map, "asVersion", problems);
            if (from != null && to != null && from.isAfter(to)) {
                problems.add(Problems.problem("from", "is after to (" + to + ")"));
            }
            if (!problems.isEmpty()) {
                throw new HttpProblem(400, "invalid-request", "Invalid request", problems, Map.of());
            }
            return new ReplayAsk(new ReplayFilter(caseId, from, to, ruleset), asVersion);
        }

        private static String text(Map<?, ?> map, String field, List<Map<String, Object>> problems) {
            Object v = map.get(field);
            if (v == null) {
                return null;
            }
            if (!(v instanceof String s) || s.isBlank()) {
                problems.add(Problems.problem(field, "must be a non-blank string"));
                return null;
            }
            return s;
        }

        private static LocalDate date(Map<?, ?> map, String field, List<Map<String, Object>> problems) {
            String s = text(map, field, problems);
            if (s == null) {
                return null;
            }
            try {
                return LocalDate.parse(s);
            } catch (DateTimeParseException e) {
                problems.add(Problems.problem(field, "must be a date YYYY-MM-DD, not \"" + clip(s) + "\""));
                return null;
            }
        }
    }

    private void asset(Context ctx, String name) {
        Workbench.Asset a = assets.get(name);
        if (a == null) {
            throw JettyErrors.problem(404);
        }
        ctx.header("Cache-Control", "no-cache");
        if (a.contentType().startsWith("text/html")) {
            ctx.header("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
            ctx.header("X-Frame-Options", "DENY");
        }
        ctx.contentType(a.contentType()).result(a.bytes());
    }

    // ---------------------------------------------------------------- helpers

    private static void json(Context ctx, byte[] body) {
        ctx.contentType(JSON).result(body);
    }

    private static byte[] line(String json) {
        return (json + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code GET /rulesets}: each ruleset with its versions, oldest first. */
    private static Map<String, Object> rulesetList(RulesetRegistry registry) {
        Map<String, Map<String, Object>> byId = new TreeMap<>();
        for (RulesetVersion v : registry.versions()) {
            Map<String, Object> r = byId.computeIfAbsent(v.id(), id -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", id);
                m.put("title", v.manifest().title());
                m.put("versions", new ArrayList<Map<String, Object>>());
                return m;
            });
            r.put("title", v.manifest().title()); // the latest version's title
            Map<String, Object> vm = new LinkedHashMap<>();
            vm.put("version", v.version());
            vm.put("title", v.manifest().title());
            vm.put("effectiveFrom", v.manifest().effectiveFrom().toString());
            vm.put("status", v.manifest().status().wireName());
            vm.put("sha256", v.sha256());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> versions = (List<Map<String, Object>>) r.get("versions");
            versions.add(vm);
        }
        for (Map<String, Object> r : byId.values()) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> versions = (List<Map<String, Object>>) r.get("versions");
            versions.sort((a, b) -> RulesetRegistry.VERSION_ORDER.compare((String) a.get("version"), (String) b.get("version")));
            r.put("title", registry.versions().stream().filter(v -> v.id().equals(r.get("id")))
                    .max((a, b) -> RulesetRegistry.VERSION_ORDER.compare(a.version(), b.version()))
                    .map(v -> v.manifest().title()).orElse(null));
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("rulesets", new ArrayList<>(byId.values()));
        return o;
    }

    /** Text from a request, shortened and with controls escaped, for a message. */
    static String clip(String s) {
        String c = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return org.opensdm.engine.json.Printable.escape(c);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
