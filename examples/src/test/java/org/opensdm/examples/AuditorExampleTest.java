package org.opensdm.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.audit.LogVerification;
import org.opensdm.engine.audit.ReplayResult;

/** The auditor example records, verifies and replays as it says, and catches both kinds of tampering. */
class AuditorExampleTest {
    @TempDir
    Path dir;

    @Test
    void recorded_decisions_verify_and_replay_identical_and_tampering_is_caught() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        AuditorExample.Findings f = AuditorExample.run(dir, SdmEngine.builder().classpathRulesets().build(),
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);

        assertThat(f.intact().intact()).isTrue();
        assertThat(f.intact().records()).isEqualTo(12);
        assertThat(f.replay().summary().allIdentical()).isTrue();
        assertThat(f.replay().summary().records()).isEqualTo(12);

        assertThat(f.tampered().problem()).hasValueSatisfying(p -> {
            assertThat(p.line()).isEqualTo(5);
            assertThat(p.kind()).isEqualTo(LogVerification.Kind.EDITED);
        });

        assertThat(f.forgedVerify().intact()).isTrue();
        assertThat(f.forgedReplay().results()).filteredOn(r -> r.status() != ReplayResult.Status.IDENTICAL)
                .singleElement().satisfies(r -> {
                    assertThat(r.line()).isEqualTo(5);
                    assertThat(r.status()).isEqualTo(ReplayResult.Status.DIFFERENT);
                    assertThat(r.differences()).extracting(ReplayResult.Difference::field).containsExactly("outcome.finalLevel");
                });

        assertThat(out).contains("2. verify: intact: 12 records", "replay: 12 records: 12 IDENTICAL",
                "3. verify of an edited copy: line 5: record seq 5 was altered", "11 IDENTICAL, 1 DIFFERENT",
                "outcome.finalLevel: recorded");
    }
}
