package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pagelab.cli.RunCommandTest.pagelab;

import org.junit.jupiter.api.Test;

class BenchCommandTest {
    @Test
    void benchPrintsEveryFigureWithItsUnit() {
        RunCommandTest.Result r = pagelab("bench", "--runs", "1", "--pages", "1024", "--records", "100000");
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).startsWith("# pagelab bench: 1 runs per figure");
        for (String figure : new String[] {"anon write faults (data, frames zeroed)", "anon write faults (metadata)",
            "touches hitting a present PTE", "fork, per mapped page", "COW write faults after fork",
            "file read faults, cached", "page-cache 4 KiB preads", "policy-only LRU replay", "metadata per resident"}) {
            assertThat(r.out()).containsPattern("(?m)^" + java.util.regex.Pattern.quote(figure) + ".* [0-9.]+ ");
        }
        assertThat(pagelab("bench", "--runs", "0").status()).isEqualTo(Main.EXIT_USAGE);
    }
}
