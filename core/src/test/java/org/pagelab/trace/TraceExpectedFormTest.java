package org.pagelab.trace;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pagelab.trace.TraceSamples.text;
import static org.pagelab.trace.TraceSamples.write;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bad number in every numeric field of every text format, and a bad choice in every field that
 * takes one of a few words: the error names the file, the line, the value and the form the reader
 * expected there, exactly. Each case has one good line before the bad one, so the line number is
 * the reader's count and not a default.
 */
class TraceExpectedFormTest {
    private static final String DECIMAL = "a decimal integer from 0 to 18446744073709551615";
    private static final String HEX = "1 to 16 hexadecimal digits, with or without 0x";
    private static final String ADDRESS = "0x and 1 to 16 hexadecimal digits, or a decimal integer below 2^64";
    private static final String PID = "a decimal process id from 0 to 2147483647";
    private static final String SECONDS = "decimal seconds with an optional fraction, such as 1487149200.010427";

    @TempDir
    Path dir;

    /** Format, its good line, the bad line (read as line 2), and the problem the error must state. */
    static List<Arguments> cases() {
        String msr = "1,h,0,Read,0,4096,1\n";
        String systor = "1.5,0.1,R,0,0,4096\n";
        String twitter = "0,k,1,2,10,get,0\n";
        String csv = "1,42,4096\n";
        return List.of(
                Arguments.of("plain", "R 0x10000\n", "W 0x1g000", "bad address '0x1g000' (expected " + ADDRESS + ")"),
                Arguments.of("plain", "R 0x10000\n", "W 8192x", "bad address '8192x' (expected " + ADDRESS + ")"),
                Arguments.of("plain", "R 0x10000\n", "W 0x10000 -1", "bad pid '-1' (expected " + PID + ")"),
                Arguments.of("plain", "R 0x10000\n", "W 0x10000 2147483648", "bad pid '2147483648' (expected " + PID + ")"),
                Arguments.of("plain", "R 0x10000\n", "D 0x10000", "bad operation 'D' (expected R or W)"),
                Arguments.of("pages", "R 10\n", "R 1z", "bad page '1z' (expected " + HEX + ")"),
                Arguments.of("pages", "R 10\n", "W 10 p7", "bad pid 'p7' (expected " + PID + ")"),
                Arguments.of("lackey", " L 04222cac,4\n", " S 0422q2cac,4", "bad address '0422q2cac' (expected 1 to 16 hexadecimal digits)"),
                Arguments.of("lackey", " L 04222cac,4\n", " S 04222cac,four",
                        "bad size 'four' (expected a decimal byte count from 1 to 1048576)"),
                Arguments.of("lackey", " L 04222cac,4\n", " S 04222cac", "bad record 'S 04222cac' (expected OP ADDRESS,SIZE, OP one of I, L, S, M)"),
                Arguments.of("spec", "l 0x10 1\n", "s 0xq0 1", "bad address '0xq0' (expected " + HEX + ")"),
                Arguments.of("lirs", "5\n", "5.5", "bad block number '5.5' (expected " + DECIMAL + ")"),
                Arguments.of("lirs", "5\n", "18446744073709551616",
                        "bad block number '18446744073709551616' (expected " + DECIMAL + ")"),
                Arguments.of("arc", "1 2 0 1\n", "0x10 2 0 1", "bad start block '0x10' (expected " + DECIMAL + ")"),
                Arguments.of("arc", "1 2 0 1\n", "10 2e3 0 1", "bad block count '2e3' (expected " + DECIMAL + ")"),
                Arguments.of("cachesim-csv", csv, "2,4 2,4096", "bad object id '4 2' (expected " + DECIMAL + ")"),
                Arguments.of("cachesim-csv", csv, "t2,42,4096", "bad time 't2' (expected " + DECIMAL + ")"),
                Arguments.of("cachesim-csv", csv, "2,42,-1", "bad object size '-1' (expected " + DECIMAL + ")"),
                Arguments.of("cachesim-csv,op-col=4", "1,42,4096,get\n", "2,42,4096,fetch",
                        "bad operation 'fetch' (expected " + CacheSimCsvReader.OPERATIONS + ")"),
                Arguments.of("msr", msr, "1.0,h,0,Read,0,4096,1", "bad timestamp '1.0' (expected " + DECIMAL + ")"),
                Arguments.of("msr", msr, "1,h,zero,Read,0,4096,1", "bad disk number 'zero' (expected " + DECIMAL + ")"),
                Arguments.of("msr", msr, "1,h,0,Read,0x10,4096,1", "bad offset '0x10' (expected " + DECIMAL + ")"),
                Arguments.of("msr", msr, "1,h,0,Read,0,4k,1", "bad size '4k' (expected " + DECIMAL + ")"),
                Arguments.of("msr", msr, "1,h,0,Read,0,4096,", "bad response time '' (expected " + DECIMAL + ")"),
                Arguments.of("msr", msr, "1,h,4194304,Read,0,4096,1", "bad disk number '4194304' (expected at most 4194303)"),
                Arguments.of("systor", systor, "1.5,.1,R,0,0,4096", "bad response time '.1' (expected " + SECONDS + ")"),
                Arguments.of("systor", systor, "1.5,0.1,R,L0,0,4096", "bad LUN 'L0' (expected " + DECIMAL + ")"),
                Arguments.of("systor", systor, "1.5,0.1,R,0,-4096,4096", "bad offset '-4096' (expected " + DECIMAL + ")"),
                Arguments.of("systor", systor, "1.5,0.1,R,0,0,1e3", "bad size '1e3' (expected " + DECIMAL + ")"),
                Arguments.of("twitter", twitter, "x,k,1,2,10,get,0", "bad timestamp 'x' (expected " + DECIMAL + ")"),
                Arguments.of("twitter", twitter, "0,k,one,2,10,get,0", "bad key size 'one' (expected " + DECIMAL + ")"),
                Arguments.of("twitter", twitter, "0,k,1,2.5,10,get,0", "bad value size '2.5' (expected " + DECIMAL + ")"),
                Arguments.of("twitter", twitter, "0,k,1,2,c10,get,0", "bad client id 'c10' (expected " + DECIMAL + ")"),
                Arguments.of("twitter", twitter, "0,k,1,2,10,get,-1", "bad TTL '-1' (expected " + DECIMAL + ")"),
                Arguments.of("twitter", twitter, "0,,1,2,10,get,0", "bad key '' (expected a key)"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("cases")
    void aBadFieldNamesFileLineValueAndTheFormExpected(String format, String good, String bad, String problem) {
        Path f = write(dir, "t", text(good + bad + "\n"));
        assertThatThrownBy(() -> TraceSamples.readAll(format + ":" + f)).isInstanceOf(TraceException.class)
                .hasMessage(f + ":2: " + problem);
    }

    @Test
    void binaryValuesNameTheFormExpectedToo() {
        // lcs v3: time u32, obj_id u64, obj_size u64, op u32, next access i64, tenant u32 (36 bytes)
        ByteBuffer lcs = TraceSamples.lcsHeader(ByteBuffer.allocate(LcsReader.HEADER + 36 * 2), 3);
        lcs.order(ByteOrder.LITTLE_ENDIAN);
        lcs.putInt(1).putLong(7).putLong(4096).putInt(1).putLong(-1).putInt(0);
        lcs.putInt(2).putLong(7).putLong(-5).putInt(1).putLong(-1).putInt(0);
        Path l = write(dir, "v3.lcs", lcs.array());
        assertThatThrownBy(() -> TraceSamples.readAll("lcs:" + l)).hasMessage(l + ":byte " + (LcsReader.HEADER + 36)
                + ": bad object size 18446744073709551611 (expected at most 2^63 - 1 bytes)");
        byte[] pid = {'P', 'G', 'L', 'T', 'R', 'C', 1, 0, 0x04, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0};
        Path p = write(dir, "pid.pgl", pid);
        assertThatThrownBy(() -> TraceSamples.readAll("pagelab:" + p))
                .hasMessage(p + ":byte 8: bad pid '4294967295' (expected at most 2147483647)");
        byte[] version = {'P', 'G', 'L', 'T', 'R', 'C', 2, 0};
        Path v = write(dir, "v.pgl", version);
        assertThatThrownBy(() -> TraceSamples.readAll("pagelab:" + v))
                .hasMessage(v + ":byte 6: unsupported pagelab trace version '2' (expected 1)");
    }
}
