package org.pagelab.vma;

import org.pagelab.slab.SlabObject;

/**
 * One link between a VMA and an anon_vma (the kernel's anon_vma_chain): the VMA is on the
 * anon_vma's set, and the anon_vma is on the VMA's chain list. A slab object of the
 * anon_vma_chain cache.
 */
public final class AnonVmaChain {
    private Vma vma;
    private final AnonVma anonVma;
    private final SlabObject slabObject;

    AnonVmaChain(Vma vma, AnonVma anonVma, SlabObject slabObject) {
        this.vma = vma;
        this.anonVma = anonVma;
        this.slabObject = slabObject;
    }

    public Vma vma() {
        return vma;
    }

    public AnonVma anonVma() {
        return anonVma;
    }

    SlabObject slabObject() {
        return slabObject;
    }

    /** Moves the link to {@code v} when a merge folds this chain's VMA into {@code v}. */
    void moveTo(Vma v) {
        this.vma = v;
    }

    @Override
    public String toString() {
        return "avc(" + vma + " -> " + anonVma + ")";
    }
}
