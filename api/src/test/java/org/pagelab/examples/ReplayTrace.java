package org.pagelab.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pagelab.api.Lab;
import org.pagelab.api.TraceRun;

/**
 * Replays a trace on a whole machine: two processes of a plain trace (R|W ADDRESS PID) write
 * 24 MiB each, then read it back, on a 32M machine with swap.
 */
public final class ReplayTrace {
    public static void main(String[] args) throws IOException {
        Path trace = Files.createTempFile("two-procs", ".trace");
        try {
            StringBuilder sb = new StringBuilder();
            for (String op : new String[] {"W", "R"}) {
                for (long page = 0; page < 6144; page++) {
                    sb.append(op).append(" 0x").append(Long.toHexString(0x10000000L + page * 4096))
                            .append(' ').append(1 + page % 2).append('\n');
                }
            }
            Files.writeString(trace, sb);
            try (Lab lab = Lab.builder().memory("32M").swap("64M").metadata().boot()) {
                TraceRun run = lab.replay("plain:" + trace);
                System.out.println("records " + run.records() + ", processes " + run.processes());
                System.out.println("pswpout " + lab.vmstat("pswpout") + ", pswpin " + lab.vmstat("pswpin")
                        + ", pgmajfault " + lab.vmstat("pgmajfault"));
                if (run.records() != 12288 || lab.vmstat("pswpin") == 0) {
                    throw new AssertionError("24 MiB of a 32M machine, read back, should come back from swap");
                }
                lab.check();
            }
        } finally {
            Files.deleteIfExists(trace);
        }
    }
}
