package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Markdown link of README.md and docs/ points to a file or folder inside the repository:
 * no link leaves it (no web address, no path above the repository root), and none is broken;
 * and no page sends its reader to the team's notes outside the repository ({@code ../shared}).
 */
class DocsLinksTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void every_link_of_the_readme_and_docs_stays_inside_the_repository_and_resolves() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<String> bad = new ArrayList<>();
        int links = 0;
        for (Path page : pages) {
            String text = Files.readString(page);
            if (text.contains("../shared")) {
                bad.add(ROOT.relativize(page) + " names ../shared, which is not in the repository");
            }
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("#")) {
                    continue; // a heading of the same page
                }
                links++;
                String where = ROOT.relativize(page) + ": " + target;
                if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                    bad.add(where + " leaves the repository");
                    continue;
                }
                Path resolved = page.getParent().resolve(target.replaceAll("#.*$", "")).normalize();
                if (!resolved.startsWith(ROOT)) {
                    bad.add(where + " points above the repository root");
                } else if (!Files.exists(resolved)) {
                    bad.add(where + " does not exist");
                }
            }
        }
        assertThat(bad).isEmpty();
        assertThat(links).as("links checked").isGreaterThan(20);
    }
}
