package org.opensdm.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.opensdm.engine.Decision.OverrideResult;
import org.opensdm.engine.Decision.RulesetInfo;
import org.opensdm.engine.EvaluationRequest.OverrideRequest;
import org.opensdm.engine.internal.RequestValidator;
import org.opensdm.engine.internal.drools.DroolsRuleset;
import org.opensdm.engine.json.SdmJson;
import org.opensdm.engine.rules.CutPoints;
import org.opensdm.engine.rules.Flag;
import org.opensdm.engine.rules.Outcome;
import org.opensdm.engine.rules.OverrideGiven;
import org.opensdm.engine.rules.Recorder;
import org.opensdm.engine.rules.Scores;
import org.opensdm.engine.rules.Validation;
import org.opensdm.engine.ruleset.RulesetManifest;
import org.opensdm.engine.ruleset.RulesetManifest.OutcomeDef;
import org.opensdm.engine.ruleset.RulesetRegistry;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * Evaluates assessments against versioned rulesets. Build one per application and share it:
 * it is immutable and thread-safe; each ruleset version is made ready once, on first use (or all
 * at once with {@link #compileAll()}): loaded from the rules compiled when its jar was built (the
 * shipped rulesets), or compiled from its DRL (a folder's); every evaluation runs in its own rule session.
 *
 * <pre>{@code
 * SdmEngine engine = SdmEngine.builder().classpathRulesets().build();
 * Decision d = engine.evaluate(request);
 * }</pre>
 */
public final class SdmEngine {
    /** The engine's own version, carried in every decision. */
    public static final String VERSION = loadVersion();
    /** Compile times at INFO; the engine logs nothing per evaluation. */
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SdmEngine.class);

    private final RulesetRegistry registry;
    /** Firing limit, time and memory budget of one evaluation. */
    private final DroolsRuleset.Limits limits;
    private final int maxRequestBytes;
    private final Clock clock;
    /** Per version (key and hash): its compiled rules, or the load error it gave (not retried). */
    private final Map<String, Object> compiled;

    private final List<DecisionSink> sinks;
    /** True for a what-if view ({@link #whatIf()}): an exact version is evaluated on any date. */
    private final boolean anyDate;
    /** The same compiled versions, by the identity of the registry's version objects (a cache of {@link #compiled}). */
    private final Map<Identity, Compiled> byInstance = new ConcurrentHashMap<>();

    private SdmEngine(RulesetRegistry registry, DroolsRuleset.Limits limits, int maxRequestBytes, Clock clock, List<DecisionSink> sinks) {
        this(registry, limits, maxRequestBytes, clock, sinks, new ConcurrentHashMap<>(), false);
    }

    private SdmEngine(RulesetRegistry registry, DroolsRuleset.Limits limits, int maxRequestBytes, Clock clock, List<DecisionSink> sinks,
                      Map<String, Object> compiled, boolean anyDate) {
        this.compiled = compiled;
        this.anyDate = anyDate;
        this.registry = registry;
        this.limits = limits;
        this.maxRequestBytes = maxRequestBytes;
        this.clock = clock;
        this.sinks = List.copyOf(sinks);
    }

    public static Builder builder() {
        return new Builder();
    }

    public RulesetRegistry registry() {
        return registry;
    }

    /**
     * This engine with one more {@link DecisionSink} (e.g. a decision log for one run): same
     * rulesets and settings, and it shares this engine's compiled rules (nothing is recompiled).
     */
    public SdmEngine withDecisionSink(DecisionSink sink) {
        List<DecisionSink> more = new ArrayList<>(sinks);
        more.add(java.util.Objects.requireNonNull(sink));
        return new SdmEngine(registry, limits, maxRequestBytes, clock, more, compiled, anyDate);
    }

    /**
     * This engine for what-if evaluations ({@code sdm diff}, replay): a request naming an exact
     * {@code version} is evaluated whatever its {@code assessedOn}, even one before the version's
     * {@code effectiveFrom}, which {@link #evaluate} refuses ({@link UnknownRulesetException}). A
     * request without a version still gets the version in force on its date. Same rulesets,
     * settings and compiled rules (nothing is recompiled), and no decision sinks: a what-if
     * decision is not a decision of record.
     */
    public SdmEngine whatIf() {
        return new SdmEngine(registry, limits, maxRequestBytes, clock, List.of(), compiled, true);
    }

    /** Compiles every version now, so that a broken ruleset fails at start-up, not at first use. */
    public SdmEngine compileAll() {
        registry.versions().forEach(this::compiled);
        return this;
    }

    /**
     * Evaluates one request.
     *
     * @throws InvalidRequestException  naming every problem of the request; no rule has run
     * @throws UnknownRulesetException  the ruleset or version is not in the registry, no version is in
     *                                  force on {@code assessedOn}, or the exact version asked for is not
     *                                  in force yet on {@code assessedOn} (before its {@code effectiveFrom})
     * @throws RulesetLoadException     the ruleset version does not compile
     * @throws EvaluationException      the ruleset misbehaved on this request
     */
    public Decision evaluate(EvaluationRequest request) {
        List<Problem> surrogates = loneSurrogates(request);
        if (!surrogates.isEmpty()) {
            throw new InvalidRequestException(surrogates);
        }
        return evaluate(request, List.of());
    }

    /** The request's strings and keys that hold a lone surrogate (no character: UTF-8 cannot write it), by JSON path. */
    private static List<Problem> loneSurrogates(EvaluationRequest r) {
        if (!anyLoneSurrogate(r)) {
            return List.of(); // the usual case, without building the paths
        }
        // the request as plain JSON values, in the shape its JSON has: the paths name what a JSON request would
        Object plain = SdmJson.requestPlain(r);
        List<Problem> problems = new ArrayList<>();
        SdmJson.loneSurrogates(plain, "", problems);
        return problems;
    }

    private static boolean anyLoneSurrogate(EvaluationRequest r) {
        if (lone(r.ruleset()) || lone(r.version()) || lone(r.caseId()) || lone(r.answers()) || lone(r.facts())) {
            return true;
        }
        for (OverrideRequest o : r.overrides()) {
            if (lone(o.type()) || lone(o.code()) || lone(o.value()) || lone(o.reason())) {
                return true;
            }
        }
        for (EvaluationRequest.ChildAnswers c : r.children()) {
            if (lone(c.id()) || lone(c.answers())) {
                return true;
            }
        }
        return false;
    }

    private static boolean lone(Object v) {
        return org.opensdm.engine.json.Printable.anyLoneSurrogate(v);
    }

    /**
     * Evaluates a JSON request and returns the decision as compact JSON; same errors as {@link #evaluate}.
     * Text holding a lone surrogate (which UTF-8 cannot encode) is refused, not sent on with a '?' in its place.
     */
    public String evaluateJson(String json) {
        Problem text = SdmJson.loneSurrogateInText(json);
        if (text != null) {
            throw new InvalidRequestException(List.of(text));
        }
        return SdmJson.write(evaluateJson(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** The largest JSON request, in bytes, that {@link #evaluateJson(byte[])} reads; a reader of requests reads at most one byte more. */
    public int maxRequestBytes() {
        return maxRequestBytes;
    }

    /**
     * Evaluates a JSON request: shape problems of the JSON and problems against the manifest are
     * reported together in one {@link InvalidRequestException}.
     */
    public Decision evaluateJson(byte[] json) {
        if (json.length > maxRequestBytes) {
            throw new InvalidRequestException(List.of(new Problem("$", "the request is " + json.length
                    + " bytes, more than the limit of " + maxRequestBytes + " bytes")));
        }
        SdmJson.ParsedRequest parsed = SdmJson.parseRequest(json);
        if (parsed.request() == null) {
            throw new InvalidRequestException(parsed.problems());
        }
        return evaluate(parsed.request(), parsed.problems());
    }

    private Decision evaluate(EvaluationRequest request, List<Problem> prior) {
        if (request.ruleset() == null || request.ruleset().isBlank()) {
            List<Problem> problems = new ArrayList<>(prior);
            problems.add(new Problem("ruleset", "missing"));
            throw new InvalidRequestException(problems);
        }
        LocalDate assessedOn = request.assessedOn() != null ? request.assessedOn() : LocalDate.now(clock);
        RulesetVersion version = registry.resolve(request.ruleset(), request.version(),
                anyDate && request.version() != null ? null : assessedOn);
        RulesetManifest m = version.manifest();
        Compiled c = compiled(version);
        List<Problem> problems = new ArrayList<>(prior);
        RequestValidator.Prepared prepared = RequestValidator.validate(c.form, request, problems);
        if (!prior.isEmpty()) {
            // a value the JSON pass already refused (e.g. a reason that is a number) is not named again
            problems.removeIf(p -> !prior.contains(p) && prior.stream().anyMatch(q -> q.path().equals(p.path())));
        }
        if (!problems.isEmpty()) {
            problems.addAll(missingInReachedSections(c, request, prepared, problems));
            throw new InvalidRequestException(problems);
        }
        Evaluation e = run(c, prepared);
        List<Problem> late = new ArrayList<>(RequestValidator.missingInSections(m, request, e.run().sections()));
        e.validation().reports().forEach(r -> late.add(new Problem(r.path(), r.message())));
        if (!late.isEmpty()) {
            throw new InvalidRequestException(late);
        }
        // unmodifiable values in a map only this method holds: the decision takes it without another copy
        java.util.LinkedHashMap<String, Object> values = new java.util.LinkedHashMap<>();
        for (OutcomeDef key : m.outcomes()) {
            if (e.outcome().has(key.key())) {
                values.put(key.key(), Immutables.value(e.outcome().get(key.key())));
            } else if (key.nullable()) {
                values.put(key.key(), null);
            } else {
                throw new EvaluationException("ruleset " + version.key() + " did not set outcome key " + key.key());
            }
        }
        List<OverrideResult> overrideResults = new ArrayList<>(e.overrides().size());
        for (int i = 0; i < e.overrides().size(); i++) {
            OverrideRequest o = prepared.overrides().get(i);
            overrideResults.add(new OverrideResult(o.type(), o.code(), o.value(), o.reason(), e.overrides().get(i).isApplied()));
        }
        Decision decision = new Decision(c.info, VERSION, request.caseId(), assessedOn, Immutables.adopt(values), overrideResults,
                e.run().trail());
        for (DecisionSink sink : sinks) {
            sink.accept(request, decision);
        }
        return decision;
    }

    /** One run of the rules: what they produced, before it is checked and made a decision. */
    private record Evaluation(DroolsRuleset.Run run, Outcome outcome, Validation validation, List<OverrideGiven> overrides) { }

    private Evaluation run(Compiled c, RequestValidator.Prepared prepared) {
        Recorder recorder = DroolsRuleset.newRecorder();
        Scores scores = new Scores(c.indices, recorder);
        Outcome outcome = new Outcome(c.outcomeKeys, recorder);
        Validation validation = new Validation(recorder);
        List<Object> facts = new ArrayList<>(c.cutPoints.size() + prepared.flags().size() + prepared.answers().size()
                + prepared.overrides().size());
        facts.addAll(c.cutPoints);
        prepared.flags().forEach((name, value) -> facts.add(new Flag(name, value)));
        facts.addAll(prepared.answers());
        List<OverrideGiven> overrides = prepared.overrides().isEmpty() ? List.of() : new ArrayList<>(prepared.overrides().size());
        for (int i = 0; i < prepared.overrides().size(); i++) {
            OverrideRequest o = prepared.overrides().get(i);
            overrides.add(new OverrideGiven(i, o.type(), o.code(), o.value(), recorder));
        }
        facts.addAll(overrides);

        DroolsRuleset.Run run = c.rules.run(recorder, scores, outcome, validation, facts, limits);
        return new Evaluation(run, outcome, validation, overrides);
    }

    /**
     * For a request already found invalid: which items of the steps its valid answers reach are
     * also missing, so that one reply names them too. Best effort: the rules run on the valid
     * answers only, their own validation reports are not used (they could follow from an
     * answer left out as invalid), and a ruleset that fails here adds nothing.
     */
    private List<Problem> missingInReachedSections(Compiled c, EvaluationRequest request,
                                                   RequestValidator.Prepared prepared, List<Problem> known) {
        if (c.form.manifest().sections().isEmpty()) {
            return List.of();
        }
        try {
            Evaluation e = run(c, prepared);
            return RequestValidator.missingInSections(c.form.manifest(), request, e.run().sections()).stream()
                    .filter(p -> known.stream().noneMatch(k -> k.path().equals(p.path()))).toList();
        } catch (SdmException e) {
            return List.of();
        }
    }

    /**
     * Compiles one version now (or returns at once when done before).
     *
     * @throws UnknownRulesetException no such version
     * @throws RulesetLoadException    its DRL does not compile
     */
    public void compile(String id, String version) {
        compiled(registry.find(id, version).orElseThrow(
                () -> new UnknownRulesetException("unknown ruleset version " + id + "@" + version)));
    }

    /**
     * The rules of a version as its DRL source declares them (name, file, line, {@code @item},
     * override patterns), read without compiling: for static checks such as {@code sdm lint}.
     *
     * @throws UnknownRulesetException no such version
     * @throws RulesetLoadException    a DRL file of it does not parse
     */
    public List<org.opensdm.engine.ruleset.RuleInfo> rules(String id, String version) {
        return DroolsRuleset.describe(registry.find(id, version).orElseThrow(
                () -> new UnknownRulesetException("unknown ruleset version " + id + "@" + version)));
    }

    /**
     * The compiled form of a version, looked up first by the identity of the registry's version
     * object (the registry hands out the same one every time), so that an evaluation neither builds
     * the {@code key#sha256} string nor hashes the version record.
     */
    private Compiled compiled(RulesetVersion version) {
        Compiled known = byInstance.get(new Identity(version));
        if (known != null) {
            return known;
        }
        Compiled c = compiledByKey(version);
        byInstance.putIfAbsent(new Identity(version), c);
        return c;
    }

    /** A map key equal only to itself: the version object's identity. */
    private record Identity(RulesetVersion version) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity i && i.version == version;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(version);
        }
    }

    private Compiled compiledByKey(RulesetVersion version) {
        Object result = compiled.computeIfAbsent(version.key() + "#" + version.sha256(), k -> {
            long start = System.nanoTime();
            try {
                DroolsRuleset rules = DroolsRuleset.compile(version);
                Compiled c = new Compiled(version, rules);
                LOG.info("{} ruleset {} (sha256 {}) in {} ms", rules.precompiled() ? "loaded compiled" : "compiled",
                        version.key(), version.sha256(), millisSince(start));
                return c;
            } catch (RulesetLoadException e) {
                LOG.info("ruleset {} from {} does not compile ({} problem(s), {} ms)", version.key(), version.origin(),
                        e.problems().size(), millisSince(start));
                return e;
            }
        });
        if (result instanceof RulesetLoadException e) {
            throw new RulesetLoadException(e.problems());
        }
        return (Compiled) result;
    }

    /**
     * A version ready to evaluate: its compiled rules, and what every evaluation of it needs from
     * the manifest, worked out once: the indexed form for validation, the index and outcome keys,
     * the cut point facts (immutable, so shared by every evaluation) and the decision's ruleset
     * block.
     */
    private static final class Compiled {
        final DroolsRuleset rules;
        final RequestValidator.Form form;
        final List<String> indices;
        final List<String> outcomeKeys;
        final List<CutPoints> cutPoints;
        final RulesetInfo info;

        Compiled(RulesetVersion version, DroolsRuleset rules) {
            RulesetManifest m = version.manifest();
            this.rules = rules;
            this.form = new RequestValidator.Form(m);
            this.indices = List.copyOf(m.indices().stream().map(RulesetManifest.IndexDef::id).toList());
            this.outcomeKeys = List.copyOf(m.outcomes().stream().map(OutcomeDef::key).toList());
            this.cutPoints = List.copyOf(m.indices().stream().map(i -> new CutPoints(i.id(), i.cutPoints())).toList());
            this.info = new RulesetInfo(m.id(), m.version(), version.sha256(), m.status().wireName(), m.provenance().notice());
        }
    }

    private static long millisSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1_000_000;
    }

    private static String loadVersion() {
        try (InputStream in = SdmEngine.class.getResourceAsStream("engine.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Configures an engine. Without any ruleset source, the classpath rulesets are used. */
    public static final class Builder {
        private final RulesetRegistry.Builder registry = RulesetRegistry.builder();
        private RulesetRegistry prebuilt;
        private boolean anySource;
        private int firingLimit = 10_000;
        private java.time.Duration timeBudget = java.time.Duration.ofSeconds(1);
        private long allocationBudget = 256L << 20;
        private int maxRequestBytes = 1 << 20;
        private Clock clock = Clock.systemDefaultZone();
        private final List<DecisionSink> sinks = new ArrayList<>();

        /** The rulesets shipped on the class path (the sdm-rulesets jar). */
        public Builder classpathRulesets() {
            registry.addClasspath();
            anySource = true;
            return this;
        }

        /** Rulesets in a folder ({@code <id>/<version>/ruleset.yaml}); they replace same id and version. */
        public Builder rulesetDirectory(Path dir) {
            registry.addDirectory(dir);
            anySource = true;
            return this;
        }

        /**
         * The size limits of ruleset files read from folders and the class path (default
         * {@link org.opensdm.engine.ruleset.RulesetLimits#DEFAULT}: manifest 1 MiB, DRL file 1 MiB,
         * scenario file 4 MiB); a larger file is refused naming it, its size and the limit.
         */
        public Builder rulesetLimits(org.opensdm.engine.ruleset.RulesetLimits limits) {
            registry.limits(limits);
            return this;
        }

        /** Uses this registry as it is (other sources are ignored). */
        public Builder registry(RulesetRegistry r) {
            this.prebuilt = r;
            return this;
        }

        /** How many rule firings one evaluation may take before it is stopped as looping. */
        public Builder firingLimit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("firing limit must be positive");
            }
            this.firingLimit = limit;
            return this;
        }

        /**
         * The wall-clock time one evaluation may take (default 1 s); past it the evaluation stops
         * with an {@link EvaluationException} and the engine serves the next one.
         */
        public Builder timeBudget(java.time.Duration budget) {
            if (budget.isNegative() || budget.isZero()) {
                throw new IllegalArgumentException("the time budget must be positive");
            }
            this.timeBudget = budget;
            return this;
        }

        /**
         * The bytes one evaluation may allocate on its thread (default 256 MiB; where the JVM
         * counts them, as HotSpot does); past it the evaluation stops with an
         * {@link EvaluationException}.
         */
        public Builder allocationBudget(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("the allocation budget must be positive");
            }
            this.allocationBudget = bytes;
            return this;
        }

        /** The largest JSON request {@code evaluateJson} reads (default 1 MiB); a larger one is refused unread. */
        public Builder maxRequestBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("the request size limit must be positive");
            }
            this.maxRequestBytes = bytes;
            return this;
        }

        /** The clock that gives "today" for requests without {@code assessedOn}. */
        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        /** Hands every decision, with its request, to {@code sink} before returning it (e.g. a decision log). */
        public Builder decisionSink(DecisionSink sink) {
            sinks.add(java.util.Objects.requireNonNull(sink));
            return this;
        }

        public SdmEngine build() {
            if (prebuilt != null) {
                return new SdmEngine(prebuilt, limits(), maxRequestBytes, clock, sinks);
            }
            if (!anySource) {
                registry.addClasspath();
            }
            return new SdmEngine(registry.build(), limits(), maxRequestBytes, clock, sinks);
        }

        private DroolsRuleset.Limits limits() {
            return new DroolsRuleset.Limits(firingLimit, timeBudget, allocationBudget);
        }
    }
}
