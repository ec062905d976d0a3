package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.opensdm.engine.Decision;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.audit.CanonicalJson;
import org.opensdm.engine.audit.DecisionLog;
import org.opensdm.engine.audit.DecisionRecord;
import org.opensdm.engine.json.SdmJson;

/**
 * A decision log written by an earlier engine (commit f513502, before the one Jackson path: 96
 * records, 12 of every shipped version, case ids and override reasons with non-ASCII, astral,
 * control, quote, backslash and separator characters; {@code log-format-1.requests.jsonl} is what
 * was recorded) still verifies, replays identical, and the current engine writes each record's
 * request and decision as the same canonical bytes.
 */
class LogCompatibilityTest {
    private static final Path LOG = Path.of(Cli.resource("compat/log-format-1.jsonl"));

    @Test
    void an_earlier_engines_log_verifies_against_its_head_and_replays_identical() {
        Cli.Result v = Cli.run("log", "verify", "--head", "96:da93fefc456918f12e78a24f2c8cad87c6489c3a3db762db29ec26d71dce368a",
                LOG.toString());
        assertThat(v.exit()).as(v.out() + v.err()).isZero();
        assertThat(v.out()).contains("intact: 96 records");

        Cli.Result r = Cli.run("replay", LOG.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("replayed 96 records: 96 IDENTICAL");
    }

    @Test
    void the_current_engine_writes_the_same_canonical_request_and_decision() {
        SdmEngine engine = SdmEngine.builder().classpathRulesets().build();
        List<DecisionRecord> records;
        try (Stream<DecisionLog.LogEntry> s = DecisionLog.read(LOG)) {
            records = s.map(DecisionLog.LogEntry::record).toList();
        }
        assertThat(records).hasSize(96);
        for (DecisionRecord r : records) {
            EvaluationRequest request = r.evaluationRequest();
            Decision again = engine.evaluate(request);
            assertThat(CanonicalJson.write(SdmJson.requestPlain(request))).as("request of seq %d", r.seq())
                    .isEqualTo(CanonicalJson.write(r.request()));
            assertThat(CanonicalJson.write(SdmJson.plain(again))).as("decision of seq %d", r.seq())
                    .isEqualTo(CanonicalJson.write(r.decision()));
            assertThat(r.json()).as("line of seq %d", r.seq()).isEqualTo(lineOf(r));
        }
    }

    private static String lineOf(DecisionRecord r) {
        try (Stream<String> lines = java.nio.file.Files.lines(LOG)) {
            return lines.skip(r.seq() - 1).findFirst().orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
