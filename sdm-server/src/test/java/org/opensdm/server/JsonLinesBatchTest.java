package org.opensdm.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON Lines batch that sdm evaluate --batch and POST /evaluate/batch share: its limits. */
class JsonLinesBatchTest {
    private static final String LINE = "{\"ruleset\":\"ref.family-risk\",\"version\":\"2.0\",\"assessedOn\":\"2024-03-01\","
            + "\"answers\":{\"R1\":\"a\",\"R2\":\"a\",\"R3\":\"a\",\"R4\":\"a\",\"R5\":\"a\",\"R6\":\"a\",\"R7\":\"a\",\"R8\":\"a\","
            + "\"R9\":\"a\",\"R10\":\"a\",\"R11\":\"a\",\"R12\":\"a\",\"R13\":\"a\",\"R14\":\"a\"}}";

    /** An input of {@code total} zero bytes, made as it is read. */
    static final class Zeros extends InputStream {
        private final long total;
        long read;

        Zeros(long total) {
            this.total = total;
        }

        @Override
        public int read() {
            return read >= total ? -1 : (int) (0 * read++);
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (read >= total) {
                return -1;
            }
            int n = (int) Math.min(len, total - read);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            read += n;
            return n;
        }
    }

    @Test
    void line_reader_keeps_no_more_than_the_limit_of_an_over_long_line() throws IOException {
        Zeros zeros = new Zeros(50L << 20); // one 50 MB line without a newline
        JsonLinesBatch.LineReader reader = new JsonLinesBatch.LineReader(zeros, 1000);

        byte[] line = reader.next();

        assertThat(reader.tooLong()).isTrue();
        assertThat(line).isEmpty();
        assertThat(reader.length()).isEqualTo(50L << 20);
        assertThat(reader.next()).isNull();
    }

    private static List<String> run(JsonLinesBatch batch, String input) throws IOException {
        List<String> out = new ArrayList<>();
        batch.run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out::add);
        return out;
    }

    @Test
    void a_byte_limit_stops_at_the_line_that_passes_it_and_says_so() throws IOException {
        String input = (LINE + "\n").repeat(3);
        int two = 2 * (LINE.length() + 1);

        List<String> exact = run(JsonLinesBatch.on(Service.SHIPPED).maxBytes(input.length()), input);
        assertThat(exact).hasSize(3).allSatisfy(l -> assertThat(l).startsWith("{\"ruleset\":{"));

        List<String> cut = run(JsonLinesBatch.on(Service.SHIPPED).maxBytes(two + 10), input);
        assertThat(cut).hasSize(3);
        assertThat(cut.get(2)).isEqualTo("{\"line\":3,\"errors\":[{\"path\":\"$\",\"message\":\"the batch is more than the "
                + "limit of " + (two + 10) + " bytes: this line and any after it were not read\"}]}");

        // every line whole within the limit, but more input after it
        List<String> more = run(JsonLinesBatch.on(Service.SHIPPED).maxBytes(two - 1), input);
        assertThat(more).hasSize(3);
        assertThat(more.get(2)).startsWith("{\"line\":3,\"errors\"");
    }

    @Test
    void blank_lines_are_skipped_but_counted_and_a_byte_order_mark_is_not_part_of_the_first_line() throws IOException {
        List<String> out = run(JsonLinesBatch.on(Service.SHIPPED), "\uFEFF" + LINE + "\r\n\n   \n" + LINE);
        assertThat(out).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("{\"ruleset\":{"));
        List<String> failed = new ArrayList<>();
        JsonLinesBatch.Summary s = JsonLinesBatch.on(Service.SHIPPED).listener(new JsonLinesBatch.Listener() {
            @Override
            public void failed(int line, RuntimeException e) {
                failed.add(line + " " + Problems.kind(e));
            }
        }).run(new ByteArrayInputStream(("\n" + LINE + "\n{}\n").getBytes(StandardCharsets.UTF_8)), l -> { });
        assertThat(failed).containsExactly("3 invalid-request");
        assertThat(s).isEqualTo(new JsonLinesBatch.Summary(2, 1, false));
    }
}
