package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opensdm.engine.json.SdmJson;

/** {@code sdm whatif FILE|-}. */
class WhatIfCommandTest {
    @Test
    @SuppressWarnings("unchecked")
    void prints_the_changes_that_move_the_final_level_and_the_index_positions() {
        Cli.Result r = Cli.run("whatif", "--compact", Cli.resource("requests/family-risk-2.0.json"));

        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, Object> report = (Map<String, Object>) SdmJson.readPlain(r.out());
        assertThat(report).containsEntry("key", "finalLevel").containsKey("finalLevel");
        Object level = report.get("finalLevel");
        List<Map<String, Object>> changes = (List<Map<String, Object>>) report.get("changes");
        assertThat(changes).isNotEmpty().allSatisfy(c -> assertThat(c.get("finalLevel")).isNotEqualTo(level));
        assertThat((List<Map<String, Object>>) report.get("indices")).extracting(i -> i.get("index")).containsExactly("neglect", "abuse");
    }

    @Test
    void reads_standard_input_and_refuses_an_invalid_request_or_an_unknown_key_with_exit_2() {
        Cli.Result bad = Cli.runWithStdin("{\"ruleset\":\"ref.family-risk\",\"answers\":{\"R1\":\"z\"}}", "whatif", "-");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("answers.R1").doesNotContain("\tat ");

        Cli.Result key = Cli.run("whatif", "--key", "nope", Cli.resource("requests/family-risk-2.0.json"));
        assertThat(key.exit()).isEqualTo(2);
        assertThat(key.err()).contains("--key: \"nope\" is not an outcome key of ref.family-risk");
    }
}
