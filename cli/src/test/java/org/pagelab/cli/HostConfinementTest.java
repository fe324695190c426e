package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code pagelab run --workdir W} writes host files only inside W: a symbolic link anywhere on the
 * way to a file the scenario names (or to a swap file) is refused with exit status 2 and the
 * scenario's line, so is a name that leaves W by its spelling, and the directory outside is
 * exactly as it was after every case.
 */
class HostConfinementTest {
    @TempDir
    Path tmp;
    Path work;
    Path outside;

    @BeforeEach
    void dirs() throws IOException {
        work = Files.createDirectory(tmp.resolve("work"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("victim"), "keep me");
    }

    @AfterEach
    void nothingWrittenOutside() throws IOException {
        try (Stream<Path> s = Files.walk(outside)) {
            assertThat(s.map(p -> outside.relativize(p).toString()).sorted().toList()).containsExactly("", "victim");
        }
        assertThat(Files.readString(outside.resolve("victim"))).isEqualTo("keep me");
    }

    private Path scenario(String fileName) throws IOException {
        return Files.writeString(tmp.resolve("s.yaml"), """
                machine: { memory: 32M }
                files:
                  - { name: "%s", size: 8K }
                processes:
                  - name: p
                    steps:
                      - file_write: { file: "%s", length: 8K, fill: 0x5a }
                      - fsync: { file: "%s" }
                """.formatted(fileName, fileName, fileName));
    }

    /** Link (relative to W) -> target ("OUT" for the outside directory, "OUT/victim" for a file in it), and the name. */
    static List<Arguments> links() {
        return List.of(
                Arguments.of("linkdir", "OUT", "linkdir/x.bin", "'linkdir' is a symbolic link (on the way to 'linkdir/x.bin')"),
                Arguments.of("a/linkdir", "OUT", "a/linkdir/x.bin", "'a/linkdir' is a symbolic link"),
                Arguments.of("a/b/c/l", "OUT", "a/b/c/l/x.bin", "'a/b/c/l' is a symbolic link"),
                Arguments.of("a", "OUT", "a/b/c/x.bin", "'a' is a symbolic link (on the way to 'a/b/c/x.bin')"),
                Arguments.of("inside", "W/real", "inside/x.bin", "'inside' is a symbolic link"),
                Arguments.of("d/up", "../..", "d/up/outside/new.bin", "'d/up' is a symbolic link"),
                Arguments.of("victim", "OUT/victim", "victim", "'victim' is a symbolic link; pagelab follows no links"),
                Arguments.of("dangling", "OUT/new.bin", "dangling", "'dangling' is a symbolic link"),
                Arguments.of("self", "self", "self", "'self' is a symbolic link"));
    }

    @ParameterizedTest(name = "{0} -> {1}, file {2}")
    @MethodSource("links")
    void aSymbolicLinkOnTheWayIsRefused(String link, String target, String name, String fragment) throws IOException {
        Path l = work.resolve(link);
        Files.createDirectories(l.getParent());
        Files.createDirectories(work.resolve("real"));
        Path t = target.startsWith("OUT") ? outside.resolve(target.substring(3).replaceFirst("^/", ""))
                : target.startsWith("W/") ? work.resolve(target.substring(2)) : Path.of(target);
        Files.createSymbolicLink(l, t);
        Path s = scenario(name);
        String line = BadInput.refused("run", "--workdir", work.toString(), s.toString());
        assertThat(line).startsWith(s + ":3: cannot create file '" + name + "': ELOOP: ").contains(fragment)
                .endsWith("; pagelab follows no links in the working directory");
        assertThat(work.resolve("real")).isEmptyDirectory();
    }

    @Test
    void anExistingFileIsRefusedNotOverwritten() throws IOException {
        Files.writeString(work.resolve("data.bin"), "earlier run");
        Path s = scenario("data.bin");
        assertThat(BadInput.refused("run", "--workdir", work.toString(), s.toString()))
                .isEqualTo(s + ":3: cannot create file 'data.bin': EEXIST: 'data.bin' already exists in the working directory");
        assertThat(Files.readString(work.resolve("data.bin"))).isEqualTo("earlier run");
    }

    @Test
    void aRegularFileOnTheWayIsNotADirectory() throws IOException {
        Files.writeString(work.resolve("a"), "x");
        Path s = scenario("a/x.bin");
        assertThat(BadInput.refused("run", "--workdir", work.toString(), s.toString()))
                .isEqualTo(s + ":3: cannot create file 'a/x.bin': ENOTDIR: 'a' is not a directory in the working directory");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("swapLinks")
    void aSwapFileThatIsALinkIsBadInputNamingMachineSwap(String swap, String link, int line) throws IOException {
        Files.createSymbolicLink(work.resolve(link), outside.resolve("victim"));
        Path s = Files.writeString(tmp.resolve("s.yaml"), "machine:\n  memory: 32M\n  swap: " + swap + "\nprocesses: []\n");
        String err = BadInput.refused("run", "--workdir", work.toString(), s.toString());
        assertThat(err).startsWith(s + ":" + line + ": machine.swap: cannot set up swap area '" + link + "'")
                .endsWith("'" + link + "' is a symbolic link; pagelab follows no links in the working directory");
    }

    static List<Arguments> swapLinks() {
        return List.of(Arguments.of("1M", "swapfile", 3),
                Arguments.of("[ { size: 1M }, { size: 1M } ]", "swapfile1", 3));
    }

    /** Names that leave the working directory by their spelling, at every depth, refused while parsing. */
    static List<String> badNames() {
        return List.of("../x", "../outside/victim", "a/../x", "a/../../outside/victim", "a/b/../../../outside/victim",
                "a/b/c/../../../../outside/new", "a/b/c/d/../../../../../x", tmp() + "/abs", "", ".", "a\\0b", "a\\nb",
                "x".repeat(300), "a/".repeat(600) + "x");
    }

    private static String tmp() {
        return System.getProperty("java.io.tmpdir");
    }

    @ParameterizedTest
    @MethodSource("badNames")
    void aNameThatLeavesTheDirectoryIsRefusedWithItsLine(String name) throws IOException {
        Path s = scenario(name);
        String line = BadInput.refused("run", "--workdir", work.toString(), s.toString());
        assertThat(line).startsWith(s + ":3: bad file name '");
        assertThat(work).isEmptyDirectory();
    }

    @Test
    void filesOnATmpfsBehindALinkWriteNoHostFile() throws IOException {
        Files.createSymbolicLink(work.resolve("dev"), outside);
        Path s = scenario("dev/shm/db");
        RunCommandTest.Result r = RunCommandTest.pagelab("run", "--workdir", work.toString(), s.toString());
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
    }

    @Test
    void aWorkingDirectoryGivenThroughALinkIsTheUsersChoice() throws IOException {
        Path alias = Files.createSymbolicLink(tmp.resolve("alias"), work);
        Path s = scenario("sub/data.bin");
        RunCommandTest.Result r = RunCommandTest.pagelab("run", "--workdir", alias.toString(), s.toString());
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        assertThat(Files.readAllBytes(work.resolve("sub/data.bin"))).hasSize(8192).containsOnly(0x5a);
    }
}
