package org.pagelab.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.pagelab.desc.MemDesc;
import org.pagelab.machine.MachineTest;
import org.pagelab.pgtable.Pte;
import org.pagelab.proc.Meminfo;
import org.pagelab.vma.VmFlags;

/** What the huge-page tests share: 2 MiB-aligned anonymous ranges, their owners, meminfo, bytes. */
abstract class ThpFixture extends MachineTest {
    static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    static final int PAGE = 4096;
    static final long HUGE = 2L << 20;

    /** A private anonymous mapping of 4 MiB; returns the 2 MiB-aligned address inside it. */
    long hugeRange(Process p) {
        long a = mm.mmapAnon(p, 0, 2 * HUGE, RW, false).orThrow();
        return (a + HUGE - 1) & -HUGE;
    }

    /** The descriptor owning the frame {@code addr} of {@code p} maps. */
    MemDesc ownerAt(Process p, long addr) {
        return machine.phys().memmap().raw(Pte.pfn(p.pageTable().getPte(addr)));
    }

    /** A /proc/meminfo field, in kB. */
    long meminfo(String field) {
        return new Meminfo(machine).fields().get(field);
    }

    /** Writes 2 MiB of random bytes from {@code seed} at {@code h}; returns them. */
    byte[] writeRandom(Process p, long h, long seed) {
        byte[] data = random(seed, (int) HUGE);
        assertThat(mm.write(p, h, data, 0, data.length)).isEqualTo(Access.OK);
        return data;
    }

    /** {@code len} bytes read at {@code addr} of {@code p}, whose read must succeed. */
    byte[] read(Process p, long addr, int len) {
        byte[] b = new byte[len];
        assertThat(mm.read(p, addr, b, 0, len)).isEqualTo(Access.OK);
        return b;
    }
}
