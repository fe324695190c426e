package org.pagelab.pgtable;

import org.pagelab.desc.SwapEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.Memmap;
import org.pagelab.desc.PageTablePage;
import org.pagelab.machine.Machine;
import org.pagelab.memory.Access;
import org.pagelab.memory.MemoryManager;
import org.pagelab.memory.Process;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.vma.VmFlags;

/** PageTable.normalFolio (vm_normal_folio): which PTE words name a folio, and which do not. */
class NormalFolioTest {
    private Machine machine;

    @AfterEach
    void machineStaysConsistent() {
        if (machine != null) {
            machine.check();
            machine.close();
        }
    }

    @Test
    void onlyANormalPresentPteNamesAFolio() {
        machine = Machine.boot(PhysConfig.of(MemSize.parse("32M"), false));
        MemoryManager mm = machine.memory();
        Memmap memmap = machine.phys().memmap();
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, 2 * MemSize.PAGE_SIZE, VmFlags.VM_READ | VmFlags.VM_WRITE, false).orThrow();

        assertThat(PageTable.normalFolio(memmap, p.pageTable().getPte(a))).as("empty PTE").isNull();
        assertThat(mm.touch(p, a, false)).isEqualTo(Access.OK);
        long zero = p.pageTable().getPte(a);
        assertThat(Pte.special(zero)).isTrue();
        assertThat(PageTable.normalFolio(memmap, zero)).as("the zero page's special PTE").isNull();

        assertThat(mm.touch(p, a + MemSize.PAGE_SIZE, true)).isEqualTo(Access.OK);
        long pte = p.pageTable().getPte(a + MemSize.PAGE_SIZE);
        Folio f = PageTable.normalFolio(memmap, pte);
        assertThat(f).isInstanceOf(AnonFolio.class);
        assertThat(f.contains(Pte.pfn(pte))).isTrue();

        assertThat(PageTable.normalFolio(memmap, Pte.swap(new SwapEntry(1, 42)))).as("swap entry").isNull();
        assertThat(PageTable.normalFolio(memmap, Pte.poison(f.pfn()))).as("poison entry").isNull();
    }

    @Test
    void aNormalPteOnAFrameNoFolioOwnsIsABrokenInvariant() {
        machine = Machine.boot(PhysConfig.of(MemSize.parse("32M"), false));
        PageTable pt = PageTable.create(machine.phys());
        int tableFrame = machine.phys().memmap().nrFrames() - 1;
        while (!(machine.phys().memmap().raw(tableFrame) instanceof PageTablePage)) {
            tableFrame--;
        }
        long wrong = Pte.present(tableFrame, false, true);
        assertThatThrownBy(() -> PageTable.normalFolio(machine.phys().memmap(), wrong))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a folio");
        pt.destroy();
    }
}
