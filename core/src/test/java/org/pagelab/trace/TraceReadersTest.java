package org.pagelab.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pagelab.trace.TraceSamples.readAll;
import static org.pagelab.trace.TraceSamples.text;
import static org.pagelab.trace.TraceSamples.write;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceReadersTest {

    @TempDir
    Path dir;

    static final String LACKEY = """
            ==4242== Lackey, an example Valgrind tool
            ==4242== Command: ./a.out
            ==4242==
            I  04016b0,3
             S 7ff000398,8
             L 04222cac,4
            I  04016b3,4
             M 0421d7f0,4
            ==4242==
            """;

    private String spec(String format, String name, String content) {
        return format + ":" + write(dir, name, text(content));
    }

    @Test
    void lackey_skips_instructions_and_banners_and_splits_modify() {
        assertThat(readAll(spec("lackey", "l.txt", LACKEY))).containsExactly(
                Access.memory(0x7ff000398L, true, 4242),
                Access.memory(0x04222cacL, false, 4242),
                Access.memory(0x0421d7f0L, false, 4242),
                Access.memory(0x0421d7f0L, true, 4242));
    }

    @Test
    void lackey_replays_instruction_fetches_when_asked() {
        List<Access> all = readAll(spec("lackey,instructions=true", "l.txt", LACKEY));
        assertThat(all).hasSize(6);
        assertThat(all.getFirst()).isEqualTo(Access.memory(0x04016b0L, false, 4242));
    }

    @Test
    void lackey_access_across_a_page_boundary_touches_both_pages() {
        List<Access> all = readAll(spec("lackey", "l.txt", " L 0401ffe,4\n M 0402ffc,8\n"));
        assertThat(all).containsExactly(
                Access.memory(0x401ffeL, false, 0), Access.memory(0x402000L, false, 0),
                Access.memory(0x402ffcL, false, 0), Access.memory(0x403000L, false, 0),
                Access.memory(0x402ffcL, true, 0), Access.memory(0x403000L, true, 0));
        assertThat(all.stream().map(Access::page)).containsExactly(0x401L, 0x402L, 0x402L, 0x403L,
                0x402L, 0x403L);
    }

    @Test
    void lackey_access_ending_on_a_page_boundary_touches_one_page() {
        assertThat(readAll(spec("lackey", "l.txt", " S 0401ff8,8\n")))
                .containsExactly(Access.memory(0x401ff8L, true, 0));
    }

    @Test
    void lackey_malformed_records_name_file_line_and_value() {
        String f = dir.resolve("bad.txt").toString();
        write(dir, "bad.txt", text(" L 0401000,4\n L 04zz000,4\n"));
        assertThatThrownBy(() -> readAll("lackey:" + f)).isInstanceOf(TraceException.class)
                .hasMessage(f + ":2: bad address '04zz000' (expected 1 to 16 hexadecimal digits)");
        write(dir, "bad.txt", text(" L 0401000,0\n"));
        assertThatThrownBy(() -> readAll("lackey:" + f)).hasMessage(f + ":1: bad size '0' (expected a decimal byte count from 1 to 1048576)");
        write(dir, "bad.txt", text("\n X 0401000,4\n"));
        assertThatThrownBy(() -> readAll("lackey:" + f)).hasMessage(f + ":2: bad operation 'X' (expected I, L, S or M)");
    }

    @Test
    void plain_reads_hex_and_decimal_with_comments_and_pids() {
        String s = spec("plain", "p.txt", """
                # a comment line
                R 0x1000
                W 8192   # trailing comment

                r 0x7fffffffe000 17
                """);
        assertThat(readAll(s)).containsExactly(Access.memory(0x1000, false, 0),
                Access.memory(8192, true, 0), Access.memory(0x7fffffffe000L, false, 17));
    }

    @Test
    void plain_bad_address_names_file_line_and_value() {
        String f = write(dir, "trace.txt", text("R 0x10\n# c\nW 0xZZ\n")).toString();
        assertThatThrownBy(() -> readAll("plain:" + f)).isInstanceOf(TraceException.class)
                .hasMessage(f + ":3: bad address '0xZZ' (expected 0x and 1 to 16 hexadecimal digits, or a decimal integer below 2^64)")
                .satisfies(e -> {
                    TraceException t = (TraceException) e;
                    assertThat(t.unit()).isEqualTo(TraceException.Unit.LINE);
                    assertThat(t.position()).isEqualTo(3);
                });
        write(dir, "trace.txt", text("X 0x10\n"));
        assertThatThrownBy(() -> readAll("plain:" + f)).hasMessage(f + ":1: bad operation 'X' (expected R or W)");
        write(dir, "trace.txt", text("R 0x10 1 2\n"));
        assertThatThrownBy(() -> readAll("plain:" + f)).hasMessageStartingWith(f + ":1: bad record");
    }

    @Test
    void spec_reads_ucsd_load_store_lines() {
        String s = spec("spec", "gcc.trace", "l 0x1fffff50 1\ns 0x1fffff4c 3\nl 7fffd2a8 0\n");
        assertThat(readAll(s)).containsExactly(Access.memory(0x1fffff50L, false, 0),
                Access.memory(0x1fffff4cL, true, 0), Access.memory(0x7fffd2a8L, false, 0));
        String f = write(dir, "bad.trace", text("l 0x10 1\nx 0x10 1\n")).toString();
        assertThatThrownBy(() -> readAll("spec:" + f)).hasMessage(f + ":2: bad operation 'x' (expected l or s)");
    }

    @Test
    void lirs_reads_one_block_per_line() {
        String s = spec("lirs", "multi1.trc", "5\n17\n*\n\n5\n");
        assertThat(readAll(s)).containsExactly(Access.block(5, false), Access.block(17, false),
                Access.block(5, false));
        String f = write(dir, "bad.trc", text("5\n-3\n")).toString();
        assertThatThrownBy(() -> readAll("lirs:" + f)).hasMessage(f + ":2: bad block number '-3' (expected a decimal integer from 0 to 18446744073709551615)");
    }

    @Test
    void arc_expands_start_and_count_into_a_run_of_blocks() {
        String s = spec("arc", "P1.lis", "100 3 0 1\n7 1 0 2\n");
        assertThat(readAll(s)).containsExactly(Access.block(100, false), Access.block(101, false),
                Access.block(102, false), Access.block(7, false));
        String f = write(dir, "bad.lis", text("100 x 0 1\n")).toString();
        assertThatThrownBy(() -> readAll("arc:" + f)).hasMessage(f + ":1: bad block count 'x' (expected a decimal integer from 0 to 18446744073709551615)");
    }

    @Test
    void cachesim_csv_detects_a_header_and_reads_default_columns() {
        String s = spec("cachesim-csv", "t.csv", "time,obj_id,obj_size\n1,42,4096\n2,43,512\n");
        assertThat(readAll(s)).containsExactly(Access.block(42, false), Access.block(43, false));
        String noHeader = spec("cachesim-csv", "n.csv", "1,42,4096\n");
        assertThat(readAll(noHeader)).containsExactly(Access.block(42, false));
    }

    @Test
    void cachesim_csv_takes_columns_and_operations_from_options() {
        String s = spec("cachesim-csv,time-col=2,obj-id-col=5,obj-size-col=4,op-col=3,has-header=true",
                "cp.csv", "a,b,c,d,e\nx,10,read,4096,900\nx,11,write,4096,901\n");
        assertThat(readAll(s)).containsExactly(Access.block(900, false), Access.block(901, true));
        String tabs = spec("cachesim-csv,delimiter=tab", "t.tsv", "1\t42\t1\n");
        assertThat(readAll(tabs)).containsExactly(Access.block(42, false));
        String f = write(dir, "bad.csv", text("1,42,4096\n2,43,big\n")).toString();
        assertThatThrownBy(() -> readAll("cachesim-csv:" + f))
                .hasMessage(f + ":2: bad object size 'big' (expected a decimal integer from 0 to 18446744073709551615)");
    }

    @Test
    void oracle_reads_little_endian_records_and_skips_empty_objects() {
        ByteBuffer b = ByteBuffer.allocate(3 * OracleReader.RECORD);
        TraceSamples.oracle(b, 1, 0x1_0000_0001L, 4096, 2);
        TraceSamples.oracle(b, 2, 77, 0, -1);
        TraceSamples.oracle(b, 3, 0x1_0000_0001L, 512, -1);
        Path p = write(dir, "w.oracleGeneral", b.array());
        assertThat(readAll("oracle:" + p)).containsExactly(Access.block(0x1_0000_0001L, false),
                Access.block(0x1_0000_0001L, false));
    }

    @Test
    void oracle_record_cut_short_is_an_error_at_its_offset() {
        ByteBuffer b = ByteBuffer.allocate(2 * OracleReader.RECORD);
        TraceSamples.oracle(b, 1, 5, 4096, -1);
        TraceSamples.oracle(b, 2, 6, 4096, -1);
        byte[] cut = java.util.Arrays.copyOf(b.array(), 2 * OracleReader.RECORD - 5);
        Path p = write(dir, "cut.bin", cut);
        assertThatThrownBy(() -> readAll("oracle:" + p)).isInstanceOf(TraceException.class)
                .hasMessage(p + ":byte 24: record cut short: 19 of 24 bytes");
    }

    @Test
    void gzip_and_zstd_are_told_by_magic_bytes_not_by_name() {
        byte[] raw = text(LACKEY);
        List<Access> expect = readAll(spec("lackey", "plain.txt", LACKEY));
        Path gz = write(dir, "looks-plain.txt", TraceSamples.gzip(raw));
        Path zs = write(dir, "also.txt", TraceSamples.zstd(raw));
        assertThat(readAll("lackey:" + gz)).isEqualTo(expect);
        assertThat(readAll("lackey:" + zs)).isEqualTo(expect);
    }

    @Test
    void truncated_gzip_and_zstd_are_errors_not_short_traces() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            sb.append("R 0x").append(Integer.toHexString(i * 4096 + (i % 7))).append('\n');
        }
        byte[] raw = text(sb.toString());
        for (String kind : List.of("gzip", "zstd")) {
            byte[] packed = kind.equals("gzip") ? TraceSamples.gzip(raw) : TraceSamples.zstd(raw);
            Path p = write(dir, "cut." + kind, java.util.Arrays.copyOf(packed, packed.length / 2));
            assertThatThrownBy(() -> readAll("plain:" + p)).as(kind)
                    .isInstanceOf(TraceException.class)
                    .hasMessageStartingWith(p + ":")
                    .hasMessageContaining("truncated or corrupt " + kind + " stream");
        }
    }

    @Test
    void truncated_compressed_binary_trace_is_an_error_with_a_byte_offset() {
        ByteBuffer b = ByteBuffer.allocate(5000 * OracleReader.RECORD);
        for (int i = 0; i < 5000; i++) {
            TraceSamples.oracle(b, i, i * 7919L, 4096, -1);
        }
        byte[] packed = TraceSamples.gzip(b.array());
        Path p = write(dir, "cut.oracle", java.util.Arrays.copyOf(packed, packed.length - 20));
        assertThatThrownBy(() -> readAll("oracle:" + p)).isInstanceOf(TraceException.class)
                .hasMessageContaining(":byte ").hasMessageContaining("truncated or corrupt gzip stream");
    }

    @Test
    void bad_specs_name_the_spec() {
        assertThatThrownBy(() -> TraceSource.open("wiki:x.bin"))
                .hasMessageStartingWith("wiki:x.bin: unknown trace format 'wiki' (one of lackey, plain");
        assertThatThrownBy(() -> TraceSource.open("no-colon"))
                .hasMessageStartingWith("no-colon: not a trace spec");
        String missing = dir.resolve("missing.txt").toString();
        assertThatThrownBy(() -> TraceSource.open("plain:" + missing))
                .isInstanceOf(TraceException.class).hasMessage("plain:" + missing + ": no such file");
        assertThatThrownBy(() -> TraceSource.open("lirs,fast=1:" + missing))
                .hasMessage("lirs,fast=1:" + missing + ": unknown option 'fast=1' for format lirs (it takes none)");
        assertThatThrownBy(() -> TraceSource.open("cachesim-csv,has-header=maybe:" + missing))
                .hasMessageContaining("bad has-header 'maybe' (expected true, false or auto)");
    }

    @Test
    void stream_is_lazy_and_closing_it_closes_the_reader() {
        String s = spec("lirs", "l.trc", "1\n2\nnot-a-number\n");
        try (Stream<Access> st = TraceSource.open(s).stream()) {
            assertThat(st.limit(2).toList()).containsExactly(Access.block(1, false), Access.block(2, false));
        }
    }

    @Test
    void drain_to_a_sink_counts_accesses_without_boxing() {
        long[] sum = new long[1];
        try (TraceReader r = TraceSource.open(spec("arc", "a.lis", "10 4 0 0\n"))) {
            assertThat(r.drainTo((kind, key, w, pid) -> sum[0] += key)).isEqualTo(4);
        }
        assertThat(sum[0]).isEqualTo(10 + 11 + 12 + 13);
    }

    @org.junit.jupiter.api.Test
    void fractionReadGrowsToOneAsTheTraceIsRead(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            sb.append("R 0x").append(Integer.toHexString(0x10000000 + i * 4096)).append('\n');
        }
        java.nio.file.Path f = java.nio.file.Files.writeString(tmp.resolve("big.txt"), sb);
        try (TraceReader r = TraceSource.open("plain:" + f)) {
            double last = 0;
            int n = 0;
            while (r.next()) {
                if (++n % 50_000 == 0) {
                    double x = r.fractionRead();
                    org.assertj.core.api.Assertions.assertThat(x).isBetween(last, 1.0);
                    last = x;
                }
            }
            org.assertj.core.api.Assertions.assertThat(last).isBetween(0.1, 1.0);
            org.assertj.core.api.Assertions.assertThat(r.fractionRead()).isEqualTo(1.0);
        }
    }
}
