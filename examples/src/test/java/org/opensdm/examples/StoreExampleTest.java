package org.opensdm.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.audit.DecisionRecord;
import org.opensdm.engine.audit.ReplayResult;
import org.opensdm.engine.audit.postgres.PostgresServer;

/** The store example, on a real PostgreSQL server: records from four threads into two chains, queries, verifies, replays, exports. */
class StoreExampleTest {
    @TempDir
    Path dir;

    @Test
    void records_queries_verifies_replays_and_exports_as_it_says() throws Exception {
        PostgresServer server = PostgresServer.shared();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        StoreExample.Findings f = StoreExample.run(server.dataSource(), "sdm_example", dir,
                SdmEngine.builder().classpathRulesets().build(), new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);

        assertThat(f.recorded()).isEqualTo(40);
        assertThat(f.north().intact()).isTrue();
        assertThat(f.south().intact()).isTrue();
        assertThat(f.north().records() + f.south().records()).isEqualTo(40);
        assertThat(f.caseRecords()).singleElement().extracting(DecisionRecord::caseId).isEqualTo("C-12");
        assertThat(f.veryHighOverridden()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.outcome().get("finalLevel")).isEqualTo("VERY_HIGH");
            assertThat(r.index().overrideApplied()).isTrue();
        });
        assertThat(f.replay().results()).hasSize(20).allMatch(r -> r.status() == ReplayResult.Status.IDENTICAL);
        assertThat(f.exportVerified().intact()).isTrue();
        assertThat(f.exportVerified().records()).isEqualTo(20);
        assertThat(out).contains("1. schema sdm_example at version 1").contains("every decision for case C-12: 1")
                .contains("verify north: intact: 20 records");
    }
}
