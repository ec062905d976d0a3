package org.opensdm.rulesets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.opensdm.engine.SdmEngine;

/**
 * The exact bytes of a decision. Iteration order of maps reaches the JSON, and some JDK maps
 * change their order from one JVM run to the next; this golden file catches that (the values
 * themselves are the scenario files' business). The ruleset hash is masked so that an edit of
 * the manifest does not break this test.
 */
class DecisionJsonGoldenTest {
    @Test
    void decision_json_is_byte_for_byte_the_golden_one() throws Exception {
        SdmEngine engine = SdmEngine.builder().classpathRulesets().build();
        String request = Files.readString(golden("family-risk-2.0-request.json"));
        String actual = engine.evaluateJson(request).replaceFirst("\"sha256\":\"[0-9a-f]{64}\"", "\"sha256\":\"MASKED\"");
        String expected = Files.readString(golden("family-risk-2.0-decision.json"), StandardCharsets.UTF_8).strip()
                .replace("@ENGINE_VERSION@", SdmEngine.VERSION);
        assertThat(actual).isEqualTo(expected);
    }

    private static Path golden(String name) throws Exception {
        return Path.of(DecisionJsonGoldenTest.class.getResource("/golden/" + name).toURI());
    }
}
