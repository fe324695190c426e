package org.pagelab.pgtable;

import org.pagelab.desc.PageTablePage;

/**
 * A callback of {@link PageTable#forEachPresentOrSwap}: one non-empty PTE at {@code addr}, held at
 * {@code table.get(index)}. The visitor may rewrite or clear that entry through
 * {@code table.set(index, ...)}; it must not change other tables of the walk.
 */
@FunctionalInterface
public interface PteVisitor {
    void visit(long addr, PageTablePage table, int index, long pte);
}
