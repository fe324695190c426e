package org.pagelab.examples;

import java.util.Map;
import org.pagelab.api.Lab;
import org.pagelab.api.Proc;

/**
 * A memory.max sweep: one machine per limit, the same 48M working set touched three times in a
 * cgroup; what the limit costs in swap-outs and reclaim.
 */
public final class MemcgLimitSweep {
    public static void main(String[] args) {
        System.out.printf("%-10s %10s %10s %10s%n", "memory.max", "pswpout", "pswpin", "max events");
        long lastSwapOut = Long.MAX_VALUE;
        for (String max : new String[] {"16M", "32M", "48M", "64M"}) {
            try (Lab lab = Lab.builder().memory("256M").swap("256M").metadata()
                    .cgroup("/app", Map.of("max", max)).boot()) {
                Proc p = lab.spawn("worker", "/app");
                long a = p.mmapAnon(48 << 20);
                for (int pass = 0; pass < 3; pass++) {
                    p.touch(a, 48 << 20, true);
                }
                long out = lab.vmstat("pswpout");
                long events = lab.read("/sys/fs/cgroup/app/memory.events").lines()
                        .filter(l -> l.startsWith("max ")).mapToLong(l -> Long.parseLong(l.substring(4)))
                        .sum();
                System.out.printf("%-10s %10d %10d %10d%n", max, out, lab.vmstat("pswpin"), events);
                if (out > lastSwapOut) {
                    throw new AssertionError("a larger memory.max swapped out more: " + max);
                }
                lastSwapOut = out;
                lab.check();
            }
        }
    }
}
