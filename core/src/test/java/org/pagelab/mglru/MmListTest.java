package org.pagelab.mglru;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.lruvec.LruVec;
import org.pagelab.machine.Machine;
import org.pagelab.memory.MemoryManager;
import org.pagelab.memory.Process;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.sim.SimConfig;
import org.pagelab.swap.SwaponResult;
import org.pagelab.vma.VmFlags;

/**
 * The page-table walk's list of address spaces (lru_gen_mm_list, should_skip_mm): an address space
 * is walked for its own cgroup's lruvec only, and only when its process accessed memory since the
 * last walk and it holds at least MIN_LRU_BATCH pages the walk may age; a forced scan walks an
 * idle one too.
 */
class MmListTest {
    private static final int PAGE = (int) MemSize.PAGE_SIZE;
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final long BASE = 0x40000000L;

    @TempDir
    Path dir;

    private static void touch(MemoryManager mm, Process p, int pages) {
        for (int i = 0; i < pages; i++) {
            mm.touch(p, BASE + (long) i * PAGE, true);
        }
    }

    private static Process spawn(MemoryManager mm, String name, int pages) {
        Process p = mm.spawn(name);
        mm.mmapAnon(p, BASE, (long) pages * PAGE, RW, true).orThrow();
        touch(mm, p, pages);
        return p;
    }

    @Test
    void idleSmallAndForeignAddressSpacesAreSkipped() {
        try (Machine machine = Machine.boot(PhysConfig.of(64L << 20, false), dir, SimConfig.DEFAULT, MglruPolicy.NAME)) {
            MemoryManager mm = machine.memory();
            assertThat(machine.swap().swapon("swapfile", 16L * 1024 * 1024 / PAGE, null)).isInstanceOf(SwaponResult.Ok.class);
            Process busy = spawn(mm, "busy", 256);
            Process idle = spawn(mm, "idle", 256);
            spawn(mm, "small", MglruPolicy.MIN_LRU_BATCH - 1);
            Process other = mm.spawn("other");
            machine.memcg().create("/other");
            machine.memcg().attach(other, "/other");
            mm.mmapAnon(other, BASE, 256L * PAGE, RW, true).orThrow();
            touch(mm, other, 256);
            MglruPolicy policy = (MglruPolicy) machine.vmscan().policy();
            LruVec root = machine.memcg().root().lruvec();
            Aging aging = policy.aging();
            // first walk: every address space of the root cgroup is new, so used; the small one is too small
            assertThat(aging.tryToIncMaxSeq(root, true, false)).isTrue();
            Aging.WalkState st = aging.state(root);
            assertThat(st.mmWalked).isEqualTo(2);
            assertThat(st.mmSkipped).isEqualTo(1);
            // second walk: only the process that ran since
            touch(mm, busy, 256);
            assertThat(aging.tryToIncMaxSeq(root, true, false)).isTrue();
            assertThat(st.mmWalked).isEqualTo(1);
            assertThat(st.mmSkipped).isEqualTo(2);
            assertThat(policy.walkStats(root)[Aging.MmStat.LEAF_YOUNG.ordinal()]).isEqualTo(256);
            // without swap to age anon into, the anon-only address spaces are all too small
            touch(mm, busy, 256);
            assertThat(aging.tryToIncMaxSeq(root, false, false)).isTrue();
            assertThat(st.mmWalked).isZero();
            // a forced scan walks the busy one, whose mark that walk cleared, and the idle one; the busy
            // one's PTEs are still young from before the walk that skipped it
            touch(mm, idle, 256);
            assertThat(aging.tryToIncMaxSeq(root, true, true)).isTrue();
            assertThat(st.mmWalked).isEqualTo(2);
            assertThat(policy.walkStats(root)[Aging.MmStat.LEAF_YOUNG.ordinal()]).isEqualTo(512);
            // the other cgroup's lruvec walks its own process alone
            LruVec otherVec = machine.memcg().byPath("/other").lruvec();
            policy.gens(otherVec);
            assertThat(aging.tryToIncMaxSeq(otherVec, true, false)).isTrue();
            assertThat(aging.state(otherVec).mmWalked).isEqualTo(1);
            assertThat(aging.state(otherVec).mmSkipped).isZero();
            machine.check();
        }
    }
}
