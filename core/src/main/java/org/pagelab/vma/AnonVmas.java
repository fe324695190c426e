package org.pagelab.vma;

import org.pagelab.slab.KmemCache;
import org.pagelab.slab.SlabObject;

/**
 * The anon_vma side of one address space's VMAs (the anon_vma functions of mm/rmap.c and the
 * anon_vma merge rule of mm/mmap.c): giving a VMA its anon_vma, cloning chains on split and
 * fork, unlinking them when a VMA goes, and moving them when VMAs merge. {@link Mm} calls these
 * from its VMA operations; the anon_vmas and their chain links are objects of their two slab
 * caches, freed as soon as nothing links them.
 *
 * <p>Invariant ({@link #checkChain}): a VMA has an anon_vma exactly when its chain is non-empty,
 * its own anon_vma is on its chain, and every link names the VMA and a live anon_vma that holds it.
 */
final class AnonVmas {
    private final KmemCache anonVmaCache;
    private final KmemCache chainCache;

    AnonVmas(KmemCache anonVmaCache, KmemCache chainCache) {
        this.anonVmaCache = anonVmaCache;
        this.chainCache = chainCache;
    }

    /**
     * anon_vma_prepare for {@code v}, which has none, between neighbours {@code prev} and
     * {@code next} (either may be null): reuses a neighbour's anon_vma when the two VMAs could
     * merge and it is the neighbour's own alone (find_mergeable_anon_vma). Returns false when slab
     * memory runs out.
     */
    boolean prepare(Vma v, Vma prev, Vma next) {
        AnonVma reuse = null;
        if (prev != null && reusable(prev, v)) {
            reuse = prev.anonVma();
        } else if (next != null && reusable(v, next)) {
            reuse = next.anonVma();
        }
        SlabObject link = chainCache.alloc();
        if (link == null) {
            return false;
        }
        AnonVma a = reuse;
        if (a == null) {
            SlabObject o = anonVmaCache.alloc();
            if (o == null) {
                chainCache.free(link);
                return false;
            }
            a = new AnonVma(null, o);
        }
        link(v, a, link);
        v.setAnonVma(a);
        return true;
    }

    /** Whether the anon_vma of the one of {@code lo}, {@code hi} that has it can be shared by both. */
    private static boolean reusable(Vma lo, Vma hi) {
        Vma owner = lo.anonVma() != null ? lo : hi;
        return lo.end() == hi.start() && lo.file() == hi.file() && lo.pgoff() + lo.pages() == hi.pgoff()
                && (lo.flags() & ~VmFlags.PROT_MASK) == (hi.flags() & ~VmFlags.PROT_MASK)
                && owner.anonVma() != null && owner.chainList().size() == 1;
    }

    private static void link(Vma v, AnonVma a, SlabObject o) {
        AnonVmaChain c = new AnonVmaChain(v, a, o);
        v.chainList().add(c);
        a.addChain(c);
    }

    /** anon_vma_clone: links {@code dst} to every anon_vma {@code src} is linked to. */
    boolean cloneChain(Vma dst, Vma src) {
        for (AnonVmaChain c : src.chainList()) {
            SlabObject o = chainCache.alloc();
            if (o == null) {
                unlink(dst);
                return false;
            }
            link(dst, c.anonVma(), o);
        }
        return true;
    }

    /**
     * anon_vma_fork: {@code child}, a copy of {@code parent} in a forked address space, is linked
     * to all of the parent's anon_vmas and gets a new anon_vma of its own, a child of the parent's.
     */
    boolean fork(Vma child, Vma parent) {
        if (parent.anonVma() == null) {
            return true;
        }
        if (!cloneChain(child, parent)) {
            return false;
        }
        SlabObject link = chainCache.alloc();
        SlabObject o = link == null ? null : anonVmaCache.alloc();
        if (o == null) {
            if (link != null) {
                chainCache.free(link);
            }
            unlink(child);
            return false;
        }
        AnonVma a = new AnonVma(parent.anonVma(), o);
        link(child, a, link);
        child.setAnonVma(a);
        return true;
    }

    /** unlink_anon_vmas: drops {@code v}'s links and frees the anon_vmas no one needs any more. */
    void unlink(Vma v) {
        for (AnonVmaChain c : v.chainList()) {
            c.anonVma().removeChain(c);
            chainCache.free(c.slabObject());
            AnonVma a = c.anonVma();
            while (a != null && !a.freed() && a.unused()) {
                anonVmaCache.free(a.slabObject());
                a = a.release();
            }
        }
        v.chainList().clear();
        v.setAnonVma(null);
    }

    /** The anon_vma part of a merge: {@code keep} absorbs {@code gone}, which leaves the set. */
    static void absorb(Vma keep, Vma gone) {
        if (keep.anonVma() == null && gone.anonVma() != null) {
            for (AnonVmaChain c : gone.chainList()) {
                c.moveTo(keep);
                keep.chainList().add(c);
            }
            keep.setAnonVma(gone.anonVma());
            gone.chainList().clear();
            gone.setAnonVma(null);
        }
    }

    /**
     * is_mergeable_anon_vma: the same anon_vma, or only one has one and it is that VMA's alone
     * (not inherited through fork).
     */
    static boolean mergeable(Vma a, Vma b) {
        if (a.anonVma() == b.anonVma()) {
            return true;
        }
        if (a.anonVma() == null) {
            return b.chainList().size() == 1;
        }
        return b.anonVma() == null && a.chainList().size() == 1;
    }

    /** Checks {@code v}'s chain against the invariant in the class comment. */
    static void checkChain(Vma v) {
        boolean own = false;
        for (AnonVmaChain c : v.chainList()) {
            if (c.vma() != v || !c.anonVma().chains().contains(c) || c.anonVma().freed()) {
                throw new IllegalStateException("broken anon_vma chain " + c + " of " + v);
            }
            own |= c.anonVma() == v.anonVma();
        }
        if ((v.anonVma() == null) != v.chainList().isEmpty() || (v.anonVma() != null && !own)) {
            throw new IllegalStateException("VMA " + v + " has anon_vma " + v.anonVma() + " but chain " + v.chainList());
        }
    }
}
