package org.pagelab.pgtable;

import org.pagelab.desc.SwapEntry;

/**
 * A page table entry packed into one {@code long}, laid out as x86-64 lays out its PTEs.
 *
 * <p>A zero word is the empty entry ({@code pte_none}). Any other word is either present (bit 0
 * set) or a non-present entry whose kind field says what the remaining bits hold:
 * <pre>
 * present (bit 0 = 1):
 *   63 62      52 51                                        12 11 10 9 8 7 6 5 4 3 2 1 0
 *  +--+----------+--------------------------------------------+-----+-+---+-+-+---+-+-+-+
 *  |NX|    0     |                 pfn (40)                   |  0  |S| 0 |D|A| 0 |U|W|P|
 *  +--+----------+--------------------------------------------+-----+-+---+-+-+---+-+-+-+
 *   NX no-execute, S special (_PAGE_SPECIAL, the shared zero page), D dirty, A accessed,
 *   U user, W writable, P present
 *
 * non-present, non-zero (bit 0 = 0):
 *   63    58 57                                               8 7        3 2    1 0
 *  +--------+--------------------------------------------------+-----------+------+-+
 *  |   0    |           offset (50): swap offset or pfn         | type (5)  | kind |0|
 *  +--------+--------------------------------------------------+-----------+------+-+
 *   kind SWAP = 1: type = swap device, offset = slot on it
 *   kind POISON = 2: offset = pfn of the poisoned frame, type = 0
 *   kind MIGRATION = 3: offset = pfn of the frame being migrated, type = the bits the present
 *     entry had: W (bit 0), U (1), A (2), D (3), NX (4); exists only inside one migration
 * </pre>
 * An upper-level entry (PGD, PUD, PMD) pointing at the next table uses the present layout with
 * P|W|U|A|D set ({@code _PAGE_TABLE}); see {@link #table(int)}. The shared zero page is mapped
 * with {@link #presentSpecial(int)}.
 *
 * <p>All methods are static and allocation-free; the class has no instances.
 */
public final class Pte {
    /** Width of the present bit. */
    public static final int PRESENT_BITS = 1;
    /** Width of the non-present kind field. */
    public static final int KIND_BITS = 2;
    /** Width of the swap type field: 32 swap devices ({@link SwapEntry#TYPE_BITS}). */
    public static final int SWAP_TYPE_BITS = SwapEntry.TYPE_BITS;
    /** Width of the swap offset field (also holds a pfn for poison entries; {@link SwapEntry#OFFSET_BITS}). */
    public static final int SWAP_OFFSET_BITS = SwapEntry.OFFSET_BITS;
    /** Width of the page frame number field of a present entry. */
    public static final int PFN_BITS = 40;

    /** Bit of the present flag. */
    public static final int PRESENT_BIT = 0;
    /** Bit of the writable flag (_PAGE_RW). */
    public static final int WRITABLE_BIT = 1;
    /** Bit of the user flag (_PAGE_USER). */
    public static final int USER_BIT = 2;
    /** Bit of the accessed flag (_PAGE_ACCESSED). */
    public static final int ACCESSED_BIT = 5;
    /** Bit of the dirty flag (_PAGE_DIRTY). */
    public static final int DIRTY_BIT = 6;
    /** Bit of the special flag (_PAGE_SPECIAL): no struct page refcounting, the zero page. */
    public static final int SPECIAL_BIT = 9;
    /** Bit of the no-execute flag (_PAGE_NX). */
    public static final int NX_BIT = 63;
    /** First bit of the pfn of a present entry (PAGE_SHIFT). */
    public static final int PFN_SHIFT = 12;

    /** First bit of the kind field of a non-present entry. */
    public static final int KIND_SHIFT = PRESENT_BIT + PRESENT_BITS;
    /** First bit of the swap type field. */
    public static final int SWAP_TYPE_SHIFT = KIND_SHIFT + KIND_BITS;
    /** First bit of the swap offset field. */
    public static final int SWAP_OFFSET_SHIFT = SWAP_TYPE_SHIFT + SWAP_TYPE_BITS;

    /** Kind of a swap entry. */
    public static final int KIND_SWAP = 1;
    /** Kind of a poisoned-frame entry (memory failure). */
    public static final int KIND_POISON = 2;
    /** Kind of a migration entry: a page being moved to another frame (see {@link #migration}). */
    public static final int KIND_MIGRATION = 3;

    public static final long PRESENT = 1L << PRESENT_BIT;
    public static final long WRITABLE = 1L << WRITABLE_BIT;
    public static final long USER = 1L << USER_BIT;
    public static final long ACCESSED = 1L << ACCESSED_BIT;
    public static final long DIRTY = 1L << DIRTY_BIT;
    public static final long SPECIAL = 1L << SPECIAL_BIT;
    public static final long NX = 1L << NX_BIT;
    public static final long PFN_MASK = ((1L << PFN_BITS) - 1) << PFN_SHIFT;
    public static final long KIND_MASK = ((1L << KIND_BITS) - 1) << KIND_SHIFT;
    public static final long SWAP_TYPE_MASK = ((1L << SWAP_TYPE_BITS) - 1) << SWAP_TYPE_SHIFT;
    public static final long SWAP_OFFSET_MASK = ((1L << SWAP_OFFSET_BITS) - 1) << SWAP_OFFSET_SHIFT;
    /** Flags of an entry pointing at a lower-level table (_PAGE_TABLE). */
    public static final long TABLE_FLAGS = PRESENT | WRITABLE | USER | ACCESSED | DIRTY;

    private static final long PRESENT_FLAGS = PRESENT | WRITABLE | USER | ACCESSED | DIRTY | SPECIAL | NX;

    static {
        if ((PRESENT_FLAGS & PFN_MASK) != 0 || PFN_SHIFT + PFN_BITS > NX_BIT
                || Long.bitCount(PRESENT_FLAGS) != 7 || SPECIAL_BIT >= PFN_SHIFT) {
            throw new ExceptionInInitializerError("present PTE fields overlap");
        }
        if (SWAP_OFFSET_SHIFT + SWAP_OFFSET_BITS > Long.SIZE
                || ((PRESENT | KIND_MASK | SWAP_TYPE_MASK | SWAP_OFFSET_MASK) != (-1L >>> (Long.SIZE
                        - SWAP_OFFSET_SHIFT - SWAP_OFFSET_BITS)))) {
            throw new ExceptionInInitializerError("non-present PTE fields overlap or leave gaps");
        }
        if (PFN_BITS < Integer.SIZE - 1 || SWAP_OFFSET_BITS < Integer.SIZE - 1) {
            throw new ExceptionInInitializerError("pfn fields narrower than an int pfn");
        }
    }

    private Pte() {
    }

    // ---- present entries ----

    /**
     * A present, young (accessed), clean entry mapping frame {@code pfn}.
     * Requires: {@code pfn >= 0}.
     */
    public static long present(int pfn, boolean writable, boolean user) {
        checkPfn(pfn);
        return PRESENT | ACCESSED | ((long) pfn << PFN_SHIFT)
                | (writable ? WRITABLE : 0) | (user ? USER : 0);
    }

    /**
     * A present, read-only, user, special entry for {@code pfn}: the mapping of the shared zero
     * page, which is not reference counted. Requires: {@code pfn >= 0}.
     */
    public static long presentSpecial(int pfn) {
        return present(pfn, false, true) | SPECIAL;
    }

    /** An upper-level entry pointing at the table in frame {@code pfn}. Requires: {@code pfn >= 0}. */
    public static long table(int pfn) {
        checkPfn(pfn);
        return TABLE_FLAGS | ((long) pfn << PFN_SHIFT);
    }

    /** Whether {@code pte} is empty (pte_none). */
    public static boolean isNone(long pte) {
        return pte == 0;
    }

    /** Whether {@code pte} maps a frame (pte_present). */
    public static boolean isPresent(long pte) {
        return (pte & PRESENT) != 0;
    }

    /** Frame number of a present entry. Requires: {@link #isPresent}. */
    public static int pfn(long pte) {
        requirePresent(pte);
        return (int) ((pte & PFN_MASK) >>> PFN_SHIFT);
    }

    /** Whether a present entry allows writes. */
    public static boolean writable(long pte) {
        return isPresent(pte) && (pte & WRITABLE) != 0;
    }

    /** Whether a present entry allows user access. */
    public static boolean user(long pte) {
        return isPresent(pte) && (pte & USER) != 0;
    }

    /** Whether a present entry has been written through. */
    public static boolean dirty(long pte) {
        return isPresent(pte) && (pte & DIRTY) != 0;
    }

    /** Whether a present entry has been used since its accessed bit was last cleared. */
    public static boolean accessed(long pte) {
        return isPresent(pte) && (pte & ACCESSED) != 0;
    }

    /** Whether a present entry is special (pte_special). */
    public static boolean special(long pte) {
        return isPresent(pte) && (pte & SPECIAL) != 0;
    }

    /** Whether a present entry forbids instruction fetch. */
    public static boolean noExecute(long pte) {
        return isPresent(pte) && (pte & NX) != 0;
    }

    /** {@code pte} with the dirty bit set. Requires: present. */
    public static long mkDirty(long pte) {
        requirePresent(pte);
        return pte | DIRTY;
    }

    /** {@code pte} with the dirty bit clear. Requires: present. */
    public static long mkClean(long pte) {
        requirePresent(pte);
        return pte & ~DIRTY;
    }

    /** {@code pte} with the accessed bit set. Requires: present. */
    public static long mkYoung(long pte) {
        requirePresent(pte);
        return pte | ACCESSED;
    }

    /** {@code pte} with the accessed bit clear. Requires: present. */
    public static long mkOld(long pte) {
        requirePresent(pte);
        return pte & ~ACCESSED;
    }

    /** {@code pte} with the writable bit set. Requires: present. */
    public static long mkWrite(long pte) {
        requirePresent(pte);
        return pte | WRITABLE;
    }

    /** {@code pte} with the writable bit clear (pte_wrprotect). Requires: present. */
    public static long wrprotect(long pte) {
        requirePresent(pte);
        return pte & ~WRITABLE;
    }

    /** {@code pte} with the no-execute bit set. Requires: present. */
    public static long mkNoExecute(long pte) {
        requirePresent(pte);
        return pte | NX;
    }

    // ---- non-present entries ----

    /** The non-present entry holding swap entry {@code e} (swp_entry_to_pte). */
    public static long swap(SwapEntry e) {
        return nonPresent(KIND_SWAP, e.type(), e.offset());
    }

    /** An entry recording that frame {@code pfn} was poisoned by a memory failure. Requires: {@code pfn >= 0}. */
    public static long poison(int pfn) {
        checkPfn(pfn);
        return nonPresent(KIND_POISON, 0, pfn);
    }

    /** Kind of a non-present, non-zero entry: {@link #KIND_SWAP}, {@link #KIND_POISON} or {@link #KIND_MIGRATION}. */
    public static int kind(long pte) {
        if (pte == 0 || isPresent(pte)) {
            throw new IllegalArgumentException("not a non-present entry: " + describe(pte));
        }
        return (int) ((pte & KIND_MASK) >>> KIND_SHIFT);
    }

    /** Whether {@code pte} is a swap entry. */
    public static boolean isSwap(long pte) {
        return !isPresent(pte) && ((pte & KIND_MASK) >>> KIND_SHIFT) == KIND_SWAP;
    }

    /** Whether {@code pte} is a poisoned-frame entry. */
    public static boolean isPoison(long pte) {
        return !isPresent(pte) && ((pte & KIND_MASK) >>> KIND_SHIFT) == KIND_POISON;
    }

    /** Whether {@code pte} is a migration entry. */
    public static boolean isMigration(long pte) {
        return !isPresent(pte) && ((pte & KIND_MASK) >>> KIND_SHIFT) == KIND_MIGRATION;
    }

    /** The swap entry a swap PTE holds (pte_to_swp_entry). Requires: {@link #isSwap}. */
    public static SwapEntry swapEntry(long pte) {
        if (!isSwap(pte)) {
            throw new IllegalArgumentException("not a swap entry: " + describe(pte));
        }
        return new SwapEntry((int) ((pte & SWAP_TYPE_MASK) >>> SWAP_TYPE_SHIFT), (pte & SWAP_OFFSET_MASK) >>> SWAP_OFFSET_SHIFT);
    }

    /** Frame of a poisoned-frame entry. Requires: {@link #isPoison}. */
    public static int poisonPfn(long pte) {
        if (!isPoison(pte)) {
            throw new IllegalArgumentException("not a poison entry: " + describe(pte));
        }
        return (int) ((pte & SWAP_OFFSET_MASK) >>> SWAP_OFFSET_SHIFT);
    }

    /** Bits of a migration entry's type field, one per present-entry bit it keeps. */
    private static final int MIG_WRITE = 1;
    private static final int MIG_USER = 2;
    private static final int MIG_YOUNG = 4;
    private static final int MIG_DIRTY = 8;
    private static final int MIG_NX = 16;

    static {
        if (MIG_NX >= 1 << SWAP_TYPE_BITS) {
            throw new ExceptionInInitializerError("migration entry bits overflow the type field");
        }
    }

    /**
     * The migration entry that stands in for present entry {@code pte} while its page moves
     * (make_writable_migration_entry and friends): the frame it mapped, and its writable, user,
     * accessed, dirty and no-execute bits, which {@link #fromMigration} gives back.
     * Requires: {@code pte} present.
     */
    public static long migration(long pte) {
        requirePresent(pte);
        int bits = ((pte & WRITABLE) != 0 ? MIG_WRITE : 0) | ((pte & USER) != 0 ? MIG_USER : 0)
                | ((pte & ACCESSED) != 0 ? MIG_YOUNG : 0) | ((pte & DIRTY) != 0 ? MIG_DIRTY : 0)
                | ((pte & NX) != 0 ? MIG_NX : 0);
        return nonPresent(KIND_MIGRATION, bits, pfn(pte));
    }

    /** The frame a migration entry names. Requires: {@link #isMigration}. */
    public static int migrationPfn(long pte) {
        if (!isMigration(pte)) {
            throw new IllegalArgumentException("not a migration entry: " + describe(pte));
        }
        return (int) ((pte & SWAP_OFFSET_MASK) >>> SWAP_OFFSET_SHIFT);
    }

    /**
     * The present entry for frame {@code pfn} with the bits migration entry {@code entry} kept
     * (remove_migration_pte). Requires: {@link #isMigration}, {@code pfn >= 0}.
     */
    public static long fromMigration(long entry, int pfn) {
        migrationPfn(entry);
        int bits = (int) ((entry & SWAP_TYPE_MASK) >>> SWAP_TYPE_SHIFT);
        long pte = present(pfn, (bits & MIG_WRITE) != 0, (bits & MIG_USER) != 0) & ~ACCESSED;
        return pte | ((bits & MIG_YOUNG) != 0 ? ACCESSED : 0) | ((bits & MIG_DIRTY) != 0 ? DIRTY : 0)
                | ((bits & MIG_NX) != 0 ? NX : 0);
    }

    /** Whether {@code pte} is a word one of this class's pack methods can produce (zero included). */
    public static boolean isValid(long pte) {
        if (pte == 0) {
            return true;
        }
        if (isPresent(pte)) {
            return (pte & ~(PRESENT_FLAGS | PFN_MASK)) == 0 && (pte & PFN_MASK) >>> PFN_SHIFT <= Integer.MAX_VALUE;
        }
        long known = KIND_MASK | SWAP_TYPE_MASK | SWAP_OFFSET_MASK;
        if ((pte & ~known) != 0) {
            return false;
        }
        if (isSwap(pte)) {
            return true;
        }
        if (isMigration(pte)) {
            return (pte & SWAP_TYPE_MASK) >>> SWAP_TYPE_SHIFT <= (MIG_NX << 1) - 1
                    && (pte & SWAP_OFFSET_MASK) >>> SWAP_OFFSET_SHIFT <= Integer.MAX_VALUE;
        }
        return isPoison(pte) && (pte & SWAP_TYPE_MASK) == 0
                && (pte & SWAP_OFFSET_MASK) >>> SWAP_OFFSET_SHIFT <= Integer.MAX_VALUE;
    }

    /** A readable form for dumps and messages: {@code pte[pfn=.. W U A D S NX]}, {@code swap[..]}. */
    public static String describe(long pte) {
        if (pte == 0) {
            return "none";
        }
        if (isPresent(pte)) {
            StringBuilder sb = new StringBuilder("pte[pfn=").append((pte & PFN_MASK) >>> PFN_SHIFT);
            sb.append((pte & WRITABLE) != 0 ? " W" : "").append((pte & USER) != 0 ? " U" : "");
            sb.append((pte & ACCESSED) != 0 ? " A" : "").append((pte & DIRTY) != 0 ? " D" : "");
            sb.append((pte & SPECIAL) != 0 ? " S" : "").append((pte & NX) != 0 ? " NX" : "");
            return sb.append(" 0x").append(Long.toHexString(pte)).append(']').toString();
        }
        long type = (pte & SWAP_TYPE_MASK) >>> SWAP_TYPE_SHIFT;
        long offset = (pte & SWAP_OFFSET_MASK) >>> SWAP_OFFSET_SHIFT;
        String kind = switch ((int) ((pte & KIND_MASK) >>> KIND_SHIFT)) {
            case KIND_SWAP -> "swap";
            case KIND_POISON -> "poison";
            case KIND_MIGRATION -> "migration";
            default -> "bad";
        };
        return kind + "[type=" + type + " offset=" + offset + " 0x" + Long.toHexString(pte) + "]";
    }

    private static long nonPresent(int kind, int type, long offset) {
        return ((long) kind << KIND_SHIFT) | ((long) type << SWAP_TYPE_SHIFT) | (offset << SWAP_OFFSET_SHIFT);
    }

    private static void checkPfn(int pfn) {
        if (pfn < 0) {
            throw new IllegalArgumentException("negative pfn: " + pfn);
        }
    }

    private static void requirePresent(long pte) {
        if (!isPresent(pte)) {
            throw new IllegalArgumentException("not a present entry: " + describe(pte));
        }
    }
}
