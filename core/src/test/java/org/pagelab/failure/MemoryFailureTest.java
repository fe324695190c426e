package org.pagelab.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FreeBlock;
import org.pagelab.desc.MemDesc;
import org.pagelab.desc.PageTablePage;
import org.pagelab.desc.SlabPage;
import org.pagelab.failure.MemoryFailure.Outcome;
import org.pagelab.failure.MemoryFailure.PageType;
import org.pagelab.filemap.Errno;
import org.pagelab.filemap.IoResult;
import org.pagelab.filemap.OpenFile;
import org.pagelab.machine.MachineTest;
import org.pagelab.memory.Access;
import org.pagelab.memory.Process;
import org.pagelab.pgtable.Pte;
import org.pagelab.phys.AllocRequest;
import org.pagelab.proc.Meminfo;
import org.pagelab.stat.VmItem;
import org.pagelab.swap.SwaponResult;
import org.pagelab.testing.Seeds;
import org.pagelab.vma.VmFlags;

/** memory_failure by page state, one test per row of its table, named for what it protects. */
class MemoryFailureTest extends MachineTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;

    private MemoryFailure mf;

    @BeforeEach
    void tools() {
        mf = machine.memoryFailure();
    }


    private long corruptedKb() {
        return new Meminfo(machine).fields().get("HardwareCorrupted");
    }

    private int pfnAt(Process p, long addr) {
        return Pte.pfn(p.pageTable().getPte(addr));
    }

    private <T extends MemDesc> T find(Class<T> kind) {
        var memmap = machine.phys().memmap();
        int p = 0;
        while (p < memmap.nrFrames()) {
            MemDesc d = memmap.raw(p);
            if (kind.isInstance(d)) {
                return kind.cast(d);
            }
            p = d.endPfn();
        }
        throw new AssertionError("no " + kind.getSimpleName());
    }

    @Test
    void aPoisonedFreeFrameIsTakenOffTheFreeListsAndNeverAllocated() {
        FreeBlock fb = find(FreeBlock.class);
        int pfn = fb.pfn() + fb.nrPages() / 2;
        long free = machine.phys().freePages();
        MemoryFailure.Result r = mf.memoryFailure(pfn);
        assertThat(r.type()).isEqualTo(PageType.BUDDY);
        assertThat(r.outcome()).isEqualTo(Outcome.RECOVERED);
        assertThat(machine.phys().freePages()).isEqualTo(free - 1);
        assertThat(corruptedKb()).isEqualTo(4);
        machine.check();
        java.util.List<Folio> all = new java.util.ArrayList<>();
        Folio f;
        while ((f = machine.phys().alloc(new AllocRequest(0, org.pagelab.phys.ZoneType.NORMAL, false, false,
                AllocRequest.Purpose.OTHER), PageCacheFolio::new)) != null) {
            assertThat(f.pfn()).as("the poisoned frame is never handed out").isNotEqualTo(pfn);
            all.add(f);
        }
        all.forEach(x -> {
            x.refSub(1);
            machine.phys().free(x);
        });
        assertThat(mf.unpoison(pfn)).isTrue();
        assertThat(machine.phys().freePages()).isEqualTo(free);
        assertThat(corruptedKb()).isZero();
    }

    private static byte[] randomHugePage(long seed) {
        byte[] data = new byte[2 << 20];
        new SplittableRandom(Seeds.derive(seed)).nextBytes(data);
        return data;
    }

    /** A 4 MiB private anonymous mapping with a transparent huge page written full of random bytes at its aligned 2 MiB. */
    private long writtenHugePage(Process p, byte[] data) {
        long a = mm.mmapAnon(p, 0, 4 << 20, RW, false).orThrow();
        long h = (a + (2 << 20) - 1) & -(2L << 20);
        assertThat(mm.write(p, h, data, 0, data.length)).isEqualTo(Access.OK);
        assertThat(machine.phys().memmap().raw(pfnAt(p, h)).order()).isEqualTo(9);
        return h;
    }

    @Test
    void aPoisonedPageOfAHugePageCostsThatPageAloneTheRestStayMappedWithTheirData() {
        Process p = mm.spawn("thp");
        byte[] data = randomHugePage(6);
        long h = writtenHugePage(p, data);
        int bad = 77;
        int head = pfnAt(p, h);
        MemoryFailure.Result r = mf.memoryFailure(head + bad);
        assertThat(r.type()).isEqualTo(PageType.DIRTY_LRU);
        assertThat(r.outcome()).isEqualTo(Outcome.RECOVERED);
        assertThat(machine.vmstat().get(VmItem.THP_SPLIT_PAGE)).isEqualTo(1);
        assertThat(new Meminfo(machine).fields().get("AnonHugePages")).isZero();
        assertThat(corruptedKb()).as("only the one page").isEqualTo(4);
        MemDesc poisoned = machine.phys().memmap().raw(head + bad);
        assertThat(poisoned.order()).isZero();
        assertThat(((Folio) poisoned).test(org.pagelab.desc.FolioFlags.Flag.HWPOISON)).isTrue();
        for (int k : new int[] {0, bad - 1, bad + 1, 511}) {
            Folio healthy = (Folio) machine.phys().memmap().raw(head + k);
            assertThat(healthy.order()).isZero();
            assertThat(healthy.test(org.pagelab.desc.FolioFlags.Flag.HWPOISON)).isFalse();
            assertThat(healthy.mapcount()).isEqualTo(1);
        }
        assertThat(p.rssAnon()).isEqualTo(511);
        machine.check();
        byte[] before = new byte[bad * 4096];
        byte[] after = new byte[(511 - bad) * 4096];
        assertThat(mm.read(p, h, before, 0, before.length)).isEqualTo(Access.OK);
        assertThat(mm.read(p, h + (bad + 1) * 4096L, after, 0, after.length)).isEqualTo(Access.OK);
        assertThat(before).isEqualTo(java.util.Arrays.copyOfRange(data, 0, bad * 4096));
        assertThat(after).isEqualTo(java.util.Arrays.copyOfRange(data, (bad + 1) * 4096, data.length));
        assertThat(mm.read(p, h + bad * 4096L, new byte[1], 0, 1)).isEqualTo(Access.SIGBUS);
    }

    @Test
    void aPinnedHugePageCannotBeSplitSoTheFailureIsIgnoredAndTheFolioStaysWhole() {
        Process p = mm.spawn("thp");
        byte[] data = randomHugePage(7);
        long h = writtenHugePage(p, data);
        var pinned = (org.pagelab.gup.Gup.Got) machine.gup().pin(p, h, 1, true);
        int head = pfnAt(p, h);
        MemoryFailure.Result r = mf.memoryFailure(head + 9);
        assertThat(r.type()).isEqualTo(PageType.UNSPLIT_THP);
        assertThat(r.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(r.logLine()).endsWith(": recovery action for unsplit thp: Ignored");
        assertThat(machine.vmstat().get(VmItem.THP_SPLIT_PAGE_FAILED)).isEqualTo(1);
        assertThat(machine.phys().memmap().raw(head + 9).order()).isEqualTo(9);
        assertThat(corruptedKb()).isEqualTo(4);
        byte[] back = new byte[data.length];
        assertThat(mm.read(p, h, back, 0, back.length)).isEqualTo(Access.OK);
        assertThat(back).isEqualTo(data);
        machine.gup().unpin(pinned.pages());
    }

    @Test
    void kernelPagesAreReportedAndIgnored() {
        Process p = mm.spawn("p"); // gives us page-table pages and slab pages
        mm.mmapAnon(p, 0, 4096, RW, false).orThrow();
        assertThat(mm.touch(p, mm.mmapAnon(p, 0, 4096, RW, false).orThrow(), true)).isEqualTo(Access.OK);
        MemoryFailure.Result slab = mf.memoryFailure(find(SlabPage.class).pfn());
        assertThat(slab.type()).isEqualTo(PageType.SLAB);
        assertThat(slab.outcome()).isEqualTo(Outcome.IGNORED);
        MemoryFailure.Result table = mf.memoryFailure(find(PageTablePage.class).pfn());
        assertThat(table.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(corruptedKb()).isEqualTo(8);
        assertThat(mm.events()).contains(slab.logLine());
        assertThat(slab.logLine()).startsWith("Memory failure: 0x").endsWith(": recovery action for kernel slab page: Ignored");
    }

    @Test
    void aCleanPageCachePageIsDroppedAndReadAgainWithoutASignal() throws IOException {
        byte[] content = new byte[16 * 4096];
        new SplittableRandom(Seeds.derive(1)).nextBytes(content);
        Files.write(dir.resolve("f"), content);
        OpenFile file = machine.vfs().open("f").orThrow();
        Process p = mm.spawn("reader");
        long a = mm.mmapFile(p, 0, content.length, VmFlags.VM_READ, false, false, file, 0).orThrow();
        byte[] b = new byte[1];
        assertThat(mm.read(p, a + 3 * 4096 + 5, b, 0, 1)).isEqualTo(Access.OK);
        MemoryFailure.Result r = mf.memoryFailure(pfnAt(p, a + 3 * 4096));
        assertThat(r.type()).isEqualTo(PageType.CLEAN_LRU);
        assertThat(r.outcome()).isEqualTo(Outcome.RECOVERED);
        machine.check();
        long majors = machine.vmstat().get(VmItem.PGMAJFAULT);
        assertThat(mm.read(p, a + 3 * 4096 + 5, b, 0, 1)).isEqualTo(Access.OK);
        assertThat(b[0]).isEqualTo(content[3 * 4096 + 5]);
        assertThat(machine.vmstat().get(VmItem.PGMAJFAULT)).as("read again from the file").isEqualTo(majors + 1);
        assertThat(p.alive()).isTrue();
        machine.vfs().close(file);
    }

    @Test
    void aDirtyPageCachePageLosesItsDataFsyncReportsEioAndMappersGetSigbus() throws IOException {
        Files.write(dir.resolve("f"), new byte[8 * 4096]);
        OpenFile file = machine.vfs().open("f").orThrow();
        Process p = mm.spawn("writer");
        long a = mm.mmapFile(p, 0, 8 * 4096, RW, true, false, file, 0).orThrow();
        assertThat(mm.write(p, a + 4096, new byte[] {7}, 0, 1)).isEqualTo(Access.OK);
        MemoryFailure.Result r = mf.memoryFailure(pfnAt(p, a + 4096));
        assertThat(r.type()).isEqualTo(PageType.DIRTY_LRU);
        assertThat(r.outcome()).isEqualTo(Outcome.RECOVERED);
        IoResult sync = machine.vfs().fsync(file);
        assertThat(sync).isInstanceOf(IoResult.Failed.class);
        assertThat(((IoResult.Failed) sync).errno()).isEqualTo(Errno.EIO);
        assertThat(mm.read(p, a + 4096, new byte[1], 0, 1)).isEqualTo(Access.SIGBUS);
        assertThat(p.signal()).isEqualTo("SIGBUS");
        machine.vfs().close(file);
    }

    @Test
    void aPoisonedAnonPageRaisesSigbusOnAccessAndTheRestOfTheProcessIsIntact() {
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, 4 * 4096, RW, false).orThrow();
        for (int i = 0; i < 4; i++) {
            assertThat(mm.write(p, a + i * 4096L, new byte[] {(byte) (i + 1)}, 0, 1)).isEqualTo(Access.OK);
        }
        int pfn = pfnAt(p, a + 2 * 4096);
        MemoryFailure.Result r = mf.memoryFailure(pfn);
        assertThat(r.type()).isEqualTo(PageType.DIRTY_LRU);
        assertThat(r.outcome()).isEqualTo(Outcome.RECOVERED);
        assertThat(Pte.isPoison(p.pageTable().getPte(a + 2 * 4096))).isTrue();
        assertThat(p.alive()).as("late kill: nothing until the page is touched").isTrue();
        byte[] b = new byte[1];
        assertThat(mm.read(p, a + 3 * 4096, b, 0, 1)).isEqualTo(Access.OK);
        assertThat(b[0]).isEqualTo((byte) 4);
        assertThat(mm.read(p, a + 2 * 4096, b, 0, 1)).isEqualTo(Access.SIGBUS);
        machine.check();
        assertThat(p.alive()).isFalse();
        assertThat(machine.phys().memmap().raw(pfn)).as("the poisoned frame does not come back after exit")
                .isInstanceOf(Folio.class);
        assertThat(mf.poisonedFolios()).containsExactly(pfn);
    }

    @Test
    void withEarlyKillTheMappersAreSignalledAtOnce() {
        mf.setEarlyKill(true);
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, 4096, RW, false).orThrow();
        assertThat(mm.write(p, a, new byte[] {1}, 0, 1)).isEqualTo(Access.OK);
        Process c = mm.fork(p);
        mf.memoryFailure(pfnAt(p, a));
        assertThat(p.alive()).isFalse();
        assertThat(c.alive()).isFalse();
        assertThat(c.signal()).startsWith("SIGBUS");
    }

    @Test
    void aCleanSwapCachePageIsDroppedAndReadBackFromSwap() {
        assertThat(machine.swap().swapon("swapfile", 4096, null)).isInstanceOf(SwaponResult.Ok.class);
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, 4096, RW, false).orThrow();
        assertThat(mm.write(p, a, new byte[] {42}, 0, 1)).isEqualTo(Access.OK);
        int pfn = pfnAt(p, a);
        mm.madviseColdOrPageout(p, a, 4096, true); // written to swap, still in the swap cache
        MemoryFailure.Result r = mf.memoryFailure(pfn);
        assertThat(r.type()).isEqualTo(PageType.CLEAN_SWAPCACHE);
        assertThat(r.outcome()).isEqualTo(Outcome.RECOVERED);
        machine.check();
        byte[] b = new byte[1];
        assertThat(mm.read(p, a, b, 0, 1)).isEqualTo(Access.OK);
        assertThat(b[0]).isEqualTo((byte) 42);
        assertThat(machine.vmstat().get(VmItem.PSWPIN)).isEqualTo(1);
    }

    @Test
    void aDirtySwapCachePageIsDelayedAndItsNextFaultGetsSigbus() {
        assertThat(machine.swap().swapon("swapfile", 4096, null)).isInstanceOf(SwaponResult.Ok.class);
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, 4096, RW, false).orThrow();
        assertThat(mm.write(p, a, new byte[] {42}, 0, 1)).isEqualTo(Access.OK);
        int pfn = pfnAt(p, a);
        mm.madviseColdOrPageout(p, a, 4096, true);
        Folio f = (Folio) machine.phys().memmap().raw(pfn);
        machine.swap().markDirtyInCache(f); // as if written again before its write-out
        MemoryFailure.Result r = mf.memoryFailure(pfn);
        assertThat(r.type()).isEqualTo(PageType.DIRTY_SWAPCACHE);
        assertThat(r.outcome()).isEqualTo(Outcome.DELAYED);
        assertThat(mm.read(p, a, new byte[1], 0, 1)).isEqualTo(Access.SIGBUS);
    }

    @Test
    void aPoisonedShmemPageStaysPoisonedAndEveryMapperGetsSigbus() {
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, 2 * 4096, RW, true, false).orThrow();
        assertThat(mm.write(p, a, new byte[] {1}, 0, 1)).isEqualTo(Access.OK);
        Process c = mm.fork(p);
        MemoryFailure.Result r = mf.memoryFailure(pfnAt(p, a));
        assertThat(r.outcome()).isEqualTo(Outcome.RECOVERED);
        assertThat(mm.read(c, a, new byte[1], 0, 1)).isEqualTo(Access.SIGBUS);
        assertThat(mm.read(p, a, new byte[1], 0, 1)).isEqualTo(Access.SIGBUS);
    }

    @Test
    void poisoningTwiceIsReportedAsAlreadyPoisoned() {
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, 4096, RW, false).orThrow();
        assertThat(mm.write(p, a, new byte[] {1}, 0, 1)).isEqualTo(Access.OK);
        int pfn = pfnAt(p, a);
        mf.memoryFailure(pfn);
        MemoryFailure.Result again = mf.memoryFailure(pfn);
        assertThat(again.type()).isEqualTo(PageType.ALREADY_POISONED);
        assertThat(corruptedKb()).isEqualTo(4);
    }

    @Test
    void madvHwpoisonPoisonsThePageAtAnAddressAndUnpoisonReturnsItOnceUnused() {
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, 4096, RW, false).orThrow();
        assertThat(mm.write(p, a, new byte[] {1}, 0, 1)).isEqualTo(Access.OK);
        int pfn = pfnAt(p, a);
        MemoryFailure.Result r = mf.injectAt(p, a);
        assertThat(r.pfn()).isEqualTo(pfn);
        assertThat(mf.unpoison(pfn)).as("unmapped already: the folio is only held by memory-failure").isTrue();
        assertThat(corruptedKb()).isZero();
        assertThat(mf.injectAt(p, 0x1000)).as("no mapping there").isNull();
    }
}
