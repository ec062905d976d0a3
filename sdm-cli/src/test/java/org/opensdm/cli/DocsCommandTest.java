package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.ruleset.RulesetVersion;

/** {@code sdm docs}: what the reference pages and schemas hold, where they go, and that the output is deterministic. */
class DocsCommandTest {
    @Test
    void a_second_run_writes_the_same_bytes_and_reports_every_file_unchanged(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("ref");
        Cli.Result first = Cli.run("docs", "-o", out.toString());
        byte[] page = Files.readAllBytes(out.resolve("ref.family-risk-2.0.md"));
        byte[] schema = Files.readAllBytes(tmp.resolve("schemas/ref.family-risk-2.0.request.schema.json"));
        Cli.Result second = Cli.run("docs", "-o", out.toString());

        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("9 reference pages").contains("8 request schemas").contains("17 written, 0 unchanged");
        assertThat(second.out()).contains("0 written, 17 unchanged");
        assertThat(Files.readAllBytes(out.resolve("ref.family-risk-2.0.md"))).isEqualTo(page);
        assertThat(Files.readAllBytes(tmp.resolve("schemas/ref.family-risk-2.0.request.schema.json"))).isEqualTo(schema);
        assertThat(new String(page, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("\r");
    }

    @Test
    void a_page_holds_the_manifests_numbers_texts_and_content_hash(@TempDir Path tmp) throws IOException {
        Cli.run("docs", "-o", tmp.resolve("r").toString());
        String page = Files.readString(tmp.resolve("r/ref.family-risk-2.0.md"));
        RulesetVersion v = Cli.SHIPPED.registry().find("ref.family-risk", "2.0").orElseThrow();

        assertThat(page).startsWith("# ref.family-risk 2.0: Family Risk Assessment of Abuse/Neglect (reference, 2023 layout)\n")
                .contains("| content sha256 | `" + v.sha256() + "` |")
                .contains("| effective from | 2023-11-01 |")
                .contains("| `TX-IMPACT` | Texas DFPS case-management source")
                // cut points of the neglect index, as a table
                .contains("| MODERATE | 2 | 4 |\n| HIGH | 5 | 7 |\n| VERY_HIGH | 8 | no limit |")
                // an item: kind, provenance per aspect, points per index per option
                .contains("### R1: Prior neglect investigations")
                .contains("provenance: text `CA-2023`, options `CA-2023`, points `ref`")
                .contains("| option | text | neglect points | abuse points |")
                .contains("| `c` | two | 2 | 1 |")
                .contains("| `PO2` | Non-accidental injury to a child under age three | `TX-IMPACT` |")
                .contains("| `unresolvedSafetyThreats` | boolean | false |")
                .contains("| `finalLevel` | no | The scored level after overrides |")
                .contains("[ref.family-risk-2.0.request.schema.json](../schemas/ref.family-risk-2.0.request.schema.json)");

        String onePointZero = Files.readString(tmp.resolve("r/ref.family-risk-1.0.md"));
        assertThat(onePointZero).contains("maxPoints: at most 3 `abuse` points in all");
        String reunification = Files.readString(tmp.resolve("r/ref.reunification-1.0.md"));
        assertThat(reunification).contains("## Includes").contains("## Items included from ref.safety 1.0")
                .contains("required when section `safety` is reached")
                .contains("`value`, one of: `ACCEPTABLE`, `UNACCEPTABLE`");
        String index = Files.readString(tmp.resolve("r/README.md"));
        assertThat(index).contains("| `ref.hotline` | [1.0](ref.hotline-1.0.md) | 2015-11-01 | reference |");
        assertThat(Files.readString(tmp.resolve("r/ref.hotline-1.0.md"))).contains("This version scores no index")
                .contains("| `response` | Step III, response priority");
        assertThat(Files.readString(tmp.resolve("r/ref.strengths-needs-1.0.md"))).contains("## Child items");
    }

    @Test
    void the_schemas_folder_can_be_chosen_and_pages_link_to_it(@TempDir Path tmp) throws IOException {
        Cli.Result r = Cli.run("docs", "-o", tmp.resolve("a/pages").toString(), "--schemas", tmp.resolve("b/json").toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(tmp.resolve("b/json/ref.safety-1.0.request.schema.json")).isRegularFile();
        assertThat(tmp.resolve("a/schemas")).doesNotExist();
        assertThat(Files.readString(tmp.resolve("a/pages/ref.safety-1.0.md")))
                .contains("(../../b/json/ref.safety-1.0.request.schema.json)");
    }

    @Test
    void a_ruleset_folder_version_is_documented_with_its_own_hash(@TempDir Path tmp) throws IOException {
        Path rulesets = tmp.resolve("rs");
        Path manifest = ShippedCopy.copy(rulesets, "ref.family-risk", "2.0").resolve("ruleset.yaml");
        ShippedCopy.edit(manifest, "{level: HIGH, min: 5, max: 7}", "{level: HIGH, min: 5, max: 6}");
        ShippedCopy.edit(manifest, "{level: VERY_HIGH, min: 8}", "{level: VERY_HIGH, min: 7}");
        Cli.Result r = Cli.run("docs", "--rulesets", rulesets.toString(), "-o", tmp.resolve("out/r").toString());

        assertThat(r.exit()).as(r.err()).isZero();
        String page = Files.readString(tmp.resolve("out/r/ref.family-risk-2.0.md"));
        assertThat(page).contains("| HIGH | 5 | 6 |\n| VERY_HIGH | 7 | no limit |")
                .doesNotContain(Cli.SHIPPED.registry().find("ref.family-risk", "2.0").orElseThrow().sha256());
    }
}
