package org.opensdm.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.EvaluationRequest.OverrideRequest;
import org.opensdm.engine.json.SdmJson;

class SdmEngineTest {
    private static final SdmEngine ENGINE = Toy.engine();

    @Test
    void scores_levels_and_records_every_rule_that_fired() {
        Decision d = ENGINE.evaluate(Toy.request().build());

        assertThat(d.outcome().keySet())
                .containsExactly("score", "scoredLevel", "finalLevel", "overrideApplied", "flagged", "note");
        assertThat(d.outcome()).containsEntry("score", 2).containsEntry("scoredLevel", "MODERATE")
                .containsEntry("finalLevel", "MODERATE").containsEntry("overrideApplied", "NONE")
                .containsEntry("flagged", false).containsEntry("note", null);
        assertThat(d.ruleset().id()).isEqualTo("test.toy");
        assertThat(d.ruleset().version()).isEqualTo("1.0");
        assertThat(d.ruleset().status()).isEqualTo("reference");
        assertThat(d.ruleset().sha256()).hasSize(64);
        assertThat(d.caseId()).isEqualTo("C-1");
        assertThat(d.trail()).extracting(Decision.TrailEntry::rule)
                .startsWith("Q1 first question", "Q2 signs", "risk level")
                .contains("final: scored, no override", "Q3 flagged");
        Decision.TrailEntry q1 = d.trail().get(0);
        assertThat(q1.item()).isEqualTo("Q1");
        assertThat(q1.answer()).isEqualTo("b");
        assertThat(q1.effect()).containsExactly(Map.entry("risk", 1));
        assertThat(d.trail().get(1).answer()).isEqualTo(List.of("x"));
        assertThat(d.trail().get(2).effect()).containsEntry("score", 2).containsEntry("scoredLevel", "MODERATE");
    }

    @Test
    void an_exact_version_is_refused_before_its_effective_date_naming_both_dates() {
        // test.toy 2.0 is in force from 2024-01-01
        assertThatThrownBy(() -> ENGINE.evaluate(Toy.request().version("2.0").assessedOn(LocalDate.of(2010, 1, 1)).build()))
                .isInstanceOf(UnknownRulesetException.class)
                .hasMessage("test.toy 2.0 is not in force on 2010-01-01 (effective from 2024-01-01)");
        assertThatThrownBy(() -> ENGINE.evaluate(Toy.request().version("2.0").assessedOn(LocalDate.of(2023, 12, 31)).build()))
                .isInstanceOf(UnknownRulesetException.class).hasMessageContaining("not in force on 2023-12-31");
        // from its effective date on it is decided, and 1.0 stays available after 2.0 took over
        assertThat(ENGINE.evaluate(Toy.request().version("2.0").assessedOn(LocalDate.of(2024, 1, 1)).build()).ruleset().version())
                .isEqualTo("2.0");
        assertThat(ENGINE.evaluate(Toy.request().version("1.0").assessedOn(LocalDate.of(2030, 1, 1)).build()).ruleset().version())
                .isEqualTo("1.0");
        // the JSON way gives the same refusal
        assertThatThrownBy(() -> ENGINE.evaluateJson("{\"ruleset\":\"test.toy\",\"version\":\"1.0\",\"assessedOn\":\"2019-12-31\","
                + "\"answers\":{}}")).isInstanceOf(UnknownRulesetException.class)
                .hasMessage("test.toy 1.0 is not in force on 2019-12-31 (effective from 2020-01-01)");
    }

    @Test
    void the_what_if_view_decides_an_exact_version_on_any_date_and_records_nothing() {
        List<Decision> recorded = new ArrayList<>();
        SdmEngine logged = SdmEngine.builder().rulesetDirectory(Toy.rulesets()).decisionSink((r, d) -> recorded.add(d)).build();
        EvaluationRequest early = Toy.request().version("2.0").assessedOn(LocalDate.of(2010, 1, 1)).build();

        Decision d = logged.whatIf().evaluate(early);

        assertThat(d.ruleset().version()).isEqualTo("2.0");
        assertThat(d.assessedOn()).isEqualTo(LocalDate.of(2010, 1, 1));
        assertThat(recorded).as("a what-if decision is not recorded").isEmpty();
        assertThatThrownBy(() -> logged.evaluate(early)).isInstanceOf(UnknownRulesetException.class);
        // without a version, the what-if view still chooses by date, and nothing is in force before 1.0
        assertThat(logged.whatIf().evaluate(Toy.request().version(null).assessedOn(LocalDate.of(2022, 1, 1)).build())
                .ruleset().version()).isEqualTo("1.0");
        assertThatThrownBy(() -> logged.whatIf().evaluate(Toy.request().version(null).assessedOn(LocalDate.of(2010, 1, 1)).build()))
                .isInstanceOf(UnknownRulesetException.class).hasMessageContaining("no version of ruleset test.toy is in force on 2010-01-01");
        logged.evaluate(Toy.request().build());
        assertThat(recorded).hasSize(1);
    }

    @Test
    void zero_point_answers_appear_in_the_trail() {
        Decision d = ENGINE.evaluate(Toy.request().answer("Q1", "a").answer("Q2", List.of()).build());
        assertThat(d.trail()).filteredOn(e -> "Q1".equals(e.item())).singleElement()
                .satisfies(e -> assertThat(e.effect()).containsExactly(Map.entry("risk", 0)));
        assertThat(d.trail()).filteredOn(e -> "Q2".equals(e.item())).singleElement()
                .satisfies(e -> assertThat(e.effect()).containsExactly(Map.entry("risk", 0)));
    }

    @Test
    void a_multi_answer_is_a_set_kept_in_the_forms_option_order() {
        Decision d = ENGINE.evaluate(Toy.request().answer("Q2", List.of("z", "x")).build());
        assertThat(d.trail()).filteredOn(e -> "Q2".equals(e.item())).singleElement()
                .satisfies(e -> assertThat(e.answer()).isEqualTo(List.of("x", "z")));
    }

    @Test
    void multi_item_points_are_capped_by_max_points() {
        Decision d = ENGINE.evaluate(Toy.request().answer("Q1", "a").answer("Q2", List.of("x", "y", "z")).build());
        assertThat(d.outcome()).containsEntry("score", 3);
    }

    @Test
    void optional_item_and_input_fact_reach_the_rules() {
        Decision d = ENGINE.evaluate(Toy.request().answer("Q4", "a note").fact("urgent", true).build());
        assertThat(d.outcome()).containsEntry("note", "a note").containsEntry("flagged", true);
    }

    @Test
    void overrides_are_reported_with_whether_they_applied() {
        Decision policy = ENGINE.evaluate(Toy.request()
                .override(OverrideRequest.policy("P1", "r1"))
                .override(OverrideRequest.discretionary("r2")).build());
        assertThat(policy.outcome()).containsEntry("finalLevel", "VERY_HIGH").containsEntry("overrideApplied", "POLICY");
        assertThat(policy.overrides()).extracting(Decision.OverrideResult::applied).containsExactly(true, false);

        Decision veryHigh = ENGINE.evaluate(Toy.request().answer("Q1", "c").answer("Q2", List.of("y", "z"))
                .override(OverrideRequest.discretionary("worried")).build());
        assertThat(veryHigh.outcome()).containsEntry("score", 6).containsEntry("finalLevel", "VERY_HIGH")
                .containsEntry("overrideApplied", "NONE");
        assertThat(veryHigh.overrides()).singleElement().satisfies(o -> assertThat(o.applied()).isFalse());
    }

    @Test
    void identical_requests_give_byte_identical_json() {
        String json = "{\"ruleset\":\"test.toy\",\"version\":\"1.0\",\"assessedOn\":\"2024-03-01\",\"caseId\":\"C-9\","
                + "\"answers\":{\"Q3\":true,\"Q2\":[\"y\",\"x\"],\"Q1\":\"b\"},"
                + "\"overrides\":[{\"type\":\"discretionary\",\"reason\":\"r\"}]}";
        String first = ENGINE.evaluateJson(json);
        SdmEngine other = Toy.engine();
        for (int i = 0; i < 20; i++) {
            assertThat(ENGINE.evaluateJson(json)).isEqualTo(first);
            assertThat(other.evaluateJson(json)).isEqualTo(first);
        }
        assertThat(first).startsWith("{\"ruleset\":{\"id\":\"test.toy\",\"version\":\"1.0\",\"sha256\":\"")
                .contains("\"outcome\":{\"score\":4,\"scoredLevel\":\"HIGH\",\"finalLevel\":\"VERY_HIGH\"")
                .contains("{\"rule\":\"Q2 signs\",\"item\":\"Q2\",\"answer\":[\"x\",\"y\"],\"effect\":{\"risk\":3}}")
                .contains("\"overrides\":[{\"type\":\"discretionary\",\"reason\":\"r\",\"applied\":true}]");
    }

    @Test
    void version_in_force_on_the_assessment_date_is_chosen() {
        assertThat(ENGINE.evaluate(Toy.request().version(null).assessedOn(LocalDate.of(2023, 12, 31)).build())
                .ruleset().version()).isEqualTo("1.0");
        assertThat(ENGINE.evaluate(Toy.request().version(null).assessedOn(LocalDate.of(2024, 1, 1)).build())
                .ruleset().version()).isEqualTo("2.0");
        assertThatThrownBy(() -> ENGINE.evaluate(Toy.request().version(null).assessedOn(LocalDate.of(2019, 1, 1)).build()))
                .isInstanceOf(UnknownRulesetException.class).hasMessageContaining("in force on 2019-01-01");
    }

    @Test
    void unknown_ruleset_or_version_is_its_own_error() {
        assertThatThrownBy(() -> ENGINE.evaluate(EvaluationRequest.builder("nope").build()))
                .isInstanceOf(UnknownRulesetException.class).hasMessageContaining("unknown ruleset 'nope'");
        assertThatThrownBy(() -> ENGINE.evaluate(Toy.request().version("9.9").build()))
                .isInstanceOf(UnknownRulesetException.class).hasMessageContaining("no version '9.9'");
    }

    @Test
    void every_request_problem_is_named_before_any_rule_runs() {
        EvaluationRequest bad = EvaluationRequest.builder("test.toy").version("1.0")
                .answer("Q1", "z")
                .answer("Q2", "x")
                .answer("Q9", "a")
                .fact("urgent", "yes")
                .fact("other", true)
                .override(new OverrideRequest("policy", "P7", null, " "))
                .override(new OverrideRequest("screening", null, "SCREEN_IN", "r"))
                .override(new OverrideRequest("discretionary", "P1", null, "r"))
                .build();
        assertThatThrownBy(() -> ENGINE.evaluate(bad)).isInstanceOfSatisfying(InvalidRequestException.class, e ->
                assertThat(e.problems()).extracting(Problem::path).containsExactly(
                        "answers.Q1", "answers.Q2", "answers.Q3", "answers.Q9",
                        "overrides[0].reason", "overrides[0].code", "overrides[1].type", "overrides[2].code",
                        "facts.urgent", "facts.other"));
    }

    @Test
    void multi_answers_are_checked_element_by_element() {
        EvaluationRequest bad = Toy.request().answer("Q2", List.of("x", "x", "w", 3)).build();
        assertThatThrownBy(() -> ENGINE.evaluate(bad)).isInstanceOfSatisfying(InvalidRequestException.class, e ->
                assertThat(e.problems()).extracting(Problem::toString).containsExactly(
                        "answers.Q2[1]: option 'x' is chosen twice",
                        "answers.Q2[2]: option 'w' is not offered (x, y, z)",
                        "answers.Q2[3]: must be an option key string, not a number"));
    }

    @Test
    void json_shape_and_manifest_problems_are_reported_together() {
        String json = "{\"ruleset\":\"test.toy\",\"version\":\"1.0\",\"extra\":1,\"answers\":{\"Q1\":[\"b\"],\"Q2\":[],\"Q3\":\"no\"},"
                + "\"overrides\":[{\"type\":\"discretionary\",\"reason\":\"\",\"why\":\"x\"}]}";
        assertThatThrownBy(() -> ENGINE.evaluateJson(json)).isInstanceOfSatisfying(InvalidRequestException.class, e ->
                assertThat(e.problems()).extracting(Problem::path).containsExactly(
                        "extra", "overrides[0].why", "answers.Q1", "answers.Q3", "overrides[0].reason"));
    }

    @Test
    void malformed_json_is_one_located_problem() {
        assertThatThrownBy(() -> ENGINE.evaluateJson("{\"ruleset\": \"test.toy\",\n \"answers\": {"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p.toString()).startsWith("$: malformed JSON at line 2")));
        assertThatThrownBy(() -> ENGINE.evaluateJson("{\"ruleset\":\"a\",\"ruleset\":\"b\"}"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p.message()).contains("the key \"ruleset\" is given twice")));
        assertThatThrownBy(() -> ENGINE.evaluateJson(""))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p.message()).contains("empty input")));
        assertThatThrownBy(() -> ENGINE.evaluateJson("[1]"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p.message()).isEqualTo("must be a JSON object, not an array")));
    }

    @Test
    void decisions_from_many_threads_equal_the_sequential_ones() throws Exception {
        List<EvaluationRequest> requests = new ArrayList<>();
        String[] q1 = {"a", "b", "c"};
        List<List<String>> q2 = List.of(List.of(), List.of("x"), List.of("y"), List.of("x", "z"), List.of("x", "y", "z"));
        for (String a : q1) {
            for (List<String> b : q2) {
                for (boolean c : new boolean[] {true, false}) {
                    requests.add(Toy.request().answer("Q1", a).answer("Q2", b).answer("Q3", c).build());
                    requests.add(Toy.request().answer("Q1", a).answer("Q2", b).answer("Q3", c)
                            .override(OverrideRequest.discretionary("r")).build());
                }
            }
        }
        List<String> sequential = requests.stream().map(r -> SdmJson.write(ENGINE.evaluate(r))).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    List<String> out = new ArrayList<>();
                    for (int round = 0; round < 20; round++) {
                        for (EvaluationRequest r : requests) {
                            out.add(SdmJson.write(ENGINE.evaluate(r)));
                        }
                    }
                    return out;
                }));
            }
            for (Future<List<String>> f : futures) {
                List<String> got = f.get();
                for (int i = 0; i < got.size(); i++) {
                    assertThat(got.get(i)).isEqualTo(sequential.get(i % requests.size()));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void drl_syntax_error_is_reported_with_file_and_line(@TempDir Path dir) {
        Toy.copy(dir);
        Toy.edit(dir.resolve("test.toy/1.0/toy.drl"), "    $c : CutPoints(index == \"risk\")", "    $c : CutPoints(index == ");
        SdmEngine engine = SdmEngine.builder().rulesetDirectory(dir).build();
        assertThatThrownBy(() -> engine.evaluate(Toy.request().build()))
                .isInstanceOfSatisfying(RulesetLoadException.class, e -> assertThat(e.problems()).isNotEmpty()
                        .allSatisfy(p -> {
                            assertThat(p.file()).endsWith("test.toy/1.0/toy.drl");
                            assertThat(p.line()).isEqualTo(36);
                            assertThat(p.column()).isEqualTo(5);
                        }));
        // the failure is kept, not recompiled, and reported again the same way
        assertThatThrownBy(() -> engine.compile("test.toy", "1.0")).isInstanceOf(RulesetLoadException.class)
                .hasMessageContaining("toy.drl:36:5");
        // the other version is untouched
        assertThat(engine.evaluate(Toy.request().version("2.0").build()).ruleset().version()).isEqualTo("2.0");
    }

    @Test
    void a_rule_reading_an_unknown_item_is_refused_at_load(@TempDir Path dir) {
        Toy.copy(dir);
        Toy.edit(dir.resolve("test.toy/1.0/toy.drl"), "@item(\"Q2\")", "@item(\"Q22\")");
        SdmEngine engine = SdmEngine.builder().rulesetDirectory(dir).build();
        assertThatThrownBy(() -> engine.evaluate(Toy.request().build()))
                .isInstanceOfSatisfying(RulesetLoadException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.file()).endsWith("test.toy/1.0/toy.drl");
                            assertThat(p.line()).isEqualTo(22);
                            assertThat(p.message()).isEqualTo("rule \"Q2 signs\": @item(\"Q22\") is not an item of the manifest");
                        }));
    }

    @Test
    void a_constraint_reading_an_unknown_item_is_refused_at_load(@TempDir Path dir) {
        Toy.copy(dir);
        Toy.edit(dir.resolve("test.toy/1.0/toy.drl"), "$a : Answer(item == \"Q4\")", "$a : Answer(item == \"Q5\")");
        SdmEngine engine = SdmEngine.builder().rulesetDirectory(dir).build();
        assertThatThrownBy(() -> engine.evaluate(Toy.request().build()))
                .isInstanceOf(RulesetLoadException.class)
                .hasMessageContaining("toy.drl:").hasMessageContaining("rule \"Q4 note\": reads item \"Q5\", which is not an item of the manifest");
    }

    @Test
    void a_looping_rule_is_stopped_by_the_firing_limit(@TempDir Path dir) {
        Toy.copy(dir);
        Toy.edit(dir.resolve("test.toy/1.0/toy.drl"), "rule \"Q4 note\"", """
                rule "seed"
                when
                    Level(name == "scored")
                then
                    insert(new Level("loop", RiskLevel.LOW));
                end

                rule "loop"
                when
                    $l : Level(name == "loop")
                then
                    insert(new Level("loop", $l.getLevel()));
                end

                rule "Q4 note\"""");
        SdmEngine engine = SdmEngine.builder().rulesetDirectory(dir).firingLimit(500).build();
        assertThatThrownBy(() -> engine.evaluate(Toy.request().build()))
                .isInstanceOf(EvaluationException.class).hasMessageContaining("firing limit");
    }

    @Test
    void a_session_whose_evaluation_failed_serves_the_next_one_clean(@TempDir Path dir) {
        // sessions are pooled: after a rule loops (firing limit) or throws, the next evaluation on
        // the same version must see nothing of it
        Toy.copy(dir);
        Toy.edit(dir.resolve("test.toy/1.0/toy.drl"), "rule \"Q4 note\"", """
                rule "seed a loop on Q1 c"
                when
                    Answer(item == "Q1", choice == "c")
                then
                    insert(new Level("loop", RiskLevel.LOW));
                end

                rule "loop"
                when
                    $l : Level(name == "loop")
                then
                    insert(new Level("loop", $l.getLevel()));
                end

                rule "throw on Q1 a"
                when
                    Answer(item == "Q1", choice == "a")
                then
                    outcome.set("undeclared", 1);
                end

                rule "Q4 note\"""");
        SdmEngine engine = SdmEngine.builder().rulesetDirectory(dir).firingLimit(300).build();
        String good = SdmJson.write(engine.evaluate(Toy.request().build()));
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> engine.evaluate(Toy.request().answer("Q1", "c").build()))
                    .isInstanceOf(EvaluationException.class).hasMessageContaining("firing limit");
            assertThat(SdmJson.write(engine.evaluate(Toy.request().build()))).isEqualTo(good);
            assertThatThrownBy(() -> engine.evaluate(Toy.request().answer("Q1", "a").build()))
                    .isInstanceOf(EvaluationException.class).hasMessageContaining("a rule failed");
            assertThat(SdmJson.write(engine.evaluate(Toy.request().build()))).isEqualTo(good);
        }
    }

    @Test
    void an_outcome_key_left_unset_or_set_twice_fails_the_evaluation(@TempDir Path dir) {
        Toy.copy(dir);
        Toy.edit(dir.resolve("test.toy/1.0/toy.drl"), "outcome.set(\"flagged\", $a.isYes() || $u);", "");
        Toy.edit(dir.resolve("test.toy/2.0/toy.drl"), "outcome.set(\"score\", s);", "outcome.set(\"score\", s); outcome.set(\"score\", s);");
        SdmEngine engine = SdmEngine.builder().rulesetDirectory(dir).build();
        assertThatThrownBy(() -> engine.evaluate(Toy.request().build()))
                .isInstanceOf(EvaluationException.class).hasMessageContaining("did not set outcome key flagged");
        assertThatThrownBy(() -> engine.evaluate(Toy.request().version("2.0").build()))
                .isInstanceOf(EvaluationException.class).hasMessageContaining("outcome key score set twice");
    }

    @Test
    void a_decision_sink_sees_every_decision_and_its_failure_withholds_the_decision() {
        List<String> seen = new ArrayList<>();
        SdmEngine recording = SdmEngine.builder().rulesetDirectory(Toy.rulesets())
                .decisionSink((request, decision) -> seen.add(request.caseId() + ":" + decision.outcome().get("finalLevel")))
                .build();
        recording.evaluate(Toy.request().build());
        assertThat(seen).containsExactly("C-1:MODERATE");
        assertThatThrownBy(() -> recording.evaluate(Toy.request().answer("Q1", "zz").build()))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(seen).hasSize(1);

        SdmEngine failing = SdmEngine.builder().rulesetDirectory(Toy.rulesets())
                .decisionSink((request, decision) -> { throw new IllegalStateException("disk full"); }).build();
        assertThatThrownBy(() -> failing.evaluate(Toy.request().build())).hasMessage("disk full");
    }

    @Test
    void a_request_over_the_size_limit_is_refused_unread() {
        SdmEngine small = SdmEngine.builder().rulesetDirectory(Toy.rulesets()).maxRequestBytes(200).build();
        String json = "{\"ruleset\":\"test.toy\",\"caseId\":\"" + "x".repeat(300) + "\"}";
        assertThatThrownBy(() -> small.evaluateJson(json)).isInstanceOfSatisfying(InvalidRequestException.class, e ->
                assertThat(e.problems()).singleElement().hasToString("$: the request is " + json.length()
                        + " bytes, more than the limit of 200 bytes"));
        String oneMegabyteString = "{\"ruleset\":\"test.toy\",\"caseId\":\"" + "x".repeat(1 << 20) + "\"}";
        assertThatThrownBy(() -> ENGINE.evaluateJson(oneMegabyteString)).isInstanceOfSatisfying(InvalidRequestException.class,
                e -> assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("more than the limit")));
    }

    @Test
    void a_flood_of_unknown_answers_is_refused_naming_the_first_twenty() {
        EvaluationRequest.Builder b = Toy.request();
        for (int i = 0; i < 50; i++) {
            b.answer("X" + i, i);
        }
        assertThatThrownBy(() -> ENGINE.evaluate(b.build())).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.problems()).hasSize(21);
            assertThat(e.problems().get(0)).hasToString("answers.X0: unknown item: not an item of test.toy 1.0");
            assertThat(e.problems().get(20)).hasToString("answers: 30 more unknown items (53 answers for 4 items)");
        });
    }

    @Test
    void deeply_nested_json_is_refused_as_malformed() {
        String json = "{\"ruleset\":\"test.toy\",\"answers\":{\"Q1\":" + "[".repeat(5000) + "]".repeat(5000) + "}}";
        assertThatThrownBy(() -> ENGINE.evaluateJson(json)).isInstanceOfSatisfying(InvalidRequestException.class, e ->
                assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.message()).startsWith("malformed JSON")
                        .contains("nesting depth")));
    }

    @Test
    void the_engine_version_comes_from_the_build() {
        assertThat(SdmEngine.VERSION).matches("\\d+\\.\\d+\\.\\d+.*");
    }
}
