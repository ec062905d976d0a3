package org.opensdm.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a JVM that is appending (SIGKILL, several rounds) and checks that every append that
 * returned is in the log and that the log verifies (after repairing a torn tail, if the kill left one).
 */
class DecisionLogCrashTest {
    @TempDir
    Path dir;

    @Test
    void every_append_that_returned_before_a_sigkill_is_in_the_log_and_the_log_verifies() throws Exception {
        Path file = dir.resolve("crash.jsonl");
        Random random = new Random(42);
        Map<Long, String> acknowledged = new java.util.HashMap<>();
        int rounds = 4;
        int tornTails = 0;
        for (int round = 0; round < rounds; round++) {
            LogVerification before = DecisionLog.verify(file.toFile().exists() ? file : emptyLog(file));
            if (before.onlyTornTail()) {
                tornTails++;
                assertThat(DecisionLog.repair(file).intact()).isTrue();
            }
            assertThat(DecisionLog.verify(file).intact()).as("round %d: %s", round, DecisionLog.verify(file).describe()).isTrue();

            Path err = dir.resolve("child-" + round + ".err");
            Process child = ChildJvm.command(Appender.class, file.toString(), String.valueOf(round))
                    .redirectError(err.toFile()).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            // wait until it appends, then let it run a random while and kill it
            String first = out.readLine();
            assertThat(first).as("round %d: child started appending; its stderr: %s", round,
                    java.nio.file.Files.readString(err)).isNotNull();
            record(first, acknowledged);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100 + random.nextInt(400));
            while (System.nanoTime() < until) {
                if (out.ready()) {
                    String line = out.readLine();
                    if (line == null) {
                        break;
                    }
                    record(line, acknowledged);
                } else {
                    Thread.sleep(1);
                }
            }
            // SIGKILL; through the ProcessHandle, which (unlike Process.destroyForcibly) leaves the pipe open to read
            assertThat(child.toHandle().destroyForcibly()).isTrue();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(128 + 9);
            String line;
            while ((line = out.readLine()) != null) { // acknowledged before the kill, still in the pipe
                record(line, acknowledged);
            }
        }
        LogVerification end = DecisionLog.verify(file);
        if (end.onlyTornTail()) {
            tornTails++;
            end = DecisionLog.repair(file);
        }
        assertThat(end.intact()).as(end.describe()).isTrue();
        Map<Long, String> inLog = DecisionLogTest.records(file).stream()
                .collect(Collectors.toMap(DecisionRecord::seq, DecisionRecord::hash));
        assertThat(acknowledged).isNotEmpty();
        assertThat(inLog).containsAllEntriesOf(acknowledged);
        System.out.printf("crash test: %d rounds, %d acknowledged appends, %d records, %d torn tails repaired%n",
                rounds, acknowledged.size(), inLog.size(), tornTails);
    }

    private static Path emptyLog(Path file) throws Exception {
        java.nio.file.Files.createFile(file);
        return file;
    }

    private static void record(String line, Map<Long, String> acknowledged) {
        String[] parts = line.split(" ");
        if (parts.length == 2) {
            acknowledged.put(Long.parseLong(parts[0]), parts[1]);
        }
    }

    /**
     * Child JVM: appends records in a loop (single appends and batches of up to 64, so that a kill
     * may land in the middle of a write), printing "seq hash" for each append once it returned.
     */
    public static final class Appender {
        public static void main(String[] args) {
            Path file = Path.of(args[0]);
            Random random = new Random(Long.parseLong(args[1]));
            try (DecisionLog log = DecisionLog.builder(file).repairTornTail(true).open()) {
                long i = 0;
                while (true) {
                    int n = random.nextInt(4) == 0 ? 1 + random.nextInt(64) : 1;
                    List<DecisionLog.Entry> batch = new ArrayList<>(n);
                    for (int k = 0; k < n; k++) {
                        batch.add(Logs.syntheticEntry(i++));
                    }
                    StringBuilder sb = new StringBuilder();
                    for (DecisionLog.Appended a : log.appendAll(batch)) {
                        sb.append(a.seq()).append(' ').append(a.hash()).append('\n');
                    }
                    System.out.print(sb);
                    System.out.flush();
                }
            }
        }
    }

    static Set<Long> seqs(Map<Long, String> m) {
        return new HashSet<>(m.keySet());
    }
}
