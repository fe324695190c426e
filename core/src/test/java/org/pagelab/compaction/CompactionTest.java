package org.pagelab.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pagelab.desc.MemDesc;
import org.pagelab.machine.MachineTest;
import org.pagelab.memory.Access;
import org.pagelab.memory.Process;
import org.pagelab.memory.ThpDefrag;
import org.pagelab.memory.TransparentHugepage;
import org.pagelab.phys.CompactResult;
import org.pagelab.phys.Zone;
import org.pagelab.phys.ZoneType;
import org.pagelab.pgtable.Pte;
import org.pagelab.proc.ProcFs;
import org.pagelab.stat.VmItem;
import org.pagelab.vma.VmFlags;

/**
 * Zone compaction: a machine whose free memory is scattered in single pages cannot give a huge
 * page from its free lists; direct compaction (defrag), kcompactd (defer) and compact_memory each
 * gather it into order-9 blocks, moving the pages in use without changing a byte of them.
 */
class CompactionTest extends MachineTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final int PAGE = 4096;
    private static final long HUGE = 2L << 20;

    private Process filler;
    private long fillBase;
    private int fillPages;

    /**
     * Fills memory with order-0 anonymous pages until about {@code leftFree} pages are free, each
     * page holding its own byte, then frees every other one: the free memory is then mostly single
     * pages between pages in use.
     */
    private void fragment(long leftFree) {
        fill(leftFree);
        for (int i = 1; i < fillPages; i += 2) {
            mm.madviseDontneed(filler, fillBase + (long) i * PAGE, PAGE).orThrow();
        }
    }

    /** Fills memory with order-0 anonymous pages, each holding its own byte, until about {@code leftFree} pages are free. */
    private void fill(long leftFree) {
        mm.setTransparentHugepage(TransparentHugepage.NEVER);
        filler = mm.spawn("filler");
        fillPages = (int) (machine.phys().freePages() - leftFree);
        fillBase = mm.mmapAnon(filler, 0, (long) fillPages * PAGE, RW, false).orThrow();
        for (int i = 0; i < fillPages; i++) {
            poke(filler, fillBase + (long) i * PAGE, byteOf(i));
        }
        mm.setTransparentHugepage(TransparentHugepage.ALWAYS);
    }

    private static int byteOf(int i) {
        return (byte) (i * 31 + 7);
    }

    /** Every page the filler kept (every other one, or all of them after {@link #fill} alone) still holds its byte. */
    private void checkFiller() {
        for (int i = 0; i < fillPages; i += 2) {
            assertThat(peek(filler, fillBase + (long) i * PAGE)).as("filler page " + i).isEqualTo(byteOf(i));
        }
    }

    private long freeBlocksOfAtLeast(int order) {
        long n = 0;
        for (Zone z : machine.phys().zones()) {
            for (int o = order; o <= MemDesc.MAX_ORDER; o++) {
                n += z.nrFree(o);
            }
        }
        return n;
    }

    /** A THP fault in a fresh 2 MiB-aligned range (marked MADV_HUGEPAGE when {@code madvise}); returns the order it got. */
    private int thpFault(Process p, boolean madvise) {
        long a = (mm.mmapAnon(p, 0, 2 * HUGE, RW, false).orThrow() + HUGE - 1) & -HUGE;
        if (madvise) {
            mm.madviseHugepage(p, a, HUGE, true).orThrow();
        }
        assertThat(mm.write(p, a, new byte[] {1}, 0, 1)).isEqualTo(Access.OK);
        return machine.phys().memmap().raw(Pte.pfn(p.pageTable().getPte(a))).order();
    }

    @Test
    void fragmentedMemoryDefeatsAHugePageUntilDirectCompactionGathersABlock() {
        fragment(400);
        assertThat(freeBlocksOfAtLeast(9)).as("no huge block free").isZero();
        Process p = mm.spawn("p");
        mm.setThpDefrag(ThpDefrag.NEVER);
        assertThat(thpFault(p, true)).isZero();
        assertThat(vm(VmItem.THP_FAULT_FALLBACK)).isEqualTo(1);
        assertThat(vm(VmItem.COMPACT_STALL)).isZero();
        mm.setThpDefrag(ThpDefrag.MADVISE);
        assertThat(thpFault(p, false)).as("madvise: an unmarked VMA does not compact").isZero();
        assertThat(vm(VmItem.COMPACT_STALL)).isZero();
        assertThat(thpFault(p, true)).as("madvise: a MADV_HUGEPAGE VMA compacts directly").isEqualTo(9);
        assertThat(vm(VmItem.THP_FAULT_ALLOC)).isEqualTo(1);
        assertThat(vm(VmItem.COMPACT_STALL)).isPositive();
        assertThat(vm(VmItem.COMPACT_SUCCESS)).isEqualTo(1);
        assertThat(vm(VmItem.COMPACT_MIGRATE_SCANNED)).isPositive();
        assertThat(vm(VmItem.COMPACT_FREE_SCANNED)).isPositive();
        assertThat(vm(VmItem.PGMIGRATE_SUCCESS)).isPositive();
        assertThat(vm(VmItem.COMPACT_ISOLATED)).isGreaterThanOrEqualTo(2 * vm(VmItem.PGMIGRATE_SUCCESS));
        machine.check();
        checkFiller();
    }

    @Test
    void deferWakesKcompactdThroughKswapdAndTheNextFaultGetsAHugePage() {
        fragment(400);
        Process p = mm.spawn("p");
        mm.setThpDefrag(ThpDefrag.DEFER);
        assertThat(thpFault(p, true)).as("defer falls back at once").isZero();
        assertThat(vm(VmItem.COMPACT_STALL)).isZero();
        machine.runKswapd();
        assertThat(machine.kcompactd().pending()).as("kswapd's run ended and woke kcompactd").isTrue();
        machine.runKcompactd();
        assertThat(vm(VmItem.COMPACT_DAEMON_WAKE)).isEqualTo(1);
        assertThat(vm(VmItem.COMPACT_DAEMON_MIGRATE_SCANNED)).isPositive();
        assertThat(vm(VmItem.COMPACT_DAEMON_FREE_SCANNED)).isPositive();
        assertThat(vm(VmItem.COMPACT_MIGRATE_SCANNED)).isGreaterThanOrEqualTo(vm(VmItem.COMPACT_DAEMON_MIGRATE_SCANNED));
        assertThat(freeBlocksOfAtLeast(9)).isPositive();
        assertThat(thpFault(p, true)).isEqualTo(9);
        assertThat(vm(VmItem.COMPACT_STALL)).as("no direct compaction").isZero();
        machine.check();
        checkFiller();
    }

    @Test
    void compactMemoryEmptiesTheBottomOfEachZoneAndTheIndexesShowIt() {
        fragment(400);
        Zone normal = machine.phys().zone(ZoneType.NORMAL);
        assertThat(Compaction.fragmentationIndex(normal, 9)).as("fragmentation, not lack of memory")
                .isGreaterThan(Compaction.EXTFRAG_THRESHOLD);
        assertThat(Compaction.suitable(normal, 9, ZoneType.NORMAL)).isEqualTo(CompactResult.CONTINUE);
        int unusableBefore = Compaction.unusableIndex(normal, 9);
        ProcFs proc = new ProcFs(machine);
        String before = proc.read("/sys/kernel/debug/extfrag/extfrag_index");
        machine.compaction().compactNode();
        assertThat(freeBlocksOfAtLeast(9)).isPositive();
        assertThat(Compaction.fragmentationIndex(normal, 9)).isEqualTo(-1000);
        assertThat(Compaction.unusableIndex(normal, 9)).isLessThan(unusableBefore);
        assertThat(Compaction.suitable(normal, 9, ZoneType.NORMAL)).isEqualTo(CompactResult.SUCCESS);
        String after = proc.read("/sys/kernel/debug/extfrag/extfrag_index");
        assertThat(before).contains("Node 0, zone   Normal ");
        assertThat(after).contains("-1.000");
        assertThat(after.lines().filter(l -> l.contains("Normal")).findFirst().orElseThrow().trim().split(" +"))
                .hasSize(4 + MemDesc.MAX_ORDER + 1);
        assertThat(proc.read("/sys/kernel/debug/extfrag/unusable_index")).contains("zone   Normal 0.000 ");
        assertThat(vm(VmItem.COMPACT_STALL)).as("not a stall").isZero();
        machine.check();
        checkFiller();
        Process p = mm.spawn("p");
        mm.setThpDefrag(ThpDefrag.NEVER);
        assertThat(thpFault(p, false)).as("the free lists have a huge block now").isEqualTo(9);
    }

    @Test
    void aZoneShortOfMemoryIsSkippedNotCompacted() {
        Zone normal = machine.phys().zone(ZoneType.NORMAL);
        assertThat(Compaction.suitable(normal, 9, ZoneType.NORMAL)).as("a fresh machine has huge blocks")
                .isEqualTo(CompactResult.SUCCESS);
        fill(400);
        assertThat(Compaction.suitable(normal, 9, ZoneType.NORMAL)).as("a few hundred pages free: reclaim first")
                .isEqualTo(CompactResult.SKIPPED);
        for (int i = 0; i < fillPages; i++) {
            mm.madviseDontneed(filler, fillBase + (long) i * PAGE, PAGE).orThrow(); // free the rest: lots free again
        }
        assertThat(Compaction.suitable(normal, 9, ZoneType.NORMAL)).isEqualTo(CompactResult.SUCCESS);
    }

    /**
     * __alloc_pages_slowpath for a costly order: with too little free memory compaction is
     * skipped; under defrag always a VMA without MADV_HUGEPAGE asks with __GFP_NORETRY and gives
     * up there, while a MADV_HUGEPAGE one goes on to one round of direct reclaim (and compacts
     * once more), never looping.
     */
    @Test
    void aSkippedCompactionEndsANoretryRequestButAMadvisedOneReclaimsOnce() {
        fill(400);
        Process p = mm.spawn("p");
        mm.setThpDefrag(ThpDefrag.ALWAYS);
        long stalls = vm(VmItem.ALLOCSTALL_MOVABLE);
        assertThat(thpFault(p, false)).isZero();
        assertThat(vm(VmItem.ALLOCSTALL_MOVABLE)).as("NORETRY: no direct reclaim after a skipped compaction")
                .isEqualTo(stalls);
        assertThat(vm(VmItem.COMPACT_STALL)).as("skipped: not a stall").isZero();
        assertThat(thpFault(p, true)).isZero();
        assertThat(vm(VmItem.ALLOCSTALL_MOVABLE)).as("MADV_HUGEPAGE: one round of direct reclaim, no loop")
                .isEqualTo(stalls + 1);
        assertThat(vm(VmItem.THP_FAULT_FALLBACK)).isEqualTo(2);
        machine.check();
        checkFiller();
    }

    @Test
    void deferralSkipsTwoToTheShiftRequestsAfterEachFailure() {
        Compaction c = machine.compaction();
        Zone z = machine.phys().zone(ZoneType.NORMAL);
        assertThat(c.deferred(z, 9)).as("nothing failed yet").isFalse();
        c.deferReset(z, 9, false); // a success for order 9: compact_order_failed is 10
        c.defer(z, 9);
        assertThat(c.deferShift(z)).isEqualTo(1);
        assertThat(c.deferred(z, 4)).as("orders below the failed one are not deferred").isFalse();
        assertThat(c.deferred(z, 9)).isTrue();
        assertThat(c.deferred(z, 9)).as("the second request after one failure runs").isFalse();
        c.defer(z, 9);
        c.defer(z, 9);
        assertThat(c.deferShift(z)).isEqualTo(3);
        int skipped = 0;
        while (c.deferred(z, 9)) {
            skipped++;
        }
        assertThat(skipped).isEqualTo((1 << 3) - 1);
        for (int i = 0; i < 10; i++) {
            c.defer(z, 9);
        }
        assertThat(c.deferShift(z)).isEqualTo(Compaction.COMPACT_MAX_DEFER_SHIFT);
        c.deferReset(z, 9, true);
        assertThat(c.deferShift(z)).isZero();
        assertThat(c.deferred(z, 9)).isFalse();
        assertThat(c.deferred(z, 10)).isFalse();
    }
}
