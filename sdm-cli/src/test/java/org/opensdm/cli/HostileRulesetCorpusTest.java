package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;

/**
 * The hostile-ruleset corpus ({@code src/test/resources/hostile-rulesets}, see its README): each
 * file is a DRL snippet appended to a {@code --rulesets} copy of ref.family-risk 2.0 that tries
 * to reach outside the sandbox by one route (constraint, binding, from, accumulate, salience,
 * enabled, consequence, function, MVEL dialect, eval) towards one reach (a process, an exit, a
 * file, the network, reflection, threads, time, memory). A {@code refused} case must be refused
 * when the ruleset loads (exit 4, the marked line, {@code sandbox:} and the refused name) by
 * {@code evaluate}, {@code test} and {@code lint} alike; a {@code stopped} case must be stopped
 * while it runs (exit 1, the firing limit or the time budget named); a {@code loads} case is
 * benign and must load and leave every shipped scenario passing. In every case nothing escapes:
 * no stack trace, no {@code /etc/passwd} content, no marker file, and this JVM survives.
 *
 * <p>{@code -Dsdm.hostile.only=REGEX} runs only the cases whose file name matches.
 */
class HostileRulesetCorpusTest {
    static final Path MARKER = Path.of("/tmp/sdm-hostile-marker");
    private static final String MARK = "// <-";
    private static final Duration LOAD_OR_RUN = Duration.ofSeconds(60);
    private static final Duration STOP = Duration.ofSeconds(20);
    private static final AtomicLong BUILDS = new AtomicLong();

    @TempDir
    Path rulesets;

    enum Expect { REFUSED, STOPPED, LOADS }

    /** One corpus file: its expectation, the names a refusal may give (any one), extra imports and the DRL. */
    record Case(String file, Expect expect, List<String> names, List<String> imports, String snippet) {
        @Override
        public String toString() {
            return file.replaceFirst("\\.drl$", "") + " (" + expect.name().toLowerCase() + (names.isEmpty() ? "" : " " + String.join("|", names)) + ")";
        }
    }

    /** Read from the sources (the module's folder is the working directory), so no stale copy is ever run. */
    static Path corpusDir() {
        return Path.of("src/test/resources/hostile-rulesets").toAbsolutePath();
    }

    static Stream<Case> corpus() throws IOException {
        Pattern only = Pattern.compile(System.getProperty("sdm.hostile.only", ".*"));
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(corpusDir())) {
            for (Path p : files.filter(f -> f.toString().endsWith(".drl")).sorted().toList()) {
                if (only.matcher(p.getFileName().toString()).find()) {
                    cases.add(parse(p));
                }
            }
        }
        return cases.stream();
    }

    static Case parse(Path p) throws IOException {
        String text = Files.readString(p);
        Expect expect = null;
        List<String> names = List.of();
        List<String> imports = List.of();
        for (String line : text.lines().toList()) {
            if (!line.startsWith("//")) {
                break;
            }
            String body = line.substring(2).trim();
            if (body.startsWith("expect:")) {
                String[] words = body.substring("expect:".length()).trim().split("\\s+", 2);
                expect = Expect.valueOf(words[0].toUpperCase());
                names = words.length > 1 ? List.of(words[1].trim().split("\\s*\\|\\s*")) : List.of();
            } else if (body.startsWith("imports:")) {
                imports = List.of(body.substring("imports:".length()).trim().split("\\s*,\\s*"));
            }
        }
        String file = p.getFileName().toString();
        if (expect == null) {
            throw new IllegalStateException(file + ": no '// expect:' line");
        }
        if (expect == Expect.REFUSED && (names.isEmpty() || text.split(Pattern.quote(MARK), -1).length != 2)) {
            throw new IllegalStateException(file + ": a refused case needs a name and exactly one '" + MARK + "' marker");
        }
        return new Case(file, expect, names, imports, text);
    }

    /** The shipped family-risk.drl with the case's imports after its own and the snippet at the end. */
    static String combined(Case c) {
        String drl;
        try {
            drl = Files.readString(Cli.SHIPPED_RULESETS.resolve("ref.family-risk/2.0/family-risk.drl"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> lines = new ArrayList<>(drl.lines().toList());
        int lastImport = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("import ")) {
                lastImport = i;
            }
        }
        for (int i = 0; i < c.imports().size(); i++) {
            lines.add(lastImport + 1 + i, "import " + c.imports().get(i) + ";");
        }
        lines.add("");
        lines.addAll(c.snippet().lines().toList());
        return String.join("\n", lines) + "\n";
    }

    /** The 1-based line of the combined DRL that carries the marker. */
    static int markedLine(String drl) {
        List<String> lines = drl.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(MARK)) {
                return i + 1;
            }
        }
        throw new IllegalStateException("no marker");
    }

    @BeforeEach
    void no_marker_before() throws IOException {
        Files.deleteIfExists(MARKER);
    }

    private String install(Case c) throws IOException {
        Path copy = ShippedCopy.copy(rulesets, "ref.family-risk", "2.0");
        String drl = combined(c);
        Files.writeString(copy.resolve("family-risk.drl"), drl);
        return drl;
    }

    /**
     * Runs {@code sdm} in this JVM within {@code limit}. An error that escapes the engine (heap or
     * stack exhausted, a class that fails to link) fails this case only: JUnit would otherwise
     * abort the whole run on an OutOfMemoryError.
     */
    private Cli.Result run(Duration limit, String... args) {
        String command = "sdm " + String.join(" ", args);
        return assertTimeoutPreemptively(limit, () -> {
            try {
                return Cli.run(args);
            } catch (OutOfMemoryError | StackOverflowError | LinkageError e) {
                throw new AssertionError(command + " let " + e + " escape the sandbox");
            }
        }, () -> command + " did not return in " + limit);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void nothing_escapes_the_sandbox(Case c) throws IOException {
        try {
            check(c);
        } catch (AssertionError e) {
            // surefire's reports show the index of a parameterized case, not its name
            throw new AssertionError(c.file() + ": " + e.getMessage(), e);
        }
    }

    private void check(Case c) throws IOException {
        String drl = install(c);
        String dir = rulesets.toString();
        String request = Cli.resource("requests/family-risk-2.0.json");
        List<Cli.Result> results = new ArrayList<>();
        switch (c.expect()) {
            case REFUSED -> {
                int line = markedLine(drl);
                Pattern at = Pattern.compile("family-risk\\.drl:" + line + "(:\\d+)?: .*sandbox: ");
                Cli.Result lint = run(LOAD_OR_RUN, "lint", "ref.family-risk@2.0", "--rulesets", dir);
                results.add(lint);
                assertNothingEscaped(c, results);
                assertThat(lint.exit()).as("lint: %s%s", lint.out(), lint.err()).isNotZero();
                assertThat(lint.out() + lint.err()).as("lint reports a sandbox finding").contains("sandbox:");
                for (List<String> args : List.of(List.of("evaluate", request, "--rulesets", dir),
                        List.of("test", "ref.family-risk@2.0", "--rulesets", dir))) {
                    Cli.Result r = run(LOAD_OR_RUN, args.toArray(String[]::new));
                    results.add(r);
                    assertNothingEscaped(c, results);
                    assertThat(r.exit()).as("%s exit: %s%s", args.get(0), r.out(), r.err()).isEqualTo(4);
                    Optional<String> refusal = r.err().lines()
                            .filter(l -> at.matcher(l).find() && c.names().stream().anyMatch(l::contains)).findFirst();
                    assertThat(refusal).as("%s: a line 'family-risk.drl:%d: sandbox: ...' naming one of %s in:%n%s",
                            args.get(0), line, c.names(), r.err()).isPresent();
                }
            }
            case STOPPED -> {
                Cli.Result r = run(STOP, "evaluate", request, "--rulesets", dir);
                results.add(r);
                assertNothingEscaped(c, results);
                assertThat(r.exit()).as("evaluate exit: %s%s", r.out(), r.err()).isEqualTo(1);
                assertThat(r.err()).as("names the firing limit or the time budget").containsPattern("(?i)firing limit|budget");
            }
            case LOADS -> {
                Cli.Result r = run(LOAD_OR_RUN, "evaluate", request, "--rulesets", dir);
                results.add(r);
                assertThat(r.exit()).as("evaluate exit: %s", r.err()).isZero();
                Cli.Result t = run(LOAD_OR_RUN, "test", "ref.family-risk@2.0", "--rulesets", dir);
                results.add(t);
                assertThat(t.exit()).as("test: %s%s", t.out(), t.err()).isZero();
                Cli.Result lint = run(LOAD_OR_RUN, "lint", "ref.family-risk@2.0", "--rulesets", dir);
                results.add(lint);
                assertThat(lint.out() + lint.err()).as("lint").doesNotContain("sandbox:");
                assertNothingEscaped(c, results);
            }
        }
        // this test runs in the JVM a case may have tried to exit or halt: reaching here proves it did not
        assertThat(Cli.run("rulesets").exit()).isZero();
    }

    private static void assertNothingEscaped(Case c, List<Cli.Result> results) {
        for (Cli.Result r : results) {
            String all = r.out() + r.err();
            assertThat(all).as("no stack trace").doesNotContain("\tat ", "Exception in thread");
            assertThat(all).as("no /etc/passwd content").doesNotContain("root:x:0:0");
        }
        assertThat(MARKER).as("%s: no marker file", c.file()).doesNotExist();
    }

    /**
     * Every snippet is DRL the Drools compiler accepts when there is no sandbox at all (no static
     * check, the test class loader): so a refusal is the sandbox's, not a syntax error's.
     * Compiles only; nothing runs.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void compiles_without_the_sandbox(Case c) {
        KieServices ks = KieServices.Factory.get();
        ReleaseId id = ks.newReleaseId("org.opensdm.hostile", "corpus", "1." + BUILDS.incrementAndGet());
        KieFileSystem kfs = ks.newKieFileSystem();
        kfs.generateAndWritePomXML(id);
        // in the folder of its package, as Drools expects (else it logs a warning)
        kfs.write("src/main/resources/org/opensdm/rulesets/familyrisk/family-risk.drl", combined(c));
        KieBuilder builder = ks.newKieBuilder(kfs, HostileRulesetCorpusTest.class.getClassLoader()).buildAll();
        try {
            List<String> errors = builder.getResults().getMessages(Message.Level.ERROR).stream()
                    .map(m -> m.getLine() + ": " + m.getText()).toList();
            assertThat(errors).as("%s compiles without the sandbox", c.file()).isEmpty();
        } finally {
            ks.getRepository().removeKieModule(id);
        }
    }

    @Test
    void the_corpus_has_every_kind_of_case() throws IOException {
        List<Case> all;
        try (Stream<Path> files = Files.list(corpusDir())) {
            all = new ArrayList<>();
            for (Path p : files.filter(f -> f.toString().endsWith(".drl")).toList()) {
                all.add(parse(p));
            }
        }
        assertThat(all.stream().filter(c -> c.expect() != Expect.LOADS).count()).isGreaterThanOrEqualTo(60);
        assertThat(all.stream().filter(c -> c.expect() == Expect.LOADS).count()).isGreaterThanOrEqualTo(6);
        assertThat(all.stream().filter(c -> c.expect() == Expect.STOPPED).count()).isGreaterThanOrEqualTo(3);
    }
}
