package org.pagelab.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.desc.MemDesc;
import org.pagelab.machine.Machine;
import org.pagelab.phys.AllocRequest;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.phys.Watermark;
import org.pagelab.phys.Zone;
import org.pagelab.phys.ZoneType;
import org.pagelab.slab.SlabObject;
import org.pagelab.stat.VmItem;

class ProcFilesTest {
    private static final Pattern MEMINFO_LINE = Pattern.compile("^[A-Za-z()_]+:\\s+\\d+ kB$");

    private final List<Machine> booted = new ArrayList<>();

    private Machine boot(String size, boolean data) {
        Machine m = Machine.boot(PhysConfig.of(MemSize.parse(size), data));
        booted.add(m);
        return m;
    }

    @AfterEach
    void checkAndClose() {
        for (Machine m : booted) {
            m.check();
            m.close();
        }
    }

    private static long kb(long pages) {
        return pages * 4;
    }

    /** What the kernel's show_val_kb prints for {@code name} and a value in kB. */
    private static String kernelMeminfoLine(String name, long kb) {
        if (name.equals("HardwareCorrupted")) {
            return String.format(Locale.ROOT, "HardwareCorrupted: %5d kB", kb); // meminfo.c prints it apart
        }
        return String.format(Locale.ROOT, "%-16s%8d kB", name + ":", kb);
    }

    private static List<FileFolio> allocFileFolios(Machine m, int n) {
        List<FileFolio> folios = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            folios.add(m.phys().alloc(AllocRequest.pageCache(0), PageCacheFolio::new));
        }
        return folios;
    }

    // ---- meminfo ----

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void meminfoLinesMatchTheKernelsColumns(boolean data) {
        Machine m = boot("64M", data);
        Meminfo mi = new Meminfo(m);
        String text = mi.render();
        assertThat(text).endsWith("\n");
        String[] lines = text.split("\n", -1);
        assertThat(lines[lines.length - 1]).isEmpty();
        Map<String, Long> fields = mi.fields();
        assertThat(lines).hasSize(fields.size() + 1);
        int i = 0;
        for (Map.Entry<String, Long> e : fields.entrySet()) {
            String line = lines[i++];
            assertThat(line).matches(MEMINFO_LINE);
            assertThat(line).isEqualTo(kernelMeminfoLine(e.getKey(), e.getValue()));
            assertThat(line.indexOf(" kB")).as("value column of %s", line).isEqualTo(24);
        }
    }

    @Test
    void meminfoListsTheMaintainedFieldsInKernelOrder() {
        Machine m = boot("64M", false);
        assertThat(new Meminfo(m).fields().keySet()).containsExactly("MemTotal", "MemFree", "MemAvailable",
                "Buffers", "Cached", "SwapCached", "Active", "Inactive", "Active(anon)", "Inactive(anon)", "Active(file)",
                "Inactive(file)", "Unevictable", "SwapTotal", "SwapFree", "Dirty", "Writeback", "AnonPages", "Mapped", "Shmem", "KReclaimable", "Slab", "SReclaimable", "SUnreclaim",
                "PageTables", "CommitLimit", "Committed_AS", "HardwareCorrupted", "AnonHugePages", "FileHugePages",
                "FilePmdMapped");
    }

    @Test
    void memTotalAndMemFreeAreManagedAndFreePagesInKb() {
        Machine m = boot("64M", false);
        Map<String, Long> f = new Meminfo(m).fields();
        long managed = 0;
        for (Zone z : m.phys().zones()) {
            managed += z.managedPages();
        }
        assertThat(f.get("MemTotal")).isEqualTo(kb(managed));
        assertThat(f.get("MemFree")).isEqualTo(kb(m.phys().freePages()));
        assertThat(f.get("MemFree")).isEqualTo(kb(m.vmstat().get(VmItem.NR_FREE_PAGES)));
        assertThat(new Meminfo(m).render()).startsWith(kernelMeminfoLine("MemTotal", kb(managed)) + "\n");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void memFreeMovesByFourKbPerOrderZeroPage(boolean data) {
        Machine m = boot("64M", data);
        Meminfo mi = new Meminfo(m);
        long before = mi.fields().get("MemFree");
        List<FileFolio> folios = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            folios.add(m.phys().alloc(AllocRequest.pageCache(0), PageCacheFolio::new));
            assertThat(mi.fields().get("MemFree")).isEqualTo(before - 4L * i);
        }
        for (int i = 1; i <= folios.size(); i++) {
            m.phys().folioPut(folios.get(i - 1));
            assertThat(mi.fields().get("MemFree")).isEqualTo(before - 4L * 20 + 4L * i);
        }
        assertThat(mi.fields().get("MemFree")).isEqualTo(before);
    }

    @Test
    void memAvailableAtBootIsFreeLessTotalreserve() {
        Machine m = boot("64M", false);
        long expected = m.phys().freePages() - m.phys().totalreservePages();
        assertThat(new Meminfo(m).fields().get("MemAvailable")).isEqualTo(kb(expected));
    }

    @Test
    void memAvailableCountsPageCacheLessWhatMustStay() {
        Machine m = boot("64M", false);
        long wmarkLow = 0;
        for (Zone z : m.phys().zones()) {
            wmarkLow += z.watermark(Watermark.LOW);
        }
        // A small page cache keeps half of itself; a large one keeps the low watermarks' worth.
        for (int n : new int[] {10, (int) (4 * wmarkLow)}) {
            Machine k = boot("64M", false);
            List<FileFolio> folios = allocFileFolios(k, n);
            folios.forEach(k.vmscan()::add); // on the file LRU, where MemAvailable counts the page cache
            k.vmstat().add(VmItem.NR_FILE_PAGES, n);
            long expected = k.phys().freePages() - k.phys().totalreservePages() + n - Math.min(n / 2, wmarkLow);
            Map<String, Long> f = new Meminfo(k).fields();
            assertThat(f.get("MemAvailable")).as("page cache of %d pages", n).isEqualTo(kb(expected));
            assertThat(f.get("Cached")).isEqualTo(kb(n));
            k.vmstat().add(VmItem.NR_FILE_PAGES, -n);
            folios.forEach(k.phys()::folioPut);
        }
    }

    @Test
    void memAvailableIsFlooredAtZero() {
        Machine m = boot("64M", false);
        List<FileFolio> folios = new ArrayList<>();
        FileFolio f;
        while ((f = m.phys().alloc(AllocRequest.pageCache(0), PageCacheFolio::new)) != null) {
            folios.add(f);
        }
        assertThat(m.phys().freePages()).isLessThan(m.phys().totalreservePages());
        assertThat(new Meminfo(m).fields().get("MemAvailable")).isZero();
        assertThat(new Meminfo(m).render()).contains(kernelMeminfoLine("MemAvailable", 0) + "\n");
        folios.forEach(m.phys()::folioPut);
    }

    @Test
    void slabLinesAddUpAndCountReclaimableCaches() {
        Machine m = boot("64M", false);
        List<SlabObject> objs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            objs.add(m.radixTreeNodeCache().alloc());
        }
        var unreclaimable = m.vmAreaCache();
        List<SlabObject> vmas = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            vmas.add(unreclaimable.alloc());
        }
        Map<String, Long> f = new Meminfo(m).fields();
        assertThat(f.get("SReclaimable")).isEqualTo(kb(m.slab().reclaimablePages())).isPositive();
        assertThat(f.get("SUnreclaim")).isEqualTo(kb(m.slab().unreclaimablePages())).isPositive();
        assertThat(f.get("Slab")).isEqualTo(f.get("SReclaimable") + f.get("SUnreclaim"));
        assertThat(f.get("KReclaimable")).isEqualTo(f.get("SReclaimable"));
        objs.forEach(m.radixTreeNodeCache()::free);
        vmas.forEach(unreclaimable::free);
        assertThat(new Meminfo(m).fields().get("Slab")).isZero();
    }

    @Test
    void dirtyAndWritebackFollowTheirCounters() {
        Machine m = boot("64M", false);
        m.vmstat().add(VmItem.NR_DIRTY, 3);
        m.vmstat().add(VmItem.NR_WRITEBACK, 2);
        Map<String, Long> f = new Meminfo(m).fields();
        assertThat(f.get("Dirty")).isEqualTo(12);
        assertThat(f.get("Writeback")).isEqualTo(8);
        assertThat(f.get("Buffers")).isZero();
        m.vmstat().add(VmItem.NR_DIRTY, -3);
        m.vmstat().add(VmItem.NR_WRITEBACK, -2);
    }

    // ---- vmstat ----

    @Test
    void vmstatPrintsEveryCounterInKernelOrder() {
        Machine m = boot("64M", false);
        List<FileFolio> folios = allocFileFolios(m, 5);
        Vmstat vs = new Vmstat(m);
        StringBuilder expected = new StringBuilder();
        for (VmItem i : VmItem.values()) {
            expected.append(i.name().toLowerCase(Locale.ROOT)).append(' ').append(m.vmstat().get(i)).append('\n');
        }
        assertThat(vs.render()).isEqualTo(expected.toString());
        assertThat(vs.fields()).isEqualTo(m.vmstat().snapshot());
        assertThat(vs.fields().keySet()).first().isEqualTo("nr_free_pages");
        assertThat(vs.fields().get("pgalloc_normal") + vs.fields().get("pgalloc_dma32")).isGreaterThanOrEqualTo(5);
        folios.forEach(m.phys()::folioPut);
    }

    // ---- buddyinfo ----

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void buddyinfoMatchesTheFreeListsInTheKernelsLayout(boolean data) {
        Machine m = boot("64M", data);
        List<FileFolio> folios = allocFileFolios(m, 37);
        Buddyinfo bi = new Buddyinfo(m);
        StringBuilder expected = new StringBuilder();
        for (Zone z : m.phys().zones()) {
            expected.append(String.format(Locale.ROOT, "Node %d, zone %8s ", 0, z.type().kernelName()));
            for (int o = 0; o <= MemDesc.MAX_ORDER; o++) {
                expected.append(String.format(Locale.ROOT, "%6d ", z.nrFree(o)));
            }
            expected.append('\n');
        }
        assertThat(bi.render()).isEqualTo(expected.toString());
        assertThat(bi.render()).startsWith("Node 0, zone    DMA32 ");
        assertThat(bi.render()).contains("\nNode 0, zone   Normal ");
        Map<String, List<Long>> counts = bi.fields();
        assertThat(counts.keySet()).containsExactly("DMA32", "Normal");
        long freeKb = 0;
        for (Zone z : m.phys().zones()) {
            List<Long> c = counts.get(z.type().kernelName());
            assertThat(c).hasSize(MemDesc.MAX_ORDER + 1);
            for (int o = 0; o <= MemDesc.MAX_ORDER; o++) {
                assertThat(c.get(o)).isEqualTo(z.nrFree(o));
                freeKb += (c.get(o) << o) * 4;
            }
        }
        assertThat(freeKb).isEqualTo(new Meminfo(m).fields().get("MemFree"));
        folios.forEach(m.phys()::folioPut);
    }

    // ---- pagetypeinfo ----

    @Test
    void pagetypeinfoCountsFreeBlocksPerMigratetypeAndPageblocksInTheKernelsLayout() {
        Machine m = Machine.boot(PhysConfig.of(64L << 20, false).withAntiFragmentation(10, 15000));
        booted.add(m);
        List<SlabObject> kernel = new ArrayList<>();
        var cache = m.slab().createCache("kmalloc-4k", MemSize.PAGE_SIZE, false, false);
        for (int i = 0; i < 40; i++) {
            kernel.add(cache.alloc());
        }
        String text = new Pagetypeinfo(m).render();
        String[] lines = text.split("\n");
        assertThat(lines[0]).isEqualTo("Page block order: 10");
        assertThat(lines[1]).isEqualTo("Pages per block:  1024");
        assertThat(lines[3]).isEqualTo(String.format(Locale.ROOT, "%-43s ", "Free pages count per migrate type at order")
                + "     0      1      2      3      4      5      6      7      8      9     10 ");
        long free = 0;
        long blocks = 0;
        for (Zone z : m.phys().zones()) {
            String name = z.type().kernelName();
            for (org.pagelab.phys.MigrateType t : org.pagelab.phys.MigrateType.values()) {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "Node %4d, zone %8s, type %12s ", 0, name, t.kernelName()));
                for (int o = 0; o <= MemDesc.MAX_ORDER; o++) {
                    row.append(String.format(Locale.ROOT, "%6d ", z.nrFree(o, t)));
                    free += z.nrFree(o, t) << o;
                }
                assertThat(text).contains(row + "\n");
                blocks += z.nrBlocks(t);
            }
            StringBuilder counts = new StringBuilder(String.format(Locale.ROOT, "Node %d, zone %8s ", 0, name));
            StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%n%-23s", "Number of blocks type "));
            for (org.pagelab.phys.MigrateType t : org.pagelab.phys.MigrateType.values()) {
                counts.append(String.format(Locale.ROOT, "%12d ", z.nrBlocks(t)));
                header.append(String.format(Locale.ROOT, "%12s ", t.kernelName()));
            }
            assertThat(text).contains(header + "\n").contains(counts + "\n");
        }
        // the slab's frames fell back into a movable pageblock and took it: one unmovable block now
        assertThat(m.phys().zone(ZoneType.NORMAL).nrBlocks(org.pagelab.phys.MigrateType.UNMOVABLE)).isEqualTo(1);
        assertThat(free).isEqualTo(m.phys().freePages());
        assertThat(blocks).isEqualTo(16);
        kernel.forEach(cache::free);
    }

    // ---- zoneinfo ----

    @Test
    void zoneinfoShowsWatermarksSizesAndProtectionAsTheKernelPrintsThem() {
        Machine m = boot("64M", false);
        Zone dma = m.phys().zone(ZoneType.DMA32);
        Zone normal = m.phys().zone(ZoneType.NORMAL);
        String text = new Zoneinfo(m).render();
        StringBuilder expected = new StringBuilder();
        expected.append("Node 0, zone    DMA32\n  per-node stats");
        for (VmItem i : VmItem.values()) {
            if (i.kind() == VmItem.Kind.NODE) {
                expected.append(String.format(Locale.ROOT, "\n      %-12s %d", i.kernelName(), m.vmstat().get(i)));
            }
        }
        appendZone(expected, dma);
        expected.append("Node 0, zone   Normal");
        appendZone(expected, normal);
        assertThat(text).isEqualTo(expected.toString());
        assertThat(text).contains("\n        protection: (0, " + normal.managedPages() / 256 + ")\n");
        assertThat(text).contains("\n        protection: (0, 0)\n");
        assertThat(text).contains("\n      nr_free_pages " + normal.freePages() + "\n");
    }

    private static void appendZone(StringBuilder sb, Zone z) {
        sb.append(String.format(Locale.ROOT,
                "\n  pages free     %d\n        min      %d\n        low      %d\n        high     %d"
                        + "\n        spanned  %d\n        present  %d\n        managed  %d\n        protection: (%d, %d)",
                z.freePages(), z.watermark(Watermark.MIN), z.watermark(Watermark.LOW), z.watermark(Watermark.HIGH),
                z.spannedPages(), z.presentPages(), z.managedPages(),
                z.lowmemReserve(ZoneType.DMA32), z.lowmemReserve(ZoneType.NORMAL)));
        sb.append(String.format(Locale.ROOT, "\n      %-12s %d", "nr_free_pages", z.freePages()));
        sb.append(String.format(Locale.ROOT, "\n  start_pfn:           %d\n", z.startPfn()));
    }

    @Test
    void zoneinfoFieldsMatchTheZones() {
        Machine m = boot("64M", false);
        Zoneinfo zi = new Zoneinfo(m);
        assertThat(zi.minFreeKbytes()).isEqualTo(m.phys().minFreeKbytes());
        Map<String, Zoneinfo.ZoneFields> f = zi.fields();
        assertThat(f.keySet()).containsExactly("DMA32", "Normal");
        for (Zone z : m.phys().zones()) {
            Zoneinfo.ZoneFields zf = f.get(z.type().kernelName());
            assertThat(zf.free()).isEqualTo(z.freePages());
            assertThat(zf.min()).isEqualTo(z.watermark(Watermark.MIN));
            assertThat(zf.low()).isEqualTo(z.watermark(Watermark.LOW));
            assertThat(zf.high()).isEqualTo(z.watermark(Watermark.HIGH));
            assertThat(zf.managed()).isEqualTo(z.managedPages());
            assertThat(zf.present()).isEqualTo(z.presentPages());
            assertThat(zf.spanned()).isEqualTo(z.spannedPages());
            assertThat(zf.startPfn()).isEqualTo(z.startPfn());
            assertThat(zf.protection()).containsExactly(z.lowmemReserve(ZoneType.DMA32), z.lowmemReserve(ZoneType.NORMAL));
        }
    }

    // ---- ProcFs ----

    @Test
    void procFsReadsEachFileByPath() {
        Machine m = boot("64M", true);
        ProcFs proc = new ProcFs(m);
        java.util.List<String> thp = new java.util.ArrayList<>(java.util.List.of("/sys/kernel/mm/transparent_hugepage/enabled",
                "/sys/kernel/mm/transparent_hugepage/defrag", "/sys/kernel/mm/transparent_hugepage/use_zero_page"));
        for (int kb = 16; kb <= 2048; kb *= 2) {
            String dir = "/sys/kernel/mm/transparent_hugepage/hugepages-" + kb + "kB";
            thp.add(dir + "/enabled");
            for (String stat : java.util.List.of("anon_fault_alloc", "anon_fault_fallback", "anon_fault_fallback_charge",
                    "swpout", "swpout_fallback")) {
                thp.add(dir + "/stats/" + stat);
            }
        }
        for (String k : java.util.List.of("pages_to_scan", "scan_sleep_millisecs", "alloc_sleep_millisecs", "max_ptes_none",
                "max_ptes_swap", "max_ptes_shared", "defrag", "full_scans", "pages_collapsed")) {
            thp.add("/sys/kernel/mm/transparent_hugepage/khugepaged/" + k);
        }
        assertThat(ProcFs.paths().subList(8, 8 + thp.size())).containsExactlyElementsOf(thp);
        assertThat(ProcFs.paths().subList(0, 8)).containsExactly("/proc/meminfo", "/proc/vmstat", "/proc/buddyinfo", "/proc/zoneinfo",
                "/proc/pagetypeinfo", "/proc/swaps", "/proc/pressure/memory", "/proc/pressure/io");
        assertThat(ProcFs.paths().subList(8 + thp.size(), ProcFs.paths().size())).containsExactly(
                "/sys/kernel/debug/extfrag/extfrag_index",
                "/sys/kernel/debug/extfrag/unusable_index", "/sys/kernel/mm/lru_gen/enabled", "/sys/kernel/mm/lru_gen/min_ttl_ms",
                "/proc/sys/vm/compaction_proactiveness",
                "/sys/kernel/debug/lru_gen", "/sys/kernel/debug/lru_gen_full");
        assertThat(proc.read("/sys/kernel/mm/transparent_hugepage/enabled")).isEqualTo("[always] madvise never\n");
        m.memory().setTransparentHugepage(org.pagelab.memory.TransparentHugepage.MADVISE);
        assertThat(proc.read("/sys/kernel/mm/transparent_hugepage/enabled")).isEqualTo("always [madvise] never\n");
        assertThat(proc.read("/sys/kernel/mm/transparent_hugepage/defrag"))
                .as("the kernel's default").isEqualTo("always defer defer+madvise [madvise] never\n");
        m.memory().setThpDefrag(org.pagelab.memory.ThpDefrag.DEFER_MADVISE);
        assertThat(proc.read("/sys/kernel/mm/transparent_hugepage/defrag")).isEqualTo("always defer [defer+madvise] madvise never\n");
        assertThat(org.pagelab.memory.ThpDefrag.parse("defer+madvise")).isEqualTo(org.pagelab.memory.ThpDefrag.DEFER_MADVISE);
        assertThat(proc.read("/sys/kernel/debug/extfrag/extfrag_index"))
                .as("a fresh machine has a free block of every order in Normal")
                .contains("Node 0, zone   Normal -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 \n");
        assertThat(proc.read("/sys/kernel/debug/extfrag/unusable_index")).contains("Node 0, zone   Normal 0.000 0.000 ");
        assertThat(proc.read("/proc/swaps")).isEqualTo(org.pagelab.swap.ProcSwaps.HEADER + "\n");
        assertThat(proc.read("/proc/meminfo")).isEqualTo(new Meminfo(m).render());
        assertThat(proc.read("/proc/vmstat")).isEqualTo(new Vmstat(m).render());
        assertThat(proc.read("/proc/buddyinfo")).isEqualTo(new Buddyinfo(m).render());
        assertThat(proc.read("/proc/zoneinfo")).isEqualTo(new Zoneinfo(m).render());
        assertThat(proc.read("/proc/pagetypeinfo")).isEqualTo(new Pagetypeinfo(m).render());
    }

    @Test
    void theTransparentHugepageSettingsAreWritableAndPerSizeCountersReadable() {
        Machine m = boot("64M", false);
        ProcFs proc = new ProcFs(m);
        String dir = "/sys/kernel/mm/transparent_hugepage/";
        assertThat(proc.read(dir + "hugepages-2048kB/enabled")).isEqualTo("always [inherit] madvise never\n");
        assertThat(proc.read(dir + "hugepages-64kB/enabled")).isEqualTo("always inherit madvise [never]\n");
        proc.write(dir + "hugepages-64kB/enabled", "always\n");
        assertThat(m.memory().mthp().enabled(4)).isEqualTo(org.pagelab.memory.MthpEnabled.ALWAYS);
        proc.write(dir + "enabled", "never");
        assertThat(proc.read(dir + "enabled")).isEqualTo("always madvise [never]\n");
        proc.write(dir + "defrag", "defer");
        assertThat(m.memory().thpDefrag()).isEqualTo(org.pagelab.memory.ThpDefrag.DEFER);
        var p = m.memory().spawn("p");
        long a = m.memory().mmapAnon(p, 0, 1 << 20, org.pagelab.vma.VmFlags.VM_READ | org.pagelab.vma.VmFlags.VM_WRITE,
                false).orThrow();
        m.memory().touch(p, a, true);
        assertThat(proc.read(dir + "hugepages-64kB/stats/anon_fault_alloc")).isEqualTo("1\n");
        assertThat(proc.read(dir + "hugepages-2048kB/stats/anon_fault_alloc")).isEqualTo("0\n");
        assertThatThrownBy(() -> proc.write(dir + "hugepages-64kB/enabled", "sometimes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sometimes'").hasMessageContaining("hugepages-64kB/enabled");
        assertThat(proc.read(dir + "khugepaged/max_ptes_none")).isEqualTo("511\n");
        proc.write(dir + "khugepaged/max_ptes_none", "0\n");
        assertThat(m.memory().khugepaged().get(org.pagelab.memory.Khugepaged.Tunable.MAX_PTES_NONE)).isZero();
        assertThatThrownBy(() -> proc.write(dir + "khugepaged/max_ptes_none", "512"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("512").hasMessageContaining("0..511");
        assertThatThrownBy(() -> proc.write(dir + "khugepaged/pages_to_scan", "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pages_to_scan");
        assertThat(proc.read(dir + "khugepaged/pages_collapsed")).isEqualTo("0\n");
        assertThatThrownBy(() -> proc.write(dir + "hugepages-64kB/stats/anon_fault_alloc", "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a writable file");
        assertThat(proc.read(dir + "use_zero_page")).as("the kernel's default").isEqualTo("1\n");
        proc.write(dir + "use_zero_page", "0\n");
        assertThat(m.memory().useZeroPage()).isFalse();
        assertThat(proc.read(dir + "use_zero_page")).isEqualTo("0\n");
        assertThatThrownBy(() -> proc.write(dir + "use_zero_page", "2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'2'").hasMessageContaining("use_zero_page")
                .hasMessageContaining("0 or 1");
        assertThat(ProcFs.writablePaths()).contains(dir + "use_zero_page", ProcFs.MIN_TTL_MS, ProcFs.COMPACTION_PROACTIVENESS);
    }

    @Test
    void procFsRejectsAnUnknownPathNamingTheKnownOnes() {
        Machine m = boot("64M", false);
        assertThatThrownBy(() -> new ProcFs(m).read("/proc/slabinfo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'/proc/slabinfo'")
                .hasMessageContaining("/proc/meminfo, /proc/vmstat, /proc/buddyinfo, /proc/zoneinfo");
    }

    @Test
    void renderingLeavesTheMachineUnchanged() {
        Machine m = boot("64M", false);
        Map<String, Long> before = m.vmstat().snapshot();
        ProcFs proc = new ProcFs(m);
        for (String p : ProcFs.paths()) {
            assertThat(proc.read(p)).isEqualTo(proc.read(p));
        }
        assertThat(m.vmstat().snapshot()).isEqualTo(before);
    }
}
