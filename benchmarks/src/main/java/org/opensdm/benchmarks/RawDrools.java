package org.opensdm.benchmarks;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Global;
import org.kie.api.runtime.KieContainer;
import org.kie.api.runtime.KieContainerSessionsPool;
import org.kie.api.runtime.StatelessKieSession;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.EvaluationRequest.OverrideRequest;
import org.opensdm.engine.rules.Answer;
import org.opensdm.engine.rules.CutPoints;
import org.opensdm.engine.rules.Flag;
import org.opensdm.engine.rules.Outcome;
import org.opensdm.engine.rules.OverrideGiven;
import org.opensdm.engine.rules.Recorder;
import org.opensdm.engine.rules.Scores;
import org.opensdm.engine.rules.Validation;
import org.opensdm.engine.ruleset.RulesetManifest;
import org.opensdm.engine.ruleset.RulesetManifest.ItemDef;
import org.opensdm.engine.ruleset.RulesetManifest.OptionDef;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * The floor the engine adds to: the very DRL files of a shipped version (its own and included
 * ones, as the registry holds them), compiled by a plain {@code KieFileSystem} build into a
 * KieBase, and run by a bare Drools <b>stateless</b> session per evaluation.
 *
 * <p>What a run includes: one {@code StatelessKieSession} (from a {@code KieContainerSessionsPool}:
 * the fastest bare Drools way; {@link #runUnpooled} makes a new one from the KieBase instead),
 * the three globals bound to fresh {@link Scores}, {@link Outcome} and {@link Validation} objects
 * whose recorder does nothing, one fresh {@link OverrideGiven} per override, and
 * {@code execute(facts)}: insert every fact, fire all rules, dispose. The result is the outcome
 * map the rules set.
 *
 * <p>What it leaves out (the engine's own work): request validation, the manifest lookups that
 * turn answers into {@link Answer} facts with points (done once per request, in
 * {@link #prepare}, outside the measured run), the audit listener and trail, the section and
 * outcome checks, the firing limit, building the {@code Decision}. No sandbox class loader, no
 * static DRL check (compile time only anyway).
 */
public final class RawDrools {
    private static final Recorder NOTHING = (key, value) -> { };

    private final RulesetManifest manifest;
    private final KieBase kieBase;
    private final KieContainerSessionsPool pool;
    private final Set<String> globals;
    private final List<CutPoints> cutPoints;
    private final List<String> indices;
    private final List<String> outcomeKeys;

    private RawDrools(RulesetManifest manifest, KieBase kieBase, KieContainerSessionsPool pool, Set<String> globals) {
        this.manifest = manifest;
        this.kieBase = kieBase;
        this.pool = pool;
        this.globals = globals;
        this.cutPoints = manifest.indices().stream().map(i -> new CutPoints(i.id(), i.cutPoints())).toList();
        this.indices = manifest.indices().stream().map(RulesetManifest.IndexDef::id).toList();
        this.outcomeKeys = manifest.outcomes().stream().map(RulesetManifest.OutcomeDef::key).toList();
    }

    /** Compiles the version's DRL files (own and included) as they are. */
    public static RawDrools compile(RulesetVersion version) {
        KieServices ks = KieServices.Factory.get();
        ReleaseId releaseId = ks.newReleaseId("org.opensdm.bench", version.id().replaceAll("[^A-Za-z0-9]", "_"),
                version.version() + "-" + System.nanoTime());
        KieFileSystem kfs = ks.newKieFileSystem();
        kfs.generateAndWritePomXML(releaseId);
        for (String file : version.manifest().rules()) {
            kfs.write("src/main/resources/sdm/" + file, version.files().get(file));
        }
        KieBuilder builder = ks.newKieBuilder(kfs).buildAll();
        List<Message> errors = builder.getResults().getMessages(Message.Level.ERROR);
        if (!errors.isEmpty()) {
            throw new IllegalStateException("the DRL of " + version.key() + " does not compile: " + errors);
        }
        KieContainer container = ks.newKieContainer(releaseId);
        KieBase base = container.getKieBase();
        ks.getRepository().removeKieModule(releaseId);
        Set<String> globals = new HashSet<>();
        for (KiePackage p : base.getKiePackages()) {
            for (Global g : p.getGlobalVariables()) {
                globals.add(g.getName());
            }
        }
        return new RawDrools(version.manifest(), base, container.newKieSessionsPool(2), Set.copyOf(globals));
    }

    /**
     * A request turned into facts once, outside the measured run: the {@link Answer} facts with
     * their manifest points (immutable, so shared by every run), one {@link Flag} per declared
     * input fact, and the overrides to create per run (they are mutable).
     */
    public record Facts(List<Object> shared, List<OverrideRequest> overrides) { }

    /** The facts the engine would insert for this (valid) request, in the engine's order. */
    public Facts prepare(EvaluationRequest request) {
        List<Object> facts = new ArrayList<>(cutPoints);
        for (RulesetManifest.FactDef f : manifest.facts()) {
            Object given = request.facts().get(f.id());
            facts.add(new Flag(f.id(), given instanceof Boolean b ? b : f.defaultValue()));
        }
        int position = -1;
        for (ItemDef item : manifest.items()) {
            position++;
            Object value = request.answers().get(item.id());
            if (value == null) {
                continue;
            }
            facts.add(switch (item.kind()) {
                case CHOICE -> new Answer(item.id(), null, item.section(), position, value, item.option((String) value).orElseThrow().points());
                case MULTI -> multi(item, position, (List<?>) value);
                case YESNO, TEXT -> new Answer(item.id(), null, item.section(), position, value, Map.of());
            });
        }
        return new Facts(List.copyOf(facts), request.overrides());
    }

    private static Answer multi(ItemDef item, int position, List<?> chosen) {
        Map<String, Integer> points = new LinkedHashMap<>();
        item.scores().forEach(index -> points.put(index, 0));
        List<String> keys = new ArrayList<>();
        for (OptionDef o : item.options()) {
            if (chosen.contains(o.key())) {
                keys.add(o.key());
                o.points().forEach((index, p) -> points.merge(index, p, Integer::sum));
            }
        }
        item.maxPoints().forEach((index, cap) -> points.computeIfPresent(index, (k, v) -> Math.min(v, cap)));
        return new Answer(item.id(), null, item.section(), position, List.copyOf(keys), points);
    }

    /** One evaluation by a pooled stateless session; returns the outcome the rules set. */
    public Map<String, Object> run(Facts facts) {
        return run(pool.newStatelessKieSession(), facts);
    }

    /** One evaluation by a stateless session made from the KieBase (a new working memory each time). */
    public Map<String, Object> runUnpooled(Facts facts) {
        return run(kieBase.newStatelessKieSession(), facts);
    }

    private Map<String, Object> run(StatelessKieSession session, Facts facts) {
        Scores scores = new Scores(indices, NOTHING);
        Outcome outcome = new Outcome(outcomeKeys, NOTHING);
        if (globals.contains("scores")) {
            session.setGlobal("scores", scores);
        }
        if (globals.contains("outcome")) {
            session.setGlobal("outcome", outcome);
        }
        if (globals.contains("validation")) {
            session.setGlobal("validation", new Validation(NOTHING));
        }
        List<Object> all = new ArrayList<>(facts.shared().size() + facts.overrides().size());
        all.addAll(facts.shared());
        for (int i = 0; i < facts.overrides().size(); i++) {
            OverrideRequest o = facts.overrides().get(i);
            all.add(new OverrideGiven(i, o.type(), o.code(), o.value(), NOTHING));
        }
        session.execute(all);
        return outcome.values();
    }
}
