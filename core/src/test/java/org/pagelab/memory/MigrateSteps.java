package org.pagelab.memory;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.pagelab.desc.Folio;
import org.pagelab.machine.Machine;
import org.pagelab.pgtable.PageTable;

/** The migration step of the randomized model tests: every folio a range maps moves to other frames. */
final class MigrateSteps {
    private MigrateSteps() {
    }

    /**
     * Migrates every folio mapped in the {@code n} pages from {@code addr} of {@code p}, once each
     * (a huge one whole); a folio that cannot move now (pinned, under writeback, in use) stays.
     */
    static void migrateRange(Machine machine, Process p, long addr, int n) {
        Set<Folio> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int k = 0; k < n; k++) {
            long pte = p.pageTable().getPte(addr + (long) k * PageTable.PAGE_SIZE);
            if (PageTable.normalFolio(machine.phys().memmap(), pte) instanceof Folio f && seen.add(f) && !f.isDead()) {
                machine.compaction().migrate().migrate(f);
            }
        }
    }
}
