package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reader of what the validation workloads print in the kernel, and its compact recorded form. */
class KernelRunTest {
    private static final String CONSOLE = """
            Checking environment variables for a tempdir...none found
            @boot
            sysctl min_free_kbytes 924
            zoneinfo Normal managed 13364
            zoneinfo Normal min 231
            @end boot
            @mark start 1000
            vmstat pgfault 10
            vmstat pswpin 0
            meminfo MemTotal 53456
            memory.stat anon 4096
            memory.events max 0
            @end start
            [  12.5] a kernel message between marks
            @status signal 9
            @mark oom 2000
            vmstat pgfault 5010
            vmstat pswpin 0
            meminfo MemTotal 53456
            memory.stat anon 0
            memory.events max 7
            @end oom
            @done
            @exit 0
            """;

    @Test
    void consoleOutputGivesMarksBootFiguresAndOutcome() throws Exception {
        List<KernelRun> runs = KernelRun.parseAll("c.txt", CONSOLE);
        assertThat(runs).hasSize(1);
        KernelRun r = runs.getFirst();
        assertThat(r.done()).isTrue();
        assertThat(r.statuses()).containsExactly("signal 9");
        assertThat(r.boot()).containsExactly(Map.entry("sysctl/min_free_kbytes", 924L),
                Map.entry("zoneinfo/Normal/managed", 13364L), Map.entry("zoneinfo/Normal/min", 231L));
        assertThat(r.markNames()).containsExactly("start", "oom");
        assertThat(r.marks().get(1).timeNs()).isEqualTo(2000);
        assertThat(r.marks().get(1).counters()).containsEntry("vmstat/pgfault", 5010L)
                .containsEntry("memory.events/max", 7L).containsEntry("memory.stat/anon", 0L).hasSize(5);
    }

    @Test
    void theCompactFormReadsBackIntoTheSameRunsAndIsSmaller() throws Exception {
        KernelRun one = KernelRun.parseAll("c.txt", CONSOLE).getFirst();
        KernelRun two = KernelRun.parseAll("c.txt", CONSOLE.replace("vmstat pgfault 5010", "vmstat pgfault 5020"))
                .getFirst();
        String compact = KernelRun.compact(List.of(one, two));
        List<KernelRun> back = KernelRun.parseAll("k.txt", compact);
        assertThat(back).hasSize(2);
        assertThat(back.get(0)).usingRecursiveComparison().isEqualTo(one);
        assertThat(back.get(1)).usingRecursiveComparison().isEqualTo(two);
        assertThat(KernelRun.compact(List.of(one))).as("an unchanged counter is not repeated")
                .containsOnlyOnce("vmstat pswpin 0").containsOnlyOnce("meminfo MemTotal 53456");
        assertThat(compact.length()).isLessThan(2 * CONSOLE.length());
    }

    @Test
    void malformedOutputNamesTheSourceAndLine() {
        assertThatThrownBy(() -> KernelRun.parseAll("c.txt", "@mark a 1\nvmstat pgfault 1[ 3.2] oops\n@end a\n"))
                .isInstanceOf(KernelRun.FormatException.class)
                .hasMessage("c.txt:2: malformed line 'vmstat pgfault 1[ 3.2] oops' in mark a");
        assertThatThrownBy(() -> KernelRun.parseAll("c.txt", "@mark a 1\nvmstat pgfault 1\n"))
                .hasMessageStartingWith("c.txt:3: mark a not ended");
        assertThatThrownBy(() -> KernelRun.parseAll("c.txt", "@mark a\n@end a\n"))
                .hasMessage("c.txt:1: malformed mark line '@mark a'");
        assertThatThrownBy(() -> KernelRun.parseAll("c.txt", "@boot\nsysctl x\n@end boot\n"))
                .hasMessage("c.txt:2: malformed boot line 'sysctl x'");
    }

    @Test
    void aRunThatStoppedEarlyIsNotDone() throws Exception {
        KernelRun r = KernelRun.parseAll("c.txt", "@mark start 1\nvmstat pgfault 1\n@end start\n@error mmap: no memory\n")
                .getFirst();
        assertThat(r.done()).isFalse();
        assertThat(r.errors()).containsExactly("mmap: no memory");
    }
}
