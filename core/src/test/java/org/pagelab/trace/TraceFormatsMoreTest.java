package org.pagelab.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pagelab.trace.TraceSamples.sized;
import static org.pagelab.trace.TraceSamples.text;
import static org.pagelab.trace.TraceSamples.write;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.policy.Shards;

/**
 * The block and object formats beyond the first eight: MSR Cambridge and SYSTOR '17 csv, Twitter's
 * cache traces, libCacheSim's lcs and vscsi binaries; requests split into 4 KiB pages with the bytes
 * of each page as its size; errors that name the file and the line or byte offset.
 */
class TraceFormatsMoreTest {
    @TempDir
    Path dir;

    @Test
    void msrSplitsEachRequestIntoItsPagesWithTheirBytes() {
        Path p = write(dir, "wdev_0.csv", text("Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime\n"
                + "128166372003061629,wdev,0,Read,3983360,4096,1193\n"
                + "128166372016382155,wdev,0,Write,8192,10000,2000\n"
                + "128166372016382156,wdev,0,Write,0,0,1\n"
                + "128166372016382157,wdev,2,read,4095,2,1\n"));
        // 3983360 = 972.5 pages: the 4 KiB straddle pages 972 and 973
        long disk2 = 2L << 40;
        assertThat(sized("msr:" + p)).containsExactly("972:2048", "973:2048", "W2:4096", "W3:4096", "W4:1808",
                (disk2) + ":1", (disk2 + 1) + ":1");
    }

    @Test
    void msrBadFieldsNameFileLineAndValue() {
        Path p = write(dir, "m.csv", text("1,h,0,Read,0,4096,1\n1,h,0,Rd,0,4096,1\n"));
        assertThatThrownBy(() -> sized("msr:" + p)).isInstanceOf(TraceException.class)
                .hasMessage(p + ":2: bad type 'Rd' (expected Read or Write)");
        Path q = write(dir, "n.csv", text("1,h,0,Read,0,4096\n"));
        assertThatThrownBy(() -> sized("msr:" + q)).hasMessageStartingWith(q + ":1: bad record '1,h,0,Read,0,4096' (expected");
        Path r = write(dir, "o.csv", text("1,h,0,Read,18446744073709551615,4096,1\n"));
        assertThatThrownBy(() -> sized("msr:" + r)).hasMessageStartingWith(r + ":1: bad offset");
    }

    @Test
    void systorKeepsLunsApartAndReadsFractionalTimes() {
        Path p = write(dir, "s.csv", text("Timestamp,Response,IOType,LUN,Offset,Size\n"
                + "1487149200.010427,0.000233,R,1,8192,4096\n1487149200.02,0.1,W,0,4096,512\n"));
        assertThat(sized("systor:" + p)).containsExactly(((1L << 40) + 2) + ":4096", "W1:512");
        Path q = write(dir, "t.csv", text("1487149200.0.1,0.1,R,0,0,4096\n"));
        assertThatThrownBy(() -> sized("systor:" + q)).hasMessage(q + ":1: bad timestamp '1487149200.0.1' (expected decimal seconds with an optional fraction,"
                + " such as 1487149200.010427)");
        Path r = write(dir, "u.csv", text("1,0.1,X,0,0,4096\n"));
        assertThatThrownBy(() -> sized("systor:" + r)).hasMessage(r + ":1: bad IOType 'X' (expected R or W)");
    }

    @Test
    void twitterHashesKeysAsCsvDoesAndSkipsDeletes() {
        Path p = write(dir, "c52", text("0,q:q:1:8WTfjZU-,1,2,10,get,0\n1,q:q:1:8WTfjZU-,1,200,10,set,60\n"
                + "2,q:q:1:8WTfjZU-,1,0,10,delete,0\n3,abc,3,7,1,gets,0\n"));
        Path csv = write(dir, "c.csv", text("0,q:q:1:8WTfjZU-,3\n3,abc,10\n"));
        long[] keys = TraceSamples.readAll("cachesim-csv,obj-id-is-num=false:" + csv).stream().mapToLong(Access::key).toArray();
        assertThat(sized("twitter:" + p)).containsExactly(Long.toUnsignedString(keys[0]) + ":3",
                "W" + Long.toUnsignedString(keys[0]) + ":201", Long.toUnsignedString(keys[1]) + ":10");
        Path q = write(dir, "bad", text("0,k,1,2,10,get,0\n0,k,1,2,10,fetch,0\n"));
        assertThatThrownBy(() -> sized("twitter:" + q)).hasMessage(q + ":2: bad operation 'fetch' (expected get, gets, set, add, replace, cas, append, prepend,"
                + " incr, decr or delete)");
    }

    @Test
    void lcsReadsVersionOneAndTwoWithOperationsAndSizes() {
        ByteBuffer v1 = TraceSamples.lcsHeader(ByteBuffer.allocate(LcsReader.HEADER + 48), 1);
        TraceSamples.oracle(v1, 1, 42, 100, -1);
        TraceSamples.oracle(v1, 2, 43, 0, -1);
        assertThat(sized("lcs:" + write(dir, "v1.lcs", v1.array()))).containsExactly("42:100");
        ByteBuffer v2 = TraceSamples.lcsHeader(ByteBuffer.allocate(LcsReader.HEADER + 28 * 4), 2);
        TraceSamples.lcsV2(v2, 1, 7, 4096, 1, 2); // get
        TraceSamples.lcsV2(v2, 2, 7, 4096, 3, 3); // set
        TraceSamples.lcsV2(v2, 3, 7, 4096, 9, -1); // delete: no access
        TraceSamples.lcsV2(v2, 4, 8, 9000, 12, -1); // read
        Path p = write(dir, "v2.lcs", v2.array());
        assertThat(sized("lcs:" + p)).containsExactly("7:4096", "W7:4096", "8:9000");
        assertThat(sized("lcs,pages=true:" + p)).hasSize(5).last().asString().endsWith(":808");
    }

    @Test
    void lcsErrorsNameTheByteOffset() {
        ByteBuffer bad = TraceSamples.lcsHeader(ByteBuffer.allocate(LcsReader.HEADER + 28 * 2), 2);
        TraceSamples.lcsV2(bad, 1, 7, 4096, 1, 2);
        TraceSamples.lcsV2(bad, 2, 7, 4096, 77, 2);
        Path p = write(dir, "b.lcs", bad.array());
        assertThatThrownBy(() -> sized("lcs:" + p)).hasMessage(p + ":byte " + (LcsReader.HEADER + 28)
                + ": bad operation code 77 (expected libCacheSim's 0 to 14)");
        Path cut = write(dir, "c.lcs", Arrays.copyOf(bad.array(), LcsReader.HEADER + 30));
        assertThatThrownBy(() -> sized("lcs:" + cut)).hasMessageContaining("byte " + (LcsReader.HEADER + 28)
                + ": record cut short: 2 of 28 bytes");
        Path oracle = write(dir, "o.bin", new byte[LcsReader.HEADER]);
        assertThatThrownBy(() -> sized("lcs:" + oracle)).hasMessageContaining("byte 0: not an lcs trace");
        ByteBuffer v9 = TraceSamples.lcsHeader(ByteBuffer.allocate(LcsReader.HEADER), 9);
        Path nine = write(dir, "v9.lcs", v9.array());
        assertThatThrownBy(() -> sized("lcs:" + nine)).hasMessageContaining("byte 8: unknown lcs version 9");
    }

    @Test
    void vscsiReadsBothLayoutsAndSplitsSectorsIntoPages() {
        ByteBuffer v2 = ByteBuffer.allocate(40 * 3);
        TraceSamples.vscsiV2(v2, 0x28, 4096, 16);
        TraceSamples.vscsiV2(v2, 0x2a, 1024, 7);
        TraceSamples.vscsiV2(v2, 0x28, 512, 16);
        Path p = write(dir, "t.vscsi", v2.array());
        assertThat(sized("vscsi:" + p)).containsExactly("16:4096", "W7:1024", "16:512");
        // sector 7 = byte 3584: 1024 bytes straddle pages 0 and 1; sector 16 = page 2
        assertThat(sized("vscsi,pages=true:" + p)).containsExactly("2:4096", "W0:512", "W1:512", "2:512");
        ByteBuffer v1 = ByteBuffer.allocate(32 * 3);
        TraceSamples.vscsiV1(v1, 0x2a, 8192, 80);
        TraceSamples.vscsiV1(v1, 0x28, 512, 81);
        TraceSamples.vscsiV1(v1, 0x28, 512, 82);
        assertThat(sized("vscsi:" + write(dir, "v1.vscsi", v1.array()))).containsExactly("W80:8192", "81:512", "82:512");
        Path small = write(dir, "s.vscsi", Arrays.copyOf(v2.array(), 60));
        assertThatThrownBy(() -> sized("vscsi:" + small)).hasMessage(small
                + ":byte 0: too short to tell the vscsi version: 60 bytes, at least 80");
        Path cut = write(dir, "c.vscsi", Arrays.copyOf(v2.array(), 100));
        assertThatThrownBy(() -> sized("vscsi:" + cut)).hasMessage(cut + ":byte 80: record cut short: 20 of 40 bytes (vscsi v2)");
    }

    @Test
    void objectsSplitIntoConsecutivePageKeysWithTheLastPagePartial() {
        ByteBuffer o = ByteBuffer.allocate(24 * 2);
        TraceSamples.oracle(o, 1, 99, 10000, -1);
        TraceSamples.oracle(o, 2, 99, 100, -1);
        Path p = write(dir, "o.bin", o.array());
        long base = Shards.hash(99) & ((1L << 62) - 1);
        assertThat(sized("oracle,pages=true:" + p)).containsExactly(base + ":4096", (base + 1) + ":4096",
                (base + 2) + ":1808", base + ":100");
        Path csv = write(dir, "c.csv", text("time,obj_id,obj_size,op\n1,5,8192,get\n2,5,1,delete\n"));
        assertThat(sized("cachesim-csv,op-col=4,pages=true:" + csv)).hasSize(2);
        assertThat(sized("cachesim-csv,op-col=4:" + csv)).containsExactly("5:8192");
    }

    @Test
    void keysCarrySizesOnlyWhenAnAccessIsNotAPage() {
        Path pages = write(dir, "p.csv", text("1,5,4096\n2,6,4096\n"));
        assertThat(TraceKeys.load(java.util.List.of("cachesim-csv:" + pages), 1L << 24).sizes()).isNull();
        Path mixed = write(dir, "m.csv", text("1,5,4096\n2,6,4096\n3,7,100\n4,8,5000000000\n"));
        TraceKeys.Sampled s = TraceKeys.load(java.util.List.of("cachesim-csv:" + pages, "cachesim-csv:" + mixed), 1L << 24);
        assertThat(s.sizes()).containsExactly(4096, 4096, 4096, 4096, 100, -1);
        assertThat(s.accesses()).isEqualTo(6);
    }
}
