package org.pagelab.reclaim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pagelab.filemap.WritebackIo;
import org.pagelab.machine.Machine;
import org.pagelab.machine.MachineTest;
import org.pagelab.memory.Process;
import org.pagelab.memory.TransparentHugepage;
import org.pagelab.scenario.Scenario;
import org.pagelab.scenario.ScenarioException;
import org.pagelab.scenario.ScenarioRunner;
import org.pagelab.swap.SwaponResult;
import org.pagelab.vma.VmFlags;

/**
 * The block plug around reclaim's writes (mm/vmscan.c shrink_lruvec's blk_start_plug, and
 * block/blk-mq.c blk_add_rq_to_plug): the writes of one pass over an LRU reach the device when the
 * pass ends, or when a write must open a request while the plug holds 32 or its last request has
 * reached 128 KiB. With user-mode Linux's ubd, whose requests stop at 127 KiB (31 pages), a plug
 * holds 992 pages: reclaim writes in bursts and the written pages wait in the swap cache for the
 * faults that follow, as the guest of pagelab validate shows.
 */
class ReclaimPlugTest extends MachineTest {
    private static final int PAGE = 4096;
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;

    /** Writes {@code pages} anonymous pages and pages them all out under one plug; returns the writes the plug still holds. */
    private int pageoutUnderAPlug(int pages) {
        assertThat(machine.swap().swapon("swapfile", 16384, null)).isInstanceOf(SwaponResult.Ok.class);
        mm.setTransparentHugepage(TransparentHugepage.NEVER);
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, (long) pages * PAGE, RW, false).orThrow();
        for (int i = 0; i < pages; i++) {
            poke(p, a + (long) i * PAGE, i);
        }
        WritebackIo io = machine.writebackIo();
        io.plug();
        mm.madviseColdOrPageout(p, a, (long) pages * PAGE, true);
        int held = io.heldInPlug();
        machine.check(); // the plug's own invariants hold while it holds writes
        io.unplug();
        assertThat(io.heldInPlug()).as("the end of the plug submits what it held").isZero();
        machine.sim().drainTimers();
        assertThat(io.inFlight()).isZero();
        for (int i = 0; i < pages; i++) {
            assertThat(peek(p, a + (long) i * PAGE)).as("page " + i).isEqualTo((int) (byte) i);
        }
        return held;
    }

    @Test
    void withRequestsOf31PagesAPlugHolds32RequestsBeforeItIsFlushed() {
        machine.writebackIo().setMaxRequestPages(31);
        // 1,024 writes: 992 fill 32 requests; the 993rd must open a 33rd, which flushes them
        assertThat(pageoutUnderAPlug(1024)).isEqualTo(1024 - 32 * 31);
    }

    @Test
    void withTheDefault320PageRequestsThePlugIsFlushedAsEachRequestFills() {
        assertThat(machine.writebackIo().maxRequestPages()).isEqualTo(WritebackIo.DEFAULT_MAX_REQUEST_PAGES);
        assertThat(pageoutUnderAPlug(1024)).as("flushed at the 321st, 641st and 961st write").isEqualTo(1024 - 3 * 320);
    }

    @Test
    void aPlugIsFlushedByUnplugAloneAndRefusesAnUnmatchedUnplug() {
        WritebackIo io = machine.writebackIo();
        assertThatThrownBy(io::unplug).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> io.setMaxRequestPages(0)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * memcg_limit's anonymous phases at a smaller scale: 24 MiB written twice in a cgroup of
     * 16 MiB. With 127 KiB requests reclaim writes up to 992 pages a pass and leaves hundreds in the
     * swap cache when the phase ends; with the default 320-page requests fewer, and with one-page
     * requests (a plug of 32) fewer still.
     */
    @Test
    void withSmallRequestsAPhaseEndsWithHundredsOfWrittenPagesInTheSwapCache() throws java.io.IOException {
        long small = swapcachedAfterSecondWrite("max_sectors_kb: 127, ");
        long dflt = swapcachedAfterSecondWrite("");
        long tiny = swapcachedAfterSecondWrite("max_sectors_kb: 4, ");
        System.out.println("ReclaimPlugTest nr_swapcached after the second write: max_sectors_kb 127: " + small
                + ", 1280 (default): " + dflt + ", 4: " + tiny);
        assertThat(small).as("127 KiB requests: plugs of 992 pages").isGreaterThan(150);
        assertThat(dflt).as("the default's plugs of 320 pages").isLessThan(small);
        assertThat(tiny).as("one-page requests: plugs of 32 pages").isLessThan(small / 2);
    }

    private long swapcachedAfterSecondWrite(String key) throws java.io.IOException {
        String text = "machine: { memory: 64M, " + key + "transparent_hugepage: never, cpus: 1, swap: 256M }\n"
                + "cgroups: [ { path: /w, max: 16M, swap_max: 32M } ]\n"
                + "processes:\n"
                + "  - name: w\n"
                + "    steps:\n"
                + "      - cgroup_move: { path: /w }\n"
                + "      - mmap: { name: buf, size: 24M, prot: rw }\n"
                + "      - write: { region: buf, length: 24M, fill: 1 }\n"
                + "      - write: { region: buf, length: 24M, fill: 2 }\n"
                + "      - mark: end\n";
        Scenario s = Scenario.parse("plug.yaml", text);
        List<ScenarioRunner.Mark> marks = new ArrayList<>();
        java.nio.file.Path wd = Files.createDirectories(dir.resolve("run" + key.length()));
        try (Machine m = Machine.boot(s.sizing().physConfig(s.source(), s.memory(), 64L << 20, false), wd, s.simConfig(1))) {
            assertThat(ScenarioRunner.run(m, s, 1, marks::add)).as("every step passed").isNull();
            m.check();
        }
        return marks.get(0).counters().vmstat().get("nr_swapcached");
    }

    @Test
    void maxSectorsKbIsCheckedWithItsFileAndLine() {
        assertThatThrownBy(() -> Scenario.parse("p.yaml", "machine: { memory: 32M, max_sectors_kb: 2 }\n"
                + "processes: [ { name: a, steps: [ { sleep: { time: 1ms } } ] } ]\n"))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("p.yaml:1").hasMessageContaining("max_sectors_kb '2'");
    }
}
