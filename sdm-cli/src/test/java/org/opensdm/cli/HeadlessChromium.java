package org.opensdm.cli;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, for checking pages the CLI writes: a screenshot (kept under
 * {@code target/screenshots} for review) and the DOM after rendering. A test that needs it fails,
 * naming what to install, when it is missing ({@code .ci/run} installs it).
 */
final class HeadlessChromium {
    private HeadlessChromium() {
    }

    static Path binary() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        return fail("headless Chromium is needed for this test and is not installed: apt-get install -y chromium "
                + "(.ci/run installs it)");
    }

    /** Renders {@code page} at {@code width} × {@code height}, writes the screenshot to {@code png}, returns the DOM. */
    static String render(Path page, int width, int height, Path png) throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Path profile = Files.createTempDirectory("chromium-profile");
        List<String> base = new ArrayList<>(List.of(binary().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--hide-scrollbars", "--user-data-dir=" + profile, "--window-size=" + width + "," + height));
        List<String> shot = new ArrayList<>(base);
        shot.add("--screenshot=" + png.toAbsolutePath());
        shot.add(page.toUri().toString());
        run(shot, profile.resolve("shot.log"));
        List<String> dom = new ArrayList<>(base);
        dom.add("--dump-dom");
        dom.add(page.toUri().toString());
        Path out = profile.resolve("dom.html");
        Process p = new ProcessBuilder(dom).redirectOutput(out.toFile()).redirectError(profile.resolve("dom.log").toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("Chromium did not finish rendering " + page + " in 90 s");
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("Chromium did not finish in 90 s: " + command);
        }
        if (p.exitValue() != 0) {
            fail("Chromium exited " + p.exitValue() + ": " + Files.readString(log));
        }
    }
}
