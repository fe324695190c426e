package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad command-line values, each a distinct input: exit status 2 and one line that names the
 * command, the option and the value, within {@link BadInput#LIMIT}. TRACE stands for a valid
 * small trace, TMP for a scratch directory, FILE for a regular file in it.
 */
class FlagBadInputTest {
    @TempDir
    Path tmp;
    private Path trace;
    private Path file;

    @BeforeEach
    void files() throws IOException {
        trace = Files.writeString(tmp.resolve("t.lirs"), "1\n2\n3\n1\n");
        file = Files.writeString(tmp.resolve("file"), "x");
    }

    static List<Arguments> cases() {
        return List.of(
                Arguments.of("run --memory 1x", "pagelab run: invalid size '1x' for --memory"),
                Arguments.of("run --memory 99T", "memory size 99T is too large, at most 8T"),
                Arguments.of("run --memory 8k", "'8k' for --memory: memory size 8K is too small, at least 16M"),
                Arguments.of("run --memory 99999999999999999999", "'99999999999999999999' for --memory: too large, at most"),
                Arguments.of("run --memory 16777217", "is not a multiple of 4K"),
                Arguments.of("run --swap 4K", "a swap area needs at least 8K"),
                Arguments.of("run --swap 99T --mode metadata", "--swap 99T is too large, at most 2147483639 pages"),
                Arguments.of("run --swap many", "invalid size 'many' for --swap"),
                Arguments.of("run --cpus 0", "--cpus must be 1..4096"),
                Arguments.of("run --cpus 5000", "--cpus must be 1..4096"),
                Arguments.of("run --cpus 99999999999", "'99999999999' is not an int"),
                Arguments.of("run --seed x", "'x' is not a long"),
                Arguments.of("run --mode fast", "invalid mode 'fast' for --mode"),
                Arguments.of("run --series TMP/s.csv --series-interval abc", "invalid time 'abc' for --series-interval"),
                Arguments.of("run --series TMP/s.csv --series-interval 0ns", "--series-interval must be positive"),
                Arguments.of("run --series TMP/nodir/s.csv", "cannot write --series file 'TMP/nodir/s.csv': directory"),
                Arguments.of("run --report TMP", "cannot write --report file 'TMP': it is a directory"),
                Arguments.of("run --workdir FILE", "working directory 'FILE' for --workdir exists and is not a directory"),
                Arguments.of("run --workdir FILE/sub", "cannot create working directory 'FILE/sub' for --workdir: not a directory"),
                Arguments.of("run --frobnicate", "unknown option: '--frobnicate'"),
                Arguments.of("run a.yaml b.yaml", "unmatched argument"),
                Arguments.of("run TMP/missing.yaml", "pagelab run: cannot read scenario file 'TMP/missing.yaml': no such file"),
                Arguments.of("run TMP", "pagelab run: cannot read scenario file 'TMP': it is a directory"),
                Arguments.of("run /dev/null", "cannot read scenario file '/dev/null': not a regular file"),
                Arguments.of("compare --sizes 0 TRACE", "size '0' in --sizes is 0 pages: too small, at least 1"),
                Arguments.of("compare --sizes 100000000 TRACE", "size '100000000' in --sizes is too large: at most 67108864 pages (256G)"),
                Arguments.of("compare --sizes 1T TRACE", "size '1T' in --sizes is too large"),
                Arguments.of("compare --sizes 99999999999999999999 TRACE", "size '99999999999999999999' in --sizes is too large"),
                Arguments.of("compare --sizes 4x TRACE", "invalid size '4x' in --sizes"),
                Arguments.of("compare --sizes 8,,16 TRACE", "invalid size '' in --sizes"),
                Arguments.of("compare --policies lru,nope TRACE", "--policies: unknown policy 'nope'"),
                Arguments.of("compare --swap 4K TRACE", "a swap area needs at least 8K"),
                Arguments.of("compare --report TMP TRACE", "cannot write --report file 'TMP': it is a directory"),
                Arguments.of("replay --policy-only TRACE", "--policy-only needs --pages N"),
                Arguments.of("replay --policy-only --pages 0 TRACE", "--policy-only needs --pages N"),
                Arguments.of("replay --policy-only --pages 100000000 TRACE", "--pages 100000000 is too large, at most 67108864 pages"),
                Arguments.of("replay --policy-only --pages 10 --policy nope TRACE", "--policy: unknown policy 'nope'"),
                Arguments.of("replay --pages 5 TRACE", "--pages is for --policy-only"),
                Arguments.of("replay --mode metadata --cgroup-max 1 TRACE", "--cgroup-max 1 is less than one page"),
                Arguments.of("replay --policy nope TRACE", "unknown --policy 'nope' for a whole machine"),
                Arguments.of("replay --mode data TRACE", "replay runs data-less"),
                Arguments.of("convert TRACE FILE", "output 'FILE' exists (use --force to overwrite it)"),
                Arguments.of("convert TRACE TMP/nodir/out", "cannot write 'TMP/nodir/out': no such file or directory"),
                Arguments.of("frobnicate", "unknown command 'frobnicate'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedNamingTheOptionAndValue(String command, String fragment) {
        String[] args = command.replace("TRACE", "lirs:" + trace).replace("FILE", file.toString())
                .replace("TMP", tmp.toString()).split(" ");
        String line = BadInput.refused(args);
        assertThat(line).startsWith(args.length == 1 ? "pagelab: " : "pagelab " + args[0] + ": ")
                .contains(fragment.replace("FILE", file.toString()).replace("TMP", tmp.toString()));
    }
}
