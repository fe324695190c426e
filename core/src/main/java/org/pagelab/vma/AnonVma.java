package org.pagelab.vma;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import org.pagelab.desc.AnonMapping;
import org.pagelab.slab.SlabObject;

/**
 * The kernel's anon_vma: the reverse-mapping root that anonymous folios point at. Its chain set
 * holds one {@link AnonVmaChain} per VMA that may map a folio attached here: the VMA that created
 * it, the pieces it was split into, and the VMAs of every process forked from that one since. A
 * walk over the set, testing each VMA's page table at the folio's linear address, finds every PTE
 * that maps the folio.
 *
 * <p>Fork gives each child VMA a new anon_vma (for the pages it will create) whose parent is the
 * parent VMA's, and chains the child VMA into every anon_vma of the parent's chain, so that pages
 * created before the fork are found through the child as well. An anon_vma lives as long as a VMA
 * is chained to it or a child anon_vma points at it; it is a slab object of the anon_vma cache.
 */
public final class AnonVma implements AnonMapping {
    private final AnonVma root;
    private final AnonVma parent;
    private final Set<AnonVmaChain> chains = new LinkedHashSet<>();
    private int children;
    private SlabObject slabObject;

    AnonVma(AnonVma parent, SlabObject slabObject) {
        this.parent = parent;
        this.root = parent == null ? this : parent.root;
        this.slabObject = slabObject;
        if (parent != null) {
            parent.children++;
        }
    }

    /** The anon_vma at the top of this one's fork ancestry. */
    public AnonVma root() {
        return root;
    }

    /** The anon_vma this one was forked from, or null. */
    public AnonVma parent() {
        return parent;
    }

    /** The chains of the VMAs that may map this anon_vma's folios (the kernel's rb_root). */
    public Set<AnonVmaChain> chains() {
        return Collections.unmodifiableSet(chains);
    }

    /** Anon_vmas forked from this one that still exist. */
    public int children() {
        return children;
    }

    void addChain(AnonVmaChain c) {
        chains.add(c);
    }

    void removeChain(AnonVmaChain c) {
        if (!chains.remove(c)) {
            throw new IllegalStateException("anon_vma chain not linked: " + c);
        }
    }

    boolean unused() {
        return chains.isEmpty() && children == 0;
    }

    SlabObject slabObject() {
        return slabObject;
    }

    /** Marks this anon_vma freed; returns its parent, which lost a child. */
    AnonVma release() {
        slabObject = null;
        if (parent != null) {
            parent.children--;
        }
        return parent;
    }

    boolean freed() {
        return slabObject == null;
    }

    @Override
    public String toString() {
        return "anon_vma@" + Integer.toHexString(System.identityHashCode(this)) + "(chains=" + chains.size()
                + " children=" + children + ")";
    }
}
