package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file of the bad-request corpus ({@code src/test/resources/bad-requests}, listed with its
 * expectation in {@code expected.tsv}) gets exit 2 (3 for an unknown ruleset or version), every
 * problem named on stderr by its path, no stack trace, and no decision on stdout.
 */
class BadRequestCorpusTest {
    private record Case(String file, int exit, List<String> paths) { }

    private static List<Case> corpus() {
        Path dir = Path.of(Cli.resource("bad-requests/expected.tsv")).getParent();
        try {
            List<Case> cases = new ArrayList<>();
            for (String line : Files.readAllLines(dir.resolve("expected.tsv"))) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t", -1);
                List<String> paths = cols[2].isEmpty() ? List.of() : Arrays.asList(cols[2].split(","));
                cases.add(new Case(dir.resolve(cols[0]).toString(), Integer.parseInt(cols[1]), paths));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void the_corpus_has_at_least_a_hundred_files_each_listed_once() throws IOException {
        List<Case> cases = corpus();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(100);
        Path dir = Path.of(cases.get(0).file()).getParent();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("expected.tsv")))
                    .containsExactlyInAnyOrderElementsOf(cases.stream().map(c -> Path.of(c.file()).getFileName().toString()).toList());
        }
    }

    @TestFactory
    Stream<DynamicTest> every_bad_request_is_refused_with_each_problem_named() {
        return corpus().stream().map(c -> DynamicTest.dynamicTest(Path.of(c.file()).getFileName().toString(),
                () -> check(c)));
    }

    @Test
    void megabyte_strings_are_refused_by_the_size_limit(@TempDir Path dir) throws IOException {
        String big = "x".repeat(1100 * 1024);
        String[] requests = {
            "{\"ruleset\":\"ref.family-risk\",\"caseId\":\"" + big + "\"}",
            "{\"ruleset\":\"ref.family-risk\",\"answers\":{\"R1\":\"" + big + "\"}}",
            "{\"ruleset\":\"ref.family-risk\",\"overrides\":[{\"type\":\"discretionary\",\"reason\":\"" + big + "\"}]}",
        };
        for (int i = 0; i < requests.length; i++) {
            Path file = dir.resolve("large-" + i + ".json");
            Files.writeString(file, requests[i]);
            check(new Case(file.toString(), 2, List.of("$")));
        }
    }

    private static void check(Case c) {
        Cli.Result r = Cli.run("evaluate", c.file());
        assertThat(r.exit()).as("exit code; stderr:\n" + r.err()).isEqualTo(c.exit());
        assertThat(r.out()).as("no decision written").isEmpty();
        assertThat(r.err()).doesNotContain("Exception", "\tat ", "at org.", "at java.");
        if (c.exit() == 2) {
            List<String> named = r.err().lines().filter(l -> l.startsWith("  "))
                    .map(l -> l.substring(2, l.indexOf(": ", 2) < 0 ? l.length() : l.indexOf(": ", 2))).toList();
            assertThat(named).as("problem paths on stderr:\n" + r.err()).containsExactlyInAnyOrderElementsOf(c.paths());
        } else {
            assertThat(r.err()).contains("ruleset");
        }
    }

}
