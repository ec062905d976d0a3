package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.json.SdmJson;

/**
 * A request is read only as far as the engine's request size limit and one byte more: an endless
 * or huge input is refused with exit 2, a request "file" that is a FIFO, a folder or a device is
 * refused before it is opened, and in a batch an over-long line gets its error object while the
 * other lines still get their decisions.
 */
class BoundedInputTest {
    private static final int LIMIT = Cli.SHIPPED.maxRequestBytes();

    @TempDir
    Path tmp;

    /** Endless zero bytes (or {@code total} of them), counting how many were read. */
    static final class Zeros extends InputStream {
        private final long total;
        long read;

        Zeros(long total) {
            this.total = total;
        }

        @Override
        public int read() {
            if (read >= total) {
                return -1;
            }
            read++;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
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
    void endless_standard_input_is_refused_with_exit_2_after_reading_the_limit_and_one_byte() {
        Zeros zeros = new Zeros(Long.MAX_VALUE);

        Cli.Result r = Cli.run(zeros, "evaluate", "-");

        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(zeros.read).isEqualTo(LIMIT + 1L);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("more than the limit of " + LIMIT + " bytes").doesNotContain("internal error", "\tat ");
    }

    @Test
    void four_hundred_megabytes_on_standard_input_are_not_read_past_the_limit() {
        Zeros zeros = new Zeros(400L << 20);

        Cli.Result r = Cli.run(zeros, "evaluate", "--compact", "-");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(zeros.read).isEqualTo(LIMIT + 1L);
    }

    @Test
    void a_request_of_exactly_the_limit_is_read_and_evaluated() {
        String request = Cli.familyRisk2("2.0", "2024-03-01");
        String padded = request + " ".repeat(LIMIT - request.length());

        Cli.Result r = Cli.runWithStdin(padded, "evaluate", "--compact", "-");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Cli.runWithStdin(padded + " ", "evaluate", "-").exit()).isEqualTo(2);
    }

    @Test
    void an_engine_with_a_smaller_limit_reads_no_more_than_that_limit_and_one_byte() {
        SdmEngine small = SdmEngine.builder().classpathRulesets().maxRequestBytes(100).build();
        Zeros zeros = new Zeros(Long.MAX_VALUE);
        var cmd = SdmCli.commandLine(zeros, dir -> small);
        var err = new java.io.StringWriter();
        cmd.setOut(new java.io.PrintWriter(new java.io.StringWriter(), true));
        cmd.setErr(new java.io.PrintWriter(err, true));

        int exit = cmd.execute("evaluate", "-");

        assertThat(exit).isEqualTo(2);
        assertThat(zeros.read).isEqualTo(101);
        assertThat(err.toString()).contains("more than the limit of 100 bytes");
    }

    @Test
    void an_over_limit_request_file_is_refused_by_its_size_with_exit_2() throws IOException {
        Path file = tmp.resolve("big.json");
        Files.write(file, new byte[LIMIT + 1]);

        Cli.Result r = Cli.run("evaluate", file.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("big.json").contains((LIMIT + 1) + " bytes, more than the limit of " + LIMIT);
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void a_fifo_as_request_file_is_refused_without_waiting_for_a_writer() throws Exception {
        Path fifo = mkfifo("request.json");

        Cli.Result single = Cli.run("evaluate", fifo.toString());
        Cli.Result batch = Cli.run("evaluate", "--batch", fifo.toString());

        for (Cli.Result r : List.of(single, batch)) {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("request.json").contains("a FIFO (named pipe), not a regular file")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void dev_zero_and_a_folder_as_request_file_are_refused() {
        assumeTrue(Files.exists(Path.of("/dev/zero")));

        Cli.Result device = Cli.run("evaluate", "/dev/zero");
        Cli.Result folder = Cli.run("evaluate", tmp.toString());

        assertThat(device.exit()).isEqualTo(2);
        assertThat(device.err()).contains("/dev/zero: a character device, not a regular file");
        assertThat(folder.exit()).isEqualTo(2);
        assertThat(folder.err()).contains("is a folder");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void diff_refuses_a_fifo_or_a_device_as_cases_file() throws Exception {
        Path fifo = mkfifo("cases.jsonl");

        for (String cases : List.of(fifo.toString(), "/dev/zero")) {
            Cli.Result r = Cli.run("diff", "--from", "ref.family-risk@2.0", "--to", "ref.family-risk@2.1", "--cases", cases);
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains(cases + ": a ").contains(", not a regular file");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void an_over_long_batch_line_gets_its_error_object_and_the_other_lines_their_decisions() throws IOException {
        Path batch = tmp.resolve("batch.jsonl");
        byte[] longLine = new byte[3 * LIMIT];
        java.util.Arrays.fill(longLine, (byte) ' ');
        longLine[0] = '{';
        String good = Cli.familyRisk2("2.0", "2024-03-01");
        try (var out = Files.newOutputStream(batch)) {
            out.write((good + "\n").getBytes(StandardCharsets.UTF_8));
            out.write(longLine);
            out.write(("\n" + good + "\r\n" + " ".repeat(LIMIT - good.length()) + good + "\r\n").getBytes(StandardCharsets.UTF_8));
        }

        Cli.Result r = Cli.run("evaluate", "--batch", batch.toString());

        assertThat(r.exit()).isEqualTo(2);
        List<String> lines = r.outLines();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).contains("\"finalLevel\"");
        Map<String, Object> error = (Map<String, Object>) SdmJson.readPlain(lines.get(1));
        assertThat(error).containsEntry("line", 2);
        assertThat((List<Map<String, Object>>) error.get("errors")).singleElement().satisfies(e -> {
            assertThat(e).containsEntry("path", "$");
            assertThat((String) e.get("message")).contains(3 * LIMIT + " bytes, more than the limit of " + LIMIT);
        });
        assertThat(lines.get(2)).contains("\"finalLevel\"");
        // a line of exactly the limit, ended by CRLF, is still a request
        assertThat(lines.get(3)).contains("\"finalLevel\"");
        assertThat(r.err()).contains("line 2").contains("1 of 4 requests failed");
    }

    static Path mkfifo(Path dir, String name) throws Exception {
        Path fifo = dir.resolve(name);
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "mkfifo not available");
            return null;
        }
        assumeTrue(p.waitFor() == 0 && Files.exists(fifo), "mkfifo failed");
        return fifo;
    }

    private Path mkfifo(String name) throws Exception {
        return mkfifo(tmp, name);
    }
}
