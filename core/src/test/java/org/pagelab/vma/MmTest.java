package org.pagelab.vma;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.filemap.Errno;
import org.pagelab.machine.Machine;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.testing.MachineChecks;
import org.pagelab.testing.SeedSource;

@MachineChecks.Unchecked("the tests map into a loose Mm (machine.newMm, no process), whose committed pages the"
        + " machine's check cannot see until @AfterEach has destroyed it; @AfterEach runs the checks then")
class MmTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private Machine machine;
    private Mm mm;
    private final List<String> zapped = new ArrayList<>();

    @BeforeEach
    void boot() {
        machine = Machine.boot(PhysConfig.of(MemSize.parse("32M"), false));
        mm = machine.newMm();
    }

    @AfterEach
    void check() {
        mm.check();
        assertThat(machine.vmAreaCache().objectsInUse()).isEqualTo(mm.vmaCount());
        mm.destroy(v -> { });
        machine.check();
        assertThat(machine.vmAreaCache().objectsInUse()).isZero();
        machine.close();
    }

    private Mm.Unmapper log() {
        return v -> zapped.add(Long.toHexString(v.start()) + "-" + Long.toHexString(v.end()));
    }

    @Test
    void lengthIsRoundedUpAndPlacementIsTopDownBelowTheMmapBase() {
        long a = mm.mmap(0, 5000, RW, false, false, null, 0, log()).orThrow();
        assertThat(a).isEqualTo(Mm.MMAP_BASE - 8192);
        assertThat(mm.find(a).length()).isEqualTo(8192);
        long b = mm.mmap(0, 4096, VmFlags.VM_READ, false, false, null, 0, log()).orThrow();
        assertThat(b).isEqualTo(a - 4096);
        assertThat(mm.committedPages()).isEqualTo(2);
        assertThat(mm.totalVm()).isEqualTo(3);
    }

    @Test
    void aFreeHintIsHonouredAndAnOccupiedOneIsNot() {
        long a = mm.mmap(0x10000000L + 123, 4096, RW, false, false, null, 0, log()).orThrow();
        assertThat(a).isEqualTo(0x10000000L);
        long b = mm.mmap(0x10000000L, 4096, RW, false, false, null, 0, log()).orThrow();
        assertThat(b).isNotEqualTo(0x10000000L);
    }

    @Test
    void fixedMappingsReplaceWhatWasThereAndRejectBadAddresses() {
        mm.mmap(0x20000000L, 16 * 4096, RW, false, true, null, 0, log()).orThrow();
        mm.mmap(0x20000000L + 4 * 4096, 4096, VmFlags.VM_READ, true, true, null, 0, log()).orThrow();
        assertThat(zapped).containsExactly("20004000-20005000");
        assertThat(mm.vmaCount()).isEqualTo(3);
        assertThat(mm.mmap(0x20000001L, 4096, RW, false, true, null, 0, log()))
                .isEqualTo(new MapResult.MapFailed(Errno.EINVAL));
        assertThat(mm.mmap(0x1000, 4096, RW, false, true, null, 0, log()))
                .isEqualTo(new MapResult.MapFailed(Errno.EACCES));
        assertThat(mm.mmap(0, 0, RW, false, false, null, 0, log())).isEqualTo(new MapResult.MapFailed(Errno.EINVAL));
    }

    @Test
    void munmapSplitsAndAdjacentCompatibleMappingsMerge() {
        long base = 0x30000000L;
        mm.mmap(base, 4096, RW, false, true, null, 0, log()).orThrow();
        mm.mmap(base + 4096, 4096, RW, false, true, null, 0, log()).orThrow();
        assertThat(mm.vmaCount()).isEqualTo(1);
        mm.munmap(base + 4096 - 4096, 4096, log()).orThrow();
        assertThat(mm.vmaCount()).isEqualTo(1);
        assertThat(mm.find(base)).isNull();
        assertThat(mm.find(base + 4096).start()).isEqualTo(base + 4096);
        assertThat(mm.munmap(base + 1, 4096, log())).isEqualTo(new MapResult.MapFailed(Errno.EINVAL));
        assertThat(mm.munmap(0x50000000L, 4096, log())).isInstanceOf(MapResult.Mapped.class);
    }

    @Test
    void mprotectSplitsNeedsAMappedRangeAndMergesBack() {
        long base = 0x40000000L;
        mm.mmap(base, 8 * 4096, RW, false, true, null, 0, log()).orThrow();
        List<String> changed = new ArrayList<>();
        mm.mprotect(base + 2 * 4096, 2 * 4096, VmFlags.VM_READ, (v, old) -> changed.add(v.toString())).orThrow();
        assertThat(mm.vmaCount()).isEqualTo(3);
        assertThat(changed).hasSize(1);
        assertThat(mm.committedPages()).isEqualTo(8);
        mm.mprotect(base, 8 * 4096, RW, (v, old) -> { }).orThrow();
        assertThat(mm.vmaCount()).isEqualTo(1);
        assertThat(mm.mprotect(base, 9 * 4096, RW, (v, old) -> { })).isEqualTo(new MapResult.MapFailed(Errno.ENOMEM));
    }

    @Test
    void forkCopiesEveryVma() {
        mm.mmap(0x40000000L, 3 * 4096, RW, false, true, null, 0, log()).orThrow();
        mm.mmap(0x50000000L, 4096, VmFlags.VM_READ, true, true, null, 0, log()).orThrow();
        Mm child = machine.newMm();
        List<Vma> pairs = new ArrayList<>();
        assertThat(mm.dupInto(child, (p, c) -> pairs.add(c))).isTrue();
        assertThat(child.vmaCount()).isEqualTo(2);
        assertThat(child.committedPages()).isEqualTo(mm.committedPages());
        child.check();
        child.destroy(v -> { });
    }

    @Test
    void aForkWhoseParentIsTornDownUnderItStopsAndKeepsWhatItCopied() {
        // fork's charges may call the OOM killer, which may choose the parent: its VMA set is
        // emptied while dup_mmap walks it; the walk must stop, not trip over the change
        mm.mmap(0x40000000L, 3 * 4096, RW, false, true, null, 0, log()).orThrow();
        mm.mmap(0x50000000L, 4096, VmFlags.VM_READ, true, true, null, 0, log()).orThrow();
        mm.mmap(0x60000000L, 4096, RW, false, true, null, 0, log()).orThrow();
        Mm child = machine.newMm();
        List<Vma> seen = new ArrayList<>();
        assertThat(mm.dupInto(child, (p, c) -> {
            seen.add(c);
            mm.destroy(v -> { });
            return false;
        })).isFalse();
        assertThat(seen).hasSize(1);
        assertThat(mm.vmaCount()).isZero();
        assertThat(child.vmaCount()).as("the copied VMA stays for the child's teardown").isEqualTo(1);
        child.check();
        child.destroy(v -> { });
    }

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({11, 12, 20261125})
    void vmaSetMatchesAPagePerPageReference(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long base = 0x60000000L;
        int span = 64;
        TreeMap<Long, Integer> ref = new TreeMap<>();
        for (int step = 0; step < 2000; step++) {
            long start = base + (long) rnd.nextInt(span) * 4096;
            long len = (1 + rnd.nextInt(12)) * 4096L;
            int prot = rnd.nextInt(4) & RW;
            int op = rnd.nextInt(3);
            String where = "seed " + seed + " step " + step + " op " + op + " " + Long.toHexString(start) + "+" + len / 4096
                    + " prot " + prot + " before " + mm.vmas();
            switch (op) {
                case 0 -> {
                    mm.mmap(start, len, prot, false, true, null, 0, v -> { }).orThrow();
                    for (long a = start; a < start + len; a += 4096) {
                        ref.put(a, prot);
                    }
                }
                case 1 -> {
                    mm.munmap(start, len, v -> { }).orThrow();
                    for (long a = start; a < start + len; a += 4096) {
                        ref.remove(a);
                    }
                }
                default -> {
                    boolean allMapped = true;
                    for (long a = start; a < start + len; a += 4096) {
                        allMapped &= ref.containsKey(a);
                    }
                    MapResult r = mm.mprotect(start, len, prot, (v, old) -> { });
                    assertThat(r instanceof MapResult.Mapped).as(where).isEqualTo(allMapped);
                    if (allMapped) {
                        for (long a = start; a < start + len; a += 4096) {
                            ref.put(a, prot);
                        }
                    }
                }
            }
            try {
                mm.check();
            } catch (IllegalStateException e) {
                throw new AssertionError(where + ": " + e.getMessage(), e);
            }
            for (long a = base; a < base + (span + 12) * 4096L; a += 4096) {
                Vma v = mm.find(a);
                Integer want = ref.get(a);
                assertThat(v == null ? null : v.flags() & VmFlags.PROT_MASK).as(where + " page " + Long.toHexString(a)).isEqualTo(want);
            }
            assertThat(mm.totalVm()).as(where).isEqualTo(ref.size());
        }
    }
}
