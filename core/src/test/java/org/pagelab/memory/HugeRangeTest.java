package org.pagelab.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.MemDesc;
import org.pagelab.machine.MachineTest;
import org.pagelab.phys.AllocRequest;
import org.pagelab.phys.ZoneType;
import org.pagelab.pgtable.Pte;
import org.pagelab.vma.VmFlags;

/** What the large-folio tests share: aligned 2 MiB ranges, who maps a page, meminfo, bytes, free blocks taken away. */
abstract class HugeRangeTest extends MachineTest {
    static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    static final int PAGE = 4096;
    static final long HUGE = 2L << 20;

    /** A private anonymous mapping of 4 MiB; returns the 2 MiB-aligned address inside it. */
    long hugeRange(Process p) {
        long a = mm.mmapAnon(p, 0, 2 * HUGE, RW, false).orThrow();
        return (a + HUGE - 1) & -HUGE;
    }

    /** The descriptor of the frame {@code addr} of {@code p} maps. */
    MemDesc ownerAt(Process p, long addr) {
        return machine.phys().memmap().raw(Pte.pfn(p.pageTable().getPte(addr)));
    }

    /** A /proc/meminfo field, in kB. */
    long meminfo(String field) {
        return new org.pagelab.proc.Meminfo(machine).fields().get(field);
    }

    /** Writes 2 MiB of random bytes from {@code seed} at {@code h}; returns them. */
    byte[] writeRandom(Process p, long h, long seed) {
        byte[] data = random(seed, (int) HUGE);
        assertThat(mm.write(p, h, data, 0, data.length)).isEqualTo(Access.OK);
        return data;
    }

    /** {@code len} bytes at {@code addr} of {@code p}, whose read must succeed. */
    byte[] read(Process p, long addr, int len) {
        byte[] b = new byte[len];
        assertThat(mm.read(p, addr, b, 0, len)).isEqualTo(Access.OK);
        return b;
    }

    /** Takes every free block of {@code order} and more from the allocator, from the largest down. */
    List<AnonFolio> hog(int order) {
        List<AnonFolio> hog = new ArrayList<>();
        for (int o = org.pagelab.desc.MemDesc.MAX_ORDER; o >= order; o--) {
            AnonFolio f;
            while ((f = machine.phys().allocIfFree(new AllocRequest(o, ZoneType.NORMAL, false, false,
                    AllocRequest.Purpose.OTHER), AnonFolio::new)) != null) {
                hog.add(f);
            }
        }
        return hog;
    }

    /** Gives the blocks {@link #hog} took back. */
    void release(List<AnonFolio> hog) {
        for (AnonFolio x : hog) {
            x.refSub(1);
            machine.phys().free(x);
        }
    }
}
