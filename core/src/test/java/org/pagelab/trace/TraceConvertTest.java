package org.pagelab.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pagelab.trace.TraceSamples.readAll;
import static org.pagelab.trace.TraceSamples.text;
import static org.pagelab.trace.TraceSamples.write;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pagelab.testing.Seeds;

@ExtendWith(Seeds.class)
class TraceConvertTest {

    @TempDir
    Path dir;

    static Stream<Arguments> samples() {
        ByteBuffer oracle = ByteBuffer.allocate(4 * OracleReader.RECORD);
        TraceSamples.oracle(oracle, 1, 9, 4096, 3);
        TraceSamples.oracle(oracle, 2, -1L, 4096, -1);
        TraceSamples.oracle(oracle, 3, 0, 0, -1);
        TraceSamples.oracle(oracle, 4, 9, 100, -1);
        return Stream.of(
                Arguments.of("lackey", text(TraceReadersTest.LACKEY + " L 0401ffe,4\n")),
                Arguments.of("lackey,instructions=true", text(TraceReadersTest.LACKEY)),
                Arguments.of("plain", text("R 0x1000\nW 4096 3\nR 0xffffffffffffffff 2147483647\nW 0\n")),
                Arguments.of("spec", text("l 0x1fffff50 1\ns 0x1fffff4c 3\n")),
                Arguments.of("lirs", text("5\n17\n18446744073709551615\n0\n")),
                Arguments.of("arc", text("100 3 0 1\n7 1 0 2\n")),
                Arguments.of("cachesim-csv,op-col=4", text("time,id,size,op\n1,42,4096,get\n2,41,1,set\n")),
                Arguments.of("oracle", oracle.array()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void convert_to_pagelab_and_back_gives_the_same_accesses(String format, byte[] content) {
        Path in = write(dir, "in", content);
        List<Access> original = readAll(format + ":" + in);
        assertThat(original).isNotEmpty();
        Path out = dir.resolve("out.pgl");
        assertThat(TraceSource.convert(format + ":" + in, out)).isEqualTo(original.size());
        assertThat(readAll("pagelab:" + out)).isEqualTo(original);
    }

    @Test
    void compressed_pagelab_traces_read_the_same() throws IOException {
        List<Access> a = List.of(Access.memory(0x7fff0000L, true, 3), Access.block(12, false));
        byte[] raw = pagelab(a);
        assertThat(readAll("pagelab:" + write(dir, "t.gz", TraceSamples.gzip(raw)))).isEqualTo(a);
        assertThat(readAll("pagelab:" + write(dir, "t.zst", TraceSamples.zstd(raw)))).isEqualTo(a);
    }

    @Test
    void a_pagelab_trace_cut_anywhere_is_an_error() {
        List<Access> a = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            a.add(i % 3 == 0 ? Access.block(i * 1000L, i % 2 == 0)
                    : Access.memory(0x7f00_0000_0000L + i * 4096L, i % 2 == 1, i / 10));
        }
        byte[] raw = pagelab(a);
        for (int len = 0; len < raw.length; len++) {
            Path p = write(dir, "cut.pgl", Arrays.copyOf(raw, len));
            int cut = len;
            assertThatThrownBy(() -> readAll("pagelab:" + p)).as("cut at %d of %d", cut, raw.length)
                    .isInstanceOf(TraceException.class).hasMessageStartingWith(p + ":byte ");
        }
    }

    @Test
    void bad_pagelab_headers_and_tags_name_the_value() {
        Path p = write(dir, "x.pgl", text("NOTATRACE"));
        assertThatThrownBy(() -> readAll("pagelab:" + p))
                .hasMessage(p + ":byte 0: not a pagelab trace: magic '4e4f54415452' (expected '50474c545243', PGLTRC)");
        byte[] raw = pagelab(List.of(Access.block(1, false)));
        raw[PagelabFormat.HEADER] = 0x40;
        Path q = write(dir, "y.pgl", raw);
        assertThatThrownBy(() -> readAll("pagelab:" + q))
                .hasMessage(q + ":byte 8: bad record tag '0x40' (expected 0x00 to 0x07, or 0x80 to end)");
        byte[] extra = Arrays.copyOf(pagelab(List.of(Access.block(1, false))), raw.length + 1);
        Path r = write(dir, "z.pgl", extra);
        assertThatThrownBy(() -> readAll("pagelab:" + r)).hasMessageContaining("bytes after the end record");
    }

    @Test
    void a_failed_convert_leaves_no_output() {
        Path in = write(dir, "bad.txt", text("R 0x10\nR nope\n"));
        Path out = dir.resolve("out.pgl");
        assertThatThrownBy(() -> TraceSource.convert("plain:" + in, out))
                .hasMessage(in + ":2: bad address 'nope' (expected 0x and 1 to 16 hexadecimal digits, or a decimal integer below 2^64)");
        assertThat(out).doesNotExist();
    }

    @Test
    void random_accesses_survive_a_pagelab_round_trip() {
        for (long seed : Seeds.of(0x7ACE_0000L, 50)) {
            Seeds.check(seed, () -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                List<Access> a = randomAccesses(rnd, rnd.nextInt(2000));
                Path p = write(dir, "r.pgl", pagelab(a));
                assertThat(readAll("pagelab:" + p)).as("seed %d", seed).isEqualTo(a);
            });
        }
    }

    private static List<Access> randomAccesses(SplittableRandom rnd, int n) {
        List<Access> a = new ArrayList<>(n);
        long[] last = {0x5555_0000_0000L, 0};
        int pid = 1;
        for (int i = 0; i < n; i++) {
            Access.Kind kind = rnd.nextInt(4) == 0 ? Access.Kind.BLOCK : Access.Kind.MEMORY;
            int k = kind.ordinal();
            long key = switch (rnd.nextInt(6)) {
                case 0 -> rnd.nextLong();
                case 1 -> new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE}[rnd.nextInt(4)];
                default -> last[k] + rnd.nextLong(-70_000, 70_000);
            };
            last[k] = key;
            if (rnd.nextInt(20) == 0) {
                pid = rnd.nextInt(8) == 0 ? Integer.MAX_VALUE : rnd.nextInt(100_000);
            }
            a.add(new Access(kind, key, rnd.nextBoolean(), kind == Access.Kind.BLOCK ? 0 : pid));
        }
        return a;
    }

    @Test
    void read_throughput_of_five_million_pagelab_records() throws IOException {
        int n = 5_000_000;
        Path p = dir.resolve("big.pgl");
        SplittableRandom rnd = new SplittableRandom(Seeds.derive(1));
        try (PagelabWriter w = new PagelabWriter(Files.newOutputStream(p))) {
            long addr = 0x7f00_0000_0000L;
            for (int i = 0; i < n; i++) {
                addr += rnd.nextInt(16) == 0 ? rnd.nextLong(-1 << 24, 1 << 24) : 8;
                w.write(Access.Kind.MEMORY, addr, (i & 3) == 0, 1 + (i >>> 20));
            }
        }
        Path z = write(dir, "big.pgl.zst", TraceSamples.zstd(Files.readAllBytes(p)));
        for (String file : List.of(p.toString(), z.toString())) {
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                long[] sink = new long[1];
                try (TraceReader r = TraceSource.open("pagelab:" + file)) {
                    assertThat(r.drainTo((kind, key, w, pid) -> sink[0] += key)).isEqualTo(n);
                }
                best = Math.min(best, System.nanoTime() - t0);
            }
            System.out.printf("pagelab read %s: %d records, %.1f bytes/record, %.1f M records/s%n",
                    file.endsWith(".zst") ? "zstd" : "plain", n, Files.size(Path.of(file)) / (double) n,
                    n / (best / 1e9) / 1e6);
        }
    }

    private static byte[] pagelab(List<Access> accesses) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (PagelabWriter w = new PagelabWriter(b)) {
            accesses.forEach(w::write);
        }
        return b.toByteArray();
    }
}
