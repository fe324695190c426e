package org.pagelab.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.pagelab.trace.TraceSamples.readAll;
import static org.pagelab.trace.TraceSamples.text;
import static org.pagelab.trace.TraceSamples.write;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.input.Escape;
import org.pagelab.input.Limits;

/** Text traces have bounded lines, every line terminator, and messages that never hold raw bytes. */
class TraceLineLimitTest {
    @TempDir
    Path dir;

    @Test
    void aFileWithoutANewlineIsRefusedAtItsFirstLineNotReadIntoMemory() {
        byte[] zeros = new byte[4 * Limits.MAX_TRACE_LINE_BYTES];
        String spec = "plain:" + write(dir, "zeros", zeros);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThatThrownBy(() -> readAll(spec)).isInstanceOfSatisfying(TraceException.class, e -> {
                    assertThat(e.unit()).isEqualTo(TraceException.Unit.LINE);
                    assertThat(e.position()).isEqualTo(1);
                    assertThat(e.problem()).isEqualTo("line longer than 65536 bytes (it starts at byte 0 and has no end"
                            + " by byte 65536): not a text trace?");
                }));
    }

    @Test
    void aLongLineAfterShortOnesIsNamedByItsLineAndFirstByte() {
        String head = "R 0x10000\r\nW 0x20000\n";
        String spec = "plain:" + write(dir, "t", text(head + "R " + "1".repeat(Limits.MAX_TRACE_LINE_BYTES) + "\n"));
        assertThatThrownBy(() -> readAll(spec)).isInstanceOfSatisfying(TraceException.class, e -> {
            assertThat(e.position()).isEqualTo(3);
            assertThat(e.problem()).contains("starts at byte " + head.length());
        });
    }

    @Test
    void aLineOfExactlyTheLimitIsRead() {
        String line = "R 0x10000 #" + "x".repeat(Limits.MAX_TRACE_LINE_BYTES - 11);
        assertThat(line).hasSize(Limits.MAX_TRACE_LINE_BYTES);
        String spec = "plain:" + write(dir, "t", text(line + "\nW 0x20000"));
        assertThat(readAll(spec)).containsExactly(Access.memory(0x10000, false, 0), Access.memory(0x20000, true, 0));
    }

    @Test
    void crLfAndLoneCrEndLinesEvenAcrossTheReadBuffer() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        // comment lines fill the first 64 KiB buffer so that a "\r\n" straddles its end
        while (b.size() < (1 << 16) - 40) {
            b.writeBytes("# filler\n".getBytes(StandardCharsets.US_ASCII));
        }
        String pad = "#".repeat((1 << 16) - b.size() - 1);
        b.writeBytes((pad + "\r\nR 0x10000\rW 0x20000\r\n\r\nR 0x30000").getBytes(StandardCharsets.US_ASCII));
        List<Access> all = readAll("plain:" + write(dir, "crlf", b.toByteArray()));
        assertThat(all).containsExactly(Access.memory(0x10000, false, 0), Access.memory(0x20000, true, 0),
                Access.memory(0x30000, false, 0));
    }

    @Test
    void lineNumbersCountCrLfAndCrOnce() {
        String spec = "plain:" + write(dir, "t", text("R 0x10000\r\n\r\nR 0x20000\rX 0x1\n"));
        assertThatThrownBy(() -> readAll(spec)).isInstanceOfSatisfying(TraceException.class,
                e -> assertThat(e.getMessage()).endsWith(":4: bad operation 'X' (expected R or W)"));
    }

    @Test
    void binaryBytesAreEscapedAndCut() {
        byte[] junk = new byte[300];
        Arrays.fill(junk, (byte) 0x1b);
        junk[0] = 'W';
        junk[1] = ' ';
        junk[299] = '\n';
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("R 0x10000\n".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(junk);
        String spec = "plain:" + write(dir, "bin", b.toByteArray());
        assertThatThrownBy(() -> readAll(spec)).isInstanceOfSatisfying(TraceException.class, e -> {
            assertThat(e.position()).isEqualTo(2);
            assertThat(e.getMessage()).doesNotContain("\u001b").contains("\\x1b");
            String quoted = e.problem().substring(e.problem().indexOf('\'') + 1, e.problem().lastIndexOf('\''));
            assertThat(quoted).hasSizeLessThanOrEqualTo(Escape.MAX_QUOTED + 3).endsWith("...");
        });
    }

    @Test
    void anArcRunLongerThanTheEventLimitIsRefusedUpFront() {
        String huge = "arc:" + write(dir, "arc", text("100 2\n7 9223372036854775807 0 1\n"));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThatThrownBy(() -> readAll(huge)).isInstanceOfSatisfying(TraceException.class,
                        e -> assertThat(e.getMessage()).endsWith(":2: bad block count '9223372036854775807' (expected"
                                + " at most 1073741824 blocks per record)")));
        String max = "arc:" + write(dir, "arc2", text("0 " + (Limits.MAX_EVENTS + 1) + "\n"));
        assertThatThrownBy(() -> readAll(max)).hasMessageContaining("at most " + Limits.MAX_EVENTS);
    }

    @Test
    void recordErrorsOfTheReplayArePlacedAtTheirLineOrByte() {
        try (TraceReader r = TraceSource.open("plain:" + write(dir, "t", text("# c\nR 0x10000\n")))) {
            assertThat(r.next()).isTrue();
            assertThat(r.errorAtRecord("record 1: bad").getMessage()).endsWith("t:2: record 1: bad");
        }
    }
}
