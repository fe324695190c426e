package org.pagelab.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.filemap.DropCaches;
import org.pagelab.filemap.OpenFile;
import org.pagelab.filemap.PageCache;
import org.pagelab.filemap.Vfs;
import org.pagelab.machine.Machine;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.proc.Meminfo;
import org.pagelab.proc.SmapsRollup;
import org.pagelab.stat.VmItem;
import org.pagelab.vma.VmFlags;

/**
 * Large page-cache folios (Linux 6.1 mm/readahead.c page_cache_ra_order, mm/filemap.c
 * filemap_map_pages and do_sync_mmap_readahead, mm/memory.c do_set_pmd, mm/huge_memory.c
 * split_huge_page of a file folio, mm/truncate.c truncate_inode_partial_folio) on a data-mode
 * machine whose file system takes large folios; each test is named for the kernel behaviour it
 * reproduces, and every checker runs after each.
 */
class LargeFileFolioTest {
    private static final int PAGE = (int) MemSize.PAGE_SIZE;
    private static final long PMD = 2L << 20;
    /** A 2 MiB-aligned address for MAP_FIXED mappings. */
    private static final long ADDR = 0x40000000L;

    @TempDir
    Path dir;
    /** The bytes of file "data", and the file opened after the machine boots. */
    private byte[] content;
    private OpenFile f;
    private Machine machine;
    private Vfs vfs;
    private MemoryManager mm;

    private void boot(String mem, int filePages, boolean large) throws IOException {
        content = new byte[filePages * PAGE];
        new SplittableRandom(filePages).nextBytes(content);
        Files.write(dir.resolve("data"), content);
        machine = Machine.boot(PhysConfig.of(MemSize.parse(mem), true), dir);
        mm = machine.memory();
        vfs = machine.vfs();
        vfs.setLargeFolios(large);
    }

    /** Opens the file once the test has set what the file system does. */
    private void open() {
        f = vfs.open("data").orThrow();
    }

    @AfterEach
    void checkAndClose() {
        if (machine != null) {
            if (f != null) {
                vfs.close(f).orThrow();
            }
            machine.check();
            machine.close();
        }
    }

    /** Maps {@code pages} of {@code f} at {@link #ADDR} with MADV_HUGEPAGE and read-faults its first page. */
    private long mapHugeAndTouch(Process p, OpenFile f, int pages, int prot, boolean shared) {
        long a = mm.mmapFile(p, ADDR, (long) pages * PAGE, prot, shared, true, f, 0).orThrow();
        mm.madviseHugepage(p, a, (long) pages * PAGE, true).orThrow();
        assertThat(mm.touch(p, a, false)).isEqualTo(Access.OK);
        return a;
    }

    /** Boots with a 64-page file, reads it whole and returns the folio (of order 3 or more) holding page {@code index}. */
    private PageCacheFolio readLargeFolioAt(long index) throws IOException {
        boot("64M", 64, true);
        open();
        assertThat(readAll(f, 64 * PAGE)).isEqualTo(content);
        PageCacheFolio folio = cache(f).lookup(index);
        assertThat(folio.order()).isGreaterThanOrEqualTo(3);
        return folio;
    }

    private PageCache cache(OpenFile file) {
        return (PageCache) file.inode().mapping();
    }

    /** The orders of the folios in the cache, in index order, one per folio. */
    private static int[] orders(PageCache pc) {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        pc.index().forEach(0, Long.MAX_VALUE, (i, e) -> {
            if (e instanceof Folio folio && folio.index() == i) {
                out.add(folio.order());
            }
            return true;
        });
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private byte[] readAll(OpenFile file, int chunk) {
        byte[] out = new byte[(int) file.inode().size()];
        for (int pos = 0; pos < out.length; pos += chunk) {
            int n = Math.min(chunk, out.length - pos);
            assertThat(vfs.pread(file, pos, out, pos, n).orThrow()).isEqualTo(n);
        }
        return out;
    }

    /**
     * With the default 32-page window a page-by-page read gets order-2 folios from every
     * synchronous window (a miss passes order 0, raised by 2); the asynchronous window started at
     * the marker raises the marker folio's order by 2, to 4, and fills the rest of the window with
     * the largest orders its alignment and end allow. The marker is the window's first folio,
     * always an order-2 one after the first async window, so the orders settle at 2, 4, 3, 2.
     */
    @Test
    void readaheadRaisesTheOrderOfTheMarkerFolioByTwoForTheNextWindow() throws IOException {
        boot("64M", 256, true);
        open();
        byte[] got = new byte[(int) f.inode().size()];
        for (int pos = 0; pos < got.length; pos += PAGE) {
            vfs.read(f, got, pos, PAGE).orThrow();
        }
        assertThat(got).isEqualTo(content);
        int[] orders = orders(cache(f));
        // [0,4) initial; [4,28) the ramped second window; then windows of 32 from 28, 60, 92, ...
        assertThat(Arrays.copyOf(orders, 16)).containsExactly(2, 2, 2, 2, 2, 2, 2, 2, 4, 3, 2, 2, 4, 3, 2, 2);
        assertThat(Arrays.stream(orders).filter(o -> o == 1).count()).as("order 1 is never used").isZero();
        assertThat(cache(f).nrpages()).isEqualTo(256);
    }

    /**
     * With a 2 MiB window (read_ahead_kb 2048) the orders grow by 2 per asynchronous window, 2, 4,
     * 6, 8, and then settle where the alignment of each window's first folio (the next marker)
     * holds them: a sequential read(2) never gets a PMD-sized folio here, only a VM_HUGEPAGE
     * fault's aligned window does.
     */
    @Test
    void readaheadOrdersGrowByTwoPerWindowUntilAlignmentHoldsThem() throws IOException {
        boot("64M", 4096, true);
        vfs.setReadaheadPages(512);
        open();
        assertThat(readAll(f, 16 * PAGE)).isEqualTo(content);
        int[] orders = orders(cache(f));
        int[] firstAt = new int[10];
        Arrays.fill(firstAt, -1);
        for (int i = orders.length - 1; i >= 0; i--) {
            firstAt[orders[i]] = i;
        }
        assertThat(firstAt[2]).isZero();
        assertThat(firstAt[4]).isGreaterThan(firstAt[2]);
        assertThat(firstAt[6]).isGreaterThan(firstAt[4]);
        assertThat(firstAt[8]).isGreaterThan(firstAt[6]);
        assertThat(firstAt[9]).isEqualTo(-1);
        assertThat(firstAt[1]).isEqualTo(-1);
        assertThat(machine.vmstat().get(VmItem.NR_FILE_HUGEPAGES)).isZero();
    }

    @Test
    void aFileSystemWithoutLargeFolioSupportReadsAheadInSinglePages() throws IOException {
        boot("64M", 256, false);
        open();
        assertThat(readAll(f, PAGE)).isEqualTo(content);
        assertThat(orders(cache(f))).containsOnly(0);
    }

    @Test
    void aHugepageMappingReadsPmdSizedFoliosAndMapsThemByAPmd() throws IOException {
        boot("64M", 1024, true);
        open();
        Process p = mm.spawn("reader");
        long a = mm.mmapFile(p, ADDR, 1024L * PAGE, VmFlags.VM_READ, false, true, f, 0).orThrow();
        mm.madviseHugepage(p, a, 1024L * PAGE, true).orThrow();
        byte[] b = new byte[PAGE];
        assertThat(mm.read(p, a + 5 * PAGE, b, 0, PAGE)).isEqualTo(Access.OK);
        assertThat(b).isEqualTo(Arrays.copyOfRange(content, 5 * PAGE, 6 * PAGE));
        assertThat(orders(cache(f))).containsExactly(9, 9); // two PMD folios: the second one asynchronous
        assertThat(machine.vmstat().get(VmItem.THP_FILE_MAPPED)).isEqualTo(1);
        assertThat(machine.vmstat().get(VmItem.NR_FILE_PMDMAPPED)).isEqualTo(1);
        assertThat(machine.vmstat().get(VmItem.NR_FILE_HUGEPAGES)).isEqualTo(2);
        assertThat(new Meminfo(machine).fields().get("FilePmdMapped")).isEqualTo(2048);
        assertThat(new Meminfo(machine).fields().get("FileHugePages")).isEqualTo(4096);
        assertThat(org.pagelab.memcg.MemcgFiles.stat(machine.memcg(), machine.memcg().root()).get("file_thp"))
                .as("memory.stat file_thp").isEqualTo(4L << 20);
        var smaps = new SmapsRollup(machine, p).fields();
        assertThat(smaps.get("FilePmdMapped")).isEqualTo(2048);
        assertThat(smaps.get("Rss")).isEqualTo(2048);
        assertThat(smaps.get("Pss")).isEqualTo(2048);
        assertThat(smaps.get("AnonHugePages")).isZero();
        assertThat(p.rssFile()).isEqualTo(512);
        // every byte of both folios reads back through the mapping
        byte[] all = new byte[1024 * PAGE];
        assertThat(mm.read(p, a, all, 0, all.length)).isEqualTo(Access.OK);
        assertThat(all).isEqualTo(content);
        assertThat(machine.vmstat().get(VmItem.THP_FILE_MAPPED)).isEqualTo(2);
        mm.exit(p);
        assertThat(machine.vmstat().get(VmItem.NR_FILE_PMDMAPPED)).isZero();
    }

    @Test
    void aSecondProcessMappingTheSameFolioByPmdSharesItsPss() throws IOException {
        boot("64M", 512, true);
        open();
        Process[] ps = {mm.spawn("a"), mm.spawn("b")};
        for (Process p : ps) {
            mapHugeAndTouch(p, f, 512, VmFlags.VM_READ, true);
        }
        Folio folio = cache(f).lookup(0);
        assertThat(folio.entireMapcount()).isEqualTo(2);
        assertThat(folio.mapcount()).isEqualTo(1024);
        assertThat(machine.vmstat().get(VmItem.NR_FILE_PMDMAPPED)).isEqualTo(1);
        var smaps = new SmapsRollup(machine, ps[0]).fields();
        assertThat(smaps.get("FilePmdMapped")).isEqualTo(2048);
        assertThat(smaps.get("Pss")).isEqualTo(1024);
        assertThat(smaps.get("Shared_Clean")).isEqualTo(2048);
    }

    /**
     * filemap_map_pages maps, page by page, the pages of a cached large folio that fall inside the
     * 16-page fault-around window, and no others; a mapping whose addresses are not aligned with
     * the file's 2 MiB folio gets no PMD (transhuge_vma_suitable fails).
     */
    @Test
    void faultAroundMapsOnlyThePagesOfALargeFolioInsideItsWindow() throws IOException {
        boot("64M", 1024, true);
        open();
        Process reader = mm.spawn("reader");
        mapHugeAndTouch(reader, f, 1024, VmFlags.VM_READ, false); // the cache now holds two 2 MiB folios
        mm.exit(reader);
        Process p = mm.spawn("unaligned");
        long a = mm.mmapFile(p, ADDR + PAGE, 1024L * PAGE, VmFlags.VM_READ, false, true, f, 0).orThrow();
        mm.madviseHugepage(p, a, 1024L * PAGE, true).orThrow();
        byte[] b = new byte[PAGE];
        assertThat(mm.read(p, a + 100L * PAGE, b, 0, PAGE)).isEqualTo(Access.OK);
        assertThat(b).isEqualTo(Arrays.copyOfRange(content, 100 * PAGE, 101 * PAGE));
        assertThat(machine.vmstat().get(VmItem.PGMAJFAULT)).isEqualTo(1); // the reader's
        PageCacheFolio folio = cache(f).lookup(100);
        assertThat(folio.order()).isEqualTo(9);
        assertThat(folio.entireMapcount()).isZero();
        assertThat(folio.mapcount()).isEqualTo(MemoryManager.FAULT_AROUND_PAGES);
        assertThat(p.rssFile()).isEqualTo(MemoryManager.FAULT_AROUND_PAGES);
        assertThat(machine.vmstat().get(VmItem.NR_FILE_PMDMAPPED)).isZero();
        assertThat(machine.vmstat().get(VmItem.NR_MAPPED)).as("the mapped folio counts whole").isEqualTo(512);
        assertThat(new SmapsRollup(machine, p).fields().get("FilePmdMapped")).isZero();
    }

    /**
     * MADV_PAGEOUT over pages of a PTE-mapped large page-cache folio that only this table maps
     * splits it (madvise_cold_or_pageout_pte_range's split_huge_page "if we are only owner"); the
     * file folio's split unmaps the pieces, so the walk finds their PTEs none and leaves them in
     * the cache, and the next access faults them in again with the same bytes. A second process
     * mapping the folio too makes it shared: no split.
     */
    @Test
    void madvPageoutSplitsAPteMappedLargeFileFolioOnlyThisTableMaps() throws IOException {
        boot("64M", 1024, true);
        open();
        Process reader = mm.spawn("reader");
        mapHugeAndTouch(reader, f, 1024, VmFlags.VM_READ, false); // two 2 MiB folios in the cache
        mm.exit(reader);
        Process p = mm.spawn("unaligned");
        long a = mm.mmapFile(p, ADDR + PAGE, 1024L * PAGE, VmFlags.VM_READ, false, true, f, 0).orThrow();
        byte[] b = new byte[PAGE];
        assertThat(mm.read(p, a + 100L * PAGE, b, 0, PAGE)).isEqualTo(Access.OK); // fault-around: 16 PTEs
        Process other = mm.spawn("other");
        long o = mm.mmapFile(other, ADDR + PMD + PAGE, 1024L * PAGE, VmFlags.VM_READ, false, true, f, 0).orThrow();
        assertThat(mm.read(other, o + 600L * PAGE, b, 0, PAGE)).isEqualTo(Access.OK);
        assertThat(mm.read(p, a + 600L * PAGE, b, 0, PAGE)).isEqualTo(Access.OK); // the second folio: shared
        long splits = machine.vmstat().get(VmItem.THP_SPLIT_PAGE);
        assertThat(mm.madviseColdOrPageout(p, a + 96L * PAGE, 16L * PAGE, true))
                .isInstanceOf(org.pagelab.vma.MapResult.Mapped.class);
        assertThat(machine.vmstat().get(VmItem.THP_SPLIT_PAGE) - splits).isEqualTo(1);
        assertThat(cache(f).lookup(100).order()).as("split into single pages").isZero();
        assertThat(p.rssFile()).as("the split unmapped the pieces").isEqualTo(MemoryManager.FAULT_AROUND_PAGES);
        assertThat(mm.madviseColdOrPageout(p, a + 592L * PAGE, 16L * PAGE, true))
                .isInstanceOf(org.pagelab.vma.MapResult.Mapped.class);
        assertThat(machine.vmstat().get(VmItem.THP_SPLIT_PAGE) - splits).as("the shared folio stays whole").isEqualTo(1);
        assertThat(cache(f).lookup(600).order()).isEqualTo(9);
        machine.check();
        for (int pg : new int[] {96, 100, 111}) {
            assertThat(mm.read(p, a + (long) pg * PAGE, b, 0, PAGE)).isEqualTo(Access.OK);
            assertThat(b).isEqualTo(Arrays.copyOfRange(content, pg * PAGE, (pg + 1) * PAGE));
        }
    }

    @Test
    void aWriteFaultOnAPmdMappedFileFolioSplitsThePmdAndDirtiesThePage() throws IOException {
        boot("64M", 512, true);
        open();
        Process p = mm.spawn("writer");
        long a = mapHugeAndTouch(p, f, 512, VmFlags.VM_READ | VmFlags.VM_WRITE, true);
        assertThat(machine.vmstat().get(VmItem.NR_FILE_PMDMAPPED)).isEqualTo(1);
        byte[] data = {1, 2, 3};
        assertThat(mm.write(p, a + 7 * PAGE + 9, data, 0, 3)).isEqualTo(Access.OK);
        assertThat(machine.vmstat().get(VmItem.NR_FILE_PMDMAPPED)).isZero();
        assertThat(machine.vmstat().get(VmItem.THP_SPLIT_PMD)).isEqualTo(1);
        PageCacheFolio folio = cache(f).lookup(7);
        assertThat(folio.order()).isEqualTo(9);
        assertThat(folio.test(Flag.DIRTY)).isTrue();
        assertThat(machine.vmstat().get(VmItem.NR_DIRTY)).as("a dirty large folio is dirty whole").isEqualTo(512);
        assertThat(vfs.fsync(f).ok()).isTrue();
        System.arraycopy(data, 0, content, 7 * PAGE + 9, 3);
        assertThat(Files.readAllBytes(dir.resolve("data"))).isEqualTo(content);
        assertThat(machine.vmstat().get(VmItem.NR_WRITTEN)).as("written whole").isEqualTo(512);
    }

    @Test
    void truncateSplitsTheLargeFolioItCutsAndDropsThePagesBeyondTheEnd() throws IOException {
        boot("64M", 512, true);
        open();
        Process p = mm.spawn("reader");
        long a = mapHugeAndTouch(p, f, 512, VmFlags.VM_READ, true);
        byte[] mid = {42};
        vfs.pwrite(f, 100L * PAGE + 5, mid, 0, 1).orThrow(); // dirty the folio
        long size = 200L * PAGE + 123;
        vfs.truncate(f, size).orThrow();
        assertThat(machine.vmstat().get(VmItem.THP_SPLIT_PAGE)).isEqualTo(1);
        assertThat(cache(f).nrpages()).isEqualTo(201);
        assertThat(orders(cache(f))).containsOnly(0);
        assertThat(machine.vmstat().get(VmItem.NR_FILE_HUGEPAGES)).isZero();
        assertThat(machine.vmstat().get(VmItem.NR_DIRTY)).as("every page kept stays dirty").isEqualTo(201);
        assertThat(cache(f).lookup(100).test(Flag.DIRTY)).isTrue();
        assertThat(vfs.fsync(f).ok()).isTrue();
        content[100 * PAGE + 5] = 42;
        assertThat(Files.readAllBytes(dir.resolve("data"))).isEqualTo(Arrays.copyOf(content, (int) size));
        byte[] b = new byte[PAGE];
        assertThat(mm.read(p, a + 200L * PAGE, b, 0, PAGE)).isEqualTo(Access.OK);
        byte[] expect = new byte[PAGE];
        System.arraycopy(content, 200 * PAGE, expect, 0, 123);
        assertThat(b).as("the last page reads zeros past the end").isEqualTo(expect);
    }

    /**
     * split_huge_page refuses a folio a GUP pin holds (can_split_folio: thp_split_page_failed):
     * a truncate that cuts it leaves it whole, its bytes past the new end zeroed, and once the pin
     * is gone the next split succeeds.
     */
    @Test
    void aPinnedLargeFolioIsNotSplitByTruncateAndCountsThpSplitPageFailed() throws IOException {
        PageCacheFolio folio = readLargeFolioAt(40);
        long first = folio.index();
        Process p = mm.spawn("pinner");
        long a = mm.mmapFile(p, ADDR, 64L * PAGE, VmFlags.VM_READ, true, true, f, 0).orThrow();
        var got = (org.pagelab.gup.Gup.Got) machine.gup().pin(p, a + 40L * PAGE, 1, false);
        long cut = (first + 1) * PAGE + 10;
        vfs.truncate(f, cut).orThrow();
        assertThat(machine.vmstat().get(VmItem.THP_SPLIT_PAGE_FAILED)).isEqualTo(1);
        assertThat(cache(f).lookup(first)).isSameAs(folio);
        machine.check();
        machine.gup().unpin(got.pages());
        assertThat(mm.splitPageCacheFolio(folio)).isTrue();
        assertThat(cache(f).nrpages()).isEqualTo(first + 2);
        byte[] expect = Arrays.copyOf(content, (int) cut);
        assertThat(readAll(f, 5 * PAGE + 3)).isEqualTo(expect);
        assertThat(vfs.fsync(f).ok()).isTrue();
        assertThat(Files.readAllBytes(dir.resolve("data"))).isEqualTo(expect);
    }

    /**
     * memory_failure on a page of a large page-cache folio splits it first
     * (try_to_split_thp_page), so only the poisoned page is lost; the others stay cached with
     * their bytes.
     */
    @Test
    void memoryFailureSplitsALargePageCacheFolioAndLosesOnlyThePoisonedPage() throws IOException {
        PageCacheFolio folio = readLargeFolioAt(40);
        long first = folio.index();
        machine.memoryFailure().memoryFailure(folio.pfn() + 1);
        assertThat(machine.vmstat().get(VmItem.THP_SPLIT_PAGE)).isEqualTo(1);
        assertThat(cache(f).lookup(first + 1)).isNull();
        assertThat(cache(f).lookup(first).order()).isZero();
        assertThat(cache(f).nrpages()).isEqualTo(63);
        assertThat(readAll(f, 3 * PAGE)).as("the lost clean page is read again from the file").isEqualTo(content);
    }

    @Test
    void dropCachesFreesCleanLargeFoliosWhole() throws IOException {
        boot("64M", 256, true);
        open();
        readAll(f, 64 * PAGE);
        long free = machine.phys().freePages();
        assertThat(new DropCaches(vfs, machine.vmstat()).drop(1)).isEqualTo(256);
        assertThat(machine.phys().freePages()).isGreaterThanOrEqualTo(free + 256);
        assertThat(readAll(f, 5000)).isEqualTo(content);
    }

    /**
     * Reclaim takes a clean large folio whole: its shadow fills every slot it held
     * (page_cache_delete with the folio's order), and reading the file again refaults the pages
     * through new large folios, every byte as on the host.
     */
    @Test
    void reclaimEvictsLargeFoliosWholeAndTheirShadowsRefaultThem() throws IOException {
        boot("32M", 12 << 10, true); // 48 MiB of file on a 32 MiB machine
        open();
        assertThat(readAll(f, 64 << 10)).isEqualTo(content);
        assertThat(machine.vmstat().get(VmItem.PGSTEAL_FILE)).isPositive();
        long[] shadowRuns = {0};
        cache(f).index().forEach(0, Long.MAX_VALUE, (i, e) -> {
            if (e instanceof org.pagelab.desc.Shadow && i % 4 == 0) {
                for (int k = 1; k < 4; k++) {
                    if (cache(f).load(i + k) != e) {
                        return true;
                    }
                }
                shadowRuns[0]++; // one shadow over an order-2 (or larger) folio's slots
            }
            return true;
        });
        assertThat(shadowRuns[0]).isPositive();
        machine.check();
        assertThat(readAll(f, 64 << 10)).isEqualTo(content);
        assertThat(machine.vmstat().get(VmItem.WORKINGSET_REFAULT_FILE)).isPositive();
    }

    /**
     * A dirty large folio is written whole when reclaim or writeback takes it, and its bytes reach
     * the host file exactly.
     */
    @Test
    void dirtyLargeFoliosAreWrittenWholeUnderPressure() throws IOException {
        boot("32M", 12 << 10, true);
        open();
        SplittableRandom rnd = new SplittableRandom(7);
        byte[] chunk = new byte[100];
        for (int pos = 0; pos + chunk.length <= content.length; pos += 256 << 10) {
            byte[] head = new byte[PAGE];
            vfs.pread(f, pos, head, 0, PAGE).orThrow(); // brings the range in as large folios
            rnd.nextBytes(chunk);
            int at = pos + 3 * PAGE + 17;
            vfs.pwrite(f, at, chunk, 0, chunk.length).orThrow();
            System.arraycopy(chunk, 0, content, at, chunk.length);
        }
        assertThat(machine.vmstat().get(VmItem.NR_DIRTIED)).as("each write dirtied a whole large folio").isGreaterThan(
                (long) (content.length / (256 << 10)));
        assertThat(readAll(f, 64 << 10)).isEqualTo(content);
        assertThat(vfs.fsync(f).ok()).isTrue();
        assertThat(Files.readAllBytes(dir.resolve("data"))).isEqualTo(content);
    }
}
