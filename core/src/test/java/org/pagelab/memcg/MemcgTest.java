package org.pagelab.memcg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.pagelab.desc.Folio;
import org.pagelab.desc.Shadow;
import org.pagelab.filemap.OpenFile;
import org.pagelab.machine.Machine;
import org.pagelab.machine.MachineTest;
import org.pagelab.memory.Access;
import org.pagelab.memory.Process;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.sim.StallKind;
import org.pagelab.swap.SwaponResult;
import org.pagelab.vma.VmFlags;
import org.pagelab.workingset.ShadowWord;

/** Memory cgroups on a whole machine: who is charged, what each limit does, protection, removal. */
class MemcgTest extends MachineTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final int PAGE = 4096;
    private static final long BASE = 0x10000000L;

    private MemoryCgroups cg() {
        return machine.memcg();
    }

    private Process spawnIn(String path, String name) {
        Process p = mm.spawn(name);
        cg().attach(p, path);
        return p;
    }

    private void fill(Process p, long pages, int value) {
        mm.mmapAnon(p, BASE, pages * PAGE, RW, true).orThrow();
        byte[] page = new byte[PAGE];
        Arrays.fill(page, (byte) value);
        for (long i = 0; i < pages && p.alive(); i++) {
            mm.write(p, BASE + i * PAGE, page, 0, PAGE);
        }
    }

    private void swapon(long bytes) {
        assertThat(machine.swap().swapon("swapfile", bytes / PAGE, null)).isInstanceOf(SwaponResult.Ok.class);
    }

    /** Reads all of file {@code name} ({@code pages} long) as a step of {@code p}, so the reader is current. */
    private OpenFile readAs(Process p, String name, long pages) {
        OpenFile f = machine.vfs().lookup(name) == null ? machine.vfs().create(name, pages * PAGE).orThrow()
                : machine.vfs().open(name).orThrow();
        machine.step(p, () -> machine.vfs().pread(f, 0, new byte[(int) (pages * PAGE)], 0, (int) (pages * PAGE)));
        return f;
    }

    @Test
    void anonPagesAreChargedToTheFaultingProcessesCgroupAndUnchargedAtExit() {
        MemCgroup a = cg().create("/a");
        Process p = spawnIn("/a", "p");
        fill(p, 256, 7);
        assertThat(a.usagePages()).isEqualTo(256 + a.pagetablePages + a.slabPages);
        assertThat(a.slabPages).as("the VMA and anon_vma objects, SLAB_ACCOUNT").isPositive();
        assertThat(a.pagetablePages).as("the PTE table and the levels above it that the fault made").isPositive();
        assertThat(cg().root().usagePages()).as("the root counts its children").isGreaterThanOrEqualTo(a.usagePages());
        assertThat(MemcgFiles.stat(cg(), a).get("anon")).isEqualTo(256L * PAGE);
        mm.exit(p);
        assertThat(a.usagePages()).isZero();
    }

    @Test
    void aPageCacheChargeStaysWithTheCgroupThatReadItFirst() {
        MemCgroup a = cg().create("/a");
        MemCgroup b = cg().create("/b");
        Process pa = spawnIn("/a", "reader-a");
        Process pb = spawnIn("/b", "reader-b");
        readAs(pa, "shared", 512);
        long aFile = MemcgFiles.stat(cg(), a).get("file");
        assertThat(aFile).isEqualTo(512L * PAGE);
        readAs(pb, "shared", 512);
        assertThat(MemcgFiles.stat(cg(), b).get("file")).as("the second reader finds the pages cached").isZero();
        assertThat(MemcgFiles.stat(cg(), a).get("file")).isEqualTo(aFile);
    }

    @Test
    void memoryMaxReclaimsOnlyInsideItsCgroupAndLosesNoByte() {
        swapon(64L << 20);
        Process bystander = mm.spawn("bystander");
        fill(bystander, 512, 3);
        MemCgroup a = cg().create("/a");
        cg().set(a, MemoryCgroups.Knob.MAX, 512);
        Process p = spawnIn("/a", "p");
        fill(p, 1536, 9);
        assertThat(a.usagePages()).isLessThanOrEqualTo(512);
        assertThat(a.swapPages()).isGreaterThanOrEqualTo(1536 - 512);
        assertThat(a.events(MemcgEvent.MAX)).isPositive();
        assertThat(bystander.rssAnon()).as("nothing reclaimed outside /a").isEqualTo(512);
        assertThat(bystander.swapEnts()).isZero();
        byte[] got = new byte[PAGE];
        for (long i = 0; i < 1536; i += 97) {
            assertThat(mm.read(p, BASE + i * PAGE, got, 0, PAGE)).isEqualTo(Access.OK);
            assertThat(got).containsOnly((byte) 9);
        }
        assertThat(MemcgFiles.stat(cg(), a).get("pswpout")).isPositive();
    }

    @Test
    void withoutSwapTheCgroupOomKillerKillsInsideTheCgroupOnly() {
        Process bystander = mm.spawn("bystander");
        fill(bystander, 1024, 3);
        MemCgroup a = cg().create("/a");
        cg().set(a, MemoryCgroups.Knob.MAX, 512);
        Process small = spawnIn("/a", "small");
        fill(small, 64, 1);
        Process hog = spawnIn("/a", "hog");
        mm.mmapAnon(hog, BASE, 2048L * PAGE, RW, true).orThrow();
        Access last = Access.OK;
        for (long i = 0; i < 2048 && last == Access.OK; i++) {
            last = mm.touch(hog, BASE + i * PAGE, true);
        }
        assertThat(last).isEqualTo(Access.OOM);
        assertThat(hog.alive()).isFalse();
        assertThat(small.alive()).as("the smaller process of the cgroup survives").isTrue();
        assertThat(bystander.alive()).isTrue();
        assertThat(a.events(MemcgEvent.OOM)).isEqualTo(1);
        assertThat(a.events(MemcgEvent.OOM_KILL)).isEqualTo(1);
        assertThat(mm.events()).anyMatch(l -> l.startsWith("Memory cgroup out of memory: Killed process " + hog.pid() + " (hog)"));
    }

    @Test
    void oomGroupKillsEveryProcessOfTheCgroup() {
        MemCgroup a = cg().create("/a");
        cg().set(a, MemoryCgroups.Knob.MAX, 512);
        cg().set(a, MemoryCgroups.Knob.OOM_GROUP, 1);
        Process small = spawnIn("/a", "small");
        fill(small, 64, 1);
        Process immune = spawnIn("/a", "immune");
        immune.setOomScoreAdj(-1000);
        Process hog = spawnIn("/a", "hog");
        fill(hog, 2048, 2);
        assertThat(hog.alive()).isFalse();
        assertThat(small.alive()).as("killed with the group").isFalse();
        assertThat(immune.alive()).as("oom_score_adj -1000 is never killed, even with the group").isTrue();
        assertThat(a.events(MemcgEvent.OOM_GROUP_KILL)).isEqualTo(1);
        assertThat(a.events(MemcgEvent.OOM_KILL)).isEqualTo(2);
    }

    @Test
    void theHighPenaltyFollowsTheKernelsFormula() {
        MemCgroup a = cg().create("/a");
        cg().set(a, MemoryCgroups.Knob.HIGH, 1000);
        a.memory.usage = 1500; // 50% over: overage (500 << 20) / 1000 = 524288
        // 524288^2 * HZ >> 20 >> 14 = 4000 jiffies for a full batch of 64 pages, scaled by pages owed
        assertThat(MemoryCgroups.highDelayJiffies(a, 64)).isEqualTo(4000);
        assertThat(MemoryCgroups.highDelayJiffies(a, 1)).isEqualTo(62);
        a.memory.usage = 1000;
        assertThat(MemoryCgroups.highDelayJiffies(a, 64)).as("at high: no penalty").isZero();
        a.memory.usage = 0;
    }

    @Test
    void aboveMemoryHighAnUnreclaimableCgroupIsThrottledNotKilled() {
        MemCgroup a = cg().create("/a");
        cg().set(a, MemoryCgroups.Knob.HIGH, 256);
        Process p = spawnIn("/a", "p");
        machine.step(p, () -> fill(p, 1024, 5)); // no swap: anon cannot be reclaimed
        assertThat(p.alive()).isTrue();
        assertThat(a.usagePages()).isGreaterThan(1024);
        assertThat(a.events(MemcgEvent.HIGH)).isPositive();
        long throttled = machine.taskOf(p).stallNs(StallKind.MEMCG_THROTTLE);
        assertThat(throttled).as("slept in mem_cgroup_handle_over_high").isPositive();
        assertThat(throttled).as("at most 2 s per return to user space, and there were few").isLessThanOrEqualTo(2_000_000_000L * 20);
    }

    @Test
    void memoryLowShieldsACgroupFromNodeReclaimWhileOthersHavePagesToGive() {
        machine.close();
        machine = Machine.boot(PhysConfig.of(MemSize.parse("48M"), true), dir);
        mm = machine.memory();
        MemCgroup a = cg().create("/a");
        MemCgroup b = cg().create("/b");
        cg().set(a, MemoryCgroups.Knob.LOW, 2048);
        Process pa = spawnIn("/a", "protected");
        Process pb = spawnIn("/b", "unprotected");
        Process pc = mm.spawn("streamer");
        readAs(pa, "fa", 2048);
        readAs(pb, "fb", 2048);
        for (int round = 0; round < 6; round++) {
            readAs(pc, "stream" + round, 4096);
            machine.runKswapd();
        }
        long aFile = MemcgFiles.stat(cg(), a).get("file") / PAGE;
        long bFile = MemcgFiles.stat(cg(), b).get("file") / PAGE;
        System.out.printf("after streaming 96M through 48M: /a (memory.low 8M) keeps %d pages of 2048, /b %d%n", aFile, bFile);
        assertThat(aFile).as("the protected cgroup kept its cache").isGreaterThan(1900);
        assertThat(bFile).as("the unprotected cgroup gave up much of its cache").isLessThan(aFile - 512);
    }

    @Test
    void memorySwapMaxBoundsSwapAndThenTheCgroupRunsOutOfMemory() {
        swapon(64L << 20);
        MemCgroup a = cg().create("/a");
        cg().set(a, MemoryCgroups.Knob.MAX, 256);
        cg().set(a, MemoryCgroups.Knob.SWAP_MAX, 128);
        Process p = spawnIn("/a", "p");
        fill(p, 1024, 4);
        assertThat(a.swapPages()).isLessThanOrEqualTo(128);
        assertThat(a.events(MemcgEvent.SWAP_MAX)).isPositive();
        assertThat(a.events(MemcgEvent.SWAP_FAIL)).isPositive();
        assertThat(p.alive()).isFalse();
        assertThat(a.events(MemcgEvent.OOM_KILL)).isEqualTo(1);
    }

    @Test
    void aRemovedCgroupLingersOfflineUntilItsPagesAreGone() {
        MemCgroup a = cg().create("/a");
        Process p = spawnIn("/a", "p");
        OpenFile f = readAs(p, "cache", 64);
        assertThatThrownBy(() -> cg().remove("/a")).hasMessageContaining("process " + p.pid()).hasMessageContaining("EBUSY");
        mm.exit(p);
        long pages = a.usagePages();
        assertThat(pages).as("the page cache outlives the process").isGreaterThanOrEqualTo(64);
        cg().remove("/a");
        assertThat(cg().byPath("/a")).isNull();
        assertThat(a.online()).isFalse();
        assertThat(cg().all()).contains(a);
        assertThat(cg().byId(a.id())).isSameAs(a);
        machine.check();
        MemCgroup again = cg().create("/a");
        assertThat(again.id()).as("a new cgroup at the same path").isNotEqualTo(a.id());
        machine.vfs().truncate(f, 0).orThrow();
        assertThat(cg().all()).doesNotContain(a);
        assertThat(cg().byId(a.id())).isNull();
    }

    @Test
    void shadowEntriesNameTheCgroupThatEvicted() {
        MemCgroup a = cg().create("/a");
        cg().set(a, MemoryCgroups.Knob.MAX, 256);
        Process p = spawnIn("/a", "p");
        OpenFile f = readAs(p, "big", 1024);
        int shadows = 0;
        for (long i = 0; i < 1024; i++) {
            if (f.inode().mapping().load(i) instanceof Shadow s) {
                assertThat(ShadowWord.memcgId(s.word())).isEqualTo(a.id());
                shadows++;
            }
        }
        assertThat(shadows).isGreaterThan(512);
        readAs(p, "big", 1024);
        assertThat(MemcgFiles.stat(cg(), a).get("workingset_refault_file")).isPositive();
    }

    @Test
    void theCheckerCatchesAFolioChargedToTheWrongCgroup() {
        MemCgroup a = cg().create("/a");
        Process p = spawnIn("/a", "p");
        fill(p, 16, 1);
        Folio f = (Folio) machine.phys().memmap().raw(org.pagelab.pgtable.Pte.pfn(p.pageTable().getPte(BASE)));
        f.setMemcgId(cg().root().id());
        assertThatThrownBy(() -> cg().check()).hasMessageContaining("cgroup");
        f.setMemcgId(a.id());
        cg().check();
    }

    @Test
    void badPathsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> cg().create("a")).hasMessageContaining("'a'");
        assertThatThrownBy(() -> cg().create("/x/y")).hasMessageContaining("parent /x does not exist");
        cg().create("/x");
        assertThatThrownBy(() -> cg().create("/x")).hasMessageContaining("already exists");
        assertThatThrownBy(() -> cg().remove("/")).hasMessageContaining("root");
        assertThatThrownBy(() -> cg().set(cg().root(), MemoryCgroups.Knob.MAX, 1)).hasMessageContaining("root");
    }

    @Test
    void aHugePageIsChargedWholeAndItsChargeIsSharedByThePagesASplitLeaves() {
        MemCgroup a = cg().create("/a");
        Process p = spawnIn("/a", "p");
        mm.mmapAnon(p, BASE, 4L << 20, RW, true).orThrow();
        assertThat(mm.touch(p, BASE, true)).isEqualTo(Access.OK);
        assertThat(MemcgFiles.stat(cg(), a).get("anon_thp")).as("one order-9 folio").isEqualTo(2L << 20);
        long before = a.usagePages();
        assertThat(before).isGreaterThanOrEqualTo(512);
        mm.munmap(p, BASE + (1L << 20), 1L << 20).orThrow(); // the second half of the huge page goes
        assertThat(MemcgFiles.stat(cg(), a).get("anon_thp")).as("its PMD is split").isZero();
        assertThat(a.usagePages()).as("the folio waits for its deferred split, still charged").isEqualTo(before);
        machine.vmscan().shrinkers().dropSlab();
        assertThat(a.usagePages()).isEqualTo(before - 256);
        machine.check();
        mm.exit(p);
        assertThat(a.usagePages()).isZero();
    }

    /**
     * The deferred-split shrinker is memcg-aware: a cgroup at its limit, with no swap, reclaims
     * the unmapped pages of its own partly unmapped huge page instead of calling the OOM killer.
     */
    @Test
    void aCgroupAtItsLimitSplitsItsQueuedHugePageInsteadOfGoingOom() {
        MemCgroup a = cg().create("/a");
        cg().set(a, MemoryCgroups.Knob.MAX, 1024);
        Process p = spawnIn("/a", "p");
        mm.mmapAnon(p, BASE, 8L << 20, RW, true).orThrow();
        assertThat(mm.write(p, BASE, new byte[] {7}, 0, 1)).isEqualTo(Access.OK);
        mm.madviseDontneed(p, BASE + 4096, (2L << 20) - 4096).orThrow();
        assertThat(mm.deferredSplitQueued()).isEqualTo(1);
        for (long off = 2L << 20; off < (4L << 20) + (1L << 20); off += 4096) {
            assertThat(mm.touch(p, BASE + off, true)).isEqualTo(Access.OK);
        }
        assertThat(vm(org.pagelab.stat.VmItem.OOM_KILL)).isZero();
        assertThat(mm.deferredSplitQueued()).isZero();
        assertThat(vm(org.pagelab.stat.VmItem.THP_SPLIT_PAGE)).isEqualTo(1);
        assertThat(a.usagePages()).isLessThanOrEqualTo(1024);
        byte[] b = new byte[1];
        assertThat(mm.read(p, BASE, b, 0, 1)).isEqualTo(Access.OK);
        assertThat(b[0]).isEqualTo((byte) 7);
    }
}
