package org.opensdm.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.opensdm.engine.Decision;
import org.opensdm.engine.EvaluationRequest;
import org.opensdm.engine.analysis.WhatIf;

/**
 * The workbench in a real browser: headless Chromium (Debian's chromium and chromium-driver) driven
 * by Selenium. It fills a family-risk form and watches the level change when an answer changes,
 * opens the what-if panel, compares two versions, walks the hotline's steps as they are reached,
 * and looks at it on a narrow screen. Screenshots go to {@code target/screenshots/}. Without
 * Chromium these tests fail, naming what to install; they never skip.
 */
class WorkbenchBrowserTest {
    static final Path CHROMIUM = Path.of(System.getProperty("sdm.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("sdm.chromedriver", "/usr/bin/chromedriver"));
    static final Path SHOTS = Path.of("target", "screenshots");
    private static Service service;
    private WebDriver browser;
    private Path profile;

    @BeforeAll
    static void start() throws IOException {
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(p + " is missing: the workbench's browser tests need headless Chromium and its "
                        + "driver, Debian's packages chromium and chromium-driver (apt-get install -y chromium chromium-driver; "
                        + ".ci/run installs them when missing)");
            }
        }
        Files.createDirectories(SHOTS);
        service = Service.start();
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @BeforeEach
    void open() throws IOException {
        profile = Files.createTempDirectory("sdm-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // without the background-networking flags Chromium's own connections are refused by a closed network
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,800");
        // the driver named, so Selenium never looks for one elsewhere (Selenium Manager would go to the network)
        ChromeDriverService driver = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(driver, options);
        resize(1280, 800);
    }

    @AfterEach
    void close() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    private void go(String hash) {
        browser.get(service.base + "#" + hash);
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#form .item")));
    }

    private void waitForBadge(String text) {
        waiting().until(ExpectedConditions.textToBe(By.id("badge"), text));
    }

    private void choose(String item, String option) {
        click(browser.findElement(By.cssSelector("label[for='opt-" + item + "-" + option + "']")));
    }

    /** Clicks as a person would, after bringing the element to the middle of the screen (the header stays on top). */
    private void click(WebElement e) {
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", e);
        e.click();
    }

    private void shot(String name) throws IOException {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SHOTS.resolve(name + ".png"), png);
    }

    /** Sizes the window so that the page itself (the viewport) is {@code width} x {@code height}. */
    private void resize(int width, int height) {
        browser.manage().window().setSize(new Dimension(width, height));
        browser.get("about:blank");
        Number w = (Number) ((JavascriptExecutor) browser).executeScript("return window.innerWidth");
        Number h = (Number) ((JavascriptExecutor) browser).executeScript("return window.innerHeight");
        browser.manage().window().setSize(new Dimension(2 * width - w.intValue(), 2 * height - h.intValue()));
    }

    /** Family risk 2.0 with every item answered 'a' but those given. */
    private static Map<String, Object> answers(String... given) {
        Map<String, Object> a = new LinkedHashMap<>();
        for (int i = 1; i <= 14; i++) {
            a.put("R" + i, "a");
        }
        for (int i = 0; i + 1 < given.length; i += 2) {
            a.put(given[i], given[i + 1]);
        }
        return a;
    }

    private static Decision decide(String version, Map<String, Object> answers) {
        return Service.SHIPPED.evaluate(new EvaluationRequest("ref.family-risk", version, LocalDate.now(), null, answers,
                List.of(), Map.of(), List.of()));
    }

    @Test
    void fill_a_family_risk_form_and_watch_the_level_change_when_an_answer_changes() throws IOException {
        go("ref.family-risk@2.0");
        waitForBadge("14 to answer");
        assertThat(browser.findElements(By.cssSelector("#todo .chip"))).hasSize(14);
        for (int i = 1; i <= 14; i++) {
            choose("R" + i, "a");
        }
        String low = (String) decide("2.0", answers()).outcome().get("finalLevel");
        assertThat(low).isEqualTo("LOW");
        waitForBadge("finalLevel: LOW");
        assertThat(browser.findElement(By.id("decisionValue")).getText()).isEqualTo("LOW");
        assertThat(browser.findElement(By.cssSelector("[data-index='neglect'] .score")).getText()).isEqualTo("0");
        assertThat(browser.findElements(By.cssSelector("#trailTable tbody tr"))).hasSize(decide("2.0", answers()).trail().size());
        shot("01-family-risk-2.0-low");

        // substance use: yes (+2 neglect, +1 abuse), and domestic violence: two or more (+1 neglect, +2 abuse)
        choose("R9", "b");
        choose("R8", "c");
        Decision raised = decide("2.0", answers("R9", "b", "R8", "c"));
        String level = (String) raised.outcome().get("finalLevel");
        assertThat(level).isNotEqualTo("LOW");
        waitForBadge("finalLevel: " + level);
        assertThat(browser.findElement(By.cssSelector("[data-index='neglect'] .score")).getText())
                .isEqualTo(String.valueOf(raised.outcome().get("neglectScore")));
        assertThat(browser.findElement(By.cssSelector("[data-index='abuse'] .score")).getText())
                .isEqualTo(String.valueOf(raised.outcome().get("abuseScore")));
        assertThat(browser.findElement(By.cssSelector("#outcome tr[data-key='scoredLevel'] td")).getText())
                .isEqualTo(raised.outcome().get("scoredLevel"));
        shot("02-family-risk-2.0-" + level.toLowerCase(java.util.Locale.ROOT));

        // what-if: the panel lists the changes the library lists, and the points to the next cut point
        click(browser.findElement(By.id("whatifToggle")));
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("whatifSummary")));
        WhatIf.Report report = new WhatIf(Service.SHIPPED).run(new EvaluationRequest("ref.family-risk", "2.0", LocalDate.now(),
                null, answers("R9", "b", "R8", "c"), List.of(), Map.of(), List.of()));
        assertThat(browser.findElements(By.cssSelector("#whatif .changes li"))).hasSize(report.changes().size());
        assertThat(browser.findElement(By.id("whatifSummary")).getText())
                .startsWith(report.changes().size() + " single change");
        assertThat(browser.findElements(By.cssSelector("#whatifIndices li"))).hasSize(report.indices().size());
        WhatIf.IndexPosition neglect = report.indices().get(0);
        assertThat(browser.findElement(By.cssSelector("#whatifIndices li[data-index='neglect']")).getText())
                .contains("score " + neglect.score() + ", " + neglect.level())
                .contains(neglect.pointsToNextLevelUp() == null ? "the top level" : neglect.pointsToNextLevelUp() + " more point");
        assertThat(browser.findElement(By.cssSelector("#whatif .changes li")).getText()).contains("\u21d2");
        shot("03-what-if-panel");

        // the what-if follows the form: one more answer, a new list
        choose("R9", "a");
        Decision back = decide("2.0", answers("R8", "c"));
        waitForBadge("finalLevel: " + back.outcome().get("finalLevel"));
        WhatIf.Report after = new WhatIf(Service.SHIPPED).run(new EvaluationRequest("ref.family-risk", "2.0", LocalDate.now(),
                null, answers("R8", "c"), List.of(), Map.of(), List.of()));
        waiting().until(b -> b.findElement(By.id("whatifSummary")).getText().startsWith(after.changes().size() + " single change"));
    }

    @Test
    void compare_the_same_answers_under_two_versions() throws IOException {
        // answers that 2.0 and 2.1 decide differently (2.1 moved the abuse cut points and R9 b's abuse points)
        Map<String, Object> differing = null;
        List<String[]> tried = new ArrayList<>();
        outer:
        for (String r2 : List.of("a", "b", "c", "d")) {
            for (String r8 : List.of("a", "b", "c")) {
                for (String r9 : List.of("a", "b")) {
                    Map<String, Object> a = answers("R2", r2, "R8", r8, "R9", r9);
                    tried.add(new String[] {r2, r8, r9});
                    if (!decide("2.0", a).outcome().get("finalLevel").equals(decide("2.1", a).outcome().get("finalLevel"))) {
                        differing = a;
                        break outer;
                    }
                }
            }
        }
        assertThat(differing).as("some answers decided differently by 2.0 and 2.1").isNotNull();
        go("ref.family-risk@2.0");
        for (Map.Entry<String, Object> e : differing.entrySet()) {
            choose(e.getKey(), (String) e.getValue());
        }
        Decision under20 = decide("2.0", differing);
        Decision under21 = decide("2.1", differing);
        waitForBadge("finalLevel: " + under20.outcome().get("finalLevel"));
        new Select(browser.findElement(By.id("compareWith"))).selectByValue("2.1");
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("compareSummary")));
        WebElement row = browser.findElement(By.cssSelector("#compareTable tr[data-key='finalLevel']"));
        assertThat(row.getAttribute("class")).contains("differs");
        List<WebElement> cells = row.findElements(By.tagName("td"));
        assertThat(cells.get(0).getText()).isEqualTo(under20.outcome().get("finalLevel"));
        assertThat(cells.get(1).getText()).isEqualTo(under21.outcome().get("finalLevel"));
        long differ = under20.outcome().keySet().stream()
                .filter(k -> !java.util.Objects.equals(under20.outcome().get(k), under21.outcome().get(k))).count();
        assertThat(browser.findElements(By.cssSelector("#compareTable tr.differs"))).hasSize((int) differ);
        ((JavascriptExecutor) browser).executeScript("document.getElementById('compare').scrollIntoView({block: 'center'})");
        shot("04-compare-2.0-and-2.1");

        // against 1.0, whose items are others: the problems are shown, not a guess
        new Select(browser.findElement(By.id("compareWith"))).selectByValue("1.0");
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("compare"), "not a valid request"));
        assertThat(browser.findElements(By.cssSelector("#compare .problems li"))).isNotEmpty();
    }

    @Test
    void the_hotline_steps_appear_when_the_rules_reach_them() throws IOException {
        go("ref.hotline@1.0");
        waitForBadge("1 to answer");
        WebElement criteria = browser.findElement(By.id("step-criteria"));
        WebElement response = browser.findElement(By.id("step-response"));
        assertThat(criteria.isDisplayed()).isFalse();
        assertThat(response.isDisplayed()).isFalse();

        choose("preliminary", "none");
        // Step II is reached; its multi item starts as "none met", which screens the referral out
        waitForBadge("screeningDecision: EVALUATE_OUT");
        assertThat(criteria.isDisplayed()).isTrue();
        assertThat(response.isDisplayed()).isFalse();

        choose("criteria", "SA1");
        // Step III is reached: its five items are to answer
        waitForBadge("5 to answer");
        assertThat(response.isDisplayed()).isTrue();
        for (int i = 1; i <= 5; i++) {
            choose("RP" + i, i == 5 ? "true" : "false");
        }
        waitForBadge("screeningDecision: IN_PERSON_RESPONSE");
        assertThat(browser.findElement(By.cssSelector("#outcome tr[data-key='responsePriority'] td")).getText()).isEqualTo("IMMEDIATE");
        shot("05-hotline-steps-reached");

        // back to no screening: the later steps are not reached any more
        choose("preliminary", "duplicate");
        waitForBadge("screeningDecision: SCREENING_NOT_REQUIRED");
        assertThat(criteria.isDisplayed()).isFalse();
        assertThat(response.isDisplayed()).isFalse();
    }

    @Test
    void on_a_narrow_screen_nothing_runs_off_the_side() throws IOException {
        resize(390, 844);
        go("ref.family-risk@2.0");
        for (int i = 1; i <= 14; i++) {
            choose("R" + i, i == 9 ? "b" : "a");
        }
        String level = (String) decide("2.0", answers("R9", "b")).outcome().get("finalLevel");
        waitForBadge("finalLevel: " + level);
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
        assertNoSideScroll();
        shot("06-narrow-form");
        ((JavascriptExecutor) browser).executeScript("document.getElementById('decisionCard').scrollIntoView()");
        click(browser.findElement(By.id("whatifToggle")));
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("whatifSummary")));
        assertNoSideScroll();
        shot("07-narrow-decision");
        ((JavascriptExecutor) browser).executeScript("document.getElementById('whatif').scrollIntoView()");
        shot("08-narrow-what-if");
    }

    private void assertNoSideScroll() {
        Object overflow = ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat(((Number) overflow).intValue()).as("page wider than the screen").isLessThanOrEqualTo(0);
    }

    @Test
    void the_readme_screenshot_at_1280_by_800() throws IOException {
        go("ref.family-risk@2.0");
        for (int i = 1; i <= 14; i++) {
            choose("R" + i, List.of(5, 8, 9, 10).contains(i) ? "b" : "a");
        }
        Decision d = decide("2.0", answers("R5", "b", "R8", "b", "R9", "b", "R10", "b"));
        waitForBadge("finalLevel: " + d.outcome().get("finalLevel"));
        click(browser.findElement(By.id("whatifToggle")));
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("whatifSummary")));
        new Select(browser.findElement(By.id("compareWith"))).selectByValue("2.1");
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("compareSummary")));
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
        shot("00-workbench");
    }
}
