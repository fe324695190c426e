package org.pagelab.vma;

import java.util.function.LongSupplier;
import org.pagelab.phys.MemSize;

/**
 * The machine's commit accounting and overcommit policy: vm_committed_as, vm.overcommit_memory,
 * vm.overcommit_ratio and vm.overcommit_kbytes, and the test __vm_enough_memory (mm/util.c) makes
 * before a private writable mapping, an mprotect that makes one writable, or a fork copies one.
 *
 * <p>The three modes (Documentation/mm/overcommit-accounting.rst):
 * <pre>
 *   0 GUESS   refuse only a single request larger than totalram + total swap
 *   1 ALWAYS  never refuse
 *   2 NEVER   refuse when committed + request would reach
 *               CommitLimit - admin_reserve - min(total_vm / 32, user_reserve)
 *             CommitLimit = overcommit_kbytes, or (totalram * overcommit_ratio / 100), plus swap
 * </pre>
 * admin_reserve_kbytes and user_reserve_kbytes are set at boot from the free memory as the kernel's
 * init_admin_reserve and init_user_reserve set them: min(free/32, 8 MiB) and min(free/32, 128 MiB).
 * pagelab's processes run without CAP_SYS_ADMIN, so the admin reserve always applies in mode 2.
 * Shmem is not counted (the kernel accounts shared anonymous memory and tmpfs pages too).
 *
 * <p>Invariant: {@code committed == sum over live address spaces of Mm.committedPages()}, which
 * the address spaces keep by reporting every change of their VM_ACCOUNT pages.
 */
public final class Overcommit {
    /** vm.overcommit_memory. */
    public enum Mode {
        /** 0: the heuristic. */
        GUESS,
        /** 1: always overcommit. */
        ALWAYS,
        /** 2: strict accounting against CommitLimit. */
        NEVER;

        /** The mode of sysctl value {@code v} (0, 1 or 2). */
        public static Mode of(int v) {
            if (v < 0 || v > 2) {
                throw new IllegalArgumentException("overcommit_memory takes 0, 1 or 2, not " + v);
            }
            return values()[v];
        }
    }

    private final LongSupplier totalramPages;
    private final LongSupplier totalSwapPages;
    private final long adminReserveKbytes;
    private final long userReserveKbytes;
    private Mode mode = Mode.GUESS;
    private int ratio = 50;
    private long kbytes;
    private long committed;

    /**
     * The policy of a machine whose totalram and total swap pages {@code totalramPages} and
     * {@code totalSwapPages} give, with {@code freePagesAtBoot} free pages when the reserves are set.
     */
    public Overcommit(LongSupplier totalramPages, LongSupplier totalSwapPages, long freePagesAtBoot) {
        this.totalramPages = totalramPages;
        this.totalSwapPages = totalSwapPages;
        long freeKbytes = freePagesAtBoot << (MemSize.PAGE_SHIFT - 10);
        this.adminReserveKbytes = Math.min(freeKbytes / 32, 1L << 13);
        this.userReserveKbytes = Math.min(freeKbytes / 32, 1L << 17);
    }

    public Mode mode() {
        return mode;
    }

    /** Sets vm.overcommit_memory. */
    public void setMode(Mode mode) {
        this.mode = mode;
    }

    /** Sets vm.overcommit_ratio, the percent of RAM that CommitLimit counts (default 50). */
    public void setRatio(int ratio) {
        if (ratio < 0) {
            throw new IllegalArgumentException("overcommit_ratio must not be negative: " + ratio);
        }
        this.ratio = ratio;
        this.kbytes = 0;
    }

    /** Sets vm.overcommit_kbytes; a non-zero value replaces the ratio, as writing either clears the other. */
    public void setKbytes(long kbytes) {
        if (kbytes < 0) {
            throw new IllegalArgumentException("overcommit_kbytes must not be negative: " + kbytes);
        }
        this.kbytes = kbytes;
        if (kbytes != 0) {
            this.ratio = 0;
        }
    }

    public int ratio() {
        return ratio;
    }

    public long kbytes() {
        return kbytes;
    }

    public long adminReserveKbytes() {
        return adminReserveKbytes;
    }

    public long userReserveKbytes() {
        return userReserveKbytes;
    }

    /** vm_commit_limit in pages: CommitLimit in /proc/meminfo. */
    public long commitLimitPages() {
        long allowed = kbytes != 0 ? kbytes >> (MemSize.PAGE_SHIFT - 10) : totalramPages.getAsLong() * ratio / 100;
        return allowed + totalSwapPages.getAsLong();
    }

    /** vm_committed_as in pages: Committed_AS in /proc/meminfo. */
    public long committedPages() {
        return committed;
    }

    /**
     * __vm_enough_memory: whether {@code pages} more pages may be committed for address space
     * {@code mm} (whose mappings so far are {@code totalVm} pages). Changes nothing; the address
     * space accounts the pages when it maps them.
     */
    public boolean enoughMemory(long totalVm, long pages) {
        return switch (mode) {
            case ALWAYS -> true;
            case GUESS -> pages <= totalramPages.getAsLong() + totalSwapPages.getAsLong();
            case NEVER -> {
                long allowed = commitLimitPages() - (adminReserveKbytes >> (MemSize.PAGE_SHIFT - 10));
                allowed -= Math.min(totalVm / 32, userReserveKbytes >> (MemSize.PAGE_SHIFT - 10));
                yield committed + pages < allowed;
            }
        };
    }

    /**
     * shmem_acct_size: commits {@code pages} for a shmem object that is not an address space's
     * mapping (the shmem object behind a shared anonymous mapping) when the policy allows it.
     * Returns whether it did.
     */
    public boolean tryAccountObject(long pages) {
        if (!enoughMemory(0, pages)) {
            return false;
        }
        account(pages);
        return true;
    }

    /** shmem_unacct_size: gives back the {@code pages} an object committed. */
    public void unaccountObject(long pages) {
        account(-pages);
    }

    /** vm_acct_memory / vm_unacct_memory: {@code pages} (negative to release) of VM_ACCOUNT mappings. */
    void account(long pages) {
        committed += pages;
        if (committed < 0) {
            throw new IllegalStateException("vm_committed_as below zero: " + committed);
        }
    }
}
