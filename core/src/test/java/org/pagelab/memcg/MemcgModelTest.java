package org.pagelab.memcg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.machine.Machine;
import org.pagelab.memory.Access;
import org.pagelab.memory.AnonDataModel;
import org.pagelab.memory.MemoryManager;
import org.pagelab.memory.Process;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.swap.SwaponResult;
import org.pagelab.testing.SeedSource;
import org.pagelab.testing.Seeds;
import org.pagelab.vma.MapResult;
import org.pagelab.vma.VmFlags;

/**
 * The randomized model test inside memory cgroups with small limits: processes in a small
 * hierarchy write, read, fork, exit, madvise and remap anonymous memory far beyond their
 * cgroups' memory.max, while limits change, processes move between cgroups and cgroups are
 * removed and made again. Every read is checked byte for byte against a reference model (a
 * process killed by its cgroup's OOM killer leaves the model), the cgroup checker (every
 * charge recomputed from the descriptors) and every other checker run every few steps, usage
 * never ends above memory.max, and at the end nothing is left charged anywhere. The seed is in
 * every failure message; {@code -Dpagelab.seed=N -Dpagelab.seeds=K} runs K seeds from N ({@link Seeds}).
 */
class MemcgModelTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final int PAGE = (int) MemSize.PAGE_SIZE;
    private static final int REGION_PAGES = 3072; // 12M per process
    private static final long BASE = 0x20000000L;
    private static final int CHECK_EVERY = Integer.getInteger("pagelab.checkEvery", 50);
    private static final String[] GROUPS = {"/", "/a", "/b", "/a/c"};

    @TempDir
    Path dir;

    /** Each seed under both reclaim policies (under MGLRU one set of generations per cgroup). */
    @ParameterizedTest(name = "seed {0} {1}")
    @SeedSource(first = 20261126L, count = 3, policies = {"twolist", "mglru"})
    void dataInsideSmallCgroupsReadsBackExactly(long seed, String policy) {
        SplittableRandom rnd = new SplittableRandom(seed);
        try (Machine machine = Machine.boot(PhysConfig.of(MemSize.parse("64M"), true), dir,
                org.pagelab.sim.SimConfig.DEFAULT, policy)) {
            MemoryManager mm = machine.memory();
            MemoryCgroups cg = machine.memcg();
            long free = machine.phys().freePages();
            assertThat(machine.swap().swapon("swapfile", 128L * 1024 * 1024 / PAGE, null)).isInstanceOf(SwaponResult.Ok.class);
            cg.set(cg.create("/a"), MemoryCgroups.Knob.MAX, 2048);
            cg.set(cg.create("/b"), MemoryCgroups.Knob.MAX, 1536);
            cg.set(cg.byPath("/b"), MemoryCgroups.Knob.HIGH, 1024);
            cg.set(cg.byPath("/b"), MemoryCgroups.Knob.SWAP_MAX, 1024); // /b runs out: its OOM killer must act
            MemCgroup c = cg.create("/a/c");
            cg.set(c, MemoryCgroups.Knob.MAX, 768);
            cg.set(c, MemoryCgroups.Knob.LOW, 512);
            List<AnonDataModel> procs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                AnonDataModel pr = new AnonDataModel(mm.spawn("p" + i), BASE);
                cg.attach(pr.p, GROUPS[i]);
                mm.mmapAnon(pr.p, BASE, (long) REGION_PAGES * PAGE, RW, true).orThrow();
                procs.add(pr);
            }
            int kills = 0;
            Map<MemCgroup, Long> usageBefore = new HashMap<>();
            for (int step = 0; step < 4000 && !procs.isEmpty(); step++) {
                int who = rnd.nextInt(procs.size());
                AnonDataModel pr = procs.get(who);
                Process p = pr.p;
                String where = "seed " + seed + " step " + step + " pid " + p.pid() + " in " + cg.memcgOf(p).path();
                int page = rnd.nextInt(REGION_PAGES);
                long addr = BASE + (long) page * PAGE;
                int op = rnd.nextInt(1000);
                if (op < 450) {
                    int n = Math.min(1 + rnd.nextInt(16), REGION_PAGES - page);
                    assertThat(pr.writeRandom(mm, rnd, page, n)).as(where).isIn(Access.OK, Access.OOM);
                } else if (op < 880) {
                    assertThat(pr.readAndCheck(mm, page, where)).as(where).isIn(Access.OK, Access.OOM);
                } else if (op < 900) {
                    int n = Math.min(1 + rnd.nextInt(64), REGION_PAGES - page);
                    assertThat(mm.madviseColdOrPageout(p, addr, (long) n * PAGE, rnd.nextBoolean())).as(where)
                            .isInstanceOf(MapResult.Mapped.class);
                } else if (op < 915) {
                    int n = Math.min(1 + rnd.nextInt(32), REGION_PAGES - page);
                    mm.madviseDontneed(p, addr, (long) n * PAGE).orThrow();
                    pr.forget(page, n);
                } else if (op < 935) {
                    // a limit changes: memory.max of a random cgroup between 1M and 10M, or its high or low;
                    // a lower max may be more than reclaim and the OOM killer can meet
                    usageBefore.replaceAll((g, u) -> Long.MAX_VALUE);
                    MemCgroup g = cg.byPath(GROUPS[1 + rnd.nextInt(GROUPS.length - 1)]);
                    if (g != null) {
                        long v = 256 + rnd.nextInt(2304);
                        MemoryCgroups.Knob k = switch (rnd.nextInt(3)) {
                            case 0 -> MemoryCgroups.Knob.MAX;
                            case 1 -> MemoryCgroups.Knob.HIGH;
                            default -> MemoryCgroups.Knob.LOW;
                        };
                        cg.set(g, k, v);
                    }
                } else if (op < 950) {
                    MemCgroup g = cg.byPath(GROUPS[rnd.nextInt(GROUPS.length)]);
                    if (g != null && p.alive()) {
                        cg.attach(p, g.path());
                    }
                } else if (op < 960) {
                    // remove /a/c if nobody is in it, or make it again
                    if (cg.byPath("/a/c") == null) {
                        cg.set(cg.create("/a/c"), MemoryCgroups.Knob.MAX, 512 + rnd.nextInt(512));
                    } else if (procs.stream().noneMatch(q -> q.p.alive() && cg.memcgOf(q.p).path().equals("/a/c"))) {
                        cg.remove("/a/c");
                    }
                } else if (op < 980) {
                    if (procs.size() < 6 && p.alive()) {
                        Process child = mm.fork(p);
                        if (child != null) {
                            procs.add(pr.fork(child));
                        }
                    }
                } else if (procs.size() > 1) {
                    mm.exit(p);
                }
                cg.returnToUser(p);
                // a cgroup OOM may have killed this process or another one of the same cgroup:
                // their data is gone with them, and they leave the model
                for (java.util.Iterator<AnonDataModel> it = procs.iterator(); it.hasNext(); ) {
                    AnonDataModel q = it.next();
                    if (!q.p.alive()) {
                        if (q.p.state() == Process.State.KILLED) {
                            kills++;
                        }
                        it.remove();
                    }
                }
                if (step % 4 == 0) {
                    machine.runKswapd();
                }
                // no charge takes a cgroup above memory.max; only lowering the limit below what reclaim
                // and the OOM killer can free leaves usage above it (memory_max_write gives up too), and
                // then it may only shrink
                for (MemCgroup g : cg.all()) {
                    if (g.usagePages() > g.maxPages()) {
                        assertThat(g.usagePages()).as("%s: %s grew above memory.max", where, g)
                                .isLessThanOrEqualTo(usageBefore.getOrDefault(g, 0L));
                    }
                }
                usageBefore.clear();
                for (MemCgroup g : cg.all()) {
                    usageBefore.put(g, g.usagePages());
                }
                if (step % CHECK_EVERY == 0) {
                    try {
                        machine.check();
                    } catch (IllegalStateException e) {
                        throw new AssertionError(where + ": " + e.getMessage(), e);
                    }
                }
            }
            machine.check();
            long swapped = procs.stream().mapToLong(q -> q.p.swapEnts()).sum();
            System.out.printf(policy + " seed %d: %d processes left, %d killed by a cgroup OOM, %d pages in swap, events a=%s b=%s%n",
                    seed, procs.size(), kills, swapped, MemcgFiles.values(cg, cg.byPath("/a")).get("memory.events"),
                    MemcgFiles.values(cg, cg.byPath("/b")).get("memory.events"));
            for (AnonDataModel pr : procs) {
                // OOM: killed by its cgroup's OOM killer while swapping back in; its data died with it.
                // The swap-ins of one process's check may charge a cgroup that kills another one as
                // the OOM victim: that one is dead before its own check, by SIGKILL, and only so.
                if (!pr.p.alive()) {
                    assertThat(pr.p.signal()).as("seed %d: %s died before its check", seed, pr.p).startsWith("SIGKILL (oom-kill)");
                    continue;
                }
                assertThat(pr.checkAll(mm, "seed " + seed + " at the end")).isIn(Access.OK, Access.OOM);
                mm.exit(pr.p);
            }
            machine.check();
            // a swap-out still in flight at exit holds its slot until the write completes, as in the
            // kernel (fresh seeds 8500105 and 8500114: 4 and 1 slots); nothing may outlive the I/O
            machine.sim().drainTimers();
            assertThat(machine.swap().devices().inusePages()).as("seed %d: no slot left in use", seed).isZero();
            for (String path : new String[] {"/a/c", "/b", "/a"}) {
                if (cg.byPath(path) != null) {
                    cg.remove(path);
                }
            }
            machine.check();
            assertThat(cg.all()).as("seed %d: every removed cgroup released once its charges went", seed)
                    .containsExactly(cg.root());
            assertThat(cg.root().usagePages()).as("seed %d: nothing charged at the end", seed).isZero();
            machine.vmscan().shrinkers().dropSlab(); // the huge zero page goes back when its shrinker runs
            assertThat(machine.phys().freePages()).as("seed %d: free memory returns to its start", seed).isEqualTo(free);
        }
    }
}
