package org.pagelab.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SimModelTest {

    @Test
    void nvmeDefaultsAreTheDocumentedOnes() {
        DeviceModel m = DeviceModel.NVME_SSD;
        assertThat(m.readLatencyNs()).isEqualTo(80_000);
        assertThat(m.writeLatencyNs()).isEqualTo(20_000);
        assertThat(m.readBytesPerSec()).isEqualTo(3_000_000_000L);
        assertThat(m.writeBytesPerSec()).isEqualTo(2_000_000_000L);
        assertThat(m.transferNs(4096, false)).isEqualTo(1366); // 4096 / 3e9 s, rounded up
        assertThat(m.transferNs(4096, true)).isEqualTo(2048);
    }

    @Test
    void overridesReplaceOnlyTheKeysGiven() {
        DeviceModel m = DeviceModel.nvme("latency=100us,read_bw=500M");
        assertThat(m).isEqualTo(new DeviceModel(100_000, 100_000, 500_000_000L, 2_000_000_000L));
        assertThat(DeviceModel.nvme(" write_latency = 1.5ms , bw=2GiB/s ")).isEqualTo(
                new DeviceModel(80_000, 1_500_000, 1L << 31, 1L << 31));
        assertThat(DeviceModel.nvme("read_latency=2s,write_bw=100KB/s")).isEqualTo(
                new DeviceModel(2_000_000_000L, 20_000, 3_000_000_000L, 100_000));
        assertThat(DeviceModel.nvme("")).isEqualTo(DeviceModel.NVME_SSD);
    }

    @Test
    void hugeTransfersDoNotOverflow() {
        DeviceModel m = DeviceModel.nvme("bw=1");
        assertThat(m.transferNs(1000, false)).isEqualTo(1_000_000_000_000L);
        assertThat(DeviceModel.INSTANT.transferNs(1L << 40, true)).isEqualTo(120); // 2^40 B at 2^63-1 B/s
        assertThat(DeviceModel.INSTANT.transferNs(0, true)).isZero();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "latency=100       | latency \"100\" needs a unit",
        "latency=100xs     | unknown unit \"xs\"",
        "read_bw=500X      | read_bw \"500X\": unknown unit \"X\"",
        "latency=-5us      | latency \"-5us\" is negative",
        "bw=0              | bw \"0\" must be positive",
        "speed=3G          | unknown key \"speed\"",
        "latency           | \"latency\" is not key=value",
        "bw=1G,bw=2G       | bw given twice",
        "write_latency=us  | write_latency \"us\" does not start with a number",
        "latency=1..5us    | latency \"1..5us\" does not start with a number",
        "latency=99999999999s | latency \"99999999999s\" is too large",
    })
    void badDeviceOverridesNameTheKeyAndValue(String spec, String message) {
        assertThatThrownBy(() -> DeviceModel.nvme(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("device model: ").hasMessageContaining(message);
    }

    @Test
    void costOverridesAndRoundTrip() {
        CostModel m = CostModel.DEFAULT.parse("fault=1.2us,zero=300ns");
        assertThat(m.ns(CpuEvent.FAULT)).isEqualTo(1200);
        assertThat(m.ns(CpuEvent.ZERO_PAGE)).isEqualTo(300);
        assertThat(m.ns(CpuEvent.COPY_PAGE)).isEqualTo(CpuEvent.COPY_PAGE.defaultNs());
        assertThat(CostModel.DEFAULT.parse(m.toString())).isEqualTo(m);
        assertThat(CostModel.uniform(5).ns(CpuEvent.TOUCH)).isEqualTo(5);
    }

    @Test
    void badCostOverridesNameTheKeyAndValue() {
        assertThatThrownBy(() -> CostModel.DEFAULT.parse("faults=1us")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown key \"faults\"").hasMessageContaining("fault, zero, copy");
        assertThatThrownBy(() -> CostModel.DEFAULT.parse("copy=fast")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("copy \"fast\"");
        assertThatThrownBy(() -> CostModel.DEFAULT.with(CpuEvent.SYSCALL, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("syscall cost -1");
    }

    @Test
    void everyEventHasADistinctKeyAndAPositiveDefault() {
        assertThat(CpuEvent.values()).extracting(CpuEvent::key).doesNotHaveDuplicates();
        assertThat(CpuEvent.values()).allMatch(e -> e.defaultNs() > 0 && CpuEvent.byKey(e.key()) == e);
    }
}
