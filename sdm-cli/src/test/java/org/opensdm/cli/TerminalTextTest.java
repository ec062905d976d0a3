package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.json.SdmJson;

/** Request data that reaches a terminal carries no raw control or bidi formatting character. */
class TerminalTextTest {
    @TempDir
    Path tmp;

    /** What must never reach the terminal raw: ESC, BEL, CR, C1 CSI, the bidi overrides, isolates and marks. */
    private static final String DANGEROUS = "\u001b\u0007\r\u009b\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u007f";

    @Test
    void escapes_controls_and_bidi_characters_as_lower_case_unicode_escapes_and_leaves_the_rest() {
        assertThat(TerminalText.escape("a\u001b[31mb")).isEqualTo("a\\u001b[31mb");
        assertThat(TerminalText.escape("x\u202Ey\u2066z\u200F\u061C\u009B\n\t")).isEqualTo("x\\u202ey\\u2066z\\u200f\\u061c\\u009b\\u000a\\u0009");
        assertThat(TerminalText.escape("back\\slash é 漢 \ud83d\ude00 \u00a0")).isEqualTo("back\\slash é 漢 \ud83d\ude00 \u00a0");
        assertThat(TerminalText.escape(null)).isEqualTo("null");
        String once = TerminalText.escape(DANGEROUS);
        assertThat(once.chars().filter(c -> DANGEROUS.indexOf(c) >= 0)).isEmpty();
        assertThat(TerminalText.escape(once)).isEqualTo(once);
    }

    @Test
    void an_unknown_option_and_item_are_echoed_escaped_on_stderr() {
        String json = Cli.familyRisk2("2.0", "2024-03-01", "R1", "\"\\u001b]0;owned\\u0007\\u202e\"")
                .replace("\"answers\":{", "\"answers\":{\"\\u2067R99\\r\":\"a\",");

        Cli.Result r = Cli.runWithStdin(json, "evaluate", "-");

        assertThat(r.exit()).isEqualTo(2);
        assertNothingRaw(r.err());
        assertThat(r.err()).contains("answers.R1: option '\\u001b]0;owned\\u0007\\u202e' is not offered")
                .contains("answers.\\u2067R99\\u000d: unknown item");
    }

    @Test
    void an_unknown_ruleset_id_is_echoed_escaped() {
        Cli.Result r = Cli.runWithStdin("{\"ruleset\":\"x\\u001b[2J\\u202e\",\"answers\":{}}", "evaluate", "-");

        assertThat(r.exit()).isEqualTo(3);
        assertNothingRaw(r.err());
        assertThat(r.err()).contains("unknown ruleset 'x\\u001b[2J\\u202e'");
    }

    @Test
    void replay_text_output_escapes_the_recorded_case_id() throws Exception {
        Path log = tmp.resolve("decisions.jsonl");
        String request = Cli.familyRisk2("2.0", "2024-03-01").replace("{\"ruleset\"", "{\"caseId\":\"C-\\u001b[2J\\u202eevil\",\"ruleset\"");
        Cli.Result recorded = Cli.runWithStdin(request, "evaluate", "--record", log.toString(), "--compact", "-");
        assertThat(recorded.exit()).as(recorded.err()).isZero();

        Cli.Result r = Cli.run("replay", log.toString(), "--all");

        assertThat(r.exit()).as(r.err()).isZero();
        assertNothingRaw(r.out());
        assertThat(r.out()).contains("case C-\\u001b[2J\\u202eevil");
    }

    @Test
    @SuppressWarnings("unchecked")
    void diff_text_output_escapes_case_ids() throws Exception {
        Path sample = tmp.resolve("sample.jsonl");
        assertThat(Cli.run("sample", "ref.family-risk@2.0", "--count", "200", "--seed", "5", "-o", sample.toString()).exit()).isZero();
        List<String> lines = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(sample)) {
            Map<String, Object> request = new LinkedHashMap<>((Map<String, Object>) SdmJson.readPlain(line));
            request.put("caseId", "C\u001b[1m\u2066" + n++);
            lines.add(SdmJson.write(request));
        }
        Files.write(sample, lines);

        Cli.Result r = Cli.run("diff", "--from", "ref.family-risk@2.0", "--to", "ref.family-risk@2.1", "--cases", sample.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Changed cases").contains(" C\\u001b[1m\\u2066");
        assertNothingRaw(r.out());
    }

    @Test
    void an_esc_sequence_and_a_right_to_left_override_are_escaped() {
        String caseId = "\u001b]0;owned\u0007\u001b[2J C-1\u202eexe.txt";

        String shown = TerminalText.escape(caseId);

        assertThat(shown).isEqualTo("\\u001b]0;owned\\u0007\\u001b[2J C-1\\u202eexe.txt");
        assertThat(shown.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).isTrue();
    }

    @Test
    void every_c0_and_c1_control_del_bidi_control_and_line_separator_is_escaped_and_nothing_else() {
        for (char c = 0; c < 0x3000; c++) {
            boolean expected = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f
                    || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029;
            String shown = TerminalText.escape("a" + c + "b");
            if (expected) {
                assertThat(shown).as("U+%04X", (int) c).isEqualTo("a\\u%04xb".formatted((int) c));
            } else {
                assertThat(shown).as("U+%04X", (int) c).isEqualTo("a" + c + "b");
            }
        }
    }

    private static void assertNothingRaw(String text) {
        assertThat(text.chars().filter(c -> DANGEROUS.indexOf(c) >= 0 && c != '\r')).as(text).isEmpty();
        assertThat(text.replace("\r\n", "\n")).doesNotContain("\r");
    }
}
