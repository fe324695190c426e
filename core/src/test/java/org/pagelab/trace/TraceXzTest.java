package org.pagelab.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pagelab.trace.TraceSamples.readAll;
import static org.pagelab.trace.TraceSamples.text;
import static org.pagelab.trace.TraceSamples.write;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** xz-compressed traces are recognised by their magic bytes, read as the plain file, and a cut one is an error. */
class TraceXzTest {
    @TempDir
    Path dir;

    private static byte[] xz(byte[] raw) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (XZOutputStream o = new XZOutputStream(b, new LZMA2Options())) {
            o.write(raw);
        }
        return b.toByteArray();
    }

    @Test
    void anXzTraceReadsAsItsPlainText() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            sb.append(i % 3 == 0 ? "W 0x" : "R 0x").append(Long.toHexString(0x10000L + 4096L * (i * 7919 % 1000))).append('\n');
        }
        byte[] raw = text(sb.toString());
        String plain = write(dir, "t.txt", raw).toString();
        String packed = write(dir, "t.bin", xz(raw)).toString();
        assertThat(readAll("plain:" + packed)).hasSize(5000).isEqualTo(readAll("plain:" + plain));
    }

    @Test
    void aCutXzTraceIsAnErrorNotAShortTrace() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20000; i++) {
            sb.append(i).append('\n');
        }
        byte[] full = xz(text(sb.toString()));
        String cut = write(dir, "cut.xz", Arrays.copyOf(full, full.length / 2)).toString();
        assertThatThrownBy(() -> readAll("lirs:" + cut)).isInstanceOf(TraceException.class)
                .hasMessageContaining("truncated or corrupt xz stream");
    }
}
