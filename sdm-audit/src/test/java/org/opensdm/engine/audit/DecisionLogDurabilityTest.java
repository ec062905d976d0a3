package org.opensdm.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.audit.LogVerification.Kind;

/**
 * Durability of the decision log against other writers and damaged files: one lock for every
 * name of a log (symlinks, hard links), catching up with a writer that got in anyway, refusing to
 * append to an unsound last record, mending a last record that only lacks its newline, private
 * file modes, the noted head, bounded line reads.
 */
class DecisionLogDurabilityTest {
    @TempDir
    Path dir;

    private Path log() {
        return dir.resolve("decisions.jsonl");
    }

    /** The log, a symlink to it and a hard link to it (in another folder). */
    private Path[] names() throws IOException {
        Path log = log();
        if (!Files.exists(log)) {
            Files.createFile(log);
        }
        Path sym = Files.createSymbolicLink(dir.resolve("sym.jsonl"), log.getFileName());
        Path other = Files.createDirectories(dir.resolve("elsewhere"));
        Path hard = Files.createLink(other.resolve("hard.jsonl"), log);
        return new Path[] {log, sym, hard};
    }

    // ------------------------------------------------------------ one lock for every name

    @Test
    void while_a_process_appends_another_process_is_refused_through_a_symlink_and_through_a_hard_link() throws Exception {
        Path[] n = names();
        try (DecisionLog log = Logs.open(n[0])) {
            log.append(Logs.syntheticEntry(1).request(), Logs.syntheticEntry(1).decision());

            ChildJvm.Result viaSymlink = ChildJvm.run(DecisionLogTest.LockProbe.class, n[1].toString());
            ChildJvm.Result viaHardLink = ChildJvm.run(DecisionLogTest.LockProbe.class, n[2].toString());

            assertThat(viaSymlink.out()).as(viaSymlink.err()).startsWith("refused: ").contains("open for appending in another process");
            assertThat(viaHardLink.out()).as(viaHardLink.err()).startsWith("refused: ")
                    .contains("open for appending in another process").contains("hard link");
        }
        assertThat(ChildJvm.run(DecisionLogTest.LockProbe.class, n[2].toString()).out()).startsWith("opened: last seq 1");
    }

    @Test
    void a_second_open_in_this_process_under_another_name_is_refused_and_leaves_the_first_ones_locks_in_place() throws Exception {
        Path[] n = names();
        try (DecisionLog log = Logs.open(n[0])) {
            assertThatThrownBy(() -> Logs.open(n[1])).isInstanceOf(DecisionLogException.class)
                    .hasMessageContaining("already open for appending in this process");
            assertThatThrownBy(() -> Logs.open(n[2])).isInstanceOf(DecisionLogException.class)
                    .hasMessageContaining("already open for appending in this process");
            // the refused opens closed nothing of the file (which would have dropped this process's locks)
            assertThat(ChildJvm.run(DecisionLogTest.LockProbe.class, n[0].toString()).out()).startsWith("refused: ");
            assertThat(ChildJvm.run(DecisionLogTest.LockProbe.class, n[2].toString()).out()).startsWith("refused: ");
            log.append(Logs.syntheticEntry(1).request(), Logs.syntheticEntry(1).decision());
        }
        try (DecisionLog again = Logs.open(n[2])) {
            assertThat(again.lastSeq()).isEqualTo(1);
        }
    }

    @Test
    void two_writer_processes_at_once_through_a_symlink_and_a_hard_link_lose_no_acknowledged_decision() throws Exception {
        Path[] n = names();
        Map<Long, String> acknowledged = new HashMap<>();
        int refused = 0;
        for (int round = 0; round < 3; round++) {
            Process a = ChildJvm.command(Writer.class, n[1].toString(), "150", "A" + round).start();
            Process b = ChildJvm.command(Writer.class, n[2].toString(), "150", "B" + round).start();
            for (Process p : List.of(a, b)) {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                if (p.exitValue() == 1) { // refused at open: a clear message, and nothing acknowledged
                    refused++;
                    assertThat(out).as(err).startsWith("refused: decision log ").contains("open for appending in another process");
                    assertThat(out.lines().count()).isEqualTo(1);
                    continue;
                }
                assertThat(p.exitValue()).as(err).isZero();
                List<String> acks = out.lines().toList();
                assertThat(acks).hasSize(150);
                for (String ack : acks) {
                    String[] parts = ack.split(" ");
                    assertThat(acknowledged.put(Long.parseLong(parts[0]), parts[1])).as("seq %s acknowledged twice", parts[0]).isNull();
                }
            }
        }
        LogVerification v = DecisionLog.verify(log());
        assertThat(v.intact()).as(v.describe()).isTrue();
        Map<Long, String> inLog = DecisionLogTest.records(log()).stream()
                .collect(Collectors.toMap(DecisionRecord::seq, DecisionRecord::hash));
        assertThat(inLog).isEqualTo(acknowledged); // every acknowledged decision, and nothing else
        assertThat(inLog).hasSize((6 - refused) * 150);
        System.out.printf("two writers: 3 rounds, %d records, %d writers refused at open%n", inLog.size(), refused);
    }

    @Test
    void a_writer_that_got_in_through_a_hard_link_is_chained_to_and_nothing_is_overwritten_or_forked() throws Exception {
        Path[] n = names();
        Map<Long, String> acknowledged = new HashMap<>();
        try (DecisionLog log = Logs.open(n[0])) {
            ack(acknowledged, log.appendAll(entries(0, 3)));
            // closing any handle of the file in this process drops this process's locks on it (POSIX):
            // a verify does, and until the next append re-takes it, a hard link is not locked out
            assertThat(DecisionLog.verify(n[0]).intact()).isTrue();
            Process child = ChildJvm.command(Interleaver.class, n[2].toString()).start();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                 PrintStream to = new PrintStream(child.getOutputStream(), true, StandardCharsets.UTF_8)) {
                String hello = in.readLine();
                assumeTrue("opened".equals(hello), "this platform kept the lock through the in-process close: " + hello);

                to.println("append 4");
                List<String> first = readAcks(in);
                log.appendAll(entries(10, 2)).forEach(a -> acknowledged.put(a.seq(), a.hash()));
                to.println("append 3");
                List<String> second = readAcks(in);
                ack(acknowledged, log.appendAll(entries(20, 1)));
                to.println("quit");
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

                for (String a : concat(first, second)) {
                    String[] p = a.split(" ");
                    assertThat(acknowledged.put(Long.parseLong(p[0]), p[1])).isNull();
                }
                assertThat(first).extracting(a -> a.split(" ")[0]).containsExactly("4", "5", "6", "7");
                assertThat(second).extracting(a -> a.split(" ")[0]).containsExactly("10", "11", "12");
            }
            assertThat(log.lastSeq()).isEqualTo(13);
        }
        LogVerification v = DecisionLog.verify(log());
        assertThat(v.intact()).as(v.describe()).isTrue();
        assertThat(v.records()).isEqualTo(13);
        assertThat(DecisionLogTest.records(log()).stream().collect(Collectors.toMap(DecisionRecord::seq, DecisionRecord::hash)))
                .isEqualTo(acknowledged);
    }

    @Test
    void the_next_append_takes_back_the_lock_a_close_in_this_process_released() throws Exception {
        Path[] n = names();
        try (DecisionLog log = Logs.open(n[0])) {
            ack(new HashMap<>(), log.appendAll(entries(0, 1)));
            DecisionLog.verify(n[0]); // releases this process's locks on the log file itself
            ack(new HashMap<>(), log.appendAll(entries(1, 1)));

            ChildJvm.Result r = ChildJvm.run(DecisionLogTest.LockProbe.class, n[2].toString());

            assertThat(r.out()).as(r.err()).startsWith("refused: ").contains("hard link");
        }
    }

    @Test
    void a_device_or_fifo_is_refused_as_a_log_before_anything_is_opened() {
        Path devNull = Path.of("/dev/null");
        assumeTrue(Files.exists(devNull), "no /dev/null here");

        assertThatThrownBy(() -> DecisionLog.open(devNull)).isInstanceOf(DecisionLogException.class)
                .hasMessage("cannot open decision log /dev/null: is not a regular file");
        assertThat(Files.exists(Path.of("/dev/null.lock"))).isFalse();
    }

    // ------------------------------------------------------------ the file changing under a writer

    @Test
    void an_unsound_record_appended_by_someone_else_is_not_chained_to_and_nothing_is_recorded() throws Exception {
        try (DecisionLog log = Logs.open(log())) {
            ack(new HashMap<>(), log.appendAll(entries(0, 2)));
            String forged = Logs.lines(log()).get(1).replace("\"K-1\"", "\"K-9\"").replace("\"seq\":2", "\"seq\":3");
            Files.writeString(log(), forged + "\n", StandardOpenOption.APPEND);
            byte[] before = Logs.bytes(log());

            assertThatThrownBy(() -> log.appendAll(entries(5, 1))).isInstanceOf(DecisionLogException.class)
                    .hasMessageContaining("its last record (line 3) is not sound: its content does not match its hash")
                    .hasMessageContaining("nothing was recorded");
            assertThat(Logs.bytes(log())).isEqualTo(before);
        }
    }

    @Test
    void a_log_cut_short_under_a_writer_is_refused_and_left_alone() throws Exception {
        try (DecisionLog log = Logs.open(log())) {
            ack(new HashMap<>(), log.appendAll(entries(0, 3)));
            List<String> lines = Logs.lines(log());
            Logs.write(log(), lines.subList(0, 2));

            assertThatThrownBy(() -> log.appendAll(entries(5, 1))).isInstanceOf(DecisionLogException.class)
                    .hasMessageContaining("shrank").hasMessageContaining("nothing was recorded");
            assertThat(Logs.lines(log())).hasSize(2);
        }
    }

    @Test
    void a_log_renamed_or_replaced_under_a_writer_is_refused_so_no_record_goes_where_no_one_looks() throws Exception {
        try (DecisionLog log = Logs.open(log())) {
            ack(new HashMap<>(), log.appendAll(entries(0, 1)));
            Path moved = Files.move(log(), dir.resolve("moved.jsonl"));

            assertThatThrownBy(() -> log.appendAll(entries(5, 1))).isInstanceOf(DecisionLogException.class)
                    .hasMessageContaining("was renamed or deleted while open for appending").hasMessageContaining("nothing was recorded");

            Files.copy(moved, log()); // another file at the log's path now
            assertThatThrownBy(() -> log.appendAll(entries(5, 1))).isInstanceOf(DecisionLogException.class)
                    .hasMessageContaining("was replaced while open for appending");
            assertThat(Logs.lines(moved)).hasSize(1);
            assertThat(Logs.lines(log())).hasSize(1);
        }
    }

    // ------------------------------------------------------------ an unsound last record

    @Test
    void opening_refuses_a_last_record_that_does_not_match_its_hash_or_is_not_canonical_naming_the_line() {
        Path file = Logs.filled(log(), 3);
        List<String> lines = Logs.lines(file);

        List<String> edited = new ArrayList<>(lines);
        edited.set(2, edited.get(2).replace("\"C-3\"", "\"C-4\""));
        Logs.write(file, edited);
        assertThatThrownBy(() -> Logs.open(file)).isInstanceOf(DecisionLogException.class)
                .hasMessageContaining("its last record (line 3) is not sound: its content does not match its hash")
                .hasMessageContaining("sdm log verify");

        List<String> spaced = new ArrayList<>(lines);
        spaced.set(2, spaced.get(2).replaceFirst("\\{\"decision\":", "{ \"decision\":"));
        Logs.write(file, spaced);
        assertThatThrownBy(() -> Logs.open(file)).isInstanceOf(DecisionLogException.class)
                .hasMessageContaining("its last record (line 3) is not sound: it is not in canonical form");

        List<String> notRecord = new ArrayList<>(lines);
        notRecord.set(2, "{\"hello\":1}");
        Logs.write(file, notRecord);
        assertThatThrownBy(() -> Logs.open(file)).isInstanceOf(DecisionLogException.class)
                .hasMessageContaining("its last record (line 3) is not sound: not a decision record");
        assertThat(Logs.lines(file)).isEqualTo(notRecord); // refused: untouched
    }

    // ------------------------------------------------------------ a last record lacking only its newline

    @Test
    void a_complete_sound_last_record_without_its_newline_gets_the_newline_from_repair_not_deleted() {
        Path file = Logs.filled(log(), 3);
        byte[] whole = Logs.bytes(file);
        Logs.write(file, Arrays.copyOf(whole, whole.length - 1));

        LogVerification v = DecisionLog.verify(file);
        assertThat(v.onlyTornTail()).isTrue();
        assertThat(v.tornTail()).hasValue(3);
        assertThat(v.tailLacksNewlineOnly()).isTrue();
        assertThat(v.describe()).contains("line 3: torn tail").contains("complete record").contains("lacks its final newline");

        LogVerification after = DecisionLog.repair(file);
        assertThat(after.intact()).as(after.describe()).isTrue();
        assertThat(after.records()).isEqualTo(3);
        assertThat(Logs.bytes(file)).isEqualTo(whole);
    }

    @Test
    void the_builder_repair_adds_the_missing_newline_and_appends_after_the_kept_record() {
        Path file = Logs.filled(log(), 3);
        byte[] whole = Logs.bytes(file);
        Logs.write(file, Arrays.copyOf(whole, whole.length - 1));
        assertThatThrownBy(() -> Logs.open(file)).isInstanceOf(DecisionLogException.class)
                .hasMessageContaining("torn last line (line 3").hasMessageContaining("add the missing newline");

        try (DecisionLog log = DecisionLog.builder(file).clock(Logs.CLOCK).repairTornTail(true).open()) {
            assertThat(log.lastSeq()).isEqualTo(3);
            assertThat(Logs.bytes(file)).isEqualTo(whole);
            log.appendAll(entries(0, 1));
        }
        LogVerification v = DecisionLog.verify(file);
        assertThat(v.intact()).as(v.describe()).isTrue();
        assertThat(v.records()).isEqualTo(4);
    }

    @Test
    void an_unterminated_last_line_that_is_not_a_sound_record_is_still_truncated() {
        Path file = Logs.filled(log(), 3);
        List<String> lines = Logs.lines(file);
        String edited = lines.get(2).replace("\"C-3\"", "\"C-4\""); // whole JSON, wrong hash, no newline
        String kept = String.join("\n", lines.subList(0, 2)) + "\n";
        Logs.write(file, (kept + edited).getBytes(StandardCharsets.UTF_8));

        LogVerification v = DecisionLog.verify(file);
        assertThat(v.onlyTornTail()).isTrue();
        assertThat(v.tailLacksNewlineOnly()).isFalse();

        assertThat(DecisionLog.repair(file).intact()).isTrue();
        assertThat(Logs.bytes(file)).isEqualTo(kept.getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------ file modes

    @Test
    void a_new_log_and_its_lock_file_are_created_readable_and_writable_by_the_owner_only() throws IOException {
        assumeTrue(log().getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");

        Logs.filled(log(), 1);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("decisions.jsonl.lock"))))
                .isEqualTo("rw-------");
    }

    @Test
    void on_a_file_system_without_posix_permissions_files_are_created_with_its_defaults() throws IOException {
        Path zip = dir.resolve("fs.zip");
        try (java.nio.file.FileSystem fs = java.nio.file.FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
            assertThat(fs.supportedFileAttributeViews()).doesNotContain("posix");
            Path inside = fs.getPath("/decisions.jsonl");

            assertThat(DecisionLog.createPrivate(inside)).isTrue();
            assertThat(Files.exists(inside)).isTrue();
            assertThat(DecisionLog.createPrivate(inside)).isFalse(); // exists: left as it is
        }
    }

    // ------------------------------------------------------------ the noted head

    @Test
    void a_noted_head_shows_a_log_cut_short_or_rewritten_from_the_start() {
        Path file = Logs.filled(log(), 5);
        LogVerification whole = DecisionLog.verify(file);
        LogHead head = new LogHead(whole.lastSeq(), whole.lastHash());
        LogHead earlier = new LogHead(3, DecisionLogTest.records(file).get(2).hash());
        assertThat(LogHead.parse(head.toString())).isEqualTo(head);

        assertThat(DecisionLog.verify(file, head).intact()).isTrue();
        assertThat(DecisionLog.verify(file, earlier).intact()).isTrue();

        // two records removed from the end: the chain alone is intact, the head is not there
        List<String> lines = Logs.lines(file);
        Logs.write(file, lines.subList(0, 3));
        assertThat(DecisionLog.verify(file).intact()).isTrue();
        LogVerification cut = DecisionLog.verify(file, head);
        assertThat(cut.intact()).isFalse();
        assertThat(cut.problem()).hasValueSatisfying(p -> {
            assertThat(p.kind()).isEqualTo(Kind.TRUNCATED);
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.message()).contains("cut short").contains("the log ends at seq 3").contains("records seq 4 to 5 are missing");
        });

        // the log made again from its first record (another clock: other hashes), as long as before
        Path other = dir.resolve("other.jsonl");
        try (DecisionLog log = DecisionLog.open(other)) {
            log.appendAll(entries(0, 5));
        }
        LogVerification rewritten = DecisionLog.verify(other, head);
        assertThat(rewritten.problem()).hasValueSatisfying(p -> {
            assertThat(p.kind()).isEqualTo(Kind.HEAD_MISMATCH);
            assertThat(p.line()).isEqualTo(5);
            assertThat(p.message()).contains("record seq 5 has hash ").contains("rewritten");
        });
        assertThat(DecisionLog.verify(other, earlier).problem().orElseThrow().kind()).isEqualTo(Kind.HEAD_MISMATCH);
    }

    @Test
    void a_head_whose_record_only_lacks_its_newline_is_found_and_the_torn_tail_still_reported() {
        Path file = Logs.filled(log(), 3);
        LogHead head = new LogHead(3, DecisionLog.verify(file).lastHash());
        byte[] whole = Logs.bytes(file);
        Logs.write(file, Arrays.copyOf(whole, whole.length - 1));

        LogVerification v = DecisionLog.verify(file, head);

        assertThat(v.problem()).isEmpty();
        assertThat(v.onlyTornTail()).isTrue();
        assertThat(DecisionLog.verify(file, new LogHead(4, head.hash())).problem().orElseThrow().message())
                .contains("the log ends at seq 3").contains("record seq 4 is missing");
    }

    @Test
    void a_head_is_read_as_seq_colon_64_hex_and_bad_text_is_named() {
        String hash = "AB".repeat(32);
        assertThat(LogHead.parse(" 17:" + hash + " ")).isEqualTo(new LogHead(17, "ab".repeat(32)));
        assertThatThrownBy(() -> LogHead.parse("17")).hasMessageContaining("SEQ:HASH");
        assertThatThrownBy(() -> LogHead.parse("x:" + hash)).hasMessageContaining("SEQ (before ':') must be a whole number");
        assertThatThrownBy(() -> LogHead.parse("-1:" + hash)).hasMessageContaining("cannot be negative");
        assertThatThrownBy(() -> LogHead.parse("3:abc")).hasMessageContaining("must be 64 hex digits; it has 3 characters");
        assertThatThrownBy(() -> LogHead.parse("0:" + hash)).hasMessageContaining("64 zeros");
    }

    // ------------------------------------------------------------ bounded lines

    @Test
    void a_line_over_the_limit_is_malformed_too_long_with_its_number_and_the_lines_after_it_are_read() throws IOException {
        Path file = Logs.filled(log(), 3);
        List<String> lines = Logs.lines(file);
        lines.add(1, "x".repeat(300_000));
        Logs.write(file, lines);

        LogVerification v = DecisionLog.verify(file, null, 100_000);

        assertThat(v.problem()).hasValueSatisfying(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.kind()).isEqualTo(Kind.MALFORMED);
            assertThat(p.message()).contains("line too long: 300000 bytes, over the limit of 100000 bytes");
        });
        try (LogLines in = new LogLines(file, 100_000)) {
            assertThat(in.next().bytes()).isNotNull();
            LogLines.Line big = in.next();
            assertThat(big.tooLong()).isTrue();
            assertThat(big.length()).isEqualTo(300_000);
            assertThat(big.terminated()).isTrue();
            assertThat(new String(in.next().bytes(), StandardCharsets.UTF_8)).isEqualTo(lines.get(2));
        }
        try (var entries = DecisionLog.read(file, 100_000)) {
            assertThat(entries.map(e -> e.isRecord() ? "record" : e.problem()).toList())
                    .containsExactly("record", "not a decision record: line too long: 300000 bytes, over the limit of 100000 bytes (maxLineBytes)",
                            "record", "record");
        }
        assertThat(DecisionLog.verify(file).problem().orElseThrow().message()).contains("not a decision record")
                .doesNotContain("too long"); // under the default limit it is read, and is not a record
    }

    @Test
    void a_sparse_line_past_the_default_limit_is_reported_without_being_read_into_memory() throws IOException {
        Path file = Logs.filled(log(), 2);
        long size = Files.size(file);
        long hole = DecisionLog.DEFAULT_MAX_LINE_BYTES + 1;
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size + hole); // a sparse run of NUL bytes, then the end of its line
            f.seek(size + hole);
            f.write('\n');
        }
        LogVerification v = DecisionLog.verify(file);
        assertThat(v.problem()).hasValueSatisfying(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.kind()).isEqualTo(Kind.MALFORMED);
            assertThat(p.message()).contains("line too long: " + hole + " bytes");
        });
        assertThatThrownBy(() -> Logs.open(file)).isInstanceOf(DecisionLogException.class)
                .hasMessageContaining("its last record (line 3) is not sound").hasMessageContaining("line too long");
    }

    @Test
    void the_word_at_a_time_newline_search_finds_the_first_newline_as_a_byte_loop_does() {
        java.util.Random random = new java.util.Random(11);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) { // newlines, bytes next to '\n' in value, high bytes, zeros
                int k = random.nextInt(6);
                b[i] = (byte) (k == 0 ? '\n' : k == 1 ? 0x0b : k == 2 ? 0x09 : k == 3 ? 0x8a : k == 4 ? 0 : random.nextInt(256));
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            int to = from + random.nextInt(b.length - from + 1);
            int expected = -1;
            for (int i = from; i < to; i++) {
                if (b[i] == '\n') {
                    expected = i;
                    break;
                }
            }
            assertThat(LogLines.indexOfNewline(b, from, to)).as("%s [%d, %d)", Arrays.toString(b), from, to).isEqualTo(expected);
        }
    }

    @Test
    void the_writer_refuses_a_record_over_its_line_limit_and_records_nothing() {
        try (DecisionLog log = DecisionLog.builder(log()).clock(Logs.CLOCK).maxLineBytes(600).open()) {
            assertThatThrownBy(() -> log.appendAll(entries(0, 2))).isInstanceOf(DecisionLogException.class)
                    .hasMessageContaining("(seq 1) would be ").hasMessageContaining("over the log's line limit of 600 bytes")
                    .hasMessageContaining("nothing was recorded");
            assertThat(log.lastSeq()).isZero();
        }
        assertThat(Logs.bytes(log())).isEmpty();
        assertThatThrownBy(() -> DecisionLog.builder(log()).maxLineBytes(0)).isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------ helpers and child JVMs

    private static List<DecisionLog.Entry> entries(long from, int n) {
        List<DecisionLog.Entry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Logs.syntheticEntry(from + i));
        }
        return out;
    }

    private static void ack(Map<Long, String> acknowledged, List<DecisionLog.Appended> appended) {
        appended.forEach(a -> acknowledged.put(a.seq(), a.hash()));
    }

    private static List<String> readAcks(BufferedReader in) throws IOException {
        List<String> acks = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null && !line.equals("done")) {
            acks.add(line);
        }
        return acks;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /**
     * Child JVM: opens the log named by args[0] and appends args[1] records one at a time, printing
     * "seq hash" once each append returned; refused at open: prints "refused: why", exits 1.
     */
    public static final class Writer {
        public static void main(String[] args) {
            int n = Integer.parseInt(args[1]);
            try (DecisionLog log = DecisionLog.open(Path.of(args[0]))) {
                for (int i = 0; i < n; i++) {
                    DecisionLog.Entry e = Logs.syntheticEntry(i);
                    DecisionLog.Appended a = log.append(e.request(), e.decision());
                    System.out.println(a.seq() + " " + a.hash());
                }
            } catch (DecisionLogException e) {
                System.out.println("refused: " + e.getMessage());
                System.exit(1);
            }
        }
    }

    /** Child JVM: opens the log named by args[0], then appends on command ("append N", "quit") from stdin. */
    public static final class Interleaver {
        public static void main(String[] args) throws IOException {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            try (DecisionLog log = DecisionLog.open(Path.of(args[0]))) {
                System.out.println("opened");
                String cmd;
                long next = 100;
                while ((cmd = in.readLine()) != null && cmd.startsWith("append ")) {
                    int n = Integer.parseInt(cmd.substring(7));
                    for (int i = 0; i < n; i++) {
                        DecisionLog.Entry e = Logs.syntheticEntry(next++);
                        DecisionLog.Appended a = log.append(e.request(), e.decision());
                        System.out.println(a.seq() + " " + a.hash());
                    }
                    System.out.println("done");
                }
            } catch (DecisionLogException e) {
                System.out.println("refused: " + e.getMessage());
            }
        }
    }
}
