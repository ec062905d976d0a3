package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.audit.DecisionLog;
import org.opensdm.engine.audit.LogVerification;

/** {@code sdm evaluate --record}, {@code sdm log verify|show}, {@code sdm replay}. */
class AuditCommandsTest {
    @TempDir
    Path dir;

    private Path log() {
        return dir.resolve("decisions.jsonl");
    }

    /** Records three family-risk decisions (cases A, B, C; B assessed in 2026, under 2.1) and one invalid request. */
    private Path recorded() throws IOException {
        Path batch = dir.resolve("batch.jsonl");
        Files.writeString(batch, String.join("\n",
                withCase(Cli.familyRisk2("2.0", "2024-03-01", "R1", "\"b\""), "A"),
                withCase(Cli.familyRisk2(null, "2026-02-01", "R3", "\"b\""), "B"),
                "{\"ruleset\":\"ref.family-risk\",\"answers\":{}}",
                withCase(Cli.familyRisk1("2020-05-05"), "C")) + "\n");
        Cli.Result r = Cli.run("evaluate", "--batch", batch.toString(), "--record", log().toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(2); // line 3 is invalid
        assertThat(r.outLines()).hasSize(4);
        return log();
    }

    private static String withCase(String request, String caseId) {
        return request.replaceFirst("\\{", "{\"caseId\":\"" + caseId + "\",");
    }

    @Test
    void evaluate_with_record_appends_every_decision_and_log_verify_says_intact() throws IOException {
        recorded();
        Cli.Result single = Cli.run("evaluate", "--record", log().toString(), Cli.resource("requests/family-risk-2.0.json"));
        assertThat(single.exit()).as(single.err()).isZero();

        Cli.Result v = Cli.run("log", "verify", log().toString());

        assertThat(v.exit()).as(v.out()).isZero();
        assertThat(v.out()).contains("intact: 4 records, last seq 4, last hash ");
        assertThat(Files.readAllLines(log())).hasSize(4);
    }

    @Test
    void log_verify_exits_1_naming_the_first_bad_line_and_why() throws IOException {
        recorded();
        List<String> lines = Files.readAllLines(log());
        Files.write(log(), List.of(lines.get(0), lines.get(2), lines.get(1)));

        Cli.Result v = Cli.run("log", "verify", log().toString());

        assertThat(v.exit()).isEqualTo(1);
        assertThat(v.out()).contains("line 2: records seq 2 and 3 are swapped");

        Files.write(log(), List.of(lines.get(0), lines.get(1).replace("\"B\"", "\"Z\""), lines.get(2)));
        Cli.Result edited = Cli.run("log", "verify", log().toString());
        assertThat(edited.exit()).isEqualTo(1);
        assertThat(edited.out()).contains("line 2: record seq 2 was altered");
    }

    @Test
    void a_torn_tail_is_reported_blocks_recording_and_repair_restores_an_appendable_log() throws IOException {
        recorded();
        byte[] b = Files.readAllBytes(log());
        Files.write(log(), Arrays.copyOf(b, b.length - 100));

        Cli.Result v = Cli.run("log", "verify", log().toString());
        assertThat(v.exit()).isEqualTo(1);
        assertThat(v.out()).contains("line 3: torn tail").contains("the 2 records before it are intact")
                .contains("sdm log verify --repair");

        Cli.Result refused = Cli.run("evaluate", "--record", log().toString(), Cli.resource("requests/family-risk-2.0.json"));
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err()).contains("torn last line (line 3").doesNotContain("internal error").doesNotContain("\tat ");

        Cli.Result repaired = Cli.run("log", "verify", "--repair", log().toString());
        assertThat(repaired.exit()).as(repaired.out()).isZero();
        assertThat(repaired.out()).contains("repaired: truncated the torn line 3").contains("intact: 2 records");

        Cli.Result again = Cli.run("evaluate", "--record", log().toString(), Cli.resource("requests/family-risk-2.0.json"));
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(Cli.run("log", "verify", log().toString()).out()).contains("intact: 3 records");
    }

    @Test
    void a_log_being_appended_to_elsewhere_is_refused_with_a_clear_message() throws IOException {
        try (DecisionLog open = DecisionLog.open(log())) {
            Cli.Result r = Cli.run("evaluate", "--record", log().toString(), Cli.resource("requests/family-risk-2.0.json"));

            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).startsWith("sdm: decision log ").contains("already open for appending");
        }
    }

    @Test
    void log_show_lists_records_and_filters_by_case() throws IOException {
        recorded();

        Cli.Result all = Cli.run("log", "show", log().toString());
        Cli.Result b = Cli.run("log", "show", log().toString(), "--case", "B");
        Cli.Result json = Cli.run("log", "show", log().toString(), "--json");

        assertThat(all.exit()).as(all.err()).isZero();
        assertThat(all.outLines()).hasSize(4);
        assertThat(all.outLines().get(0).split("\\s+")).startsWith("seq", "recordedAt", "caseId", "assessedOn", "ruleset");
        assertThat(b.outLines()).hasSize(2);
        assertThat(b.outLines().get(1).split("\\s+")).startsWith("2").contains("B", "2026-02-01", "ref.family-risk", "2.1");
        assertThat(b.outLines().get(1)).contains("finalLevel=");
        // the outcome in the manifest's order (the record itself holds its keys sorted)
        assertThat(b.outLines().get(1)).containsPattern("neglectScore=\\d+ abuseScore=\\d+ neglectLevel=\\w+ abuseLevel=\\w+ "
                + "scoredLevel=\\w+ finalLevel=\\w+ overrideApplied=NONE recommendation=\\w+$");
        assertThat(all.outLines().get(3)).as("1.0 has its own keys and order").contains(" neglectScore=");
        assertThat(Files.readAllLines(log()).get(1)).contains("\"outcome\":{\"abuseLevel\"");
        assertThat(json.outLines()).isEqualTo(Files.readAllLines(log()));
    }

    @Test
    void replay_of_an_untouched_log_is_identical_and_exits_0() throws IOException {
        recorded();

        Cli.Result r = Cli.run("replay", log().toString());
        Cli.Result json = Cli.run("replay", log().toString(), "--json", "--case", "C");
        Cli.Result dated = Cli.run("replay", log().toString(), "--from", "2024-01-01", "--to", "2024-12-31");

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo("replayed 3 records: 3 IDENTICAL");
        assertThat(json.exit()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) json.json().get("summary");
        assertThat(summary).containsEntry("records", 1).containsEntry("IDENTICAL", 1).containsEntry("DIFFERENT", 0);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) json.json().get("results");
        assertThat(results).singleElement()
                .satisfies(x -> assertThat(x).containsEntry("caseId", "C").containsEntry("version", "1.0"));
        assertThat(dated.out().strip()).isEqualTo("replayed 1 record: 1 IDENTICAL");
    }

    @Test
    void replay_lists_each_problem_on_a_line_of_its_own() throws IOException {
        recorded();

        // case A (2.0 items) replayed as 1.0 (other items): many problems
        Cli.Result r = Cli.run("replay", log().toString(), "--case", "A", "--as-version", "1.0");

        assertThat(r.exit()).isEqualTo(1);
        List<String> lines = r.outLines();
        int header = lines.indexOf("    the recorded request is not valid under ref.family-risk 1.0 (34 problems):");
        assertThat(header).as(r.out()).isPositive();
        assertThat(lines.get(header - 1)).contains("case A  2024-03-01  ref.family-risk 2.0 as 1.0  FAILED");
        List<String> problems = lines.subList(header + 1, header + 35);
        assertThat(problems).allMatch(l -> l.matches("      answers\\.[A-Z]+\\d+: (unknown item|missing): .*")
                && l.indexOf("answers.") == l.lastIndexOf("answers."), "one problem per line");
        assertThat(problems).contains("      answers.R1: unknown item: not an item of ref.family-risk 1.0",
                "      answers.N1: missing: every item must be answered (one of a, b)");
        assertThat(lines.get(header + 35)).isEqualTo("replayed 1 record: 1 FAILED");

    }

    @Test
    void log_show_keeps_record_order_for_keys_no_available_manifest_declares() {
        assertThat(LogCommand.Show.outcome(new java.util.TreeMap<>(Map.of("b", 1, "a", 2, "z", 3)), List.of("z", "b")))
                .isEqualTo("z=3 b=1 a=2");
        assertThat(LogCommand.Show.outcome(new java.util.TreeMap<>(Map.of("b", 1, "a", 2)), List.of())).isEqualTo("a=2 b=1");
    }

    @Test
    void replay_against_a_copy_with_an_edited_drl_reports_ruleset_changed_and_exits_1() throws IOException {
        recorded();
        Path copy = ShippedCopy.copy(dir.resolve("rulesets"), "ref.family-risk", "2.0");
        Path drl = copy.resolve("family-risk.drl");
        Files.writeString(drl, "// reviewed by an analyst\n" + Files.readString(drl));

        Cli.Result r = Cli.run("replay", log().toString(), "--rulesets", dir.resolve("rulesets").toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("case A  2024-03-01  ref.family-risk 2.0  RULESET_CHANGED")
                .contains("ruleset ref.family-risk 2.0 changed: recorded sha256 ")
                .contains("replayed 3 records: 2 IDENTICAL, 1 RULESET_CHANGED");
    }

    @Test
    void replay_under_a_new_version_with_a_changed_cut_point_reports_each_differing_field() throws IOException {
        recorded();
        Path copy = ShippedCopy.copy(dir.resolve("rulesets"), "ref.family-risk", "2.0");
        Path v201 = Files.move(copy, copy.resolveSibling("2.0.1"));
        Path manifest = v201.resolve("ruleset.yaml");
        String yaml = Files.readString(manifest);
        String edited = yaml.replace("version: \"2.0\"", "version: \"2.0.1\"")
                .replace("effectiveFrom: 2023-11-01", "effectiveFrom: 2030-01-01") // a version takes effect on its own day
                .replaceFirst("\\{level: LOW, min: 0, max: 1}", "{level: LOW, min: 0, max: 0}")
                .replaceFirst("\\{level: MODERATE, min: 2, max: 4}", "{level: MODERATE, min: 1, max: 4}");
        assertThat(edited).isNotEqualTo(yaml).contains("version: \"2.0.1\"");
        Files.writeString(manifest, edited);

        Cli.Result r = Cli.run("replay", log().toString(), "--rulesets", dir.resolve("rulesets").toString(),
                "--case", "A", "--as-version", "2.0.1");
        Cli.Result json = Cli.run("replay", log().toString(), "--rulesets", dir.resolve("rulesets").toString(),
                "--case", "A", "--as-version", "2.0.1", "--json");

        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        // case A: R1 b gives neglect 1: LOW under 2.0, MODERATE under 2.0.1
        assertThat(r.out()).contains("case A  2024-03-01  ref.family-risk 2.0 as 2.0.1  DIFFERENT")
                .contains("outcome.neglectLevel: recorded \"LOW\", replayed \"MODERATE\"")
                .contains("replayed 1 record: 1 DIFFERENT");
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) ((List<?>) json.json().get("results")).get(0);
        assertThat(result).containsEntry("status", "DIFFERENT");
        assertThat((List<Object>) result.get("differences")).contains(
                Map.of("field", "outcome.neglectLevel", "recorded", "LOW", "replayed", "MODERATE"));
    }

    // ------------------------------------------------------------ the head, anchoring the log

    @Test
    void evaluate_with_record_prints_the_logs_head_and_verify_head_detects_a_log_cut_short_or_rewritten() throws IOException {
        Path batch = dir.resolve("batch.jsonl");
        Files.writeString(batch, String.join("\n",
                withCase(Cli.familyRisk2("2.0", "2024-03-01", "R1", "\"b\""), "A"),
                withCase(Cli.familyRisk2("2.0", "2024-03-02", "R3", "\"b\""), "B")) + "\n");
        Cli.Result b = Cli.run("evaluate", "--batch", batch.toString(), "--record", log().toString());
        assertThat(b.exit()).as(b.err()).isZero();
        LogVerification two = DecisionLog.verify(log());
        assertThat(b.err()).isEqualTo("sdm: recorded: head 2:" + two.lastHash() + "\n");

        Cli.Result single = Cli.run("evaluate", "--record", log().toString(), Cli.resource("requests/family-risk-2.0.json"));
        assertThat(single.exit()).as(single.err()).isZero();
        String head = single.err().strip().replace("sdm: recorded: head ", "");
        assertThat(head).matches("3:[0-9a-f]{64}").isEqualTo("3:" + DecisionLog.verify(log()).lastHash());
        assertThat(single.out()).startsWith("{").doesNotContain("recorded");

        Cli.Result ok = Cli.run("log", "verify", log().toString(), "--head", head);
        assertThat(ok.exit()).as(ok.out()).isZero();
        assertThat(ok.out()).contains("intact: 3 records").contains("holds the head noted earlier: record seq 3");
        assertThat(Cli.run("log", "verify", log().toString(), "--head", "2:" + two.lastHash()).exit()).isZero();

        // the last record removed: the chain is intact, the head shows the cut
        List<String> lines = Files.readAllLines(log());
        Files.write(log(), lines.subList(0, 2));
        assertThat(Cli.run("log", "verify", log().toString()).exit()).isZero();
        Cli.Result cut = Cli.run("log", "verify", log().toString(), "--head", head);
        assertThat(cut.exit()).isEqualTo(1);
        assertThat(cut.out()).contains("line 3: cut short: the log ends at seq 2").contains("record seq 3 is missing");

        // a log made again from the start, as long as the noted one
        Files.delete(log());
        Cli.Result again = Cli.run("evaluate", "--batch", batch.toString(), "--record", log().toString());
        assertThat(again.exit()).isZero();
        Cli.Result third = Cli.run("evaluate", "--record", log().toString(), Cli.resource("requests/family-risk-2.0.json"));
        assertThat(third.exit()).isZero();
        Cli.Result rewritten = Cli.run("log", "verify", log().toString(), "--head", head);
        assertThat(rewritten.exit()).isEqualTo(1);
        assertThat(rewritten.out()).contains("line 3: record seq 3 has hash ").contains("rewritten");

        Cli.Result bad = Cli.run("log", "verify", log().toString(), "--head", "3:xyz");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--head 3:xyz: a log head's HASH (after ':') must be 64 hex digits").doesNotContain("\tat ");
    }

    // ------------------------------------------------------------ refusing to append, repairing

    @Test
    void evaluate_with_record_refuses_a_log_whose_last_record_does_not_verify_and_prints_no_decision() throws IOException {
        recorded();
        List<String> lines = Files.readAllLines(log());
        Files.write(log(), List.of(lines.get(0), lines.get(1), lines.get(2).replace("\"C\"", "\"D\"")));
        byte[] before = Files.readAllBytes(log());

        Cli.Result r = Cli.run("evaluate", "--record", log().toString(), Cli.resource("requests/family-risk-2.0.json"));

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("its last record (line 3) is not sound: its content does not match its hash")
                .doesNotContain("recorded: head").doesNotContain("internal error").doesNotContain("\tat ");
        assertThat(Files.readAllBytes(log())).isEqualTo(before);
    }

    @Test
    void verify_repair_adds_the_missing_newline_of_a_complete_last_record_instead_of_deleting_it() throws IOException {
        recorded();
        byte[] whole = Files.readAllBytes(log());
        Files.write(log(), Arrays.copyOf(whole, whole.length - 1));

        Cli.Result v = Cli.run("log", "verify", log().toString());
        assertThat(v.exit()).isEqualTo(1);
        assertThat(v.out()).contains("line 3: torn tail").contains("lacks its final newline")
                .contains("to add the missing newline, run: sdm log verify --repair");

        Cli.Result repaired = Cli.run("log", "verify", "--repair", log().toString());
        assertThat(repaired.exit()).as(repaired.out()).isZero();
        assertThat(repaired.out()).contains("repaired: added the missing newline at the end of line 3 (a complete record, kept)")
                .contains("intact: 3 records");
        assertThat(Files.readAllBytes(log())).isEqualTo(whole);
    }

    @Test
    void a_log_reached_through_a_symlink_while_open_elsewhere_is_refused() throws IOException {
        Path sym = Files.createSymbolicLink(dir.resolve("link.jsonl"), log().getFileName());
        try (DecisionLog open = DecisionLog.open(log())) {
            Cli.Result r = Cli.run("evaluate", "--record", sym.toString(), Cli.resource("requests/family-risk-2.0.json"));

            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).startsWith("sdm: decision log ").contains("already open for appending in this process");
        }
    }

    // ------------------------------------------------------------ bounded lines, terminal safety

    @Test
    void log_verify_names_a_line_over_the_limit_and_refuses_a_bad_limit() throws IOException {
        recorded();
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(log()));
        lines.add(1, "z".repeat(5000));
        Files.write(log(), lines);

        Cli.Result v = Cli.run("log", "verify", log().toString(), "--max-line-bytes", "4096");
        assertThat(v.exit()).isEqualTo(1);
        assertThat(v.out()).contains("line 2: not a decision record: line too long: 5000 bytes, over the limit of 4096 bytes");
        Cli.Result show = Cli.run("log", "show", log().toString(), "--max-line-bytes", "4096");
        assertThat(show.exit()).isEqualTo(1);
        assertThat(show.err()).contains("line 2: not a decision record: line too long: 5000 bytes");
        Cli.Result replay = Cli.run("replay", log().toString(), "--max-line-bytes", "4096");
        assertThat(replay.exit()).isEqualTo(1);
        assertThat(replay.out()).contains("line 2  UNREADABLE").contains("line too long: 5000 bytes, over the limit of 4096 bytes");

        Cli.Result bad = Cli.run("log", "verify", log().toString(), "--max-line-bytes", "0");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--max-line-bytes must be from 1 to");
    }

    @Test
    void log_show_prints_control_and_bidi_characters_from_the_log_escaped() throws IOException {
        recorded();
        // a case id holding an ESC sequence (clear the screen) and a right-to-left override, as JSON escapes
        String evil = "\\u001b[2J\\u202eexe.A";
        List<String> lines = Files.readAllLines(log());
        Files.write(log(), List.of(lines.get(0).replace("\"caseId\":\"A\"", "\"caseId\":\"" + evil + "\""), lines.get(1)));

        Cli.Result show = Cli.run("log", "show", log().toString());

        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.out()).contains("\\u001b[2J\\u202eexe.A").doesNotContain("\u001b").doesNotContain("\u202e");
        assertThat(show.outLines().get(1).split("\\s+")).startsWith("1");
        Cli.Result byCase = Cli.run("log", "show", log().toString(), "--case", "\u001b[2J\u202eexe.A");
        assertThat(byCase.outLines()).hasSize(2);
    }

    @Test
    void error_messages_quoting_a_log_reach_the_terminal_escaped() throws IOException {
        Files.writeString(log(), "{\"\\u001b[2J\\u202eevil\":1}\n"); // a member name with ESC and RLO, as JSON escapes

        Cli.Result r = Cli.run("evaluate", "--record", log().toString(), Cli.resource("requests/family-risk-2.0.json"));
        Cli.Result v = Cli.run("log", "verify", log().toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("its last record (line 1) is not sound: not a decision record: unknown member \\u001b[2J\\u202eevil")
                .doesNotContain("\u001b").doesNotContain("\u202e");
        assertThat(v.out()).contains("unknown member \\u001b[2J\\u202eevil").doesNotContain("\u001b");
    }

    @Test
    void log_verbs_on_a_missing_file_exit_2_without_a_stack_trace() {
        for (String[] args : List.of(new String[] {"log", "verify", "nope.jsonl"}, new String[] {"log", "show", "nope.jsonl"},
                new String[] {"replay", "nope.jsonl"})) {
            Cli.Result r = Cli.run(args);
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("cannot read nope.jsonl: no such file").doesNotContain("\tat ");
        }
        Cli.Result bad = Cli.run("replay", "nope.jsonl", "--from", "March");
        assertThat(bad.exit()).isEqualTo(2);
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
