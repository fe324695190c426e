package org.pagelab.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pagelab.machine.Machine;
import org.pagelab.memory.Access;
import org.pagelab.memory.MemoryManager;
import org.pagelab.memory.Process;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.vma.VmFlags;

/** /proc/&lt;pid&gt;/status, /proc/&lt;pid&gt;/smaps_rollup and Committed_AS. */
class PidFilesTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final int PAGE = 4096;

    private Machine machine;
    private MemoryManager mm;

    @BeforeEach
    void boot() {
        machine = Machine.boot(PhysConfig.of(MemSize.parse("32M"), true));
        mm = machine.memory();
    }

    @AfterEach
    void checkAndClose() {
        machine.check();
        machine.close();
    }

    /** A process with {@code pages} pages mapped RW, the first {@code written} of them written. */
    private Process withPages(String name, int pages, int written) {
        Process p = mm.spawn(name);
        long addr = mm.mmapAnon(p, 0, (long) pages * PAGE, RW, false).orThrow();
        for (int i = 0; i < written; i++) {
            assertThat(mm.write(p, addr + (long) i * PAGE, new byte[] {(byte) (i + 1)}, 0, 1)).isEqualTo(Access.OK);
        }
        return p;
    }

    private Map<String, Long> rollup(Process p) {
        return new SmapsRollup(machine, p).fields();
    }

    private Map<String, Long> status(Process p) {
        return new PidStatus(p).fields();
    }

    @Test
    void tenWrittenPagesArePrivateDirtyAnonymousAndFullyProportional() {
        Process p = withPages("writer", 10, 10);
        Map<String, Long> r = rollup(p);
        assertThat(r.get("Rss")).isEqualTo(40);
        assertThat(r.get("Anonymous")).isEqualTo(40);
        assertThat(r.get("Private_Dirty")).isEqualTo(40);
        assertThat(r.get("Pss")).isEqualTo(40);
        assertThat(r.get("Pss_Anon")).isEqualTo(40);
        assertThat(r.get("Pss_Dirty")).isEqualTo(40);
        assertThat(r.get("Shared_Dirty")).isZero();
        assertThat(r.get("Shared_Clean")).isZero();
        assertThat(r.get("Private_Clean")).isZero();
        assertThat(r.get("Referenced")).isEqualTo(40);
        assertThat(r.get("Swap")).isZero();
        assertThat(r.keySet()).containsExactlyElementsOf(SmapsRollup.FIELDS);
    }

    @Test
    void afterForkBothSidesShareTheDirtyPagesAndHalveTheirPss() {
        Process parent = withPages("parent", 10, 10);
        Process child = mm.fork(parent);
        for (Process p : new Process[] {parent, child}) {
            Map<String, Long> r = rollup(p);
            assertThat(r.get("Rss")).as("%s", p).isEqualTo(40);
            assertThat(r.get("Shared_Dirty")).as("%s", p).isEqualTo(40);
            assertThat(r.get("Private_Dirty")).as("%s", p).isZero();
            assertThat(r.get("Pss")).as("%s", p).isEqualTo(20);
            assertThat(r.get("Pss_Dirty")).as("%s", p).isEqualTo(20);
        }
        mm.exit(child);
        assertThat(rollup(parent).get("Pss")).isEqualTo(40);
        assertThat(rollup(parent).get("Private_Dirty")).isEqualTo(40);
    }

    @Test
    void pssKeepsTheFractionUntilPrinted() {
        // a page shared by three processes adds (4096 << 12) / 3 to the fixed-point sum, about 1365.3
        // bytes; six such pages sum to 8191 bytes, printed as 7 kB, where 1 kB a page would give 6.
        Process parent = withPages("parent", 6, 6);
        mm.fork(parent);
        mm.fork(parent);
        assertThat(rollup(parent).get("Pss")).isEqualTo(7);
        assertThat(rollup(parent).get("Rss")).isEqualTo(24);
    }

    @Test
    void readingUntouchedMemoryMapsTheZeroPageWhichCountsNowhere() {
        Process p = withPages("reader", 10, 2);
        long addr = p.mm().vmas().iterator().next().start();
        byte[] b = new byte[PAGE];
        for (int i = 2; i < 10; i++) {
            assertThat(mm.read(p, addr + (long) i * PAGE, b, 0, PAGE)).isEqualTo(Access.OK);
        }
        Map<String, Long> r = rollup(p);
        assertThat(r.get("Rss")).isEqualTo(8);
        assertThat(r.get("Pss")).isEqualTo(8);
        assertThat(r.get("Referenced")).isEqualTo(8);
        assertThat(status(p).get("VmRSS")).isEqualTo(8);
    }

    @Test
    void statusVmRssEqualsRssAnonAndVmSizeTheMappedPages() {
        Process p = withPages("status", 16, 5);
        Map<String, Long> s = status(p);
        assertThat(s.get("VmRSS")).isEqualTo(s.get("RssAnon")).isEqualTo(20);
        assertThat(s.get("VmSize")).isEqualTo(64);
        assertThat(s.get("RssFile")).isZero();
        assertThat(s.get("RssShmem")).isZero();
        assertThat(s.get("VmPTE")).isEqualTo(p.pageTable().tablePages() * 4).isPositive();
        assertThat(s.get("Pid")).isEqualTo(p.pid());
        assertThat(rollup(p).get("Rss")).isEqualTo(s.get("VmRSS"));
    }

    @Test
    void statusTextHasTheKernelsLayout() {
        Process p = withPages("layout", 4, 4);
        String text = new PidStatus(p).render();
        assertThat(text).startsWith("Name:\tlayout\nState:\tR (running)\nPid:\t" + p.pid() + "\n");
        assertThat(text).contains(String.format(Locale.ROOT, "VmRSS:\t%8d kB\n", 16));
        assertThat(text).contains(String.format(Locale.ROOT, "RssAnon:\t%8d kB\n", 16));
        assertThat(text).contains(String.format(Locale.ROOT, "VmSize:\t%8d kB\n", 16));
        assertThat(text.indexOf("VmSize:")).isLessThan(text.indexOf("VmRSS:"));
        assertThat(text.indexOf("RssShmem:")).isLessThan(text.indexOf("VmPTE:"));
    }

    @Test
    void exitedProcessIsAZombieWithoutMemoryLines() {
        Process p = withPages("gone", 4, 4);
        mm.exit(p);
        assertThat(new PidStatus(p).render()).isEqualTo("Name:\tgone\nState:\tZ (zombie)\nPid:\t" + p.pid() + "\n");
        assertThat(new PidStatus(p).fields()).containsOnlyKeys("Pid");
    }

    @Test
    void smapsRollupTextHasTheHeaderAndKernelColumns() {
        Process p = withPages("text", 4, 4);
        Process q = withPages("text", 2, 0);
        long start = p.mm().vmas().iterator().next().start();
        long end = start + 4 * PAGE;
        String text = new ProcFs(machine).read("/proc/" + p.pid() + "/smaps_rollup");
        String[] lines = text.split("\n", -1);
        assertThat(lines[0]).isEqualTo(String.format(Locale.ROOT, "%08x-%08x ---p 00000000 00:00 0", start, end)
                + " ".repeat(72 - 47 + 1) + "[rollup]");
        assertThat(lines[0].indexOf("[rollup]")).isEqualTo(73);
        assertThat(lines).hasSize(SmapsRollup.FIELDS.size() + 2);
        assertThat(lines[1]).isEqualTo(String.format(Locale.ROOT, "%-16s%8d kB", "Rss:", 16));
        assertThat(lines[13]).isEqualTo(String.format(Locale.ROOT, "%-16s%8d kB", "AnonHugePages:", 0));
        assertThat(lines[14]).isEqualTo(String.format(Locale.ROOT, "%-16s%8d kB", "FilePmdMapped:", 0));
        assertThat(lines[16]).isEqualTo(String.format(Locale.ROOT, "%-16s%8d kB", "SwapPss:", 0));
        assertThat(new ProcFs(machine).read("/proc/" + q.pid() + "/smaps_rollup"))
                .contains("\n" + String.format(Locale.ROOT, "%-16s%8d kB", "Rss:", 0) + "\n");
    }

    @Test
    void procFsServesPidFilesAndRejectsUnknownPids() {
        Process p = withPages("served", 2, 2);
        ProcFs proc = new ProcFs(machine);
        assertThat(proc.read("/proc/" + p.pid() + "/status")).isEqualTo(new PidStatus(p).render());
        assertThat(proc.read("/proc/" + p.pid() + "/smaps_rollup")).isEqualTo(new SmapsRollup(machine, p).render());
        assertThatThrownBy(() -> proc.read("/proc/999/status")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("999");
        assertThatThrownBy(() -> proc.read("/proc/x/status")).isInstanceOf(IllegalArgumentException.class);
        mm.exit(p);
        assertThat(proc.read("/proc/" + p.pid() + "/status")).contains("Z (zombie)");
        assertThatThrownBy(() -> proc.read("/proc/" + p.pid() + "/smaps_rollup"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void committedAsCountsThePrivateWritablePagesOfLiveProcesses() {
        long before = new Meminfo(machine).fields().get("Committed_AS");
        assertThat(before).isZero();
        Process a = withPages("a", 10, 3);
        Process b = withPages("b", 6, 0);
        Process ro = mm.spawn("ro");
        mm.mmapAnon(ro, 0, 8 * PAGE, VmFlags.VM_READ, false).orThrow();
        assertThat(new Meminfo(machine).fields().get("Committed_AS")).isEqualTo(4 * (10 + 6));
        mm.munmap(a, a.mm().vmas().iterator().next().start(), 4 * PAGE).orThrow();
        assertThat(new Meminfo(machine).fields().get("Committed_AS")).isEqualTo(4 * (6 + 6));
        mm.exit(b);
        assertThat(new Meminfo(machine).fields().get("Committed_AS")).isEqualTo(4 * 6);
    }
}
