package org.pagelab.filemap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Host files stay beneath the working directory: no symbolic link is followed at any depth, no
 * name with '..', an absolute path or a control character is taken, and after every refusal the
 * directory outside is exactly as it was.
 */
class HostPathsTest {
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

    static List<String> linkDepths() {
        return List.of("l/x", "a/l/x", "a/b/l/x", "a/b/c/l/x");
    }

    @ParameterizedTest
    @MethodSource("linkDepths")
    void aDirectoryLinkOutsideIsRefusedAtAnyDepth(String name) throws IOException {
        Path link = work.resolve(name).getParent();
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, outside);
        String component = work.relativize(link).toString();
        assertThatThrownBy(() -> HostPaths.create(work, name)).isInstanceOfSatisfying(HostPaths.Refused.class, e -> {
            assertThat(e.errno()).isEqualTo(Errno.ELOOP);
            assertThat(e.getMessage()).startsWith("'" + component + "' is a symbolic link (on the way to '" + name + "')");
        });
        assertThatThrownBy(() -> HostPaths.open(work, name)).isInstanceOf(HostPaths.Refused.class);
    }

    @Test
    void aDirectoryLinkThatStaysInsideIsRefusedToo() throws IOException {
        Files.createDirectory(work.resolve("real"));
        Files.createSymbolicLink(work.resolve("alias"), work.resolve("real"));
        assertThatThrownBy(() -> HostPaths.create(work, "alias/x")).hasMessageContaining("'alias' is a symbolic link");
        assertThat(work.resolve("real")).isEmptyDirectory();
    }

    @Test
    void aRelativeLinkUpwardsIsRefused() throws IOException {
        Files.createDirectory(work.resolve("d"));
        Files.createSymbolicLink(work.resolve("d/up"), Path.of("../../outside"));
        assertThatThrownBy(() -> HostPaths.create(work, "d/up/victim")).hasMessageContaining("'d/up' is a symbolic link");
        assertThatThrownBy(() -> HostPaths.open(work, "d/up/victim")).hasMessageContaining("'d/up' is a symbolic link");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aFileThatIsALinkIsNeitherCreatedThroughNorOpened(boolean dangling) throws IOException {
        Path target = outside.resolve(dangling ? "new" : "victim");
        Files.createSymbolicLink(work.resolve("f"), target);
        assertThatThrownBy(() -> HostPaths.create(work, "f")).isInstanceOfSatisfying(HostPaths.Refused.class, e -> {
            assertThat(e.errno()).isEqualTo(Errno.ELOOP);
            assertThat(e.getMessage()).isEqualTo("'f' is a symbolic link; pagelab follows no links in the working directory");
        });
        assertThatThrownBy(() -> HostPaths.open(work, "f")).hasMessageContaining("'f' is a symbolic link");
    }

    @Test
    void deletingThroughALinkDeletesNothingOutside() throws IOException {
        Files.createSymbolicLink(work.resolve("l"), outside);
        assertThatThrownBy(() -> HostPaths.delete(work, "l/victim")).hasMessageContaining("'l' is a symbolic link");
        Files.createSymbolicLink(work.resolve("v"), outside.resolve("victim"));
        HostPaths.delete(work, "v");
        assertThat(work.resolve("v")).doesNotExist();
    }

    @Test
    void anExistingFileIsEexistAndAFileOnTheWayIsEnotdir() throws IOException {
        Files.writeString(work.resolve("f"), "old");
        assertThatThrownBy(() -> HostPaths.create(work, "f")).isInstanceOfSatisfying(HostPaths.Refused.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST));
        assertThatThrownBy(() -> HostPaths.create(work, "f/g")).isInstanceOfSatisfying(HostPaths.Refused.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.ENOTDIR));
        assertThat(Files.readString(work.resolve("f"))).isEqualTo("old");
    }

    static List<String> badNames() {
        return List.of("../x", "a/../x", "a/b/../../x", "a/b/c/../../../../x", "..", ".", "./x", "a/./x", "a//x",
                "a/", "/tmp/x", "", "a\0b", "a\nb", "a\tb", "x".repeat(256), ("d/").repeat(600) + "x");
    }

    @ParameterizedTest
    @MethodSource("badNames")
    void namesOutsideTheRuleAreRefusedBeforeTheHostIsAsked(String name) {
        assertThatThrownBy(() -> HostPaths.create(work, name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("file name '");
        assertThat(FileNames.problem(name)).isNotNull();
        assertThat(work).isEmptyDirectory();
    }

    @Test
    void aPlainNestedNameMakesItsDirectoriesAndHoldsBytes() throws IOException {
        try (FileChannel ch = HostPaths.create(work, "a/b/c/data.bin")) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        }
        assertThat(Files.readAllBytes(work.resolve("a/b/c/data.bin"))).containsExactly(1, 2, 3);
        try (FileChannel ch = HostPaths.open(work, "a/b/c/data.bin")) {
            assertThat(ch.size()).isEqualTo(3);
        }
        HostPaths.delete(work, "a/b/c/data.bin");
        assertThat(work.resolve("a/b/c/data.bin")).doesNotExist();
        assertThat(FileNames.problem("dev/shm/db")).isNull();
        assertThat(FileNames.problem("x".repeat(255))).isNull();
    }

    @Test
    void aWorkingDirectoryReachedThroughALinkIsTheUsersChoice() throws IOException {
        Path alias = Files.createSymbolicLink(tmp.resolve("alias"), work);
        try (FileChannel ch = HostPaths.create(alias, "x")) {
            assertThat(ch.size()).isZero();
        }
        assertThat(work.resolve("x")).exists();
    }

    @Test
    void vfsReportsTheRefusalAsAnErrnoWithItsReason() throws IOException {
        Files.createSymbolicLink(work.resolve("l"), outside);
        try (org.pagelab.machine.Machine m = org.pagelab.machine.Machine.boot(
                org.pagelab.phys.PhysConfig.of(org.pagelab.phys.MemSize.parse("32M"), true), work)) {
            OpenResult r = m.vfs().create("l/x", 4096);
            assertThat(r).isInstanceOfSatisfying(OpenResult.OpenFailed.class, f -> {
                assertThat(f.errno()).isEqualTo(Errno.ELOOP);
                assertThat(f.describe()).startsWith("ELOOP: 'l' is a symbolic link");
            });
            assertThat(m.vfs().open("l/victim")).isInstanceOf(OpenResult.OpenFailed.class);
        }
    }
}
