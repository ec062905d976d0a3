package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code sdm sample}: N valid random requests, JSON Lines, reaching every level; same seed, same file. */
class SampleCommandTest {
    @Test
    void the_same_seed_writes_the_same_lines_and_every_line_is_a_valid_request() {
        Cli.Result a = Cli.run("sample", "ref.family-risk@1.0", "--count", "80", "--seed", "11");
        Cli.Result b = Cli.run("sample", "ref.family-risk@1.0", "--count", "80", "--seed", "11");
        Cli.Result c = Cli.run("sample", "ref.family-risk@1.0", "--count", "80", "--seed", "12");

        assertThat(a.exit()).as(a.err()).isZero();
        assertThat(a.out()).isEqualTo(b.out()).isNotEqualTo(c.out());
        assertThat(a.outLines()).hasSize(80);
        Set<Object> levels = new HashSet<>();
        for (String line : a.outLines()) {
            levels.add(Cli.SHIPPED.evaluateJson(line.getBytes(StandardCharsets.UTF_8)).outcome().get("finalLevel"));
        }
        assertThat(levels).containsExactlyInAnyOrder("LOW", "MODERATE", "HIGH", "VERY_HIGH");
    }

    @Test
    void too_few_requests_for_every_level_exit_1_naming_what_is_missing() {
        Cli.Result r = Cli.run("sample", "ref.family-risk@2.0", "--count", "2");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.outLines()).hasSize(2);
        assertThat(r.err()).contains("do not reach every level; not reached:");
    }

    @Test
    void a_bad_version_argument_is_a_usage_error_and_an_unknown_version_exits_3() {
        assertThat(Cli.run("sample", "ref.family-risk", "--count", "5").exit()).isEqualTo(2);
        assertThat(Cli.run("sample", "ref.family-risk@2.0", "--count", "0").exit()).isEqualTo(2);
        Cli.Result unknown = Cli.run("sample", "ref.family-risk@9.0", "--count", "5");
        assertThat(unknown.exit()).isEqualTo(3);
        assertThat(unknown.err()).contains("9.0").doesNotContain("\tat ");
    }
}
