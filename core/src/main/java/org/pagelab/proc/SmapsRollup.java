package org.pagelab.proc;

import java.util.LinkedHashMap;
import java.util.Map;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.desc.ShmemFolio;
import org.pagelab.machine.Machine;
import org.pagelab.memory.Process;
import org.pagelab.pgtable.PageTable;
import org.pagelab.phys.MemSize;
import org.pagelab.pgtable.Pte;
import org.pagelab.vma.Vma;

/**
 * The /proc/&lt;pid&gt;/smaps_rollup file of one process: the smaps counters summed over every VMA,
 * computed by walking the present PTEs of each VMA.
 *
 * <p>The header line spans the first VMA's start to the last VMA's end, in the maps layout with
 * "---p" permissions and "[rollup]" as the name. Each counter line is the label padded to 16
 * columns, the value in kB right-aligned in 8, then " kB".
 *
 * <p>Rules, as the kernel's smaps walk applies them (smaps_account): a special PTE (the zero
 * page) maps no normal page and counts nowhere. Every other present PTE adds a page to Rss; the
 * page is shared when its own map count (page_mapcount) is 2 or more, and then adds
 * {@code PAGE_SIZE / mapcount} to Pss, kept in fixed point with {@value #PSS_SHIFT} fraction bits
 * and truncated only when printed. pagelab keeps one map count per folio (the sum of its pages'
 * counts), so a page of a large folio has its count recounted through the reverse map
 * ({@code Rmap.pageMapcounts}, once per folio and read): a PMD mapping counts one for each of
 * its 512 pages, as 6.1's page_mapcount adds the folio's entire map count. The page is dirty
 * when its PTE or its folio is, referenced when its PTE is young or its folio referenced. A huge
 * table stands for one PMD entry: its pages are young (dirty) when any of its entries is, and an
 * anonymous folio mapped by it adds 2 MiB to AnonHugePages, a page-cache folio to FilePmdMapped
 * (smaps_pmd_entry). Swap entries count
 * in Swap, and in SwapPss divided by the slot's count.
 */
public final class SmapsRollup {
    /** Fraction bits of the Pss accumulators. */
    public static final int PSS_SHIFT = 12;

    /** The counter names in the file's order. */
    public static final java.util.List<String> FIELDS = java.util.List.of("Rss", "Pss", "Pss_Dirty", "Pss_Anon",
            "Pss_File", "Pss_Shmem", "Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty", "Referenced",
            "Anonymous", "AnonHugePages", "FilePmdMapped", "Swap", "SwapPss");

    /** Width the maps header is padded to before the name (25 + 6 * sizeof(void *) - 1 on 64-bit). */
    static final int HEADER_WIDTH = 25 + 6 * 8 - 1;

    private final Machine machine;
    private final Process process;

    /** The smaps_rollup view of {@code process}, a process of {@code machine}'s memory manager. */
    public SmapsRollup(Machine machine, Process process) {
        this.machine = machine;
        this.process = process;
    }

    /** Byte counters (Pss ones in fixed point), gathered by one walk. */
    static final class Stats {
        long resident;
        long pss;
        long pssDirty;
        long pssAnon;
        long pssFile;
        long pssShmem;
        long sharedClean;
        long sharedDirty;
        long privateClean;
        long privateDirty;
        long referenced;
        long anonymous;
        long anonHuge;
        long filePmd;
        long swap;
        long swapPss;
        long start;
        long end;

        /** The counters in {@link #FIELDS} order, in bytes; the Pss ones (their names hold "Pss") in fixed point. */
        long[] raw() {
            return new long[] {resident, pss, pssDirty, pssAnon, pssFile, pssShmem, sharedClean, sharedDirty, privateClean,
                privateDirty, referenced, anonymous, anonHuge, filePmd, swap, swapPss};
        }
    }

    private Stats gather() {
        return process.alive() ? gather(process.mm().vmas()) : new Stats();
    }

    /** The counters of {@code vmas}, VMAs of the process, gathered by one walk of each. */
    Stats gather(Iterable<Vma> vmas) {
        Stats s = new Stats();
        java.util.Map<Folio, int[]> pageMapcounts = new java.util.IdentityHashMap<>();
        boolean first = true;
        for (Vma vma : vmas) {
            if (first) {
                s.start = vma.start();
                first = false;
            }
            s.end = vma.end();
            long[] pmdBits = {0}; // accessed and dirty of the PMD a huge table stands for: any entry's
            process.pageTable().forEachPresentOrSwap(vma.start(), vma.end(), (addr, table, index, pte) -> {
                if (Pte.isSwap(pte)) {
                    int count = Math.max(1, machine.swap().devices().swapCount(Pte.swapEntry(pte)));
                    s.swap += MemSize.PAGE_SIZE;
                    s.swapPss += (MemSize.PAGE_SIZE << PSS_SHIFT) / count;
                    return;
                }
                Folio f = PageTable.normalFolio(machine.phys().memmap(), pte);
                if (f == null) {
                    return;
                }
                if (table.huge()) {
                    if (index == 0) {
                        pmdBits[0] = 0;
                        for (int k = 0; k < org.pagelab.desc.PageTablePage.ENTRIES; k++) {
                            pmdBits[0] |= table.get(k);
                        }
                        if (f instanceof AnonFolio) {
                            s.anonHuge += org.pagelab.desc.PageTablePage.ENTRIES * MemSize.PAGE_SIZE; // smaps_pmd_entry
                        } else if (f instanceof PageCacheFolio) {
                            s.filePmd += org.pagelab.desc.PageTablePage.ENTRIES * MemSize.PAGE_SIZE;
                        }
                    }
                    account(s, f, pageMapcount(pageMapcounts, f, pte), Pte.dirty(pmdBits[0]), Pte.accessed(pmdBits[0]));
                } else {
                    account(s, f, pageMapcount(pageMapcounts, f, pte), Pte.dirty(pte), Pte.accessed(pte));
                }
            });
        }
        return s;
    }

    /** page_mapcount of the page {@code pte} maps in {@code f}; a large folio's counts are recounted once per walk. */
    private int pageMapcount(java.util.Map<Folio, int[]> counts, Folio f, long pte) {
        if (f.nrPages() == 1) {
            return f.mapcount();
        }
        return counts.computeIfAbsent(f, machine.rmap()::pageMapcounts)[Pte.pfn(pte) - f.pfn()];
    }

    private static void account(Stats s, Folio f, int mapcount, boolean pteDirty, boolean young) {
        long size = MemSize.PAGE_SIZE;
        boolean priv = mapcount < 2;
        long pss = size << PSS_SHIFT;
        if (!priv) {
            pss /= mapcount;
        }
        s.resident += size;
        if (young || f.test(Flag.REFERENCED)) {
            s.referenced += size;
        }
        s.pss += pss;
        switch (f) {
            case AnonFolio a -> {
                s.anonymous += size;
                s.pssAnon += pss;
            }
            case ShmemFolio shmem -> s.pssShmem += pss;
            case PageCacheFolio file -> s.pssFile += pss;
        }
        boolean dirty = pteDirty || f.test(Flag.DIRTY);
        if (dirty) {
            s.pssDirty += pss;
            if (priv) {
                s.privateDirty += size;
            } else {
                s.sharedDirty += size;
            }
        } else if (priv) {
            s.privateClean += size;
        } else {
            s.sharedClean += size;
        }
    }

    /** The counters in the file's order ({@link #FIELDS}), in kB as printed. */
    public Map<String, Long> fields() {
        return fields(gather());
    }

    static Map<String, Long> fields(Stats s) {
        long[] raw = s.raw();
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < raw.length; i++) {
            m.put(FIELDS.get(i), (FIELDS.get(i).contains("Pss") ? raw[i] >> PSS_SHIFT : raw[i]) >> 10);
        }
        return m;
    }

    /** The header line without its newline: the address range, "---p", zeros and "[rollup]". */
    public String header() {
        Stats s = gather();
        return header(s.start, s.end);
    }

    private static String header(long start, long end) {
        String prefix = hex8(start) + "-" + hex8(end) + " ---p 00000000 00:00 0 ";
        return Columns.padRight(prefix, HEADER_WIDTH) + " [rollup]";
    }

    static String hex8(long v) {
        String h = Long.toHexString(v);
        return h.length() >= 8 ? h : "0".repeat(8 - h.length()) + h;
    }

    /** The file's text, as {@code cat /proc/<pid>/smaps_rollup} shows the lines pagelab maintains. */
    public String render() {
        Stats s = gather();
        StringBuilder sb = new StringBuilder(512);
        sb.append(header(s.start, s.end)).append('\n');
        for (Map.Entry<String, Long> e : fields(s).entrySet()) {
            sb.append(Columns.padRight(e.getKey() + ":", 16)).append(Columns.padLeft(Long.toString(e.getValue()), 8))
                    .append(" kB\n");
        }
        return sb.toString();
    }
}
