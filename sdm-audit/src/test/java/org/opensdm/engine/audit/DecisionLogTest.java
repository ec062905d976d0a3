package org.opensdm.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.Decision;
import org.opensdm.engine.InvalidRequestException;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.Toy;
import org.opensdm.engine.audit.LogVerification.Kind;
import org.opensdm.engine.json.SdmJson;

class DecisionLogTest {
    @TempDir
    Path dir;

    private Path log() {
        return dir.resolve("decisions.jsonl");
    }

    // ------------------------------------------------------------ records and chain

    @Test
    void records_chain_by_hash_from_64_zeros_with_consecutive_sequence_numbers() {
        Path file = Logs.filled(log(), 5);

        List<DecisionRecord> records = records(file);
        assertThat(records).extracting(DecisionRecord::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(records.get(0).previousHash()).isEqualTo("0".repeat(64));
        for (int i = 1; i < records.size(); i++) {
            assertThat(records.get(i).previousHash()).isEqualTo(records.get(i - 1).hash());
        }
        LogVerification v = DecisionLog.verify(file);
        assertThat(v.intact()).as(v.describe()).isTrue();
        assertThat(v.records()).isEqualTo(5);
        assertThat(v.lastSeq()).isEqualTo(5);
        assertThat(v.lastHash()).isEqualTo(records.get(4).hash());
    }

    @Test
    void a_record_holds_request_decision_ruleset_engine_version_and_recorded_at() {
        Decision d;
        try (DecisionLog log = Logs.open(log())) {
            d = Logs.ENGINE.withDecisionSink(log).evaluate(Logs.request(3));
            assertThat(log.lastSeq()).isEqualTo(1);
        }
        DecisionRecord r = records(log()).get(0);

        assertThat(r.rulesetId()).isEqualTo("test.toy");
        assertThat(r.rulesetVersion()).isEqualTo("1.0");
        assertThat(r.rulesetSha256()).isEqualTo(d.ruleset().sha256());
        assertThat(r.engineVersion()).isEqualTo(SdmEngine.VERSION);
        assertThat(r.recordedAt()).isEqualTo(Logs.CLOCK.instant());
        assertThat(r.caseId()).isEqualTo("C-3");
        assertThat(r.decision()).isEqualTo(SdmJson.readPlain(SdmJson.write(d)));
        assertThat(r.evaluationRequest()).isEqualTo(Logs.request(3));
        assertThat(r.request()).containsEntry("caseId", "C-3").doesNotContainKey("facts").doesNotContainKey("children");
        String line = Logs.lines(log()).get(0);
        assertThat(line).contains("\"recordedAt\":\"2026-03-01T09:30:00.125Z\"").startsWith("{\"decision\":{\"assessedOn\":");
        assertThat(r.json()).isEqualTo(line);
    }

    @Test
    void the_hash_can_be_recomputed_from_the_documented_canonical_form_with_plain_jackson() throws Exception {
        Path file = Logs.filled(log(), 3);
        // another tool: parse, drop "hash", sort keys recursively, write compactly, sha256 the UTF-8 bytes
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper()
                .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
        for (String line : Logs.lines(file)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> record = mapper.readValue(line, Map.class);
            String stored = (String) record.remove("hash");
            byte[] canonical = mapper.writeValueAsBytes(record);
            String recomputed = java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(canonical));
            assertThat(recomputed).isEqualTo(stored);
        }
    }

    // ------------------------------------------------------------ tampering, located

    @Test
    void flipping_any_single_byte_of_the_log_is_caught_on_the_line_holding_it() {
        Path file = Logs.filled(log(), 3);
        byte[] original = Logs.bytes(file);
        long[] lineOf = new long[original.length];
        long line = 1;
        for (int i = 0; i < original.length; i++) {
            lineOf[i] = line;
            if (original[i] == '\n') {
                line++;
            }
        }
        Path copy = dir.resolve("flipped.jsonl");
        for (int i = 0; i < original.length; i++) {
            byte[] b = original.clone();
            b[i] ^= 0x01;
            Logs.write(copy, b);
            LogVerification v = DecisionLog.verify(copy);
            assertThat(v.intact()).as("flip at byte %d", i).isFalse();
            long named = v.problem().map(LogVerification.Problem::line).orElseGet(() -> v.tornTail().getAsLong());
            assertThat(named).as("flip at byte %d: %s", i, v.describe()).isEqualTo(lineOf[i]);
            assertThat(v.records()).as("flip at byte %d", i).isEqualTo(lineOf[i] - 1);
        }
    }

    @Test
    void an_edited_value_is_named_as_altered() {
        Path file = Logs.filled(log(), 4);
        List<String> lines = Logs.lines(file);
        lines.set(2, lines.get(2).replace("\"finalLevel\":\"", "\"finalLevel\":\"VERY_"));
        Logs.write(file, lines);

        LogVerification v = DecisionLog.verify(file);

        assertThat(v.problem()).hasValueSatisfying(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.kind()).isEqualTo(Kind.EDITED);
            assertThat(p.message()).contains("seq 3").contains("does not match its hash");
        });
        assertThat(v.records()).isEqualTo(2);
    }

    @Test
    void a_deleted_line_is_named() {
        Path file = Logs.filled(log(), 6);
        List<String> all = Logs.lines(file);
        for (int k : new int[] {0, 2, 4}) {
            List<String> lines = new ArrayList<>(all);
            lines.remove(k);
            Logs.write(file, lines);

            LogVerification v = DecisionLog.verify(file);

            assertThat(v.problem()).as("deleted line %d", k + 1).hasValueSatisfying(p -> {
                assertThat(p.line()).isEqualTo(k + 1);
                assertThat(p.kind()).isEqualTo(Kind.DELETED);
                assertThat(p.message()).contains("record seq " + (k + 1) + " is missing");
            });
        }
        List<String> two = new ArrayList<>(all);
        two.subList(1, 3).clear();
        Logs.write(file, two);
        assertThat(DecisionLog.verify(file).problem().orElseThrow().message()).contains("records seq 2 to 3 are missing");
    }

    @Test
    void deleting_the_last_lines_leaves_a_shorter_intact_chain_whose_last_hash_tells() {
        Path file = Logs.filled(log(), 4);
        String lastHash = DecisionLog.verify(file).lastHash();
        List<String> lines = Logs.lines(file);
        Logs.write(file, lines.subList(0, 3));

        LogVerification v = DecisionLog.verify(file);

        assertThat(v.intact()).isTrue();
        assertThat(v.lastSeq()).isEqualTo(3);
        assertThat(v.lastHash()).isNotEqualTo(lastHash);
    }

    @Test
    void swapped_lines_are_named_as_reordered() {
        Path file = Logs.filled(log(), 6);
        List<String> all = Logs.lines(file);

        List<String> adjacent = new ArrayList<>(all);
        Collections.swap(adjacent, 2, 3);
        Logs.write(file, adjacent);
        assertThat(DecisionLog.verify(file).problem()).hasValueSatisfying(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.kind()).isEqualTo(Kind.REORDERED);
            assertThat(p.message()).contains("swapped");
        });

        List<String> far = new ArrayList<>(all);
        Collections.swap(far, 1, 4);
        Logs.write(file, far);
        assertThat(DecisionLog.verify(file).problem()).hasValueSatisfying(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.kind()).isEqualTo(Kind.REORDERED);
            assertThat(p.message()).contains("seq 2 is at line 5");
        });

        List<String> last = new ArrayList<>(all);
        Collections.swap(last, 4, 5);
        Logs.write(file, last);
        assertThat(DecisionLog.verify(file).problem()).hasValueSatisfying(p -> {
            assertThat(p.line()).isEqualTo(5);
            assertThat(p.kind()).isEqualTo(Kind.REORDERED);
        });
    }

    @Test
    void an_inserted_copy_of_a_line_is_named() {
        Path file = Logs.filled(log(), 5);
        List<String> lines = Logs.lines(file);
        lines.add(3, lines.get(1));
        Logs.write(file, lines);

        assertThat(DecisionLog.verify(file).problem()).hasValueSatisfying(p -> {
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.kind()).isEqualTo(Kind.INSERTED);
            assertThat(p.message()).contains("copy of line 2");
        });
    }

    @Test
    void a_forged_record_chained_to_its_predecessor_is_named_as_inserted() {
        Path file = Logs.filled(log(), 5);
        List<String> lines = Logs.lines(file);
        // a forger who knows the format: a new record claiming seq 3, chained to line 2, correctly hashed
        String forged = rehash(lines.get(2), r -> at(r, "decision", "outcome").put("finalLevel", "LOW"));
        lines.add(2, forged);
        Logs.write(file, lines);

        LogVerification v = DecisionLog.verify(file);

        assertThat(v.problem()).hasValueSatisfying(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.kind()).isEqualTo(Kind.INSERTED);
        });
        assertThat(v.records()).isEqualTo(2);

        // the same forged record, as the last line but one (nothing after the real one)
        List<String> end = Logs.lines(Logs.filled(dir.resolve("b.jsonl"), 3));
        end.add(2, rehash(end.get(2), r -> at(r, "decision").put("caseId", "X")));
        Logs.write(file, end);
        assertThat(DecisionLog.verify(file).problem().orElseThrow().line()).isEqualTo(3);
    }

    @Test
    void a_record_rewritten_with_a_recomputed_hash_is_named() {
        Path file = Logs.filled(log(), 5);
        List<String> lines = Logs.lines(file);
        lines.set(1, rehash(lines.get(1), r -> at(r, "decision", "outcome").put("finalLevel", "LOW")));
        Logs.write(file, lines);

        assertThat(DecisionLog.verify(file).problem()).hasValueSatisfying(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.kind()).isEqualTo(Kind.REWRITTEN);
            assertThat(p.message()).contains("line 3");
        });
    }

    @Test
    void a_line_that_is_not_a_record_is_named_as_malformed() {
        Path file = Logs.filled(log(), 3);
        List<String> lines = Logs.lines(file);
        lines.add(1, "{\"hello\":1}");
        Logs.write(file, lines);

        assertThat(DecisionLog.verify(file).problem()).hasValueSatisfying(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.kind()).isEqualTo(Kind.MALFORMED);
            assertThat(p.message()).contains("unknown member hello");
        });
    }

    @Test
    void a_non_canonical_but_equivalent_line_is_named_as_altered() {
        Path file = Logs.filled(log(), 2);
        List<String> lines = Logs.lines(file);
        lines.set(0, lines.get(0).replaceFirst("\\{\"decision\":", "{ \"decision\":"));
        Logs.write(file, lines);

        assertThat(DecisionLog.verify(file).problem()).hasValueSatisfying(p -> {
            assertThat(p.line()).isEqualTo(1);
            assertThat(p.message()).contains("not in canonical form");
        });
    }

    // ------------------------------------------------------------ torn tail and repair

    @Test
    void a_last_line_cut_mid_way_is_a_torn_tail_and_earlier_records_are_intact() {
        Path file = Logs.filled(log(), 4);
        byte[] b = Logs.bytes(file);
        String lastLine = Logs.lines(file).get(3);
        Logs.write(file, Arrays.copyOf(b, b.length - lastLine.length() / 2));

        LogVerification v = DecisionLog.verify(file);

        assertThat(v.problem()).isEmpty();
        assertThat(v.tornTail()).hasValue(4);
        assertThat(v.onlyTornTail()).isTrue();
        assertThat(v.records()).isEqualTo(3);
        assertThat(v.describe()).contains("line 4: torn tail").contains("the 3 records before it are intact");
    }

    @Test
    void opening_a_torn_log_fails_clearly_unless_asked_to_repair_which_cuts_only_the_torn_line() {
        Path file = Logs.filled(log(), 4);
        String third = Logs.lines(file).get(2);
        byte[] b = Logs.bytes(file);
        Logs.write(file, Arrays.copyOf(b, b.length - 7));

        assertThatThrownBy(() -> Logs.open(file)).isInstanceOf(DecisionLogException.class)
                .hasMessageContaining("torn last line (line 4").hasMessageContaining("--repair");
        assertThat(Logs.bytes(file)).hasSize(b.length - 7); // refused: untouched

        try (DecisionLog log = DecisionLog.builder(file).clock(Logs.CLOCK).repairTornTail(true).open()) {
            assertThat(log.lastSeq()).isEqualTo(3);
            assertThat(Logs.lines(file)).hasSize(3).last().isEqualTo(third);
            Logs.ENGINE.withDecisionSink(log).evaluate(Logs.request(9));
            assertThat(log.lastSeq()).isEqualTo(4);
        }
        LogVerification v = DecisionLog.verify(file);
        assertThat(v.intact()).as(v.describe()).isTrue();
        assertThat(v.records()).isEqualTo(4);
        assertThat(records(file).get(3).caseId()).isEqualTo("C-9");
    }

    @Test
    void a_complete_last_line_that_is_not_json_is_a_torn_tail_too() {
        Path file = Logs.filled(log(), 2);
        byte[] b = Logs.bytes(file);
        byte[] withGarbage = Arrays.copyOf(b, b.length + 5);
        withGarbage[b.length + 4] = '\n'; // four NUL bytes and a newline, as a crash can leave
        Logs.write(file, withGarbage);

        assertThat(DecisionLog.verify(file).tornTail()).hasValue(3);
        assertThat(DecisionLog.repair(file).intact()).isTrue();
        assertThat(Logs.bytes(file)).isEqualTo(b);
    }

    @Test
    void repair_refuses_when_the_log_has_other_problems() {
        Path file = Logs.filled(log(), 4);
        List<String> lines = Logs.lines(file);
        lines.set(1, lines.get(1).replace("\"C-2\"", "\"C-7\""));
        Logs.write(file, lines);
        byte[] b = Logs.bytes(file);
        Logs.write(file, Arrays.copyOf(b, b.length - 10));

        LogVerification v = DecisionLog.repair(file);

        assertThat(v.problem()).hasValueSatisfying(p -> assertThat(p.line()).isEqualTo(2));
        assertThat(v.tornTail()).hasValue(4);
        assertThat(Logs.bytes(file)).hasSize(b.length - 10);
    }

    @Test
    void opening_a_log_whose_last_record_was_altered_fails() {
        Path file = Logs.filled(log(), 2);
        List<String> lines = Logs.lines(file);
        lines.set(1, lines.get(1).replace("\"C-2\"", "\"C-7\""));
        Logs.write(file, lines);

        assertThatThrownBy(() -> Logs.open(file)).isInstanceOf(DecisionLogException.class)
                .hasMessageContaining("its last record (line 2) is not sound: its content does not match its hash")
                .hasMessageContaining("sdm log verify");
    }

    // ------------------------------------------------------------ the engine's sink

    @Test
    void an_engine_with_a_log_records_every_decision_it_returns_and_nothing_else() {
        List<Decision> returned = new ArrayList<>();
        try (DecisionLog log = Logs.open(log())) {
            SdmEngine engine = SdmEngine.builder().rulesetDirectory(Toy.rulesets()).decisionSink(log).build();
            returned.add(engine.evaluate(Logs.request(1)));
            assertThatThrownBy(() -> engine.evaluate(Toy.request().answer("Q1", "zz").build()))
                    .isInstanceOf(InvalidRequestException.class);
            returned.add(engine.evaluate(Logs.request(2)));
        }
        List<DecisionRecord> records = records(log());
        assertThat(records).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(records.get(i).decision()).isEqualTo(SdmJson.readPlain(SdmJson.write(returned.get(i))));
        }
    }

    @Test
    void a_decision_that_cannot_be_recorded_is_withheld() {
        DecisionLog log = Logs.open(log());
        SdmEngine engine = Logs.ENGINE.withDecisionSink(log);
        engine.evaluate(Logs.request(1));
        log.close();

        assertThatThrownBy(() -> engine.evaluate(Logs.request(2))).isInstanceOf(DecisionLogException.class)
                .hasMessageContaining("closed").hasMessageContaining("nothing was recorded");
        assertThat(records(log())).hasSize(1);
    }

    // ------------------------------------------------------------ concurrency and locking

    @Test
    void concurrent_appends_from_many_threads_all_land_in_one_intact_chain() throws Exception {
        int threads = 8;
        int each = 60;
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        try (DecisionLog log = Logs.open(log())) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        long id = thread * 1000L + i;
                        if (i % 10 == 9) { // some batches too
                            List<DecisionLog.Entry> batch = List.of(Logs.syntheticEntry(id), Logs.syntheticEntry(id + 500));
                            log.appendAll(batch).forEach(a -> acknowledged.add(a.seq() + ":" + a.hash()));
                        } else {
                            DecisionLog.Entry e = Logs.syntheticEntry(id);
                            DecisionLog.Appended a = log.append(e.request(), e.decision());
                            acknowledged.add(a.seq() + ":" + a.hash());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
        }
        int expected = threads * (each + each / 10);
        LogVerification v = DecisionLog.verify(log());
        assertThat(v.intact()).as(v.describe()).isTrue();
        assertThat(v.records()).isEqualTo(expected);
        assertThat(records(log()).stream().map(r -> r.seq() + ":" + r.hash()).collect(Collectors.toSet()))
                .isEqualTo(acknowledged);
        // each thread's records are in the order it appended them
        List<String> cases = records(log()).stream().map(DecisionRecord::caseId).toList();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            List<Long> own = cases.stream().map(c -> Long.parseLong(c.substring(2)))
                    .filter(id -> id / 1000 == thread && id % 1000 < 500).toList();
            assertThat(own).isSorted().hasSize(each);
        }
    }

    @Test
    void a_second_open_in_the_same_process_is_refused_until_the_first_is_closed() {
        DecisionLog first = Logs.open(log());
        assertThatThrownBy(() -> Logs.open(log())).isInstanceOf(DecisionLogException.class)
                .hasMessageContaining("already open for appending in this process");
        // reading and verifying the log meanwhile does not release the lock
        assertThat(DecisionLog.verify(log()).intact()).isTrue();
        assertThatThrownBy(() -> Logs.open(log())).isInstanceOf(DecisionLogException.class);
        first.close();
        Logs.open(log()).close();
    }

    @Test
    void another_process_cannot_open_a_log_this_one_is_appending_to() throws Exception {
        try (DecisionLog log = Logs.open(log())) {
            log.append(Logs.syntheticEntry(1).request(), Logs.syntheticEntry(1).decision());
            DecisionLog.verify(log()); // opens and closes the log file in this process: must not drop the lock

            ChildJvm.Result r = ChildJvm.run(LockProbe.class, log().toString());

            assertThat(r.out()).as(r.err()).startsWith("refused: ").contains("open for appending in another process");
        }
        ChildJvm.Result after = ChildJvm.run(LockProbe.class, log().toString());
        assertThat(after.out()).as(after.err()).startsWith("opened: last seq 1");
    }

    /** Child JVM: tries to open the log named by args[0] and says what happened. */
    public static final class LockProbe {
        public static void main(String[] args) {
            try (DecisionLog log = DecisionLog.open(Path.of(args[0]))) {
                System.out.println("opened: last seq " + log.lastSeq());
            } catch (DecisionLogException e) {
                System.out.println("refused: " + e.getMessage());
            }
        }
    }

    // ------------------------------------------------------------ helpers

    static List<DecisionRecord> records(Path file) {
        try (Stream<DecisionLog.LogEntry> s = DecisionLog.read(file)) {
            return s.map(e -> {
                assertThat(e.isRecord()).as("line %d: %s", e.line(), e.problem()).isTrue();
                return e.record();
            }).toList();
        }
    }

    /** The line as a record edited by {@code edit}, with its hash recomputed (what a careful forger does). */
    static String rehash(String line, Consumer<Map<String, Object>> edit) {
        @SuppressWarnings("unchecked")
        Map<String, Object> node = (Map<String, Object>) mutable(SdmJson.readPlain(line));
        edit.accept(node);
        node.put("hash", DecisionRecord.computeHash(node));
        return CanonicalJson.write(node);
    }

    /** A deep copy of plain values that can be changed. */
    static Object mutable(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, e) -> copy.put((String) k, mutable(e)));
            return copy;
        }
        if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            l.forEach(e -> copy.add(mutable(e)));
            return copy;
        }
        return v;
    }

    /** The object at {@code path} in a {@link #mutable} copy. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> at(Map<String, Object> root, String... path) {
        Map<String, Object> m = root;
        for (String k : path) {
            m = (Map<String, Object>) m.get(k);
        }
        return m;
    }

    static boolean exists(Path p) {
        return Files.exists(p);
    }
}
