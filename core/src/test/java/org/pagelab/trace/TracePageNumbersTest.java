package org.pagelab.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pagelab.trace.TraceSamples.readAll;
import static org.pagelab.trace.TraceSamples.text;
import static org.pagelab.trace.TraceSamples.write;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Page-number traces are read by the pages format, and the plain format refuses to guess at them. */
class TracePageNumbersTest {
    @TempDir
    Path dir;

    @Test
    void plainRefusesDigitsThatAreNoPageAlignedAddress() {
        String f = write(dir, "pages.txt", text("R 4096\nR 4033\nW 4034\n")).toString();
        assertThatThrownBy(() -> readAll("plain:" + f)).isInstanceOf(TraceException.class)
                .hasMessage(f + ":2: ambiguous address '4033': a decimal address must be a multiple of 4096 (write byte"
                        + " addresses in hex with 0x; for page numbers use the pages format, pages:FILE)");
    }

    @Test
    void pagesReadsHexPageNumbersAndDropsInstructionFetches() {
        String f = write(dir, "p.txt", text("# op page\nR 4033\nW 0x4034 7\nX 400\nr fc1  # comment\n")).toString();
        assertThat(readAll("pages:" + f)).containsExactly(Access.memory(0x4033L << 12, false, 0),
                Access.memory(0x4034L << 12, true, 7), Access.memory(0xfc1L << 12, false, 0));
        assertThat(readAll("pages,instructions=true:" + f)).hasSize(4)
                .contains(Access.memory(0x400L << 12, false, 0));
    }

    @Test
    void pagesNamesWhatItExpected() {
        String f = write(dir, "bad.txt", text("R 10\nQ 11\n")).toString();
        assertThatThrownBy(() -> readAll("pages:" + f)).hasMessage(f + ":2: bad operation 'Q' (expected R, W or X)");
        String g = write(dir, "short.txt", text("R\n")).toString();
        assertThatThrownBy(() -> readAll("pages:" + g)).hasMessage(g + ":1: bad record 'R' (expected R|W|X PAGE-HEX [PID])");
        String h = write(dir, "wide.txt", text("W 10000000000000\n")).toString();
        assertThatThrownBy(() -> readAll("pages:" + h)).hasMessage(h + ":1: bad page '10000000000000' (expected a page number of at most 52 bits)");
    }
}
