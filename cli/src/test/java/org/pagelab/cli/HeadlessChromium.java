package org.pagelab.cli;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium for the tests of HTML reports: loads a page from a file with no network, lets its
 * scripts run, and returns the DOM or a screenshot. Each call uses a fresh profile directory.
 *
 * <p>Where Chromium is missing the tests that need it fail under CI (the environment variable CI
 * is set; .ci/run installs Chromium) and are skipped elsewhere, saying why.
 */
final class HeadlessChromium {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    static final int WIDTH = 1200;
    static final int HEIGHT = 1900;

    private final Path scratch;

    private HeadlessChromium(Path scratch) {
        this.scratch = scratch;
    }

    /** Chromium with profiles under {@code scratch}; fails under CI and skips elsewhere if it is not installed. */
    static HeadlessChromium require(Path scratch) {
        if (!Files.isExecutable(BINARY)) {
            String why = BINARY + " is not installed, so the HTML report cannot be rendered"
                    + " (apt-get install chromium; .ci/run does this)";
            if (System.getenv("CI") != null) {
                fail("CI is set but " + why);
            }
            Assumptions.abort("skipped: " + why);
        }
        return new HeadlessChromium(scratch);
    }

    /** The DOM of {@code page} after its scripts ran. */
    String dumpDom(Path page) throws IOException, InterruptedException {
        return run(page, List.of("--dump-dom"));
    }

    /** Renders {@code page} into the PNG file {@code png}, {@value #WIDTH}x{@value #HEIGHT} pixels. */
    void screenshot(Path page, Path png) throws IOException, InterruptedException {
        run(page, List.of("--hide-scrollbars", "--window-size=" + WIDTH + "," + HEIGHT, "--screenshot=" + png));
    }

    private String run(Path page, List<String> what) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(scratch, "chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=10000"));
        cmd.addAll(what);
        cmd.add(page.toUri().toString());
        Path out = scratch.resolve("chromium.out");
        Path err = scratch.resolve("chromium.err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 120 s: " + cmd);
        }
        if (p.exitValue() != 0) {
            fail("chromium exited with " + p.exitValue() + ": " + Files.readString(err));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
