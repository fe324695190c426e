package org.pagelab.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoReasonTest {
    @Test
    void reasonsAreWordsNotThePathAgain() {
        assertThat(IoReason.of(new NoSuchFileException("/x/y"))).isEqualTo("no such file or directory");
        assertThat(IoReason.of(new AccessDeniedException("/x/y"))).isEqualTo("permission denied");
        assertThat(IoReason.of(new FileSystemException("/x", null, "Read-only file system"))).isEqualTo("read-only file system");
        assertThat(IoReason.of(new IOException("disk on fire\n"))).isEqualTo("disk on fire\\n");
        assertThat(IoReason.of(new IOException())).isEqualTo("IOException");
    }

    @Test
    void aRealHostFailureGivesTheHostsReason(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x");
        try {
            Files.writeString(file.resolve("under-a-file"), "y");
        } catch (IOException e) {
            assertThat(IoReason.of(e)).isEqualTo("not a directory");
            return;
        }
        throw new AssertionError("writing beneath a regular file succeeded");
    }
}
