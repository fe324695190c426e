package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pagelab.cli.RunCommandTest.pagelab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
    /** Figures with a native reference: the program's line must carry a native rate and both ratios. */
    private static final String[] WITH_NATIVE = {"anon write faults (data, frames zeroed)", "anon write faults (metadata)",
        "COW write faults after fork (data)", "file read faults, cached, fault-around", "page-cache 4 KiB preads (cached, data)"};
    private static final String[] PAGELAB_ONLY = {"touches hitting a present PTE", "fork, per mapped page",
        "reclaim: clean file pages dropped (metadata)", "reclaim: clean file pages dropped (data)",
        "reclaim: anon pages to swap (metadata)", "reclaim: anon pages to swap (data)",
        "whole-machine replay, twolist, all resident", "whole-machine replay, twolist, 256 MiB + swap", "policy-only LRU replay, 64 Ki pages"};
    private static final String NUMBER = "[0-9]+(\\.[0-9]+)?";
    private static final String UNIT = "(faults|touches|pages|reads|records)/s";

    private static boolean gccPresent() {
        try {
            return new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void benchPrintsEveryFigureWithUnitAndRatioAndWritesOnlyItsWorkdir(@TempDir Path dir) throws IOException {
        Path wd = dir.resolve("wd");
        RunCommandTest.Result r = pagelab("bench", "--runs", "1", "--pages", "1024", "--records", "20000",
                "--scale-from", "16M", "--scale-to", "32M", "--workdir", wd.toString());
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        String out = r.out();
        assertThat(out).startsWith("# pagelab bench: 1 runs per figure");
        boolean gcc = gccPresent();
        for (String figure : WITH_NATIVE) {
            String head = "(?m)^" + Pattern.quote(figure) + " +" + NUMBER + " " + UNIT + " +" + NUMBER + " ns CPU/event";
            if (gcc) {
                assertThat(out).containsPattern(head + " \\| native +" + NUMBER + " " + UNIT + " +" + NUMBER
                        + " ns CPU \\| ratio rate " + NUMBER + "x CPU " + NUMBER + "x$");
            } else {
                assertThat(out).containsPattern(head + " \\| native -$").contains("# native column: unavailable: ");
            }
        }
        for (String figure : PAGELAB_ONLY) {
            assertThat(out).containsPattern("(?m)^" + Pattern.quote(figure) + " +" + NUMBER + " " + UNIT + " +" + NUMBER
                    + " ns CPU/event$");
        }
        assertThat(out).containsPattern("(?m)^metadata per resident page, 2 MiB folios, 8 Ki frames +" + NUMBER + " bytes");
        assertThat(out).containsPattern("(?m)^scale 16M +4096 +[0-9]+ .*$").containsPattern("(?m)^scale 32M +8192 +[0-9]+ .*$")
                .containsPattern("(?m)^scale growth per page, time 16M -> 32M +" + NUMBER + " ratio")
                .containsPattern("(?m)^scale growth per page, heap 16M -> 32M +" + NUMBER + " ratio")
                .containsPattern("(?m)^metadata per resident order-0 page, 8 Ki frames +" + NUMBER + " bytes");
        // the given workdir is kept and holds only what the bench wrote there: the native programs
        try (Stream<Path> files = Files.list(wd)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsOnly("native");
        }
        if (gcc) {
            assertThat(wd.resolve("native/anon_fault")).isExecutable();
        }
    }

    @Test
    void badValuesAreUsageErrors() {
        for (String[] args : new String[][] {{"--runs", "0"}, {"--pages", "12"}, {"--records", "5"},
            {"--scale-from", "24M"}, {"--scale-from", "64M", "--scale-to", "32M"}, {"--scale-from", "16M", "--scale-to", "48M"},
            {"--scale-to", "1x"}}) {
            String[] cmd = Stream.concat(Stream.of("bench"), Stream.of(args)).toArray(String[]::new);
            RunCommandTest.Result r = pagelab(cmd);
            assertThat(r.status()).as("%s: %s", String.join(" ", cmd), r.err()).isEqualTo(Main.EXIT_USAGE);
            assertThat(r.err()).as(String.join(" ", cmd)).contains(args[args.length - 2]).doesNotContain("Exception");
        }
    }
}
