package org.pagelab.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input for every trace reader: seeded byte-level mutations (flipped, deleted, inserted,
 * duplicated and truncated bytes, number-shaped text, and the same on gzip- and zstd-compressed
 * copies) of a valid trace of each format, read to the end through {@link TraceSource#open}. A
 * reader may read a mutant or refuse it with a {@link TraceException} (whose text position is
 * never line 0, and which names the form expected when it names a bad value); anything else it
 * throws, or a read taking more than two seconds, fails with the seed and the mutant. The seed comes from {@code -Dpagelab.seed} and the mutants per reader from
 * {@code -Dpagelab.fuzz.trace.iterations} (default 3,000, sized for CI; the counts per reader are
 * printed).
 */
class TraceReaderFuzzTest {
    private static final Pattern LINE_ZERO = Pattern.compile(":0: ");
    private static final String[] PIECES = {"0x", "-", "-1", "99999999999999999999999", "18446744073709551616", " ",
        "\n", "\r\n", "\t", ",", "#", "\u0000", "zz", "4096", "I  ", " L ", " M ", "R ", "W ", "X ", "l ", "s ", "*",
        "==1== ", "\u00ff"};

    static Stream<Arguments> formats() throws IOException {
        ByteBuffer o = ByteBuffer.allocate(24 * 4);
        for (int i = 0; i < 4; i++) {
            TraceSamples.oracle(o, i + 1, 1000L + i * 7, 4096, i == 3 ? -1 : i + 2);
        }
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        try (PagelabWriter w = new PagelabWriter(p)) {
            w.write(Access.memory(0x7ff000398L, true, 4242));
            w.write(Access.memory(0x7ff001398L, false, 4242));
            w.write(Access.block(77, false));
            w.write(Access.memory(0x1000, true, 1));
        }
        ByteBuffer lcs = TraceSamples.lcsHeader(ByteBuffer.allocate(LcsReader.HEADER + 28 * 3), 2);
        TraceSamples.lcsV2(lcs, 1, 7, 4096, 1, 2);
        TraceSamples.lcsV2(lcs, 2, 7, 9000, 3, -1);
        TraceSamples.lcsV2(lcs, 3, 8, 100, 9, -1);
        ByteBuffer vscsi = ByteBuffer.allocate(40 * 3);
        TraceSamples.vscsiV2(vscsi, 0x28, 4096, 16);
        TraceSamples.vscsiV2(vscsi, 0x2a, 1024, 7);
        TraceSamples.vscsiV2(vscsi, 0x28, 512, 16);
        return Stream.of(
                Arguments.of("lackey", TraceSamples.text(TraceReadersTest.LACKEY)),
                Arguments.of("plain", TraceSamples.text("# c\nR 0x1000\nW 8192   # t\n\nr 0x7fffffffe000 17\n")),
                Arguments.of("pages", TraceSamples.text("R 1a\nW 2b 3\nX 4\nR ffff 2\n")),
                Arguments.of("spec", TraceSamples.text("l 0x1fffff50 1\ns 0x1fffff4c 3\nl 7fffd2a8 0\n")),
                Arguments.of("lirs", TraceSamples.text("5\n17\n*\n\n5\n")),
                Arguments.of("arc", TraceSamples.text("100 3 0 1\n7 1 0 2\n")),
                Arguments.of("cachesim-csv", TraceSamples.text("time,obj_id,obj_size\n1,42,4096\n2,43,512\n")),
                Arguments.of("oracle", o.array()),
                Arguments.of("oracle,pages=true", o.array()),
                Arguments.of("lcs", lcs.array()),
                Arguments.of("vscsi", vscsi.array()),
                Arguments.of("vscsi,pages=true", vscsi.array()),
                Arguments.of("msr", TraceSamples.text("128166372003061629,wdev,0,Read,3983360,4096,1193\n"
                        + "128166372016382155,wdev,1,Write,8192,10000,2000\n")),
                Arguments.of("systor", TraceSamples.text("Timestamp,Response,IOType,LUN,Offset,Size\n"
                        + "1487149200.010427,0.000233,R,1,8192,4096\n1487149200.02,0.1,W,0,4096,512\n")),
                Arguments.of("twitter", TraceSamples.text("0,q:q:1:8WTfjZU-,1,2,10,get,0\n1,q:q:1:8WTfjZU-,1,200,10,set,60\n"
                        + "2,abc,3,0,10,delete,0\n")),
                Arguments.of("twitter,pages=true", TraceSamples.text("0,k,1,5000,10,get,0\n1,k,1,2,10,set,60\n")),
                Arguments.of("pagelab", p.toByteArray()));
    }

    static byte[] mutate(byte[] seed, SplittableRandom rnd) {
        List<Byte> b = new ArrayList<>(seed.length + 64);
        for (byte x : seed) {
            b.add(x);
        }
        int edits = 1 + rnd.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = rnd.nextInt(b.size() + 1);
            switch (rnd.nextInt(6)) {
                case 0 -> {
                    if (at < b.size()) {
                        b.set(at, (byte) (b.get(at) ^ (1 << rnd.nextInt(8))));
                    }
                }
                case 1 -> {
                    int n = Math.min(b.size() - at, 1 + rnd.nextInt(16));
                    b.subList(at, at + n).clear();
                }
                case 2 -> {
                    for (byte x : TraceSamples.text(PIECES[rnd.nextInt(PIECES.length)])) {
                        b.add(Math.min(at++, b.size()), x);
                    }
                }
                case 3 -> b.add(at, (byte) rnd.nextInt(256));
                case 4 -> {
                    int n = Math.min(b.size() - at, 1 + rnd.nextInt(24));
                    b.addAll(at, new ArrayList<>(b.subList(at, at + n)));
                }
                default -> b.subList(at, b.size()).clear();
            }
        }
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return switch (rnd.nextInt(8)) {
            case 0 -> TraceSamples.gzip(out);
            case 1 -> TraceSamples.zstd(out);
            case 2 -> mutateCompressed(TraceSamples.gzip(out), rnd);
            default -> out;
        };
    }

    /** A compressed stream with one byte changed or the tail cut. */
    private static byte[] mutateCompressed(byte[] z, SplittableRandom rnd) {
        int at = rnd.nextInt(z.length);
        if (rnd.nextBoolean()) {
            return java.util.Arrays.copyOf(z, at);
        }
        z[at] ^= (byte) (1 << rnd.nextInt(8));
        return z;
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void mutantsAreReadOrRefusedAsDocumented(String format, byte[] seedTrace) throws IOException {
        long seed = Long.getLong("pagelab.seed", 20261205L) ^ format.hashCode();
        int iterations = Integer.getInteger("pagelab.fuzz.trace.iterations", 3_000);
        SplittableRandom rnd = new SplittableRandom(seed);
        Path file = dir.resolve("t");
        assertThat(readAll(format, Files.write(file, seedTrace))).as("the seed trace is valid").isPositive();
        int read = 0;
        int refused = 0;
        for (int n = 0; n < iterations; n++) {
            byte[] mutant = mutate(seedTrace, rnd);
            Files.write(file, mutant);
            long start = System.nanoTime();
            try {
                readAll(format, file);
                read++;
            } catch (TraceException e) {
                refused++;
                Matcher m = LINE_ZERO.matcher(e.getMessage());
                if (m.find()) {
                    throw new AssertionError(format + " seed " + seed + " mutant " + n + ": line 0 in " + e.getMessage());
                }
                if (e.problem().startsWith("bad ") && !e.problem().contains(" (expected ")) {
                    throw new AssertionError(format + " seed " + seed + " mutant " + n + ": no expected form in " + e.getMessage());
                }
            } catch (RuntimeException | Error e) {
                throw new AssertionError(format + " seed " + seed + " mutant " + n + ": " + e + " for bytes "
                        + java.util.HexFormat.of().formatHex(mutant), e);
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (ms > 2000) {
                throw new AssertionError(format + " seed " + seed + " mutant " + n + ": read took " + ms + " ms");
            }
        }
        System.out.printf("trace fuzz %s: seed %d, %d mutants, %d read, %d refused%n", format, seed, iterations, read,
                refused);
        assertThat(refused).as("the mutations reach the error paths").isPositive();
    }

    private static long readAll(String format, Path file) {
        long n = 0;
        try (TraceReader r = TraceSource.open(format + ":" + file)) {
            while (r.next() && n < 10_000_000) {
                n++;
            }
        }
        return n;
    }
}
