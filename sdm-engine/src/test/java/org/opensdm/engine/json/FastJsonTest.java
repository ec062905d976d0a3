package org.opensdm.engine.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.opensdm.engine.Decision;
import org.opensdm.engine.Decision.OverrideResult;
import org.opensdm.engine.Decision.RulesetInfo;
import org.opensdm.engine.Decision.TrailEntry;

/**
 * The fast JSON paths of evaluateJson give exactly what the ObjectMapper paths give: the request
 * streamed into plain values versus read through a Jackson tree, and the decision written by
 * {@link DecisionWriter} versus by the ObjectMapper.
 */
class FastJsonTest {
    private static final String LATIN1;

    static {
        StringBuilder b = new StringBuilder();
        for (char c = 0; c <= 0xFF; c++) {
            b.append(c);
        }
        LATIN1 = b.toString();
    }

    /** Every character up to U+00FF, then some above (the fast decision writer hands those over). */
    private static String weird = LATIN1;

    @Test
    void streamed_requests_read_as_the_tree_reads_them() {
        List<String> inputs = new ArrayList<>(List.of(
                "{\"ruleset\":\"ref.family-risk\",\"version\":\"2.0\",\"assessedOn\":\"2024-03-01\",\"caseId\":\"C-1\","
                        + "\"answers\":{\"R1\":\"b\",\"M\":[\"x\",\"y\"],\"Y\":true,\"N\":null},"
                        + "\"overrides\":[{\"type\":\"policy\",\"code\":\"PO2\",\"reason\":\"why\"}],\"facts\":{\"f\":false},"
                        + "\"children\":[{\"id\":\"c1\",\"answers\":{\"C1\":\"a\"}},{\"id\":\" \"},{\"id\":3},7]}",
                "{}", "[]", "null", "", "  ", "3", "\"x\"", "{\"ruleset\":\"x\"} ", "{\"ruleset\":\"x\"} {}", "{\"ruleset\":\"x\"}]",
                "{\"ruleset\":\"x\",\"ruleset\":\"y\"}", "{\"ruleset\":\"x\",\"answers\":{\"A\":1,\"A\":2}}",
                "{\"ruleset\":\"x\",\"answers\":{\"A\":[{\"k\":1,\"k\":2}]}}", "{\"ruleset\":", "{\"ruleset\":\"x\",}",
                "{\"ruleset\":null,\"version\":3,\"assessedOn\":\"2024-02-30\",\"caseId\":\"\",\"extra\":1,\"answers\":[],"
                        + "\"facts\":\"x\",\"overrides\":{},\"children\":\"c\"}",
                "{\"ruleset\":\" \",\"overrides\":[null,1,{\"type\":1,\"code\":[],\"value\":{},\"reason\":2,\"why\":0}],"
                        + "\"children\":[null,{\"id\":null,\"answers\":null,\"x\":1}]}",
                "{\"ruleset\":\"x\",\"answers\":{\"I\":1,\"L\":12345678901,\"B\":123456789012345678901234567890,"
                        + "\"D\":1.50,\"E\":-2e3,\"Z\":-0,\"F\":0.1,\"O\":{\"a\":[1,[2,{}]]}}}",
                "{\"ruleset\":\"x\",\"answers\":{\"I\":1e400}}", "{\"ruleset\":\"x\",\"answers\":{\"I\":NaN}}",
                "{\"ruleset\":\"x\",\"assessedOn\":\"" + "9".repeat(80) + "\",\"" + "k".repeat(90) + "\":1}",
                "{\"ruleset\":\"x\",\"caseId\":\"\\u0000\\n\\\"\\\\\\u00e9\\ud83d\\ude00\"}",
                "{\"ruleset\":\"x\",\"answers\":" + "[".repeat(70) + "]".repeat(70) + "}",
                "{\"ruleset\":\"x\",\"answers\":" + "{\"a\":".repeat(63) + "1" + "}".repeat(63) + "}",
                "\uFEFF{\"ruleset\":\"x\"}", "{'ruleset':'x'}", "{\"ruleset\":\"x\"}\n\n"));
        Random random = new Random(7);
        String[] values = {"\"a\"", "\"\"", "\" \"", "1", "-1", "2.5", "true", "false", "null", "[]", "[\"a\",\"b\"]", "{}",
            "{\"x\":1}", "[1,{\"a\":null}]"};
        String[] fields = {"ruleset", "version", "assessedOn", "caseId", "answers", "overrides", "facts", "children", "other"};
        for (int n = 0; n < 3_000; n++) {
            StringBuilder b = new StringBuilder("{");
            int k = random.nextInt(6);
            for (int i = 0; i < k; i++) {
                String f = fields[random.nextInt(fields.length)];
                b.append(i == 0 ? "" : ",").append('"').append(f).append("\":");
                b.append(switch (f) {
                    case "answers", "facts" -> "{\"A\":" + values[random.nextInt(values.length)] + ",\"B\":"
                            + values[random.nextInt(values.length)] + "}";
                    case "overrides" -> "[{\"type\":" + values[random.nextInt(values.length)] + ",\"reason\":"
                            + values[random.nextInt(values.length)] + "}," + values[random.nextInt(values.length)] + "]";
                    case "children" -> "[{\"id\":" + values[random.nextInt(values.length)] + ",\"answers\":"
                            + values[random.nextInt(values.length)] + "}]";
                    case "assessedOn" -> random.nextBoolean() ? "\"2024-0" + (1 + random.nextInt(9)) + "-31\"" : values[random.nextInt(values.length)];
                    default -> values[random.nextInt(values.length)];
                });
            }
            inputs.add(b.append('}').toString());
        }
        for (String json : inputs) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            Object fast;
            Object tree;
            try {
                fast = SdmJson.parseRequest(bytes);
            } catch (RuntimeException e) {
                fast = e.getClass();
            }
            try {
                tree = SdmJson.parseRequestViaTree(bytes);
            } catch (RuntimeException e) {
                tree = e.getClass();
            }
            assertThat(fast).as(json).isEqualTo(tree);
            assertThat(String.valueOf(fast)).as(json).isEqualTo(String.valueOf(tree)); // map order too
        }
    }

    @Test
    void the_ascii_reader_reads_only_what_jackson_reads_and_exactly_as_it_does() {
        Random random = new Random(5);
        int read = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder b = new StringBuilder();
            space(b, random);
            randomValue(b, random, 0, true);
            space(b, random);
            if (random.nextInt(20) == 0) {
                b.append(random.nextBoolean() ? "}" : "{}");
            }
            byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
            Map<String, Object> ascii = SdmJson.readObjectAscii(bytes);
            JsonNode tree = AsciiJsonTrees.read(bytes);
            if (tree != null) {
                assertThat(tree).as(b.toString()).isEqualTo(SdmJson.readTreeStrict(bytes, 0, bytes.length));
                assertThat(tree.toString()).as(b.toString()).isEqualTo(SdmJson.readTreeStrict(bytes, 0, bytes.length).toString());
                assertThat(ascii).as("both ASCII readers read the same inputs").isNotNull();
            }
            if (ascii != null) {
                assertThat(tree).as(b.toString()).isNotNull();
                read++;
                Map<String, Object> jackson = SdmJson.readObjectStreaming(bytes);
                assertThat(jackson).as(b.toString()).isNotNull().isEqualTo(ascii);
                assertThat(String.valueOf(ascii)).as(b.toString()).isEqualTo(String.valueOf(jackson));
                assertThat(SdmJson.parseRequestViaTree(bytes).problems()).as(b.toString()).noneMatch(p -> p.path().equals("$"));
            }
        }
        assertThat(read).as("inputs the ASCII reader read").isGreaterThan(2_000);
        byte[] usual = ("{\"ruleset\":\"ref.family-risk\",\"version\":\"2.0\",\"answers\":{\"R1\":\"b\",\"ST1\":true,"
                + "\"M\":[\"1\",\"9\"]},\"overrides\":[{\"type\":\"discretionary\",\"reason\":\"why\"}]}").getBytes(StandardCharsets.UTF_8);
        assertThat(SdmJson.readObjectAscii(usual)).isNotNull();
    }

    /** The ASCII tree reader, with offsets (a line inside a larger buffer). */
    private static final class AsciiJsonTrees {
        static JsonNode read(byte[] bytes) {
            byte[] padded = new byte[bytes.length + 6];
            System.arraycopy(bytes, 0, padded, 3, bytes.length);
            padded[0] = '{';
            padded[padded.length - 1] = '}';
            return AsciiJson.readTree(padded, 3, bytes.length);
        }
    }

    private static final String[] WORDS = {"a", "", "R1", "ST12-description", "x y", "é", "\\\"", "\\n", "\\u0041", "tab\t",
        "ctl\u0001", "\u007f", "€", "a/b"};
    private static final String[] NUMBERS = {"0", "-0", "7", "-12", "123456789", "1234567890", "-999999999", "2147483648",
        "01", "-", "1.5", "1e3", "1E+2", "-0.0", "00", "+1", "1.", ".5", "0x1", "99999999999999999999"};
    private static final String[] LITERALS = {"true", "false", "null", "tru", "nul", "True", "truex", "NaN", "Infinity"};

    private static void space(StringBuilder b, Random random) {
        int k = random.nextInt(3);
        for (int i = 0; i < k; i++) {
            b.append(" \n\r\t\f\u000b".charAt(random.nextInt(random.nextInt(50) == 0 ? 6 : 4)));
        }
    }

    private static void randomValue(StringBuilder b, Random random, int depth, boolean object) {
        int kind = object ? 0 : random.nextInt(depth > 4 ? 4 : 6);
        switch (kind) {
            case 0 -> {
                b.append('{');
                int k = random.nextInt(4);
                for (int i = 0; i < k; i++) {
                    if (i > 0 || random.nextInt(40) == 0) {
                        b.append(',');
                    }
                    space(b, random);
                    b.append('"').append(WORDS[random.nextInt(random.nextInt(8) == 0 ? WORDS.length : 5)]).append(i % 3).append('"');
                    space(b, random);
                    b.append(random.nextInt(60) == 0 ? "=" : ":");
                    space(b, random);
                    randomValue(b, random, depth + 1, false);
                    space(b, random);
                }
                if (random.nextInt(40) == 0) {
                    b.append(',');
                }
                b.append(random.nextInt(80) == 0 ? "" : "}");
            }
            case 1 -> {
                b.append('[');
                int k = random.nextInt(4);
                for (int i = 0; i < k; i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    space(b, random);
                    randomValue(b, random, depth + 1, false);
                    space(b, random);
                }
                b.append(random.nextInt(80) == 0 ? "" : "]");
            }
            case 2 -> b.append('"').append(WORDS[random.nextInt(random.nextInt(4) == 0 ? WORDS.length : 5)]).append('"');
            case 3 -> b.append(NUMBERS[random.nextInt(random.nextInt(3) == 0 ? NUMBERS.length : 5)]);
            default -> b.append(LITERALS[random.nextInt(random.nextInt(3) == 0 ? LITERALS.length : 3)]);
        }
    }

    @Test
    void dates_read_as_local_date_parse_reads_them() {
        List<String> dates = new ArrayList<>(List.of("2024-02-29", "2023-02-29", "2024-02-30", "2024-13-01", "2024-00-10",
                "2024-01-00", "0000-01-01", "9999-12-31", "+2024-01-01", "2024-1-01", "2024/01/01", "２０２４-01-01", "2024-01-01 ",
                "-2024-01-01", "+12345-01-01", "20240101", "2024-04-31", "1900-02-29", "2000-02-29"));
        Random random = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            dates.add(String.format("%04d-%02d-%02d", random.nextInt(10_000), random.nextInt(14), random.nextInt(33)));
        }
        for (String s : dates) {
            LocalDate expected;
            try {
                expected = LocalDate.parse(s);
            } catch (java.time.format.DateTimeParseException e) {
                expected = null;
            }
            assertThat(SdmJson.date(s)).as(s).isEqualTo(expected);
        }
    }

    @Test
    void decisions_are_written_as_the_object_mapper_writes_them() {
        weird = LATIN1;
        decisionsAreWrittenAsTheObjectMapperWritesThem();
        weird = LATIN1 + "€\u2028\u2029😀\uD800x\uDC00";
        decisionsAreWrittenAsTheObjectMapperWritesThem();
        weird = LATIN1;
    }

    private void decisionsAreWrittenAsTheObjectMapperWritesThem() {
        final String text = weird;
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("score", 5);
        outcome.put("long", 12345678901L);
        outcome.put("level", "HIGH");
        outcome.put("none", null);
        outcome.put("flag", true);
        outcome.put("list", List.of("a", text));
        outcome.put("map", new LinkedHashMap<>(Map.of("k", List.of(1, 2))));
        outcome.put("decimal", new BigDecimal("1.50"));
        outcome.put("double", 0.1);
        outcome.put("date", LocalDate.of(2024, 3, 1));
        outcome.put("enum", java.time.DayOfWeek.MONDAY);
        outcome.put("intKeys", Map.of(1, "one"));
        outcome.put("nested", Arrays.asList(null, Map.of(), List.of()));
        List<TrailEntry> trail = List.of(
                new TrailEntry("R1 \"quoted\"", "R1", null, "b", Map.of("neglect", 1)),
                new TrailEntry("per child", "C1", "child-1", List.of("x"), new LinkedHashMap<>(Map.of("a", "b"))),
                new TrailEntry(text, null, text, null, Map.of()),
                new TrailEntry("yes", "Y", null, true, Map.of("note", text)));
        List<OverrideResult> overrides = List.of(new OverrideResult("policy", "PO2", null, "why", true),
                new OverrideResult(null, null, null, null, false), new OverrideResult("visitation", null, "GOOD", text, false));
        List<Decision> decisions = List.of(
                new Decision(new RulesetInfo("ref.x", "1.0", "ab".repeat(32), "reference", text), "0.1.0", "C-1",
                        LocalDate.of(2024, 3, 1), outcome, overrides, trail),
                new Decision(new RulesetInfo(null, null, null, null, null), null, null, null, Map.of(), List.of(), List.of()),
                new Decision(null, "v", text, LocalDate.of(1, 1, 1), Map.of("k", "v"), List.of(), List.of()));
        for (Decision d : decisions) {
            assertThat(SdmJson.write(d)).isEqualTo(SdmJson.writeWithDatabind(d));
            assertThat(DecisionWriter.writeChars(d)).isEqualTo(SdmJson.writeWithDatabind(d));
            if (weird.equals(LATIN1)) {
                assertThat(DecisionWriter.Latin1.write(d)).as("the byte writer wrote it").isNotNull();
            }
            assertThat(SdmJson.tree(d)).isEqualTo(SdmJson.treeWithDatabind(d));
            assertThat(SdmJson.tree(d).toString()).isEqualTo(SdmJson.treeWithDatabind(d).toString());
        }
        // a plain decision is built node by node, with the node types the ObjectMapper gives
        Map<String, Object> plain = new LinkedHashMap<>(outcome);
        List.of("decimal", "double", "date", "enum", "intKeys").forEach(plain::remove);
        Decision d = new Decision(decisions.get(0).ruleset(), "0.1.0", null, LocalDate.of(2024, 3, 1), plain, overrides, trail);
        assertThat(DecisionTree.of(d)).isNotNull().isEqualTo(SdmJson.treeWithDatabind(d));
        assertThat(DecisionTree.of(decisions.get(0))).isNull();
    }
}
