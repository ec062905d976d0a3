package org.opensdm.rulesets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.opensdm.engine.Decision;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.InvalidRequestException;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.analysis.RequestSampler;
import org.opensdm.engine.analysis.WhatIf;
import org.opensdm.engine.json.SdmJson;
import org.opensdm.engine.ruleset.ItemKind;
import org.opensdm.engine.ruleset.RulesetManifest.ItemDef;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * {@link WhatIf} on every shipped version, over sampled requests: each listed change, made
 * independently here, gives the listed decision (which differs from the request's); every other
 * option of every answered choice or yes/no item that the test finds to change the decision is
 * listed (nothing is missed); and each index's score is the one the ruleset reports where it
 * reports one, inside its band.
 */
class WhatIfTest {
    private static final SdmEngine ENGINE = SdmEngine.builder().classpathRulesets().build();

    @Test
    void every_listed_change_gives_its_decision_and_no_single_answer_change_is_missed() {
        WhatIf whatIf = new WhatIf(ENGINE);
        int reports = 0;
        int listed = 0;
        for (RulesetVersion v : ENGINE.registry().versions()) {
            List<Map<String, Object>> sample = new RequestSampler(ENGINE).sample(v.id(), v.version(), 40, 17).requests();
            for (Map<String, Object> plain : sample) {
                EvaluationRequest request = SdmJson.parseRequest(plain).request();
                WhatIf.Report report = whatIf.run(request);
                reports++;
                Object base = ENGINE.whatIf().evaluate(request).outcome().get(report.key());
                assertThat(report.value()).isEqualTo(base);
                for (WhatIf.Change c : report.changes()) {
                    listed++;
                    Object again = ENGINE.whatIf().evaluate(changed(request, c)).outcome().get(report.key());
                    assertThat(again).as("%s on %s", c, v.key()).isEqualTo(c.result()).isNotEqualTo(base);
                }
                // independently: every other option of each answered top-level choice or yes/no item
                for (ItemDef item : v.manifest().items()) {
                    Object given = request.answers().get(item.id());
                    if (given == null || (item.kind() != ItemKind.CHOICE && item.kind() != ItemKind.YESNO)) {
                        continue;
                    }
                    List<Object> others = new ArrayList<>();
                    if (item.kind() == ItemKind.YESNO) {
                        others.add(!(Boolean) given);
                    } else {
                        item.options().stream().map(o -> (Object) o.key()).filter(k -> !k.equals(given)).forEach(others::add);
                    }
                    for (Object to : others) {
                        Map<String, Object> answers = new LinkedHashMap<>(request.answers());
                        answers.put(item.id(), to);
                        Object result;
                        try {
                            result = ENGINE.whatIf().evaluate(with(request, answers)).outcome().get(report.key());
                        } catch (InvalidRequestException e) {
                            assertThat(report.unevaluable()).as("%s -> %s on %s", item.id(), to, v.key())
                                    .anyMatch(u -> item.id().equals(u.change().item()) && to.equals(u.change().to()));
                            continue;
                        }
                        boolean moves = !Objects.equals(result, base);
                        assertThat(report.changes().stream().anyMatch(c -> item.id().equals(c.item()) && c.child() == null
                                && to.equals(c.to()))).as("%s -> %s on %s listed", item.id(), to, v.key()).isEqualTo(moves);
                    }
                }
                // the score the ruleset reports, where it reports one, is the index's
                for (WhatIf.IndexPosition i : report.indices()) {
                    Decision d = ENGINE.whatIf().evaluate(request);
                    // family risk: neglectScore, abuseScore; reunification: riskScore; risk reassessment (one index): score
                    Object reported = d.outcome().containsKey(i.index() + "Score") ? d.outcome().get(i.index() + "Score")
                            : report.indices().size() == 1 ? d.outcome().get("score") : null;
                    if (reported != null) {
                        assertThat(i.score()).as("%s %s", v.key(), i.index()).isEqualTo(reported);
                    }
                    assertThat(i.score()).isBetween(i.min(), i.max() == null ? Integer.MAX_VALUE : i.max());
                    if (i.pointsToNextLevelUp() != null) {
                        assertThat(i.pointsToNextLevelUp()).isPositive();
                    }
                    if (i.pointsToNextLevelDown() != null) {
                        assertThat(i.pointsToNextLevelDown()).isPositive();
                    }
                }
            }
        }
        assertThat(reports).isEqualTo(40 * ENGINE.registry().versions().size());
        assertThat(listed).as("changes listed").isGreaterThan(1_000);
    }

    @Test
    void a_family_risk_request_one_point_below_moderate_lists_each_one_point_change() {
        EvaluationRequest low = SdmJson.readRequest(
                "{\"ruleset\":\"ref.family-risk\",\"version\":\"2.0\",\"assessedOn\":\"2024-03-01\",\"answers\":{"
                        + "\"R1\":\"b\",\"R2\":\"a\",\"R3\":\"a\",\"R4\":\"a\",\"R5\":\"a\",\"R6\":\"a\",\"R7\":\"a\",\"R8\":\"a\","
                        + "\"R9\":\"a\",\"R10\":\"a\",\"R11\":\"a\",\"R12\":\"a\",\"R13\":\"a\",\"R14\":\"a\"}}");
        WhatIf.Report r = new WhatIf(ENGINE).run(low);

        assertThat(r.key()).isEqualTo("finalLevel");
        assertThat(r.value()).isEqualTo("LOW");
        assertThat(r.changes()).anySatisfy(c -> {
            assertThat(c.override()).isEqualTo("add");
            assertThat(c.type()).isEqualTo("discretionary");
            assertThat(c.result()).isEqualTo("MODERATE");
        });
        assertThat(r.changes()).filteredOn(c -> "policy".equals(c.type())).hasSize(4).allMatch(c -> "VERY_HIGH".equals(c.result()));
        assertThat(r.indices()).extracting(WhatIf.IndexPosition::index).containsExactly("neglect", "abuse");
        assertThat(SdmJson.write(r.toPlain())).startsWith("{\"ruleset\":\"ref.family-risk\",\"version\":\"2.0\",\"key\":\"finalLevel\","
                + "\"finalLevel\":\"LOW\",\"changes\":[");
    }

    @Test
    void an_unknown_key_is_refused_naming_the_keys() {
        EvaluationRequest r = SdmJson.parseRequest(new RequestSampler(ENGINE).sample("ref.hotline", "1.0", 1, 1).requests().get(0))
                .request();
        assertThatThrownBy(() -> new WhatIf(ENGINE).run(r, "finalLevel")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an outcome key of ref.hotline 1.0").hasMessageContaining("screeningDecision");
    }

    private static EvaluationRequest with(EvaluationRequest r, Map<String, Object> answers) {
        return new EvaluationRequest(r.ruleset(), r.version(), r.assessedOn(), r.caseId(), answers, r.overrides(), r.facts(),
                r.children());
    }

    /** The change made to the request by the test, not by WhatIf. */
    private static EvaluationRequest changed(EvaluationRequest r, WhatIf.Change c) {
        if (c.item() != null && c.child() == null) {
            Map<String, Object> answers = new LinkedHashMap<>(r.answers());
            answers.put(c.item(), c.to());
            return with(r, answers);
        }
        if (c.item() != null) {
            List<EvaluationRequest.ChildAnswers> children = new ArrayList<>();
            for (EvaluationRequest.ChildAnswers ch : r.children()) {
                Map<String, Object> answers = new LinkedHashMap<>(ch.answers());
                if (ch.id().equals(c.child())) {
                    answers.put(c.item(), c.to());
                }
                children.add(new EvaluationRequest.ChildAnswers(ch.id(), answers));
            }
            return new EvaluationRequest(r.ruleset(), r.version(), r.assessedOn(), r.caseId(), r.answers(), r.overrides(),
                    r.facts(), children);
        }
        List<EvaluationRequest.OverrideRequest> overrides = new ArrayList<>(r.overrides());
        if ("add".equals(c.override())) {
            overrides.add(new EvaluationRequest.OverrideRequest(c.type(), c.code(), c.value(), "test"));
        } else {
            overrides.removeIf(o -> Objects.equals(o.type(), c.type()) && Objects.equals(o.code(), c.code()));
        }
        return new EvaluationRequest(r.ruleset(), r.version(), r.assessedOn(), r.caseId(), r.answers(), overrides, r.facts(),
                r.children());
    }
}
