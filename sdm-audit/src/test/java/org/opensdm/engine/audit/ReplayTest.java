package org.opensdm.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.Toy;
import org.opensdm.engine.audit.ReplayResult.Difference;
import org.opensdm.engine.audit.ReplayResult.Status;

class ReplayTest {
    @TempDir
    Path dir;

    private Path log(int n) {
        return Logs.filled(dir.resolve("decisions.jsonl"), n);
    }

    @Test
    void replaying_under_the_same_rulesets_is_identical_for_every_record() {
        Path log = log(30);

        ReplayReport r = Replay.with(Logs.ENGINE).run(log);

        assertThat(r.results()).hasSize(30).allSatisfy(x -> {
            assertThat(x.status()).as("%s", x).isEqualTo(Status.IDENTICAL);
            assertThat(x.differences()).isEmpty();
        });
        assertThat(r.results()).extracting(ReplayResult::seq).isSorted();
        assertThat(r.summary().allIdentical()).isTrue();
        assertThat(r.summary().count(Status.IDENTICAL)).isEqualTo(30);
        assertThat(r.summary().describe()).isEqualTo("30 records: 30 IDENTICAL");
        assertThat(Replay.with(Logs.ENGINE).threads(1).run(log).results()).isEqualTo(r.results());
    }

    @Test
    void a_record_dated_before_its_versions_effective_date_still_replays_and_as_version_works_on_any_date() {
        // an engine before the date check decided test.toy 2.0 (in force from 2024-01-01) on 2023-06-01; its record must
        // still replay, and a what-if under 1.0 or 2.0 must evaluate whatever the dates
        Path file = dir.resolve("early.jsonl");
        org.opensdm.engine.EvaluationRequest early = Toy.request().version("2.0").assessedOn(LocalDate.of(2023, 6, 1))
                .answer("Q1", "c").build();
        try (DecisionLog log = Logs.open(file)) {
            log.accept(early, Logs.ENGINE.whatIf().evaluate(early));
            org.opensdm.engine.EvaluationRequest v1 = Toy.request().version("1.0").assessedOn(LocalDate.of(2020, 1, 1)).build();
            log.accept(v1, Logs.ENGINE.evaluate(v1));
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Logs.ENGINE.evaluate(early))
                .hasMessage("test.toy 2.0 is not in force on 2023-06-01 (effective from 2024-01-01)");

        assertThat(Replay.with(Logs.ENGINE).run(file).results()).extracting(ReplayResult::status)
                .containsExactly(Status.IDENTICAL, Status.IDENTICAL);
        // 2020-01-01 under 2.0 (from 2024-01-01): a what-if, decided
        List<ReplayResult> as20 = Replay.with(Logs.ENGINE).asVersion("2.0").run(file).results();
        assertThat(as20).extracting(ReplayResult::status).containsExactly(Status.IDENTICAL, Status.IDENTICAL); // not FAILED
        assertThat(as20.get(1).replayedVersion()).isEqualTo("2.0");
        assertThat(as20.get(1).message()).isNull();
    }

    @Test
    void a_request_without_a_date_replays_on_the_day_it_was_decided() {
        SdmEngine dated = SdmEngine.builder().rulesetDirectory(Toy.rulesets())
                .clock(java.time.Clock.fixed(java.time.Instant.parse("2023-06-01T12:00:00Z"), java.time.ZoneOffset.UTC)).build();
        Path file = dir.resolve("undated.jsonl");
        try (DecisionLog log = Logs.open(file)) {
            dated.withDecisionSink(log).evaluate(Toy.request().assessedOn(null).version(null).answer("Q1", "c").build());
        }
        DecisionRecord r = DecisionLogTest.records(file).get(0);
        assertThat(r.request()).doesNotContainKey("assessedOn").doesNotContainKey("version");
        assertThat(r.assessedOn()).isEqualTo(LocalDate.of(2023, 6, 1));
        assertThat(r.rulesetVersion()).isEqualTo("1.0"); // 2.0 is in force from 2024-01-01 and scores Q1 c differently

        ReplayResult x = Replay.with(Logs.ENGINE).run(file).results().get(0);

        assertThat(x.status()).as("%s", x).isEqualTo(Status.IDENTICAL);
        assertThat(x.replayedVersion()).isEqualTo("1.0");
    }

    @Test
    void filters_select_by_case_date_and_ruleset() {
        Path log = log(30);
        Replay replay = Replay.with(Logs.ENGINE);

        assertThat(replay.filter(ReplayFilter.ALL.withCaseId("C-7")).run(log).results())
                .singleElement().satisfies(x -> assertThat(x.caseId()).isEqualTo("C-7"));
        List<ReplayResult> march = replay.filter(ReplayFilter.ALL.withFrom(LocalDate.of(2024, 3, 5))
                .withTo(LocalDate.of(2024, 3, 6))).run(log).results();
        assertThat(march).extracting(ReplayResult::caseId).containsExactly("C-4", "C-5");
        assertThat(replay.filter(ReplayFilter.ALL.withRulesetId("other")).run(log).results()).isEmpty();
        assertThat(replay.filter(ReplayFilter.ALL.withRulesetId("test.toy")).run(log).results()).hasSize(30);
    }

    @Test
    void an_edited_drl_in_the_ruleset_copy_is_reported_as_ruleset_changed() {
        Path log = log(10);
        Path copy = Toy.copy(dir.resolve("rulesets"));
        Toy.edit(copy.resolve("test.toy/1.0/toy.drl"), "rule \"Q4 note\"", "// an analyst's comment\nrule \"Q4 note\"");
        SdmEngine edited = SdmEngine.builder().rulesetDirectory(copy).build();
        String newSha = edited.registry().find("test.toy", "1.0").orElseThrow().sha256();

        ReplayReport r = Replay.with(edited).run(log);

        assertThat(r.results()).filteredOn(x -> x.rulesetVersion().equals("1.0")).isNotEmpty().allSatisfy(x -> {
            assertThat(x.status()).isEqualTo(Status.RULESET_CHANGED);
            assertThat(x.message()).contains("test.toy 1.0 changed").contains(newSha);
            assertThat(x.differences()).isEmpty(); // a comment changes the hash, not the decision
        });
        assertThat(r.results()).filteredOn(x -> x.rulesetVersion().equals("2.0")).isNotEmpty()
                .allSatisfy(x -> assertThat(x.status()).isEqualTo(Status.IDENTICAL));
        assertThat(r.summary().allIdentical()).isFalse();
        assertThat(r.summary().count(Status.RULESET_CHANGED)).isEqualTo(8);
    }

    @Test
    void a_version_that_is_not_available_is_reported_as_ruleset_missing() throws IOException {
        Path log = log(5);
        Path copy = Toy.copy(dir.resolve("rulesets"));
        deleteTree(copy.resolve("test.toy/2.0"));
        SdmEngine without20 = SdmEngine.builder().rulesetDirectory(copy).build();

        ReplayReport r = Replay.with(without20).run(log);

        assertThat(r.results()).filteredOn(x -> x.status() == Status.RULESET_MISSING).singleElement().satisfies(x -> {
            assertThat(x.caseId()).isEqualTo("C-4");
            assertThat(x.message()).isEqualTo("ruleset test.toy version 2.0 is not available (available: 1.0)");
        });
        assertThat(r.summary().count(Status.IDENTICAL)).isEqualTo(4);
    }

    @Test
    void a_changed_cut_point_under_a_new_version_replays_as_different_naming_each_field() throws IOException {
        Path log = log(12);
        Path copy = Toy.copy(dir.resolve("rulesets"));
        Path v11 = copy.resolve("test.toy/1.1");
        Files.createDirectories(v11);
        Files.copy(copy.resolve("test.toy/1.0/toy.drl"), v11.resolve("toy.drl"));
        Files.writeString(v11.resolve("ruleset.yaml"), Files.readString(copy.resolve("test.toy/1.0/ruleset.yaml"))
                .replace("version: \"1.0\"", "version: \"1.1\"")
                .replace("effectiveFrom: 2020-01-01", "effectiveFrom: 2030-01-01") // a version takes effect on its own day
                .replace("{level: LOW, min: 0, max: 1}", "{level: LOW, min: 0, max: 2}")
                .replace("{level: MODERATE, min: 2, max: 3}", "{level: MODERATE, min: 3, max: 3}"));
        SdmEngine engine = SdmEngine.builder().rulesetDirectory(copy).build();

        ReplayReport r = Replay.with(engine).filter(ReplayFilter.ALL.withCaseId("C-1")).asVersion("1.1").run(log);

        // C-1: Q1 b (1) + Q2 [x] (1) = 2: MODERATE under 1.0, LOW under 1.1
        ReplayResult x = r.results().get(0);
        assertThat(x.status()).isEqualTo(Status.DIFFERENT);
        assertThat(x.rulesetVersion()).isEqualTo("1.0");
        assertThat(x.replayedVersion()).isEqualTo("1.1");
        assertThat(x.differences()).containsExactly(
                new Difference("outcome.scoredLevel", "\"MODERATE\"", "\"LOW\""),
                new Difference("outcome.finalLevel", "\"MODERATE\"", "\"LOW\""),
                new Difference("trail[2].effect.scoredLevel", "\"MODERATE\"", "\"LOW\""),
                new Difference("trail[3].effect.finalLevel", "\"MODERATE\"", "\"LOW\""));
        assertThat(x.differences().get(0).toString()).isEqualTo("outcome.scoredLevel: recorded \"MODERATE\", replayed \"LOW\"");
    }

    @Test
    void a_forged_outcome_with_a_recomputed_chain_is_caught_by_replay() {
        Path log = log(3);
        List<String> lines = Logs.lines(log);
        // rewrite record 2's final level and re-chain everything after it: verify sees an intact chain
        String forged = DecisionLogTest.rehash(lines.get(1),
                n -> DecisionLogTest.at(n, "decision", "outcome").put("finalLevel", "LOW"));
        String hash2 = forged.substring(forged.indexOf("\"hash\":\"") + 8, forged.indexOf("\"hash\":\"") + 72);
        String third = DecisionLogTest.rehash(lines.get(2), n -> n.put("previousHash", hash2));
        Logs.write(log, List.of(lines.get(0), forged, third));
        assertThat(DecisionLog.verify(log).intact()).isTrue();

        ReplayReport r = Replay.with(Logs.ENGINE).run(log);

        assertThat(r.results().get(1).status()).isEqualTo(Status.DIFFERENT);
        assertThat(r.results().get(1).differences()).extracting(Difference::field).containsExactly("outcome.finalLevel");
        assertThat(r.summary().describe()).isEqualTo("3 records: 2 IDENTICAL, 1 DIFFERENT");
    }

    @Test
    void unreadable_lines_are_reported_and_a_torn_tail_is_left_out() {
        Path log = log(3);
        List<String> lines = Logs.lines(log);
        lines.add(1, "not a record");
        Logs.write(log, lines);
        byte[] b = Logs.bytes(log);
        Logs.write(log, java.util.Arrays.copyOf(b, b.length - 20));

        ReplayReport r = Replay.with(Logs.ENGINE).run(log);

        assertThat(r.results()).extracting(ReplayResult::status).containsExactly(Status.IDENTICAL, Status.UNREADABLE, Status.IDENTICAL);
        assertThat(r.results().get(1).line()).isEqualTo(2);
        assertThat(r.tornTail()).isEqualTo(4);
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
