package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class MachineChartsTest {
    private static HtmlReport.Chart chart(List<HtmlReport.Chart> charts, String id) {
        return charts.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    private static double[] line(HtmlReport.Chart c, String name) {
        return c.lines().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow().y();
    }

    @Test
    void ratesAreCounterIncreasesPerSimulatedSecondBetweenSamples() {
        String csv = """
                time_ns,free_kb,anon_kb,pgfault,pgmajfault,pswpout
                1000000,2048,1024,10,0,0
                3000000,1024,2048,110,4,0
                3500000,512,3072,160,4,30
                """;
        List<HtmlReport.Chart> charts = MachineCharts.of(csv);
        HtmlReport.Chart memory = chart(charts, "memory");
        assertThat(memory.x()).containsExactly(1.0, 3.0, 3.5);
        assertThat(memory.lines()).extracting(HtmlReport.Line::name).as("columns the series lacks are left out")
                .containsExactly("free", "anon");
        assertThat(line(memory, "free")).containsExactly(2.0, 1.0, 0.5);
        HtmlReport.Chart faults = chart(charts, "faults");
        assertThat(faults.x()).containsExactly(3.0, 3.5);
        assertThat(line(faults, "pgfault")).containsExactly(new double[] {100 / 0.002, 50 / 0.0005}, within(1e-6));
        assertThat(line(faults, "pgmajfault")).containsExactly(new double[] {4 / 0.002, 0}, within(1e-6));
        assertThat(line(chart(charts, "reclaim"), "pswpout")).containsExactly(new double[] {0, 30 / 0.0005}, within(1e-6));
        assertThat(charts).extracting(HtmlReport.Chart::id).as("no psi_ column, no pressure chart")
                .containsExactly("memory", "lru", "swap", "faults", "reclaim");
    }

    @Test
    void psiColumnsGetAPressureChart() {
        String csv = """
                time_ns,free_kb,psi_memory_some_avg10,psi_memory_full_avg10
                1000000,100,1.5,0.5
                2000000,90,2.5,1.0
                """;
        HtmlReport.Chart pressure = chart(MachineCharts.of(csv), "pressure");
        assertThat(pressure.lines()).extracting(HtmlReport.Line::name)
                .containsExactly("psi_memory_some_avg10", "psi_memory_full_avg10");
        assertThat(line(pressure, "psi_memory_some_avg10")).containsExactly(1.5, 2.5);
    }
}
