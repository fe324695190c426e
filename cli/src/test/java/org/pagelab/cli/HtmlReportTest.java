package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pagelab.cli.RunCommandTest.pagelab;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.testing.Seeds;

/** The --report pages, rendered in headless Chromium: every chart drawn, with every sample, and a real picture. */
@ExtendWith(Seeds.class)
class HtmlReportTest {
    private static final Pattern CHART = Pattern.compile(
            "<div class=\"chart\" id=\"chart-([a-z]+)\" data-points=\"(\\d+)\" data-series=\"(\\d+)\">");

    /** Chart id -> {points, series} as the page's script recorded them. */
    private static Map<String, int[]> drawnCharts(String dom) {
        Map<String, int[]> charts = new LinkedHashMap<>();
        Matcher m = CHART.matcher(dom);
        while (m.find()) {
            charts.put(m.group(1), new int[] {Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))});
        }
        return charts;
    }

    private static int count(String s, String what) {
        return s.split(Pattern.quote(what), -1).length - 1;
    }

    private static void assertDrawn(String dom, int charts) {
        assertThat(dom).contains("<body data-state=\"drawn\">");
        assertThat(dom).as("the error box the script adds when it fails").doesNotContain("<div id=\"pagelab-error\"");
        assertThat(count(dom, "<div class=\"chart\"")).isEqualTo(charts);
        assertThat(count(dom, "<canvas")).as("one canvas per chart").isEqualTo(charts);
        assertThat(drawnCharts(dom)).hasSize(charts);
    }

    @Test
    void runReportDrawsEveryChartWithEverySampleOfTheSeries(@TempDir Path tmp) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require(tmp);
        Path csv = tmp.resolve("run.csv");
        Path page = tmp.resolve("run.html");
        RunCommandTest.Result r = pagelab("run", "../examples/workingset-on.yaml", "--series", csv.toString(),
                "--series-interval", "5ms", "--report", page.toString());
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        List<String> lines = Files.readAllLines(csv);
        int samples = lines.size() - 1;
        assertThat(samples).isGreaterThan(10);
        boolean psi = lines.getFirst().contains("psi_");
        String html = Files.readString(page);
        assertThat(html).doesNotContain("http://", "https://cdn").contains("uPlot");

        String dom = chromium.dumpDom(page);
        assertDrawn(dom, psi ? 6 : 5);
        Map<String, int[]> charts = drawnCharts(dom);
        assertThat(charts.keySet()).startsWith("memory", "lru", "swap", "faults", "reclaim");
        assertThat(charts.get("memory")).containsExactly(samples, 5);
        assertThat(charts.get("lru")).containsExactly(samples, 4);
        assertThat(charts.get("swap")).containsExactly(samples, 1);
        assertThat(charts.get("faults")).as("rates: one per pair of samples").containsExactly(samples - 1, 4);
        assertThat(charts.get("reclaim")).containsExactly(samples - 1, 4);

        Path png = tmp.resolve("run.png");
        chromium.screenshot(page, png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img).as("a PNG at %s", png).isNotNull();
        assertThat(img.getWidth()).isEqualTo(HeadlessChromium.WIDTH);
        assertThat(img.getHeight()).isEqualTo(HeadlessChromium.HEIGHT);
        Set<Integer> colours = new HashSet<>();
        long inked = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb != 0xffffff) {
                    inked++;
                }
            }
        }
        long sampled = (long) (img.getWidth() / 2) * (img.getHeight() / 2);
        assertThat(colours.size()).as("distinct colours: lines, text, grid").isGreaterThan(20);
        assertThat(inked).as("pixels not white of %d", sampled).isGreaterThan(sampled / 100);
    }

    @Test
    void compareReportDrawsTheMissRatioCurvesAndItsTables(@TempDir Path tmp) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require(tmp);
        long seed = Seeds.derive(20261127L);
        System.out.println("HtmlReportTest seed " + seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            long p = rnd.nextInt(4) == 0 ? rnd.nextInt(2000) : rnd.nextInt(100);
            sb.append(rnd.nextBoolean() ? "W" : "R").append(" 0x").append(Long.toHexString(0x10000000L + p * 4096)).append('\n');
        }
        Path trace = Files.writeString(tmp.resolve("t.txt"), sb);
        Path page = tmp.resolve("cmp.html");
        RunCommandTest.Result r = pagelab("compare", "plain:" + trace, "--policies", "lru,twolist", "--sizes",
                "16,64,256,1024", "--report", page.toString());
        assertThat(r.status()).as("seed %d, stderr: %s", seed, r.err()).isZero();
        String dom = chromium.dumpDom(page);
        assertDrawn(dom, 1);
        assertThat(drawnCharts(dom).get("mrc")).as("4 sizes, lru, twolist and opt").containsExactly(4, 3);
        assertThat(count(dom, "<table class=\"data\">")).as("the miss ratios and miss counts; no size has a machine")
                .isEqualTo(2);
        assertThat(dom).contains("<th>whole machine</th><td>none of the sizes reaches the 16M (4096 pages) a machine needs");
        for (String row : r.out().split("\n")) {
            if (row.startsWith("lru ")) {
                for (String cell : row.substring(4).trim().split("\\s+")) {
                    assertThat(dom).as("seed %d: the page's table has the printed %s", seed, cell).contains("<td>" + cell + "</td>");
                }
            }
        }
    }

    @Test
    void aPageWhoseScriptFailsSaysSo(@TempDir Path tmp) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require(tmp);
        Path page = tmp.resolve("broken.html");
        RunCommandTest.Result r = pagelab("run", "../examples/workingset-on.yaml", "--report", page.toString());
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        Files.writeString(page, Files.readString(page).replace("var uPlot=", "var notUPlot="));
        String dom = chromium.dumpDom(page);
        assertThat(dom).contains("<body data-state=\"error\">")
                .contains("</h1><div id=\"pagelab-error\" class=\"error\">The charts could not be drawn: ")
                .doesNotContain("<canvas");
    }

    @Test
    void badReportPathsAreUsageErrorsBeforeTheRun(@TempDir Path tmp) {
        RunCommandTest.Result missing = pagelab("run", "--report", tmp.resolve("no/such/dir/r.html").toString());
        assertThat(missing.status()).isEqualTo(Main.EXIT_USAGE);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.errLines()).containsExactly("pagelab run: cannot write --report file '"
                + tmp.resolve("no/such/dir/r.html") + "': directory '" + tmp.resolve("no/such/dir") + "' does not exist");
        RunCommandTest.Result dir = pagelab("compare", "plain:" + tmp.resolve("t.txt"), "--report", tmp.toString());
        assertThat(dir.status()).isEqualTo(Main.EXIT_USAGE);
        assertThat(dir.errLines()).containsExactly("pagelab compare: cannot write --report file '" + tmp
                + "': it is a directory");
        RunCommandTest.Result policyOnly = pagelab("replay", "plain:" + tmp.resolve("t.txt"), "--policy-only", "--pages", "4",
                "--report", tmp.resolve("r.html").toString());
        assertThat(policyOnly.status()).isEqualTo(Main.EXIT_USAGE);
        assertThat(policyOnly.errLines().getFirst()).contains("--report charts a whole machine's run");
    }
}
