package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.opensdm.engine.json.SdmJson;

/**
 * The example of docs/contract.md is what the engine does: its request, evaluated, gives the
 * decision shown (ruleset id, version and hash, engine version, case id, date, outcome,
 * overrides, and each trail entry shown, in order).
 */
class ContractExampleTest {
    private static final Path CONTRACT = Path.of("../docs/contract.md").toAbsolutePath().normalize();

    @Test
    @SuppressWarnings("unchecked")
    void the_example_request_gives_the_example_decision() throws IOException {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(CONTRACT));
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertThat(blocks).hasSize(2);
        String request = blocks.get(0);
        Map<String, Object> shown = (Map<String, Object>) SdmJson.readPlain(blocks.get(1)
                .replace("; ...\"", "\""));
        Map<String, Object> actual = (Map<String, Object>) SdmJson.readPlain(Cli.SHIPPED.evaluateJson(request));

        Map<String, Object> shownRuleset = (Map<String, Object>) shown.get("ruleset");
        Map<String, Object> actualRuleset = (Map<String, Object>) actual.get("ruleset");
        for (String k : List.of("id", "version", "sha256", "status")) {
            assertThat(actualRuleset.get(k)).as("ruleset." + k).isEqualTo(shownRuleset.get(k));
        }
        assertThat((String) actualRuleset.get("provenance")).startsWith(((String) shownRuleset.get("provenance")).strip());
        for (String k : List.of("engineVersion", "caseId", "assessedOn", "outcome", "overrides")) {
            assertThat(actual.get(k)).as(k).isEqualTo(shown.get(k));
        }
        List<Object> trail = (List<Object>) actual.get("trail");
        int from = 0;
        for (Object entry : (List<Object>) shown.get("trail")) {
            int at = trail.subList(from, trail.size()).indexOf(entry);
            assertThat(at).as("trail entry, in order: " + entry).isNotNegative();
            from += at + 1;
        }
    }
}
