package org.pagelab.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.MemDesc;
import org.pagelab.filemap.Errno;
import org.pagelab.gup.Gup;
import org.pagelab.pgtable.Pte;
import org.pagelab.proc.Meminfo;
import org.pagelab.stat.VmItem;
import org.pagelab.swap.SwaponResult;
import org.pagelab.vma.MapResult;
import org.pagelab.vma.VmFlags;

/** Collapse into PMD-sized folios: madvise(MADV_COLLAPSE) and the khugepaged thread (mm/khugepaged.c). */
class KhugepagedTest extends HugeRangeTest {


    private static Errno errno(MapResult r) {
        return r instanceof MapResult.MapFailed f ? f.errno() : null;
    }

    /** Writes a random page at each of {@code pages} of the range at {@code h}; returns the range's expected bytes. */
    private byte[] writePages(Process p, long h, long seed, int... pages) {
        byte[] want = new byte[(int) HUGE];
        for (int k : pages) {
            byte[] d = random(seed + k, PAGE);
            assertThat(mm.write(p, h + (long) k * PAGE, d, 0, PAGE)).isEqualTo(Access.OK);
            System.arraycopy(d, 0, want, k * PAGE, PAGE);
        }
        return want;
    }


    @Test
    void madvCollapseCopiesEveryPageZeroFillsTheRestAndIgnoresTheSysfsSetting() {
        mm.setTransparentHugepage(TransparentHugepage.NEVER);
        mm.mthp().setEnabled(4, MthpEnabled.ALWAYS); // some 64 KiB folios among the pages
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        byte[] want = writePages(p, h, 7, 0, 1, 17, 100, 300, 511);
        assertThat(mm.touch(p, h + 200L * PAGE, false)).isEqualTo(Access.OK); // the zero page
        assertThat(ownerAt(p, h).order()).isEqualTo(4);
        long anonBefore = vm(VmItem.NR_ANON_PAGES);
        assertThat(mm.madviseCollapse(p, h, HUGE)).isInstanceOf(MapResult.Mapped.class);
        MemDesc d = ownerAt(p, h);
        assertThat(d.order()).isEqualTo(9);
        for (int k = 0; k < 512; k++) {
            assertThat(Pte.pfn(p.pageTable().getPte(h + (long) k * PAGE))).isEqualTo(d.pfn() + k);
        }
        assertThat(read(p, h, (int) HUGE)).isEqualTo(want);
        assertThat(vm(VmItem.THP_COLLAPSE_ALLOC)).isEqualTo(1);
        assertThat(vm(VmItem.NR_ANON_TRANSPARENT_HUGEPAGES)).isEqualTo(1);
        assertThat(new Meminfo(machine).fields().get("AnonHugePages")).isEqualTo(2048);
        assertThat(vm(VmItem.NR_ANON_PAGES)).isEqualTo(512);
        assertThat(anonBefore).as("the pages written lie in five 64 KiB folios").isEqualTo(5 * 16);
        assertThat(p.rssAnon()).isEqualTo(512);
        assertThat(((Folio) d).mapcount()).isEqualTo(512);
        assertThat(mm.madviseCollapse(p, h, HUGE)).as("already PMD-sized").isInstanceOf(MapResult.Mapped.class);
        assertThat(vm(VmItem.THP_COLLAPSE_ALLOC)).isEqualTo(1);
        assertThat(mm.khugepaged().pagesCollapsed()).as("MADV_COLLAPSE is not khugepaged").isZero();
        machine.check();
    }

    @Test
    void madvCollapseSwapsInPagesAndKeepsAForkedChildsCopy() {
        assertThat(machine.swap().swapon("swapfile", 4096, null)).isInstanceOf(SwaponResult.Ok.class);
        mm.setTransparentHugepage(TransparentHugepage.NEVER);
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        byte[] want = writePages(p, h, 11, 3, 4, 5, 6, 400);
        Process child = mm.fork(p);
        byte[] mine = random(99, PAGE);
        assertThat(mm.write(p, h + 5L * PAGE, mine, 0, PAGE)).isEqualTo(Access.OK); // COW: writable again in p
        byte[] childWant = want.clone();
        System.arraycopy(mine, 0, want, 5 * PAGE, PAGE);
        assertThat(mm.madviseColdOrPageout(p, h + 3L * PAGE, PAGE, true)).isInstanceOf(MapResult.Mapped.class);
        assertThat(mm.madviseColdOrPageout(p, h + 400L * PAGE, PAGE, true)).isInstanceOf(MapResult.Mapped.class);
        assertThat(mm.madviseCollapse(p, h, HUGE)).isInstanceOf(MapResult.Mapped.class);
        assertThat(ownerAt(p, h).order()).isEqualTo(9);
        assertThat(read(p, h, (int) HUGE)).isEqualTo(want);
        assertThat(read(child, h, (int) HUGE)).as("the child keeps the pages it shared").isEqualTo(childWant);
        poke(p, h + 4L * PAGE, 0x5a);
        assertThat(peek(child, h + 4L * PAGE)).isEqualTo(childWant[4 * PAGE] & 0xff);
        machine.check();
    }

    @Test
    void madvCollapseFailsAsTheKernelSays() {
        mm.setTransparentHugepage(TransparentHugepage.NEVER);
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        assertThat(errno(mm.madviseCollapse(p, h, HUGE))).as("never faulted: no anon_vma").isEqualTo(Errno.EINVAL);
        writePages(p, h, 1, 0);
        assertThat(errno(mm.madviseCollapse(p, h + 8, HUGE))).as("misaligned").isEqualTo(Errno.EINVAL);
        Gup gup = machine.gup();
        Gup.Result pin = gup.pin(p, h, 1, true);
        assertThat(pin).isInstanceOf(Gup.Got.class);
        assertThat(errno(mm.madviseCollapse(p, h, HUGE))).as("a pinned page").isEqualTo(Errno.EAGAIN);
        gup.unpin(((Gup.Got) pin).pages());
        assertThat(mm.mprotect(p, h, HUGE, VmFlags.VM_READ)).isInstanceOf(MapResult.Mapped.class);
        assertThat(errno(mm.madviseCollapse(p, h, HUGE))).as("no writable PTE").isEqualTo(Errno.EINVAL);
        assertThat(mm.mprotect(p, h, HUGE, RW)).isInstanceOf(MapResult.Mapped.class);
        List<AnonFolio> hog = hog(9);
        machine.phys().setCompactionHook(null);
        assertThat(errno(mm.madviseCollapse(p, h, HUGE))).as("no order-9 block").isEqualTo(Errno.ENOMEM);
        assertThat(vm(VmItem.THP_COLLAPSE_ALLOC_FAILED)).isEqualTo(1);
        release(hog);
        assertThat(mm.munmap(p, h + HUGE, PAGE)).isInstanceOf(MapResult.Mapped.class);
        assertThat(errno(mm.madviseCollapse(p, h, HUGE + PAGE))).as("a hole, after the range before it collapsed")
                .isEqualTo(Errno.ENOMEM);
        assertThat(errno(mm.madviseCollapse(p, h, 2 * HUGE))).as("the VMA after the hole holds no aligned 2 MiB")
                .isEqualTo(Errno.EINVAL);
        assertThat(ownerAt(p, h).order()).isEqualTo(9);
        mm.madviseHugepage(p, h, HUGE, false).orThrow();
        assertThat(errno(mm.madviseCollapse(p, h, HUGE))).as("MADV_NOHUGEPAGE").isEqualTo(Errno.EINVAL);
        machine.check();
    }

    @Test
    void khugepagedCollapsesARangeAFaultCouldNotGetAHugePageFor() {
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        List<AnonFolio> hog = hog(9);
        byte[] want = writePages(p, h, 3, 0, 9, 10, 250);
        assertThat(ownerAt(p, h).order()).isZero();
        assertThat(mm.khugepaged().registered(p)).as("the PMD-sized fault registered it").isTrue();
        release(hog);
        machine.step(p, () -> { });
        assertThat(mm.khugepaged().task()).isNotNull();
        assertThat(ownerAt(p, h).order()).as("the first pass ran before this step").isEqualTo(9);
        assertThat(mm.khugepaged().pagesCollapsed()).isEqualTo(1);
        assertThat(mm.khugepaged().fullScans()).isEqualTo(1);
        assertThat(read(p, h, (int) HUGE)).isEqualTo(want);
        machine.check();
    }

    @Test
    void khugepagedHonoursMaxPtesNoneAndSleepsBetweenPasses() {
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        List<AnonFolio> hog = hog(9);
        writePages(p, h, 3, 0, 1);
        release(hog);
        mm.khugepaged().set(Khugepaged.Tunable.MAX_PTES_NONE, 509);
        machine.step(p, () -> { });
        assertThat(ownerAt(p, h).order()).as("510 none PTEs, 509 allowed").isZero();
        assertThat(vm(VmItem.THP_SCAN_EXCEED_NONE_PTE)).isEqualTo(1);
        mm.khugepaged().set(Khugepaged.Tunable.MAX_PTES_NONE, 510);
        machine.step(p, () -> machine.sim().sleepFor(5_000_000_000L));
        machine.step(p, () -> { });
        assertThat(ownerAt(p, h).order()).as("5 s later khugepaged still sleeps").isZero();
        machine.step(p, () -> machine.sim().sleepFor(6_000_000_000L));
        machine.step(p, () -> { });
        assertThat(ownerAt(p, h).order()).as("past scan_sleep_millisecs it scanned again").isEqualTo(9);
        assertThat(mm.khugepaged().fullScans()).isEqualTo(2);
        machine.check();
    }

    /**
     * khugepaged's sleep between passes is a timeout, not I/O: a run whose work is done does not
     * wait for it, so a scenario with THP always lasts as long as its work, not scan_sleep_millisecs
     * (10 s) longer, as it did when the sleep was an I/O timer that the end of a run drains.
     */
    @Test
    void aRunEndsWithItsWorkNotWithKhugepagedsNextWakeUp() throws java.io.IOException {
        org.pagelab.scenario.Scenario s = org.pagelab.scenario.Scenario.parse("thp.yaml",
                "machine: { memory: 128M, mode: metadata, transparent_hugepage: always }\n"
                + "files: [ { name: hot, size: 8M } ]\n"
                + "processes: [ { name: app, steps: [ { mmap: { name: heap, size: 16M, prot: rw } },"
                + " { touch: { region: heap, write: true } }, { file_read: { file: hot, offset: 0, length: 8M } },"
                + " { touch: { region: heap, pattern: zipf, alpha: 0.8, count: 2000 } } ] } ]\n");
        java.nio.file.Path wd = java.nio.file.Files.createDirectories(dir.resolve("thp-run"));
        try (org.pagelab.machine.Machine m = org.pagelab.machine.Machine.boot(
                s.sizing().physConfig(s.source(), s.memory(), 128L << 20, false), wd, s.simConfig(2))) {
            assertThat(org.pagelab.scenario.ScenarioRunner.run(m, s, 1, mark -> { })).isNull();
            assertThat(m.memory().khugepaged().get(Khugepaged.Tunable.SCAN_SLEEP_MILLISECS)).isEqualTo(10_000);
            assertThat(m.sim().elapsedNs()).as("simulated elapsed time of the run").isLessThan(1_000_000_000L);
        }
    }
}
