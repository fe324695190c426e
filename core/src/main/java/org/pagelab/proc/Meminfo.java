package org.pagelab.proc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.pagelab.machine.Machine;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PageAllocator;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;

/**
 * The /proc/meminfo file of one machine: the fields pagelab maintains, computed from its counters
 * and printed in the kernel's order and layout (fs/proc/meminfo.c).
 *
 * <p>Each line is a {@link Field}: the kernel's name, the exact text printed before the number, the
 * width the number is right-aligned in, and the unit after it. Most lines are the kernel's
 * {@code show_val_kb}: name and colon padded to 16 columns, the value in kB right-aligned in 8, then
 * " kB". Fields pagelab starts to maintain are added to {@link #FIELDS} at their place in the
 * kernel's order.
 */
public final class Meminfo {

    /**
     * One line of /proc/meminfo.
     *
     * @param name  the kernel's field name, without the colon
     * @param label the text printed before the number, spaces included
     * @param width the minimum width the number is right-aligned in
     * @param unit  the text after the number, before the newline
     * @param value the printed value of a machine, in the line's unit
     */
    public record Field(String name, String label, int width, String unit, ToLongFunction<Machine> value) {

        /** A {@code show_val_kb} line: {@code pages} printed in kB as "%-16s%8lu kB". */
        static Field kb(String name, ToLongFunction<Machine> pages) {
            return new Field(name, Columns.padRight(name + ":", 16), 8, " kB",
                    m -> pages.applyAsLong(m) << (MemSize.PAGE_SHIFT - 10));
        }

        /** The field's line for {@code machine}, newline included. */
        String line(Machine machine) {
            return label + Columns.padLeft(Long.toString(value.applyAsLong(machine)), width) + unit + "\n";
        }
    }

    /** The fields pagelab maintains, in the kernel's order. */
    public static final List<Field> FIELDS = List.of(
            Field.kb("MemTotal", m -> m.phys().managedPages()),
            Field.kb("MemFree", m -> m.phys().freePages()),
            Field.kb("MemAvailable", Meminfo::availablePages),
            Field.kb("Buffers", Meminfo::bufferPages),
            Field.kb("Cached", Meminfo::cachedPages),
            Field.kb("SwapCached", m -> m.vmstat().get(VmItem.NR_SWAPCACHED)),
            Field.kb("Active", m -> m.vmstat().get(VmItem.NR_ACTIVE_ANON) + m.vmstat().get(VmItem.NR_ACTIVE_FILE)),
            Field.kb("Inactive", m -> m.vmstat().get(VmItem.NR_INACTIVE_ANON) + m.vmstat().get(VmItem.NR_INACTIVE_FILE)),
            Field.kb("Active(anon)", m -> m.vmstat().get(VmItem.NR_ACTIVE_ANON)),
            Field.kb("Inactive(anon)", m -> m.vmstat().get(VmItem.NR_INACTIVE_ANON)),
            Field.kb("Active(file)", m -> m.vmstat().get(VmItem.NR_ACTIVE_FILE)),
            Field.kb("Inactive(file)", m -> m.vmstat().get(VmItem.NR_INACTIVE_FILE)),
            Field.kb("Unevictable", m -> m.vmstat().get(VmItem.NR_UNEVICTABLE)),
            Field.kb("SwapTotal", m -> m.swap().devices().totalPages()),
            Field.kb("SwapFree", m -> m.swap().devices().freePages()),
            Field.kb("Dirty", m -> m.vmstat().get(VmItem.NR_DIRTY)),
            Field.kb("Writeback", m -> m.vmstat().get(VmItem.NR_WRITEBACK)),
            Field.kb("AnonPages", m -> m.vmstat().get(VmItem.NR_ANON_PAGES)),
            Field.kb("Mapped", m -> m.vmstat().get(VmItem.NR_MAPPED)),
            Field.kb("Shmem", m -> m.vmstat().get(VmItem.NR_SHMEM)),
            Field.kb("KReclaimable", m -> m.vmstat().get(VmItem.NR_SLAB_RECLAIMABLE)),
            Field.kb("Slab", m -> m.vmstat().get(VmItem.NR_SLAB_RECLAIMABLE) + m.vmstat().get(VmItem.NR_SLAB_UNRECLAIMABLE)),
            Field.kb("SReclaimable", m -> m.vmstat().get(VmItem.NR_SLAB_RECLAIMABLE)),
            Field.kb("SUnreclaim", m -> m.vmstat().get(VmItem.NR_SLAB_UNRECLAIMABLE)),
            Field.kb("PageTables", m -> m.vmstat().get(VmItem.NR_PAGE_TABLE_PAGES)),
            Field.kb("CommitLimit", m -> m.overcommit().commitLimitPages()),
            Field.kb("Committed_AS", Meminfo::committedPages),
            new Field("HardwareCorrupted", "HardwareCorrupted: ", 5, " kB",
                    m -> m.phys().poisonedPages() << (MemSize.PAGE_SHIFT - 10)), // its own "%5lu kB" format
            Field.kb("AnonHugePages", m -> m.vmstat().get(VmItem.NR_ANON_TRANSPARENT_HUGEPAGES) * 512), // HPAGE_PMD_NR pages each
            Field.kb("FileHugePages", m -> m.vmstat().get(VmItem.NR_FILE_HUGEPAGES) * 512),
            Field.kb("FilePmdMapped", m -> m.vmstat().get(VmItem.NR_FILE_PMDMAPPED) * 512));

    private final Machine machine;

    /** The meminfo view of {@code machine}; every call reads the machine's current counters. */
    public Meminfo(Machine machine) {
        this.machine = machine;
    }

    /** The fields in the kernel's order, keyed by kernel name (no colon), with their printed values. */
    public Map<String, Long> fields() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Field f : FIELDS) {
            m.put(f.name(), f.value().applyAsLong(machine));
        }
        return m;
    }

    /** The file's text, as {@code cat /proc/meminfo} shows it. */
    public String render() {
        StringBuilder sb = new StringBuilder(FIELDS.size() * 28);
        for (Field f : FIELDS) {
            sb.append(f.line(machine));
        }
        return sb.toString();
    }

    /**
     * MemAvailable in pages, the kernel's si_mem_available: free pages less the reserves, plus the
     * page cache and the reclaimable slab that could be freed without swapping, each less the part
     * assumed to stay (half of it, at most the sum of the low watermarks), floored at zero.
     *
     * <p>The page cache counted is the file LRU lists, as the kernel counts it (shmem pages sit
     * on the anon lists, so they are not available).
     */
    public static long availablePages(Machine machine) {
        PageAllocator phys = machine.phys();
        VmStat vs = machine.vmstat();
        long wmarkLow = phys.lowWatermarkPages();
        long available = phys.freePages() - phys.totalreservePages();
        long pagecache = vs.get(VmItem.NR_ACTIVE_FILE) + vs.get(VmItem.NR_INACTIVE_FILE);
        available += pagecache - Math.min(pagecache / 2, wmarkLow);
        long reclaimable = vs.get(VmItem.NR_SLAB_RECLAIMABLE);
        available += reclaimable - Math.min(reclaimable / 2, wmarkLow);
        return Math.max(0, available);
    }

    /**
     * Committed_AS in pages: the kernel's vm_committed_as, the pages of private writable (accounted)
     * mappings of every live process and of the shmem objects of shared anonymous mappings.
     */
    public static long committedPages(Machine machine) {
        long pages = machine.vfs().shmemCommittedPages();
        for (org.pagelab.memory.Process p : machine.memory().processes().values()) {
            if (p.alive()) {
                pages += p.mm().committedPages();
            }
        }
        return pages;
    }

    /** Buffers in pages: block-device page cache, which pagelab does not have. */
    private static long bufferPages(Machine machine) {
        return 0;
    }

    /**
     * Cached in pages: nr_file_pages less Buffers and the swap cache, floored at zero.
     */
    private static long cachedPages(Machine machine) {
        return Math.max(0, machine.vmstat().get(VmItem.NR_FILE_PAGES) - machine.vmstat().get(VmItem.NR_SWAPCACHED)
                - bufferPages(machine));
    }
}
