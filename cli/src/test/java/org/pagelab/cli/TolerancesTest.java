package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pagelab.cli.Tolerances.Band;

/** The bands of the tally and the tolerance table, which docs/fidelity.md must show as it is. */
class TolerancesTest {
    @Test
    void bandsAreTheRatiosDistanceFromOne() {
        assertThat(Band.of(1000, 1020)).isEqualTo(Band.WITHIN_2PCT);
        assertThat(Band.of(1000, 980)).isEqualTo(Band.WITHIN_2PCT);
        assertThat(Band.of(1000, 1021)).isEqualTo(Band.WITHIN_10PCT);
        assertThat(Band.of(1000, 1100)).isEqualTo(Band.WITHIN_10PCT);
        assertThat(Band.of(1000, 1101)).isEqualTo(Band.WITHIN_2X);
        assertThat(Band.of(1000, 2000)).isEqualTo(Band.WITHIN_2X);
        assertThat(Band.of(1000, 500)).isEqualTo(Band.WITHIN_2X);
        assertThat(Band.of(1000, 2001)).isEqualTo(Band.BEYOND);
        assertThat(Band.of(1000, 499)).isEqualTo(Band.BEYOND);
        assertThat(Band.of(-1000, -1010)).isEqualTo(Band.WITHIN_2PCT);
        assertThat(Band.of(-1000, 1000)).as("opposite signs").isEqualTo(Band.BEYOND);
        assertThat(Band.of(0, 0)).isEqualTo(Band.WITHIN_2PCT);
        assertThat(Band.of(0, 5)).isEqualTo(Band.BEYOND);
        assertThat(Band.of(5, 0)).isEqualTo(Band.BEYOND);
    }

    @Test
    void theFirstMatchingLineWinsAndTheDefaultCatchesTheRest() {
        Tolerances t = Tolerances.load();
        assertThat(t.of("vmstat/pswpin").token()).isEqualTo("2%");
        assertThat(t.of("vmstat/pgscan_kswapd").token()).isEqualTo("2x");
        assertThat(t.of("vmstat/pgscan_anon").token()).isEqualTo("10%");
        assertThat(t.of("vmstat/workingset_refault_anon").token()).isEqualTo("2%");
        assertThat(t.of("meminfo/SUnreclaim").limit()).isNull();
        assertThat(t.of("memory.events/oom_kill").token()).isEqualTo("2%");
        assertThat(t.of("something/else").pattern()).isEqualTo("*");
        assertThat(t.of("vmstat/pswpin").admits(Band.WITHIN_2PCT)).isTrue();
        assertThat(t.of("vmstat/pswpin").admits(Band.WITHIN_10PCT)).isFalse();
        assertThat(t.of("meminfo/SUnreclaim").admits(Band.WITHIN_2PCT)).as("none judges nothing").isFalse();
    }

    @Test
    void aScopedLineAppliesToItsWorkloadsPhaseOnly() {
        Tolerances t = Tolerances.parse("t.txt", "w.p1:vmstat/pgfault none explained\nvmstat/pgfault 2% exact\n* 10% default\n");
        assertThat(t.of("w", "p1", "vmstat/pgfault").limit()).isNull();
        assertThat(t.of("w", "p2", "vmstat/pgfault").token()).isEqualTo("2%");
        assertThat(t.of("v", "p1", "vmstat/pgfault").token()).isEqualTo("2%");
        assertThat(t.of("vmstat/pgfault").token()).as("unscoped lookups skip scoped lines").isEqualTo("2%");
        assertThat(t.of("w", "p1", "vmstat/pgmajfault").token()).isEqualTo("10%");
        Tolerances real = Tolerances.load();
        assertThat(real.of("shmem_twice", "write1", "vmstat/pgfault").limit()).isNull();
        assertThat(real.of("shmem_twice", "write2", "vmstat/pgfault").token()).isEqualTo("2%");
        assertThat(real.of("anon_twice", "write1", "vmstat/pgfault").token()).isEqualTo("2%");
    }

    @Test
    void malformedTablesNameTheLine() {
        assertThatThrownBy(() -> Tolerances.parse("t.txt", "w:vmstat/x 2% because\n* 10% default\n"))
                .hasMessage("t.txt:1: bad scope in 'w:vmstat/x': expected WORKLOAD.PHASE:COUNTER");
        assertThatThrownBy(() -> Tolerances.parse("t.txt", "vmstat/x 5% because\n* 10% default\n"))
                .hasMessage("t.txt:1: bad tolerance '5%': expected 2%, 10%, 2x or none");
        assertThatThrownBy(() -> Tolerances.parse("t.txt", "vmstat/x 2%\n")).hasMessageStartingWith("t.txt:1: expected");
        assertThatThrownBy(() -> Tolerances.parse("t.txt", "vmstat/x 2% a reason\n"))
                .hasMessage("t.txt: the last line must be the default, '*'");
    }

    /** docs/fidelity.md's tolerance table: its rows, as | `COUNTER` | TOLERANCE | REASON |. */
    static List<List<String>> docsTable() throws IOException {
        List<List<String>> rows = new ArrayList<>();
        boolean in = false;
        for (String line : Files.readAllLines(Path.of("../docs/fidelity.md"))) {
            if (line.startsWith("| counter | tolerance | reason |")) {
                in = true;
            } else if (in && line.startsWith("|") && !line.startsWith("|---")) {
                String[] c = line.split("\\|");
                rows.add(List.of(c[1].strip().replace("`", ""), c[2].strip(), c[3].strip()));
            } else if (in && !line.startsWith("|")) {
                break;
            }
        }
        return rows;
    }

    @Test
    void docsFidelityShowsTheTableTheCodeUses() throws IOException {
        List<List<String>> code = Tolerances.load().lines().stream()
                .map(t -> List.of(t.pattern(), t.token(), t.reason())).toList();
        assertThat(docsTable()).isEqualTo(code);
    }
}
