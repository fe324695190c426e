package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed traces, each a distinct input: {@code replay}, {@code compare} and {@code convert}
 * refuse every one with exit status 2 and one line naming the file and the line or byte offset,
 * the bad bytes escaped, within {@link BadInput#LIMIT}.
 */
class TraceBadInputTest {
    @TempDir
    Path tmp;

    /** The position of an error whose line depends on where a compressed stream breaks. */
    private static final String ANY_LINE = "\\d+";

    /**
     * A trace of {@code format} holding {@code bytes}, run as {@code command}; {@code where} is
     * "LINE" or "byte N", the position its error must name, or {@link #ANY_LINE}.
     */
    record Case(String name, String command, String format, byte[] bytes, String where, String fragment) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case text(String name, String format, String content, int line, String fragment) {
        return new Case(name, "replay", format, content.getBytes(StandardCharsets.ISO_8859_1),
                line < 0 ? ANY_LINE : Integer.toString(line), fragment);
    }

    private static Case binary(String name, String format, byte[] bytes, long offset, String fragment) {
        return new Case(name, "replay", format, bytes, "byte " + offset, fragment);
    }

    private static byte[] oracle(long... ids) {
        ByteBuffer b = ByteBuffer.allocate(24 * ids.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long id : ids) {
            b.putInt(1).putLong(id).putInt(4096).putLong(-1);
        }
        return b.array();
    }

    private static byte[] pagelab(int... rest) {
        byte[] head = "PGLTRC".getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(head, head.length + rest.length);
        for (int i = 0; i < rest.length; i++) {
            out[head.length + i] = (byte) rest[i];
        }
        return out;
    }

    private static byte[] gzipCut(String content) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(content.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        byte[] all = b.toByteArray();
        return Arrays.copyOf(all, all.length / 2);
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        String ok = "R 0x10000\n";
        // ---- plain ----
        c.add(text("plain: unknown operation", "plain", ok + "X 0x10000\n", 2, "bad operation 'X'"));
        c.add(text("plain: address not hex", "plain", "R 0xZZ\n", 1, "bad address '0xZZ'"));
        c.add(text("plain: four fields", "plain", "R 0x10000 1 2\n", 1, "bad record 'R 0x10000 1 2'"));
        c.add(text("plain: operation alone", "plain", ok + ok + "W\n", 3, "bad record 'W'"));
        c.add(text("plain: pid beyond int", "plain", "R 0x10000 99999999999\n", 1, "bad pid '99999999999'"));
        c.add(text("plain: binary junk", "plain", ok + "W \u0001\u0002\u00ff\u00fe\u001b[31m zz\n", 2,
                "bad record 'W \\x01\\x02\\xff\\xfe\\x1b[31m zz'"));
        c.add(text("plain: 8-bit CSI in an address", "plain", "R 0x\u009b2J\n", 1, "bad address '0x\\x9b2J'"));
        c.add(text("plain: address below user space", "plain", ok + "R 0x10\n", 2, "record 2: address 0x10 is outside user space"));
        c.add(text("plain: address above user space", "plain", "W 0xffffffffffff0000\n", 1, "record 1: address 0xffffffffffff0000"));
        c.add(text("plain: 17 hex digits", "plain", "R 0x11111111111111111\n", 1, "bad address '0x11111111111111111'"));
        c.add(text("plain: decimal beyond 64 bits", "plain", "R 99999999999999999999999\n", 1, "bad address"));
        c.add(text("plain: no newline in 100K", "plain", "a".repeat(100_000), 1,
                "line longer than 65536 bytes (it starts at byte 0"));
        c.add(text("plain: a long third line", "plain", ok + "# x\n" + "9".repeat(70_000) + "\n", 3, "it starts at byte 14"));
        c.add(text("plain: error after CRLF lines", "plain", "R 0x10000\r\nW 0x20000\r\nQ 1\r\n", 3, "bad operation 'Q'"));
        c.add(text("plain: NUL bytes", "plain", ok + "R\u0000\u0000 0x1 2 3\n", 2, "bad record 'R\\x00\\x00 0x1 2 3'"));
        c.add(text("plain: a 300-byte junk line is cut", "plain", "W " + "\u0007".repeat(300) + "\n", 1, "..."));
        // ---- lackey ----
        c.add(text("lackey: size 0", "lackey", " L 04222cac,0\n", 1, "bad size '0'"));
        c.add(text("lackey: size 2M", "lackey", " L 04222cac,2097152\n", 1, "bad size '2097152'"));
        c.add(text("lackey: no comma", "lackey", " L 04222cac\n", 1, "bad record 'L 04222cac'"));
        c.add(text("lackey: operation Q", "lackey", " S 04222cac,4\n Q 04222cac,4\n", 2, "bad operation 'Q'"));
        c.add(text("lackey: address not hex", "lackey", " L zzzz,4\n", 1, "bad address 'zzzz'"));
        // ---- spec ----
        c.add(text("spec: operation alone", "spec", "l\n", 1, "bad record 'l'"));
        c.add(text("spec: operation x", "spec", "l 0x10000 1\nx 0x10000 1\n", 2, "bad operation 'x'"));
        c.add(text("spec: address not hex", "spec", "l 0xGG 1\n", 1, "bad address '0xGG'"));
        // ---- lirs ----
        c.add(text("lirs: two numbers", "lirs", "1\n1 2\n", 2, "bad record '1 2' (expected one block number)"));
        c.add(text("lirs: a word", "lirs", "abc\n", 1, "bad block number 'abc'"));
        c.add(text("lirs: negative", "lirs", "7\n8\n-5\n", 3, "bad block number '-5'"));
        c.add(text("lirs: block beyond the file", "lirs", "1099511627776\n", 1, "record 1: block 1099511627776 is outside"));
        // ---- arc ----
        c.add(text("arc: count 2^63-1", "arc", "100 9223372036854775807 0 1\n", 1,
                "bad block count '9223372036854775807' (expected at most 1073741824 blocks per record)"));
        c.add(text("arc: count 2^30+1", "arc", "1 4 0 1\n100 1073741825 0 1\n", 2, "at most 1073741824"));
        c.add(text("arc: start alone", "arc", "100\n", 1, "bad record '100' (expected START COUNT ...)"));
        c.add(text("arc: run past 2^64", "arc", "18446744073709551615 2 0 1\n", 1, "bad block count '2'"));
        c.add(text("arc: start a word", "arc", "x 3 0 1\n", 1, "bad start block 'x'"));
        // ---- cachesim-csv ----
        c.add(text("csv: two columns", "cachesim-csv", "1,2,4096\n1,2\n", 2, "bad record '1,2' (expected at least 3 columns separated by ',', found 2)"));
        c.add(text("csv: id a word", "cachesim-csv", "time,id,size\n1,abc,4096\n", 2, "bad object id 'abc'"));
        c.add(text("csv: size a word", "cachesim-csv", "1,2,big\n", 1, "bad object size 'big'"));
        // ---- binary ----
        c.add(binary("oracle: 25 bytes", "oracle", Arrays.copyOf(oracle(5), 25), 24, "record cut short: 1 of 24 bytes"));
        c.add(binary("oracle: 10 bytes", "oracle", new byte[10], 0, "record cut short: 10 of 24 bytes"));
        c.add(binary("oracle: block beyond the file", "oracle", oracle(5, 1L << 40), 24, "record 2: block 1099511627776"));
        c.add(binary("pagelab: wrong magic", "pagelab", "NOTATRACE".getBytes(StandardCharsets.US_ASCII), 0,
                "not a pagelab trace: magic"));
        c.add(binary("pagelab: version 9", "pagelab", pagelab(9, 0), 6, "version"));
        c.add(binary("pagelab: no end record", "pagelab", pagelab(1, 0), 8, "trace cut short: no end record"));
        c.add(binary("pagelab: tag 0x40", "pagelab", pagelab(1, 0, 0x40), 8, "bad record tag '0x40'"));
        c.add(binary("pagelab: five bytes", "pagelab", "PGLTR".getBytes(StandardCharsets.US_ASCII), 0, "not a pagelab trace"));
        c.add(binary("pagelab: bytes after the end", "pagelab", pagelab(1, 0, 0x80, 0, 7), 10, "bytes after the end record"));
        c.add(text("gzip cut in half", "plain", new String(gzipCut(("R 0x10000\n").repeat(5000)), StandardCharsets.ISO_8859_1),
                -1, "truncated or corrupt gzip stream"));
        // ---- the other commands ----
        c.add(new Case("compare: lirs word", "compare", "lirs", "1\n2\nzz\n".getBytes(StandardCharsets.US_ASCII), "3",
                "bad block number 'zz'"));
        c.add(new Case("replay --policy-only: arc count", "replay --policy-only --pages 10", "arc",
                "0 9223372036854775807\n".getBytes(StandardCharsets.US_ASCII), "1", "(expected at most 1073741824 blocks per record)"));
        c.add(new Case("convert: plain junk", "convert", "plain", "R 0x10000\nR \u00ff\n".getBytes(StandardCharsets.ISO_8859_1),
                "2", "bad address '\\xff'"));
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedWithFileAndPosition(Case c) throws IOException {
        Path f = Files.write(tmp.resolve("trace"), c.bytes());
        List<String> args = new ArrayList<>(List.of(c.command().split(" ")));
        if (c.command().equals("replay")) {
            args.addAll(List.of("--memory", "32M", "--mode", "metadata"));
        }
        if (c.command().equals("compare")) {
            args.add("--policy-only");
        }
        args.add(c.format() + ":" + f);
        if (c.command().equals("convert")) {
            args.add(tmp.resolve("out.pgl").toString());
        }
        String line = BadInput.refused(args.toArray(String[]::new));
        String cmd = "pagelab " + args.getFirst() + ": ";
        assertThat(line).matches(java.util.regex.Pattern.quote(cmd + f + ":") + (c.where().equals(ANY_LINE) ? ANY_LINE
                : java.util.regex.Pattern.quote(c.where())) + ": .*").contains(c.fragment());
        String problem = line.substring(line.indexOf(": ", cmd.length() + f.toString().length() + 1) + 2);
        if (problem.startsWith("bad ")) {
            assertThat(problem).as("a bad value names the form the reader expected").contains(" (expected ");
        }
        assertThat(tmp.resolve("out.pgl")).doesNotExist();
    }

    /** A trace spec or file that cannot be opened: the spec and the reason, no position to give. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void badSpecsNameTheSpec(String spec, String fragment) throws IOException {
        Files.createDirectories(tmp.resolve("dir"));
        String s = spec.replace("TMP", tmp.toString());
        String line = BadInput.refused("replay", "--memory", "32M", "--mode", "metadata", s);
        assertThat(line).startsWith("pagelab replay: " + s + ": ").contains(fragment);
    }

    static List<org.junit.jupiter.params.provider.Arguments> specs() {
        return List.of(
                org.junit.jupiter.params.provider.Arguments.of("nope:TMP/x", "unknown trace format 'nope'"),
                org.junit.jupiter.params.provider.Arguments.of("plain", "not a trace spec"),
                org.junit.jupiter.params.provider.Arguments.of("plain,foo=1:TMP/x", "unknown option 'foo=1'"),
                org.junit.jupiter.params.provider.Arguments.of("cachesim-csv,delimiter=star:TMP/x", "bad delimiter 'star'"),
                org.junit.jupiter.params.provider.Arguments.of("cachesim-csv,obj-id-col=99:TMP/x", "bad obj-id-col '99'"),
                org.junit.jupiter.params.provider.Arguments.of("plain:TMP/missing", "no such file"),
                org.junit.jupiter.params.provider.Arguments.of("plain:TMP/dir", "it is a directory"));
    }

    @Test
    void devZeroIsRefusedAtOnceNotReadIntoTheHeap() {
        String line = BadInput.refused("replay", "--memory", "32M", "--mode", "metadata", "plain:/dev/zero");
        assertThat(line).startsWith("pagelab replay: /dev/zero:1: line longer than 65536 bytes (it starts at byte 0");
    }

    /** A named pipe that a writer thread fills with {@code content} once; skipped without mkfifo(1). */
    private Path pipe(String name, String content) throws Exception {
        Path fifo = tmp.resolve(name);
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo(1) is needed to make a named pipe");
        Thread.ofVirtual().start(() -> {
            try {
                Files.writeString(fifo, content);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return fifo;
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void aTraceMayComeFromAPipeAndEveryRecordOfItIsReplayed(boolean policyOnly) throws Exception {
        Path fifo = pipe("fifo", "R 0x10000\nW 0x20000\nR 0x10000\n");
        String[] args = policyOnly ? new String[] {"replay", "--policy-only", "--pages", "4", "plain:" + fifo}
                : new String[] {"replay", "--memory", "32M", "--mode", "metadata", "plain:" + fifo};
        RunCommandTest.Result r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(BadInput.LIMIT,
                () -> RunCommandTest.pagelab(args));
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains(policyOnly ? "accesses 3" : "records 3");
    }

    @Test
    void compareRefusesAPipeItWouldHaveToReadOncePerSize() throws Exception {
        Path fifo = tmp.resolve("never-opened");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo(1) is needed to make a named pipe");
        assertThat(BadInput.refused("compare", "--sizes", "4096", "plain:" + fifo)).isEqualTo("pagelab compare: trace 'plain:"
                + fifo + "' is a pipe or device, which can be read only once; the whole-machine runs read each trace once"
                + " per size: save it to a file, or use --policy-only");
    }

    @Test
    void thereAreAtLeastFortyDistinctTraces() {
        List<Case> all = cases();
        assertThat(all).hasSizeGreaterThanOrEqualTo(40);
        assertThat(all.stream().map(Case::name).distinct()).hasSameSizeAs(all);
    }
}
