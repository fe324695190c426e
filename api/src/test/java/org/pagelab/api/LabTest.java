package org.pagelab.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pagelab.memory.Access;

/** The API's calls do what their scenario steps do, and bad arguments are refused naming the value. */
class LabTest {
    @Test
    void a_write_past_a_mapping_kills_only_that_process_and_the_machine_goes_on() {
        try (Lab lab = Lab.builder().memory("32M").boot()) {
            Proc a = lab.spawn("a");
            Proc b = lab.spawn("b");
            long addr = a.mmapAnon(4096);
            assertThat(a.write(addr + 4096, new byte[] {1})).isEqualTo(Access.SEGV);
            assertThat(a.alive()).isFalse();
            assertThat(a.signal()).isEqualTo("SIGSEGV");
            long x = b.mmapAnon(4096);
            assertThat(b.write(x, "ok".getBytes(StandardCharsets.US_ASCII))).isEqualTo(Access.OK);
            assertThatThrownBy(() -> a.mmapAnon(4096)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no longer running");
            lab.check();
        }
    }

    @Test
    void thp_sizes_are_set_at_boot_and_through_sysfs_and_madv_collapse_makes_a_huge_page() {
        try (Lab lab = Lab.builder().memory("64M").thp(Thp.NEVER).thpSize(64, ThpSize.ALWAYS).boot()) {
            Proc p = lab.spawn("p");
            long a = p.mmapAnon(4 << 20);
            long h = (a + (2 << 20) - 1) & -(2L << 20);
            p.touch(h, 4096, true);
            String dir = "/sys/kernel/mm/transparent_hugepage/";
            assertThat(lab.read(dir + "hugepages-64kB/stats/anon_fault_alloc")).isEqualTo("1\n");
            lab.write(dir + "hugepages-64kB/enabled", "never");
            assertThat(lab.read(dir + "hugepages-64kB/enabled")).isEqualTo("always inherit madvise [never]\n");
            p.madvise(h, 2 << 20, Advice.COLLAPSE);
            assertThat(lab.vmstat().get("thp_collapse_alloc")).isEqualTo(1);
            assertThat(lab.vmstat().get("nr_anon_transparent_hugepages")).isEqualTo(1);
        }
    }

    @Test
    void large_folios_let_a_hugepage_file_fault_read_two_pmd_sized_folios() {
        try (Lab lab = Lab.builder().memory("64M").largeFolios(true).boot()) {
            LabFile f = lab.createFile("data", 4 << 20);
            Proc p = lab.spawn("p");
            byte[] bytes = new byte[4096];
            java.util.Arrays.fill(bytes, (byte) 0x5a);
            p.pwrite(f, 4096, bytes);
            p.fsync(f);
            lab.dropCaches(1);
            long a = p.mmapFile(f, 0, 4 << 20, Prot.READ, false);
            p.madvise(a, 4 << 20, Advice.HUGEPAGE);
            assertThat(p.read(a + 4096, 4096)).isEqualTo(bytes);
            assertThat(lab.vmstat("nr_file_hugepages")).isEqualTo(2);
            assertThat(lab.meminfo("FileHugePages")).isEqualTo(4096);
            lab.check();
        }
    }

    @Test
    void simulated_time_moves_by_what_the_calls_cost_and_by_sleeps() {
        try (Lab lab = Lab.builder().memory("32M").boot()) {
            Proc p = lab.spawn("p");
            long t0 = lab.nowNs();
            p.touch(p.mmapAnon(1 << 20), 1 << 20, true);
            long t1 = lab.nowNs();
            assertThat(t1).isGreaterThan(t0);
            p.sleep(5_000_000);
            assertThat(lab.nowNs()).isGreaterThanOrEqualTo(t1 + 5_000_000);
        }
    }

    @Test
    void files_are_written_read_and_synced_through_the_page_cache() {
        try (Lab lab = Lab.builder().memory("32M").boot()) {
            LabFile f = lab.createFile("data/f", 0);
            Proc p = lab.spawn("io");
            p.pwrite(f, 0, "hello file".getBytes(StandardCharsets.US_ASCII));
            assertThat(lab.meminfo("Dirty")).isEqualTo(4);
            p.fsync(f);
            assertThat(lab.meminfo("Dirty")).isZero();
            assertThat(new String(p.pread(f, 0, 100), StandardCharsets.US_ASCII)).isEqualTo("hello file");
            long m = p.mmapFile(f, 0, 4096, Prot.READ, true);
            assertThat(new String(p.read(m, 5), StandardCharsets.US_ASCII)).isEqualTo("hello");
            lab.check();
        }
    }

    @Test
    void cgroup_files_read_as_text_and_as_values() {
        try (Lab lab = Lab.builder().memory("64M").cgroup("/app", Map.of("max", "8M")).boot()) {
            Proc p = lab.spawn("w", "/app");
            p.touch(p.mmapAnon(4 << 20), 4 << 20, true);
            assertThat(lab.read("/sys/fs/cgroup/app/memory.max")).isEqualTo("8388608\n");
            assertThat(lab.memoryValue("/app", "memory.max")).isEqualTo(8L << 20);
            assertThat(lab.memoryStat("/app").get("anon")).isEqualTo(4L << 20);
            lab.setCgroup("/app", Map.of("max", "max"));
            assertThat(lab.memoryValue("/app", "memory.max")).isEqualTo(Long.MAX_VALUE);
            assertThat(lab.json()).contains("\"/app\"");
        }
    }

    @Test
    void bad_settings_are_refused_naming_the_value() {
        assertThatThrownBy(() -> Lab.builder().memory("12Q")).hasMessageContaining("12Q");
        assertThatThrownBy(() -> Lab.builder().cpus(0)).hasMessageContaining("0");
        assertThatThrownBy(() -> Lab.builder().reclaimPolicy("clock-pro")).hasMessageContaining("clock-pro");
        try (Lab lab = Lab.builder().memory("32M").boot()) {
            assertThatThrownBy(() -> lab.setCgroup("/none", Map.of("max", "1M"))).hasMessageContaining("/none");
            lab.createCgroup("/a", Map.of());
            assertThatThrownBy(() -> lab.setCgroup("/a", Map.of("limit", "1M"))).hasMessageContaining("limit");
            assertThatThrownBy(() -> lab.read("/proc/nothing")).hasMessageContaining("/proc/nothing");
            assertThatThrownBy(() -> lab.replay("plain:x")).hasMessageContaining("metadata");
            Proc p = lab.spawn("p");
            assertThatThrownBy(() -> p.munmap(0x1001, 4096)).isInstanceOf(SyscallFailedException.class)
                    .hasMessageContaining("EINVAL");
        }
    }
}
