package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
    @Test
    void an_esc_sequence_and_a_right_to_left_override_are_escaped() {
        String caseId = "\u001b]0;owned\u0007\u001b[2J C-1\u202eexe.txt";

        String shown = TerminalText.escape(caseId);

        assertThat(shown).isEqualTo("\\u001b]0;owned\\u0007\\u001b[2J C-1\\u202eexe.txt");
        assertThat(shown.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).isTrue();
    }

    @Test
    void every_c0_and_c1_control_del_and_bidi_control_is_escaped_and_nothing_else() {
        for (char c = 0; c < 0x3000; c++) {
            boolean expected = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f
                    || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029;
            String shown = TerminalText.escape("a" + c + "b");
            if (c == '\\') {
                assertThat(shown).isEqualTo("a\\\\b");
            } else if (expected) {
                assertThat(shown).as("U+%04X", (int) c).isEqualTo("a\\u%04xb".formatted((int) c));
            } else {
                assertThat(shown).as("U+%04X", (int) c).isEqualTo("a" + c + "b");
            }
        }
    }

    @Test
    void plain_text_is_unchanged_and_a_backslash_is_doubled_so_escapes_read_back_unambiguously() {
        String plain = "C-1001 Zoë 日本 😀";
        assertThat(TerminalText.escape(plain)).isSameAs(plain);
        assertThat(TerminalText.escape("\\u001b")).isEqualTo("\\\\u001b");
        assertThat(TerminalText.escape("\u001b")).isEqualTo("\\u001b");
        assertThat(TerminalText.escape(null)).isEqualTo("null");
    }
}
