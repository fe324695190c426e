package org.pagelab.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.filemap.AddressSpace;
import org.pagelab.filemap.OpenFile;
import org.pagelab.gup.Gup;
import org.pagelab.machine.MachineTest;
import org.pagelab.memory.Access;
import org.pagelab.memory.Process;
import org.pagelab.memory.TransparentHugepage;
import org.pagelab.pgtable.Pte;
import org.pagelab.stat.VmItem;
import org.pagelab.swap.SwaponResult;
import org.pagelab.vma.VmFlags;

/**
 * Page migration of every movable kind (anonymous, shared after fork, page cache dirty and
 * mapped, shmem, swap cache, a huge page): the bytes, flags, cache slot, mappings with their
 * bits, charge and LRU list survive the move to other frames, and pinned folios are refused.
 * The machine checkers run after each test.
 */
class MigrateTest extends MachineTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final int PAGE = 4096;

    private Migrate migrate() {
        return machine.compaction().migrate();
    }

    private Folio folioAt(Process p, long addr) {
        long pte = p.pageTable().getPte(addr);
        assertThat(Pte.isPresent(pte)).as("present at " + Long.toHexString(addr)).isTrue();
        return (Folio) machine.phys().memmap().raw(Pte.pfn(pte));
    }

    private byte[] read(Process p, long addr, int len) {
        byte[] b = new byte[len];
        assertThat(mm.read(p, addr, b, 0, len)).isEqualTo(Access.OK);
        return b;
    }

    /** The PTE bits a migration must keep: all but the frame. */
    private static long bitsOf(long pte) {
        return pte & ~Pte.PFN_MASK;
    }

    /** Migrates {@code f} and checks the identity the new folio must have taken over; returns it. */
    private Folio migrateAndCompare(Process p, long addr) {
        Folio f = folioAt(p, addr);
        int k = (int) (Pte.pfn(p.pageTable().getPte(addr)) - f.pfn());
        long pteBefore = p.pageTable().getPte(addr);
        int flags = f.flagWord();
        int ref = f.refcount();
        int map = f.mapcount();
        int memcg = f.memcgId();
        var mapping = f.mapping();
        long index = f.index();
        var lru = org.pagelab.lruvec.LruVec.folioLru(f);
        boolean exclusive = f instanceof AnonFolio af && af.pageExclusive(k);
        long success = vm(VmItem.PGMIGRATE_SUCCESS);
        long free = vm(VmItem.NR_FREE_PAGES);
        assertThat(migrate().migrate(f)).isEqualTo(Migrate.Outcome.SUCCESS);
        assertThat(f.isDead()).as("the old frames are free").isTrue();
        Folio g = folioAt(p, addr);
        assertThat(g).isNotSameAs(f);
        assertThat(g.getClass()).isEqualTo(f.getClass());
        assertThat(g.pfn()).isNotEqualTo(f.pfn());
        long pteAfter = p.pageTable().getPte(addr);
        assertThat(Pte.pfn(pteAfter)).isEqualTo(g.pfn() + k);
        assertThat(bitsOf(pteAfter)).as("write, user, young, dirty, nx kept").isEqualTo(bitsOf(pteBefore));
        assertThat(FolioFlags.flagBits(g.flagWord()) & ~Flag.LRU.bit())
                .isEqualTo(FolioFlags.flagBits(flags) & ~Flag.LRU.bit());
        assertThat(g.test(Flag.LRU)).isTrue();
        assertThat(org.pagelab.lruvec.LruVec.folioLru(g)).isEqualTo(lru);
        assertThat(g.refcount()).isEqualTo(ref);
        assertThat(g.mapcount()).isEqualTo(map);
        assertThat(g.memcgId()).isEqualTo(memcg);
        assertThat(g.mapping()).isSameAs(mapping);
        assertThat(g.index()).isEqualTo(index);
        assertThat(g instanceof AnonFolio ag && ag.pageExclusive(k)).as("PageAnonExclusive kept").isEqualTo(exclusive);
        if (mapping instanceof AddressSpace<?> as) {
            assertThat(as.lookup(index)).as("the cache slot holds the new folio").isSameAs(g);
        }
        assertThat(vm(VmItem.PGMIGRATE_SUCCESS)).isEqualTo(success + f.nrPages());
        assertThat(vm(VmItem.NR_FREE_PAGES)).as("one block taken, one freed").isEqualTo(free);
        machine.check();
        return g;
    }

    @Test
    void anAnonymousPageSharedAfterForkMovesForBothProcessesByteForByte() {
        mm.setTransparentHugepage(TransparentHugepage.NEVER);
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, 8 * PAGE, RW, false).orThrow();
        byte[] data = random(1, 8 * PAGE);
        assertThat(mm.write(p, a, data, 0, data.length)).isEqualTo(Access.OK);
        Process c = mm.fork(p);
        poke(c, a, 7); // the child's COW copy of page 0; pages 1..7 stay shared
        for (int i = 0; i < 8; i++) {
            Folio g = migrateAndCompare(p, a + (long) i * PAGE);
            if (i > 0) {
                assertThat(folioAt(c, a + (long) i * PAGE)).as("the child's PTE follows").isSameAs(g);
                assertThat(((AnonFolio) g).pageExclusive(0)).as("shared pages stay shared").isFalse();
            }
        }
        assertThat(read(p, a, 8 * PAGE)).isEqualTo(data);
        byte[] child = data.clone();
        child[0] = 7;
        assertThat(read(c, a, 8 * PAGE)).isEqualTo(child);
        poke(p, a + PAGE, 9); // a write to a moved shared page still copies on write
        assertThat(peek(c, a + PAGE)).isEqualTo(data[PAGE]);
        assertThat(p.rssAnon()).isEqualTo(8);
    }

    @Test
    void aDirtyMappedPageCachePageMovesWithItsDirtyMarkAndReachesTheFile() {
        OpenFile f = machine.vfs().create("data", 0).orThrow();
        byte[] data = random(2, 4 * PAGE);
        machine.vfs().pwrite(f, 0, data, 0, data.length).orThrow();
        machine.vfs().fsync(f).orThrow();
        Process p = mm.spawn("p");
        long a = mm.mmapFile(p, 0, 4 * PAGE, RW, true, false, f, 0).orThrow();
        byte[] more = random(3, 100);
        assertThat(mm.write(p, a + PAGE + 10, more, 0, more.length)).isEqualTo(Access.OK);
        System.arraycopy(more, 0, data, PAGE + 10, more.length);
        long dirty = vm(VmItem.NR_DIRTY);
        Folio g = migrateAndCompare(p, a + PAGE);
        assertThat(g).isInstanceOf(FileFolio.class);
        assertThat(g.test(Flag.DIRTY) || Pte.dirty(p.pageTable().getPte(a + PAGE))).isTrue();
        assertThat(vm(VmItem.NR_DIRTY)).isEqualTo(dirty);
        machine.vfs().fsync(f).orThrow();
        byte[] back = new byte[data.length];
        machine.vfs().pread(f, 0, back, 0, back.length).orThrow();
        assertThat(back).isEqualTo(data);
        mm.exit(p);
        machine.vfs().close(f).orThrow();
    }

    @Test
    void aSharedAnonymousShmemPageMovesForEveryMapper() {
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, 2 * PAGE, RW, true, false).orThrow();
        byte[] data = random(4, 2 * PAGE);
        assertThat(mm.write(p, a, data, 0, data.length)).isEqualTo(Access.OK);
        Process c = mm.fork(p);
        assertThat(read(c, a, 2 * PAGE)).isEqualTo(data);
        Folio g = migrateAndCompare(p, a + PAGE);
        assertThat(g.test(Flag.SWAPBACKED)).isTrue();
        assertThat(folioAt(c, a + PAGE)).isSameAs(g);
        poke(c, a + PAGE + 1, 5);
        data[PAGE + 1] = 5;
        assertThat(read(p, a, 2 * PAGE)).as("shared: the parent sees the child's write").isEqualTo(data);
    }

    @Test
    void aSwapCachePageMovesWithItsSwapSlot() {
        assertThat(machine.swap().swapon("swapfile", 4096, null)).isInstanceOf(SwaponResult.Ok.class);
        mm.setTransparentHugepage(TransparentHugepage.NEVER);
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, 4 * PAGE, RW, false).orThrow();
        byte[] data = random(5, 4 * PAGE);
        assertThat(mm.write(p, a, data, 0, data.length)).isEqualTo(Access.OK);
        mm.madviseColdOrPageout(p, a, 4 * PAGE, true).orThrow();
        machine.sim().drainTimers();
        Process c = mm.fork(p); // the swap entries are shared: a swap-in keeps the folio in the swap cache
        assertThat(read(p, a, 4 * PAGE)).isEqualTo(data);
        Folio f = folioAt(p, a + 2 * PAGE);
        assertThat(f.test(Flag.SWAPCACHE)).as("still in the swap cache").isTrue();
        var entry = machine.swap().entryOf(f);
        Folio g = migrateAndCompare(p, a + 2 * PAGE);
        assertThat(g.test(Flag.SWAPCACHE)).isTrue();
        assertThat(machine.swap().lookup(entry)).isSameAs(g);
        assertThat(read(c, a, 4 * PAGE)).as("the child swaps in the moved page").isEqualTo(data);
    }

    @Test
    void aHugePageMovesWholeAndCountsAThpMigration() {
        Process p = mm.spawn("p");
        long huge = 2L << 20;
        long a = (mm.mmapAnon(p, 0, 2 * huge, RW, false).orThrow() + huge - 1) & -huge;
        byte[] data = random(6, (int) huge);
        assertThat(mm.write(p, a, data, 0, data.length)).isEqualTo(Access.OK);
        assertThat(folioAt(p, a).order()).isEqualTo(9);
        Folio g = migrateAndCompare(p, a + 77 * PAGE);
        assertThat(g.order()).isEqualTo(9);
        assertThat(folioAt(p, a + huge - PAGE)).isSameAs(g);
        assertThat(vm(VmItem.THP_MIGRATION_SUCCESS)).isEqualTo(1);
        assertThat(read(p, a, (int) huge)).isEqualTo(data);
    }

    @Test
    void aPinnedPageIsRefusedAndLeftWhereItWas() {
        mm.setTransparentHugepage(TransparentHugepage.NEVER);
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, PAGE, RW, false).orThrow();
        poke(p, a, 3);
        var got = (Gup.Got) machine.gup().pin(p, a, 1, true);
        Folio f = folioAt(p, a);
        assertThat(migrate().migrate(f)).isEqualTo(Migrate.Outcome.BUSY);
        assertThat(vm(VmItem.PGMIGRATE_FAIL)).isEqualTo(1);
        assertThat(folioAt(p, a)).isSameAs(f);
        assertThat(f.test(Flag.LRU)).as("put back on its list").isTrue();
        machine.check();
        machine.gup().unpin(got.pages());
        assertThat(migrate().migrate(f)).isEqualTo(Migrate.Outcome.SUCCESS);
        assertThat(peek(p, a)).isEqualTo(3);
    }

    @Test
    void migrationEntriesKeepThePteBitsAndNameTheFrame() {
        long pte = Pte.mkNoExecute(Pte.mkDirty(Pte.present(1234, true, true)));
        long m = Pte.migration(pte);
        assertThat(Pte.isMigration(m)).isTrue();
        assertThat(Pte.isPresent(m) || Pte.isSwap(m) || Pte.isPoison(m)).isFalse();
        assertThat(Pte.isValid(m)).isTrue();
        assertThat(Pte.migrationPfn(m)).isEqualTo(1234);
        assertThat(Pte.fromMigration(m, 99)).isEqualTo(Pte.mkNoExecute(Pte.mkDirty(Pte.present(99, true, true))));
        long old = Pte.mkOld(Pte.present(5, false, false));
        assertThat(Pte.fromMigration(Pte.migration(old), 6)).isEqualTo(Pte.mkOld(Pte.present(6, false, false)));
    }
}
