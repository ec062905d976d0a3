package org.opensdm.engine.internal.drools;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.drools.model.Model;
import org.drools.modelcompiler.KieBaseBuilder;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Global;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.ClassObjectFilter;
import org.kie.api.runtime.KieContainer;
import org.kie.api.runtime.KieSessionsPool;
import org.kie.api.runtime.KieSession;
import org.opensdm.engine.Decision.TrailEntry;
import org.opensdm.engine.EvaluationException;
import org.opensdm.engine.RulesetLoadException;
import org.opensdm.engine.RulesetProblem;
import org.opensdm.engine.rules.Outcome;
import org.opensdm.engine.rules.Recorder;
import org.opensdm.engine.rules.Scores;
import org.opensdm.engine.rules.Section;
import org.opensdm.engine.rules.Validation;
import org.opensdm.engine.ruleset.PrecompiledRules;
import org.opensdm.engine.ruleset.RuleInfo;
import org.opensdm.engine.ruleset.RulesetManifest;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * One ruleset version as a KieBase, shared by every thread: loaded from the executable model
 * compiled when its jar was built ({@link CompiledModel}), or compiled from its DRL at run time
 * (classic DRL build, through the sandbox); each
 * evaluation gets a session of its own and its own audit listener. Sessions come from a pool of
 * the version ({@code KieContainer.newKieSessionsPool}): making a session builds its agenda and
 * node memories, which costs more than running these rules, so a session is reset on
 * {@code dispose()} (facts, agenda, memories, globals and listeners all cleared, fact handle
 * counters back to zero) and handed to the next evaluation, on whatever thread. One session
 * serves one evaluation at a time; the pool grows to the number of evaluations running at once.
 * The only class that touches Drools.
 */
public final class DroolsRuleset {
    /** Globals a DRL may declare, with the type each must have. */
    private static final Map<String, Class<?>> GLOBALS =
            Map.of("scores", Scores.class, "outcome", Outcome.class, "validation", Validation.class);
    private static final String RESOURCES = "src/main/resources/";
    private static final AtomicLong BUILDS = new AtomicLong();
    /** The parser's "Line 36:4" in its message: line and 0-based column. */
    private static final java.util.regex.Pattern PARSER_POSITION = java.util.regex.Pattern.compile("Line (\\d+):(\\d+)");

    private final KieSessionsPool sessions;
    private final boolean scoresGlobal;
    private final boolean outcomeGlobal;
    private final boolean validationGlobal;
    /** Whether any item belongs to a section: else no evaluation needs to know which sections were reached. */
    private final boolean sections;
    private final boolean precompiled;

    private DroolsRuleset(KieSessionsPool sessions, Set<String> globals, boolean sections, boolean precompiled) {
        this.sessions = sessions;
        this.precompiled = precompiled;
        this.scoresGlobal = globals.contains("scores");
        this.outcomeGlobal = globals.contains("outcome");
        this.validationGlobal = globals.contains("validation");
        this.sections = sections;
    }

    /**
     * The version's rules, ready to run: loaded from the rules compiled when its jar was built
     * (no DRL parsing, no Java compilation) when the jar carries them, else compiled from its DRL
     * now, through the sandbox. Compiled rules whose sources' content hash is not the version's
     * are refused, never recompiled.
     *
     * @throws RulesetLoadException file, line and column of each error; or the compiled rules do
     *                              not match the version's sources, or cannot be read
     */
    public static DroolsRuleset compile(RulesetVersion version) {
        CompiledModel model = compiledModel(version);
        return model != null ? load(version, model) : compile(version, true);
    }

    /** Whether these rules were loaded from build-time compiled rules (else compiled from DRL at run time). */
    public boolean precompiled() {
        return precompiled;
    }

    /**
     * The version's build-time compiled rules, checked against it; null when it has none.
     *
     * @throws RulesetLoadException they cannot be read, or were built from other sources or for another Drools
     */
    private static CompiledModel compiledModel(RulesetVersion version) {
        PrecompiledRules rules = version.compiled();
        if (rules == null) {
            return null;
        }
        CompiledModel model;
        try (InputStream in = rules.source().open()) {
            if (in == null) {
                return null;
            }
            model = CompiledModel.read(in, rules.location());
        } catch (IOException e) {
            throw CompiledModel.refused(rules.location(), "cannot be read: " + e.getMessage());
        }
        if (!model.id.equals(version.id()) || !model.version.equals(version.version())) {
            throw CompiledModel.refused(rules.location(), "are of " + model.id + "@" + model.version + ", not of " + version.key());
        }
        if (!model.sha256.equals(version.sha256())) {
            throw CompiledModel.refused(rules.location(), "of " + version.key() + " were built from sources with sha256 "
                    + model.sha256 + ", but its manifest and DRL files (" + version.origin() + ") have sha256 "
                    + version.sha256() + ": the sources changed after the build; rebuild the jar that carries them");
        }
        String drools = CompiledModel.DROOLS;
        if (!model.drools.equals(drools)) {
            throw CompiledModel.refused(rules.location(), "of " + version.key() + " were generated by Drools " + model.drools
                    + ", but Drools " + drools + " runs here; rebuild the jar that carries them with this Drools");
        }
        return model;
    }

    /** Builds the KieBase from build-time compiled rules: their classes are defined under the sandbox class loader. */
    static DroolsRuleset load(RulesetVersion version, CompiledModel model) {
        ClassLoader classes = model.classLoader(new SandboxClassLoader(DroolsRuleset.class.getClassLoader()));
        List<Model> models = new ArrayList<>(model.models.size());
        for (String name : model.models) {
            try {
                models.add((Model) Class.forName(name, true, classes).getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
                throw CompiledModel.refused(version.compiled() != null ? version.compiled().location() : version.origin(),
                        "of " + version.key() + " do not load: model class " + name + ": " + e);
            }
        }
        KieBase base = KieBaseBuilder.createKieBaseFromModel(models,
                KieServices.Factory.get().newKieBaseConfiguration(null, classes));
        Set<String> globals = checkDefinitions(version, base);
        return new DroolsRuleset(base.newKieSessionsPool(1), globals, hasSections(version), true);
    }

    private static boolean hasSections(RulesetVersion version) {
        return version.manifest().items().stream().anyMatch(i -> i.section() != null)
                || version.manifest().childItems().stream().anyMatch(i -> i.section() != null);
    }

    /** {@code staticCheck} false only in the sandbox's own tests, to show the class loader layer alone. */
    static DroolsRuleset compile(RulesetVersion version, boolean staticCheck) {
        KieServices ks = KieServices.Factory.get();
        Built built = build(version, staticCheck, null);
        try {
            KieContainer container = ks.newKieContainer(built.releaseId, built.loader);
            KieBase base = container.getKieBase();
            Set<String> globals = checkDefinitions(version, base);
            return new DroolsRuleset(container.newKieSessionsPool(1), globals, hasSections(version), false);
        } finally {
            ks.getRepository().removeKieModule(built.releaseId);
        }
    }

    /** A successful build: its KieModule (in the repository until removed), its builder, the sandbox loader it used. */
    record Built(ReleaseId releaseId, KieBuilder builder, ClassLoader loader) { }

    /**
     * Checks and builds the version's DRL under the sandbox class loader: the classic build, or
     * with {@code projectType} (the executable model, at build time); throws listing every problem.
     * The caller removes the KieModule from the repository.
     */
    static Built build(RulesetVersion version, boolean staticCheck, Class<? extends KieBuilder.ProjectType> projectType) {
        requireDrlCompiler(version);
        KieServices ks = KieServices.Factory.get();
        // the executable model's generated class names derive from the release id: at build time it
        // is made of the sources alone, so that the same sources give the same classes
        ReleaseId releaseId = ks.newReleaseId("org.opensdm.compiled",
                version.id().replaceAll("[^A-Za-z0-9]", "_"),
                version.version() + "-" + version.sha256().substring(0, 12)
                        + (projectType == null ? "-" + BUILDS.incrementAndGet() : ""));
        KieFileSystem kfs = ks.newKieFileSystem();
        kfs.generateAndWritePomXML(releaseId);
        List<RulesetProblem> refused = new ArrayList<>();
        // where each file is in the KieFileSystem -> its name in the ruleset (included files carry
        // their include/<id>/<version>/ prefix)
        Map<String, String> paths = new HashMap<>();
        for (String file : version.manifest().rules()) {
            if (staticCheck) {
                refused.addAll(DrlSandbox.check(version.location(file), version.files().get(file), itemIds(version)));
            }
            // in the folder of its package, as Drools expects (else it logs a warning for each file)
            String path = RESOURCES + packageFolder(version.files().get(file)) + (paths.size() / 2 + 1) + "-"
                    + file.substring(file.lastIndexOf('/') + 1);
            paths.put(path, file);
            paths.put(path.substring(RESOURCES.length()), file);
            kfs.write(path, version.files().get(file));
        }
        if (!refused.isEmpty()) {
            throw new RulesetLoadException(refused);
        }
        // layer two: generated code links only what the sandbox class loader lets through
        ClassLoader sandbox = new SandboxClassLoader(DroolsRuleset.class.getClassLoader());
        KieBuilder builder = projectType == null ? ks.newKieBuilder(kfs, sandbox).buildAll()
                : ks.newKieBuilder(kfs, sandbox).buildAll(projectType);
        List<RulesetProblem> problems = new ArrayList<>();
        for (Message m : builder.getResults().getMessages(Message.Level.ERROR)) {
            String text = m.getText().replaceAll("\\s+", " ").trim();
            int column = m.getColumn();
            java.util.regex.Matcher at = PARSER_POSITION.matcher(text);
            if (column <= 0 && at.find() && Integer.parseInt(at.group(1)) == m.getLine()) {
                column = Integer.parseInt(at.group(2)) + 1; // the parser counts columns from 0
            }
            problems.add(new RulesetProblem(location(version, paths, m.getPath()), m.getLine(), column, text));
        }
        if (!problems.isEmpty()) {
            ks.getRepository().removeKieModule(releaseId);
            // drop follow-on messages without a location ("Parser returned a null Package")
            // for files that already have a located error
            List<RulesetProblem> located = problems.stream().filter(p -> p.line() > 0).toList();
            throw new RulesetLoadException(problems.stream().filter(p -> p.line() > 0
                    || located.stream().noneMatch(l -> l.file().equals(p.file()))).toList());
        }
        return new Built(releaseId, builder, sandbox);
    }

    /**
     * What compiling DRL at run time needs beyond the Drools runtime, by a class of each artifact:
     * org.opensdm:sdm-drl brings them all; loading build-time compiled rules needs none.
     */
    private static final List<String[]> DRL_COMPILER = List.of(
            new String[] {"org.drools.drl.parser.DrlParser", "drools-drl-parser"},
            new String[] {"org.drools.ecj.EclipseJavaCompiler", "drools-ecj"},
            new String[] {"org.drools.mvel.MVELDialectRuntimeData", "drools-mvel"},
            new String[] {"com.github.javaparser.StaticJavaParser", "javaparser-core"});
    /** The artifacts of {@link #DRL_COMPILER} missing from the class path (empty when it can compile DRL). */
    private static final List<String> MISSING = missing();

    private static List<String> missing() {
        List<String> missing = new ArrayList<>();
        for (String[] c : DRL_COMPILER) {
            try {
                Class.forName(c[0], false, DroolsRuleset.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                missing.add(c[1]);
            }
        }
        return List.copyOf(missing);
    }

    /** Refuses, naming the dependency to add, when the class path cannot compile DRL at run time. */
    private static void requireDrlCompiler(RulesetVersion version) {
        if (!MISSING.isEmpty()) {
            throw new RulesetLoadException(List.of(new RulesetProblem(version.origin(), 0, 0, "ruleset " + version.key()
                    + " has no rules compiled at build time, and compiling its DRL at run time needs the DRL compiler, "
                    + "which is not on the class path (missing " + String.join(", ", MISSING) + "): add the dependency "
                    + "org.opensdm:sdm-drl")));
        }
    }

    private static Set<String> itemIds(RulesetVersion version) {
        Set<String> ids = new HashSet<>();
        version.manifest().items().forEach(i -> ids.add(i.id()));
        version.manifest().childItems().forEach(i -> ids.add(i.id()));
        return ids;
    }

    private static String location(RulesetVersion version, Map<String, String> paths, String path) {
        if (path == null) {
            return version.origin();
        }
        return version.location(paths.getOrDefault(path, path));
    }

    /**
     * The folder of the DRL's package ({@code org/opensdm/rulesets/x/}): the {@code package}
     * statement after blank lines and comments at the top of the file; "" if there is none.
     */
    static String packageFolder(String drl) {
        int i = 0;
        int n = drl.length();
        while (i < n) {
            if (Character.isWhitespace(drl.charAt(i))) {
                i++;
            } else if (drl.startsWith("//", i) || drl.startsWith("#", i)) {
                int end = drl.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (drl.startsWith("/*", i)) {
                int end = drl.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                break;
            }
        }
        if (!drl.startsWith("package", i) || i + 7 >= n || !Character.isWhitespace(drl.charAt(i + 7))) {
            return "";
        }
        StringBuilder folder = new StringBuilder();
        for (i += 7; i < n; i++) {
            char c = drl.charAt(i);
            if (c == '.') {
                folder.append('/');
            } else if (Character.isJavaIdentifierPart(c)) {
                folder.append(c);
            } else if (c == ';' || c == '\n' || c == '\r') {
                break;
            } else if (!Character.isWhitespace(c)) {
                return "";
            }
        }
        return folder.length() == 0 ? "" : folder.append('/').toString();
    }

    /** Globals must be the engine's; every {@code @item} must name a manifest item. */
    private static Set<String> checkDefinitions(RulesetVersion version, KieBase base) {
        RulesetManifest m = version.manifest();
        Set<String> items = new HashSet<>();
        m.items().forEach(i -> items.add(i.id()));
        m.childItems().forEach(i -> items.add(i.id()));
        List<RulesetProblem> problems = new ArrayList<>();
        Set<String> globals = new HashSet<>();
        for (KiePackage pkg : base.getKiePackages()) {
            for (Global g : pkg.getGlobalVariables()) {
                Class<?> expected = GLOBALS.get(g.getName());
                if (expected == null || !expected.getName().equals(g.getType())) {
                    problems.add(new RulesetProblem(version.origin(), 0, 0, "global " + g.getName() + " of type " + g.getType()
                            + " is not one the engine provides (scores: Scores, outcome: Outcome, validation: Validation)"));
                } else {
                    globals.add(g.getName());
                }
            }
            for (Rule r : pkg.getRules()) {
                Object item = r.getMetaData().get("item");
                if (item != null && !"*".equals(item) && !items.contains(item.toString())) {
                    problems.add(new RulesetProblem(version.origin(), 0, 0, "rule \"" + r.getName() + "\" reads @item(\""
                            + item + "\"), which is not an item of the manifest"));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new RulesetLoadException(problems);
        }
        return Set.copyOf(globals);
    }

    /**
     * The rules of a version's DRL files (its own and included ones), read with the Drools parser
     * without compiling: name, file, line, {@code @item} and {@code OverrideGiven} patterns.
     *
     * @throws RulesetLoadException a DRL file does not parse (file, line, column of each error)
     */
    public static List<RuleInfo> describe(RulesetVersion version) {
        requireDrlCompiler(version);
        return RuleOutline.of(version);
    }

    /**
     * The bounds of one evaluation: rule firings, wall-clock time and bytes allocated by the
     * evaluating thread. Time and memory are checked between firings (every few firings): the
     * sandbox keeps each firing's own work bounded (no loops, no recursion).
     */
    public record Limits(int firings, java.time.Duration time, long allocatedBytes) {
        public Limits {
            if (firings < 1 || time.isNegative() || time.isZero() || allocatedBytes < 1) {
                throw new IllegalArgumentException("evaluation limits must be positive");
            }
        }
    }

    /** What one evaluation produced. */
    public record Run(List<TrailEntry> trail, Set<String> sections) { }

    /**
     * Runs the rules over {@code facts} with the globals bound to the given objects, which must
     * record through {@code recorder} (made by {@link #newRecorder()}).
     */
    public Run run(Recorder recorder, Scores scores, Outcome outcome, Validation validation, List<Object> facts,
                   Limits limits) {
        AuditListener listener = (AuditListener) recorder;
        KieSession session = sessions.newKieSession();
        boolean clean = false;
        try {
            session.addEventListener(listener);
            if (scoresGlobal) {
                session.setGlobal("scores", scores);
            }
            if (outcomeGlobal) {
                session.setGlobal("outcome", outcome);
            }
            if (validationGlobal) {
                session.setGlobal("validation", validation);
            }
            listener.startBudget(limits.time().toNanos(), limits.allocatedBytes());
            for (int i = 0, n = facts.size(); i < n; i++) {
                session.insert(facts.get(i));
            }
            int fired;
            try {
                fired = session.fireAllRules(limits.firings());
            } catch (RuntimeException e) {
                if (!budgetExceeded(e)) {
                    throw new EvaluationException("a rule failed: " + rootMessage(e), e);
                }
                fired = listener.fired();
            } catch (StackOverflowError e) {
                throw new EvaluationException("the rules exhausted the stack", e);
            } catch (OutOfMemoryError e) {
                throw new EvaluationException("the rules exhausted memory (" + e.getMessage() + ")", e);
            }
            if (listener.exceeded() != null) {
                throw new EvaluationException("time".equals(listener.exceeded())
                        ? "the evaluation exceeded its time budget of " + limits.time().toMillis() + " ms (stopped after "
                                + listener.fired() + " firings)"
                        : "the evaluation exceeded its memory budget of " + limits.allocatedBytes() + " bytes allocated "
                                + "(stopped after " + listener.fired() + " firings)");
            }
            if (fired >= limits.firings()) {
                throw new EvaluationException("the rules fired " + fired + " times, the firing limit: a rule loops");
            }
            Set<String> reached = Set.of();
            if (sections) {
                Set<String> names = new java.util.TreeSet<>();
                for (Object o : session.getObjects(SECTIONS)) {
                    names.add(((Section) o).getName());
                }
                reached = Set.copyOf(names);
            }
            clean = true;
            return new Run(listener.trail(), reached);
        } finally {
            if (clean) {
                // back to the pool: reset (facts, agenda, node memories, globals, listeners), then reused
                session.dispose();
            } else {
                // a session stopped mid-way is not handed to the next evaluation
                session.destroy();
            }
        }
    }

    private static final ClassObjectFilter SECTIONS = new ClassObjectFilter(Section.class);

    /** A fresh recorder (the audit listener) for one evaluation. */
    public static Recorder newRecorder() {
        return new AuditListener();
    }

    /** Whether {@code e} is (or wraps) the listener's stop for an exceeded budget. */
    private static boolean budgetExceeded(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AuditListener.BudgetExceeded) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        String ruleName = null;
        while (t.getCause() != null && t.getCause() != t) {
            if (t instanceof org.kie.api.runtime.rule.ConsequenceException ce && ce.getMatch() != null) {
                ruleName = ce.getMatch().getRule().getName();
            }
            t = t.getCause();
        }
        return (ruleName == null ? "" : "rule \"" + ruleName + "\": ") + t.getMessage();
    }
}
