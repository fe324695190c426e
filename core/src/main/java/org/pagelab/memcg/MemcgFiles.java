package org.pagelab.memcg;

import java.util.LinkedHashMap;
import java.util.Map;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.filemap.AddressSpace;
import org.pagelab.filemap.ShmemCache;
import org.pagelab.lruvec.LruList;
import org.pagelab.phys.MemSize;
import org.pagelab.stat.VmItem;

/**
 * The files of a cgroup's memory controller as the kernel prints them: memory.current,
 * memory.peak, memory.min/low/high/max, memory.oom.group, memory.stat, memory.events,
 * memory.events.local, memory.swap.current/max/events. Sizes are bytes, "max" for no limit.
 *
 * <p>memory.stat follows Linux 6.1's memory_stat_format: the page states in memory_stats[] order
 * (in bytes; the workingset counts as counts), "slab" after slab_unreclaimable, then pgscan and
 * pgsteal, then the events of memcg_vm_event_stat. It is hierarchical: the cgroup and its
 * descendants. States pagelab has no such memory for (kernel_stack, percpu, sock, vmalloc,
 * zswap, shmem_thp) print 0, as a kernel without that use would. pswpin and pswpout, which
 * later kernels add after pgsteal, are printed there too, as the issue asks for them.
 */
public final class MemcgFiles {
    private static final long PAGE = MemSize.PAGE_SIZE;

    private MemcgFiles() {
    }

    /** Every file of {@code c}, by name, in the order cgroupfs lists them, as the kernel prints them. */
    public static Map<String, String> render(MemoryCgroups cgroups, MemCgroup c) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values(cgroups, c).entrySet()) {
            Object v = e.getValue();
            if (v instanceof Map<?, ?> m) {
                StringBuilder sb = new StringBuilder();
                for (Map.Entry<?, ?> kv : m.entrySet()) {
                    sb.append(kv.getKey()).append(' ').append(kv.getValue()).append('\n');
                }
                out.put(e.getKey(), sb.toString());
            } else if (v instanceof org.pagelab.psi.Pressure pr) {
                out.put(e.getKey(), pr.render());
            } else {
                out.put(e.getKey(), v + "\n");
            }
        }
        return out;
    }

    /**
     * The same files as values: a Long (bytes or a flag), the string "max", for the multi-line
     * files a map of their keys to Longs, and for memory.pressure and io.pressure a
     * {@link org.pagelab.psi.Pressure}. For the JSON report.
     */
    public static Map<String, Object> values(MemoryCgroups cgroups, MemCgroup c) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!c.isRoot()) {
            out.put("memory.current", c.memory.usage * PAGE);
            out.put("memory.peak", c.memory.watermark * PAGE);
            out.put("memory.min", c.memory.min * PAGE);
            out.put("memory.low", c.memory.low * PAGE);
            out.put("memory.high", limit(c.memory.high));
            out.put("memory.max", limit(c.memory.max));
            out.put("memory.oom.group", c.oomGroup ? 1L : 0L);
        }
        out.put("memory.stat", stat(cgroups, c));
        if (!c.isRoot()) {
            out.put("memory.events", events(c.events, false));
            out.put("memory.events.local", events(c.eventsLocal, false));
            out.put("memory.swap.current", c.swap.usage * PAGE);
            out.put("memory.swap.max", limit(c.swap.max));
            out.put("memory.swap.events", events(c.events, true));
            org.pagelab.psi.PsiGroup g = cgroups.psiGroup(c);
            if (g != null) {
                out.put("memory.pressure", new org.pagelab.psi.Pressure(g, org.pagelab.psi.PsiResource.MEMORY));
                out.put("io.pressure", new org.pagelab.psi.Pressure(g, org.pagelab.psi.PsiResource.IO));
            }
        }
        return out;
    }

    private static Object limit(long pages) {
        return pages >= PageCounter.MAX ? "max" : (Object) (pages * PAGE);
    }

    private static Map<String, Long> events(long[] counts, boolean swap) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (MemcgEvent e : MemcgEvent.values()) {
            if (e.swap() == swap) {
                m.put(e.fileName(), counts[e.ordinal()]);
            }
        }
        return m;
    }

    /** memory.stat of {@code c}: its own and its descendants' memory, recounted from their lruvecs. */
    public static Map<String, Long> stat(MemoryCgroups cgroups, MemCgroup c) {
        long anon = 0;
        long file = 0;
        long shmem = 0;
        long mapped = 0;
        long dirty = 0;
        long writeback = 0;
        long swapcached = 0;
        long anonThp = 0;
        long fileThp = 0;
        long[] lru = new long[LruList.values().length];
        long pagetables = 0;
        long slabPages = 0;
        long slabR = 0;
        long slabU = 0;
        for (MemCgroup m : c.subtree()) {
            pagetables += m.pagetablePages;
            slabPages += m.slabPages;
            slabR += m.slabReclaimableBytes;
            slabU += m.slabUnreclaimableBytes;
            for (LruList l : LruList.values()) {
                lru[l.ordinal()] += m.lruvec.nrPages(l);
                for (Folio f : m.lruvec.folios(l)) {
                    int n = f.nrPages();
                    if (f instanceof AnonFolio a && a.mapped()) {
                        anon += n;
                        if (a.entireMapcount() > 0) {
                            anonThp += n; // NR_ANON_THPS: PMD-mapped folios only
                        }
                    }
                    if (f.test(Flag.SWAPCACHE)) {
                        swapcached += n;
                    } else if (f.mapping() instanceof AddressSpace<?> as) {
                        file += n;
                        if (as instanceof ShmemCache) {
                            shmem += n;
                        } else if (f.test(Flag.DIRTY)) {
                            dirty += n;
                        }
                        if (as instanceof org.pagelab.filemap.PageCache && f.order() == org.pagelab.filemap.PageCache.MAX_FOLIO_ORDER) {
                            fileThp += n; // NR_FILE_THPS: PMD-sized page-cache folios, mapped or not
                        }
                        if (f.mapped()) {
                            mapped += n;
                        }
                        if (f.test(Flag.WRITEBACK)) {
                            writeback += n;
                        }
                    }
                }
            }
        }
        Map<String, Long> s = new LinkedHashMap<>();
        s.put("anon", anon * PAGE);
        s.put("file", file * PAGE);
        s.put("kernel", (pagetables + slabPages) * PAGE);
        s.put("kernel_stack", 0L);
        s.put("pagetables", pagetables * PAGE);
        s.put("sec_pagetables", 0L);
        s.put("percpu", 0L);
        s.put("sock", 0L);
        s.put("vmalloc", 0L);
        s.put("shmem", shmem * PAGE);
        s.put("zswap", 0L);
        s.put("zswapped", 0L);
        s.put("file_mapped", mapped * PAGE);
        s.put("file_dirty", dirty * PAGE);
        s.put("file_writeback", writeback * PAGE);
        s.put("swapcached", swapcached * PAGE);
        s.put("anon_thp", anonThp * PAGE);
        s.put("file_thp", fileThp * PAGE);
        s.put("shmem_thp", 0L);
        s.put("inactive_anon", lru[LruList.INACTIVE_ANON.ordinal()] * PAGE);
        s.put("active_anon", lru[LruList.ACTIVE_ANON.ordinal()] * PAGE);
        s.put("inactive_file", lru[LruList.INACTIVE_FILE.ordinal()] * PAGE);
        s.put("active_file", lru[LruList.ACTIVE_FILE.ordinal()] * PAGE);
        s.put("unevictable", lru[LruList.UNEVICTABLE.ordinal()] * PAGE);
        s.put("slab_reclaimable", slabR);
        s.put("slab_unreclaimable", slabU);
        s.put("slab", slabR + slabU);
        for (String w : new String[] {"workingset_refault_anon", "workingset_refault_file", "workingset_activate_anon",
                "workingset_activate_file", "workingset_restore_anon", "workingset_restore_file",
                "workingset_nodereclaim"}) {
            s.put(w, ev(cgroups, c, w));
        }
        s.put("pgscan", ev(cgroups, c, "pgscan_kswapd") + ev(cgroups, c, "pgscan_direct"));
        s.put("pgsteal", ev(cgroups, c, "pgsteal_kswapd") + ev(cgroups, c, "pgsteal_direct"));
        for (String e : new String[] {"pswpin", "pswpout", "pgscan_kswapd", "pgscan_direct", "pgsteal_kswapd",
                "pgsteal_direct", "pgfault", "pgmajfault", "pgrefill", "pgactivate", "pgdeactivate", "pglazyfree",
                "pglazyfreed", "thp_fault_alloc", "thp_collapse_alloc"}) {
            s.put(e, ev(cgroups, c, e));
        }
        return s;
    }

    /** The event named {@code kernelName} summed over {@code c}'s subtree; 0 for events pagelab does not count. */
    private static long ev(MemoryCgroups cgroups, MemCgroup c, String kernelName) {
        VmItem item = VmItem.byKernelName(kernelName);
        return item == null ? 0 : cgroups.vmEvents(c, item);
    }
}
