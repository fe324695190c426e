package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;

/**
 * The contract of a refused input, shared by the bad-input suites: exit status 2 within
 * {@link #LIMIT}, nothing on stdout, exactly one line on stderr that names where the problem is
 * and what it is, no stack trace, and no byte that is not printable (raw input never reaches the
 * terminal).
 */
final class BadInput {
    /** Generous: every refusal here takes well under a second; a hang takes forever. */
    static final Duration LIMIT = Duration.ofSeconds(10);

    private BadInput() {
    }

    /** Runs {@code pagelab args} within {@link #LIMIT} and returns its one error line, checked. */
    static String refused(String... args) {
        RunCommandTest.Result r = assertTimeoutPreemptively(LIMIT, () -> RunCommandTest.pagelab(args),
                () -> "pagelab " + String.join(" ", args) + " did not finish in " + LIMIT);
        assertThat(r.status()).as("status of %s; stderr: %s", String.join(" ", args), r.err()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.out()).as("stdout").isEmpty();
        assertThat(r.errLines()).as("stderr").hasSize(1);
        String line = r.errLines().getFirst();
        assertThat(line).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("internal error");
        assertThat(line.codePoints().allMatch(c -> c >= 0x20 && c != 0x7f && !Character.isISOControl(c)))
                .as("printable: %s", line).isTrue();
        return line;
    }
}
