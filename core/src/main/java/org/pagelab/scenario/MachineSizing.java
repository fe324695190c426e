package org.pagelab.scenario;

import java.util.Map;
import java.util.Set;
import org.pagelab.machine.Machine;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The keys of a scenario's {@code machine:} that describe a real machine by the kernel's own
 * figures, so a run reproduces a given host or guest: MemTotal (the kernel reserves the rest),
 * the zones, the watermark settings, the kernel memory in use after boot, the overcommit
 * policy, and the reclaim tunables (page-cluster, the multi-generational LRU's min_ttl). Every
 * field is null when the file does not say.
 *
 * @param memTotal             MemTotal in bytes, as /proc/meminfo of the real machine shows it
 * @param zones                the zone layout
 * @param minFreeKbytes        vm.min_free_kbytes
 * @param watermarkScaleFactor vm.watermark_scale_factor
 * @param kernelUsed           bytes of unreclaimable kernel memory held from boot on
 * @param overcommitMemory     vm.overcommit_memory, 0..2
 * @param overcommitRatio      vm.overcommit_ratio
 * @param overcommitKbytes     vm.overcommit_kbytes
 * @param pageCluster          vm.page-cluster, 0..31 (swap readahead reads up to 2^page-cluster pages)
 * @param line                 the line of {@code machine:}, for errors found when the machine is built
 * @param pageblockOrder       log2 of a pageblock's frames (x86-64: 9; user-mode Linux: 10)
 * @param watermarkBoostFactor vm.watermark_boost_factor
 * @param kernelPageblocks     the unmovable pageblocks {@code kernel_used} is spread over, as a
 *                             real boot leaves it (/proc/pagetypeinfo's block counts); 0 packs it
 * @param blockRequestBytes    the descriptor the block driver allocates with GFP_ATOMIC per request
 *                             of writes in flight (user-mode Linux's ubd: 1584); null or 0: none
 * @param fsBlockSize          the file system's block size in bytes, below a page a block file
 *                             system whose written pages carry buffer heads (the guest's ext4: 1024);
 *                             null or 0: none
 * @param lruGenMinTtlMs       /sys/kernel/mm/lru_gen/min_ttl_ms: under the multi-generational LRU,
 *                             kswapd calls the OOM killer rather than evict a working set younger
 *                             than this; no effect under the two-list LRU
 * @param compactionProactiveness vm.compaction_proactiveness, 0..100: how fragmented memory may
 *                             get before kcompactd compacts it unasked; null: the kernel's 20
 * @param maxSectorsKb         the block devices' /sys/block/DEV/queue/max_sectors_kb, the largest
 *                             request: a plug of writes whose requests stay below 128 KiB is flushed
 *                             only at 32 requests (user-mode Linux's ubd: 127); null: the kernel's
 *                             1280, whose 320-page requests flush the plug as each fills
 */
public record MachineSizing(Long memTotal, PhysConfig.ZoneLayout zones, Integer minFreeKbytes,
                            Integer watermarkScaleFactor, Long kernelUsed, Integer overcommitMemory,
                            Integer overcommitRatio, Long overcommitKbytes, Integer pageCluster, int line,
                            Integer pageblockOrder, Integer watermarkBoostFactor, Integer kernelPageblocks,
                            Integer blockRequestBytes, Integer fsBlockSize, Long lruGenMinTtlMs,
                            Integer compactionProactiveness, Integer maxSectorsKb) {

    /** Sizing without the anti-fragmentation keys. */
    public MachineSizing(Long memTotal, PhysConfig.ZoneLayout zones, Integer minFreeKbytes,
            Integer watermarkScaleFactor, Long kernelUsed, Integer overcommitMemory, Integer overcommitRatio,
            Long overcommitKbytes, Integer pageCluster, int line) {
        this(memTotal, zones, minFreeKbytes, watermarkScaleFactor, kernelUsed, overcommitMemory, overcommitRatio,
                overcommitKbytes, pageCluster, line, null, null, null, null, null, null, null, null);
    }

    /** No sizing keys: the machine is shaped by memory alone, with the kernel's defaults. */
    public static final MachineSizing NONE = new MachineSizing(null, null, null, null, null, null, null, null, 0);

    /** Sizing with page-cluster as the kernel sets it at boot. */
    public MachineSizing(Long memTotal, PhysConfig.ZoneLayout zones, Integer minFreeKbytes, Integer watermarkScaleFactor,
                         Long kernelUsed, Integer overcommitMemory, Integer overcommitRatio, Long overcommitKbytes, int line) {
        this(memTotal, zones, minFreeKbytes, watermarkScaleFactor, kernelUsed, overcommitMemory, overcommitRatio,
                overcommitKbytes, null, line);
    }

    /** The keys this record reads from {@code machine:}. */
    static final Set<String> KEYS = Set.of("memtotal", "zones", "min_free_kbytes", "watermark_scale_factor",
            "kernel_used", "overcommit_memory", "overcommit_ratio", "overcommit_kbytes", "page_cluster",
            "pageblock_order", "watermark_boost_factor", "kernel_pageblocks", "block_request_bytes", "fs_block_size",
            "lru_gen_min_ttl_ms", "compaction_proactiveness", "max_sectors_kb");

    /** The largest max_sectors_kb taken: the kernel caps requests by the device's max_hw_sectors_kb, here by this. */
    static final int MAX_SECTORS_KB = 1 << 20;

    /** The largest min_ttl_ms the kernel's file takes (an unsigned int of milliseconds). */
    static final long MAX_MIN_TTL_MS = 0xFFFF_FFFFL;

    /** The scalar readers of the scenario parser, whose errors name file and line. */
    interface Reader {
        String scalar(Node n, String what);

        long size(Node n, String what);

        long number(Node n, String what);

        ScenarioException err(Node n, String msg);
    }

    /** Reads the sizing keys of machine mapping {@code m} (at {@code owner}). */
    static MachineSizing parse(Map<String, Node> m, Node owner, Reader r) {
        Long memTotal = null;
        if (m.containsKey("memtotal")) {
            memTotal = r.size(m.get("memtotal"), "memtotal");
            if (memTotal <= 0 || memTotal % MemSize.PAGE_SIZE != 0) {
                throw r.err(m.get("memtotal"), "bad memtotal '" + r.scalar(m.get("memtotal"), "memtotal")
                        + "': expected a positive multiple of 4K (MemTotal of /proc/meminfo, e.g. 53456K)");
            }
        }
        PhysConfig.ZoneLayout zones = null;
        if (m.containsKey("zones")) {
            String v = r.scalar(m.get("zones"), "zones").trim();
            zones = switch (v) {
                case "dma32+normal" -> PhysConfig.ZoneLayout.DMA32_NORMAL;
                case "normal" -> PhysConfig.ZoneLayout.NORMAL;
                default -> throw r.err(m.get("zones"), "bad zones '" + v + "': expected dma32+normal or normal");
            };
        }
        Integer minFree = m.containsKey("min_free_kbytes")
                ? (int) bounded(m.get("min_free_kbytes"), "min_free_kbytes", 128, 262144 * 4, r) : null;
        Integer wsf = m.containsKey("watermark_scale_factor")
                ? (int) bounded(m.get("watermark_scale_factor"), "watermark_scale_factor", 1, 3000, r) : null;
        Long kernelUsed = m.containsKey("kernel_used") ? r.size(m.get("kernel_used"), "kernel_used") : null;
        Integer mode = m.containsKey("overcommit_memory")
                ? (int) bounded(m.get("overcommit_memory"), "overcommit_memory", 0, 2, r) : null;
        Integer ratio = m.containsKey("overcommit_ratio")
                ? (int) bounded(m.get("overcommit_ratio"), "overcommit_ratio", 0, 100000, r) : null;
        Long kbytes = m.containsKey("overcommit_kbytes") ? r.size(m.get("overcommit_kbytes"), "overcommit_kbytes") / 1024
                : null;
        if (ratio != null && kbytes != null) {
            throw r.err(m.get("overcommit_kbytes"), "overcommit_ratio and overcommit_kbytes exclude each other"
                    + " (writing one clears the other)");
        }
        Integer pageCluster = m.containsKey("page_cluster") ? (int) bounded(m.get("page_cluster"), "page_cluster", 0,
                org.pagelab.swap.SwapReadahead.MAX_PAGE_CLUSTER, r) : null;
        Integer pbo = m.containsKey("pageblock_order")
                ? (int) bounded(m.get("pageblock_order"), "pageblock_order", 1, org.pagelab.desc.MemDesc.MAX_ORDER, r) : null;
        Integer wbf = m.containsKey("watermark_boost_factor")
                ? (int) bounded(m.get("watermark_boost_factor"), "watermark_boost_factor", 0, 1_000_000, r) : null;
        Integer kpb = m.containsKey("kernel_pageblocks")
                ? (int) bounded(m.get("kernel_pageblocks"), "kernel_pageblocks", 0, 1 << 20, r) : null;
        if (kpb != null && kpb > 0 && kernelUsed == null) {
            throw r.err(m.get("kernel_pageblocks"), "kernel_pageblocks spreads kernel_used, which the machine does not set");
        }
        Integer brb = m.containsKey("block_request_bytes") ? (int) bounded(m.get("block_request_bytes"),
                "block_request_bytes", 0, Machine.MAX_BLOCK_REQUEST_BYTES, r) : null;
        Integer fsb = null;
        if (m.containsKey("fs_block_size")) {
            long v = r.size(m.get("fs_block_size"), "fs_block_size");
            if (v != 0 && (v < 512 || v > MemSize.PAGE_SIZE || Long.bitCount(v) != 1)) {
                throw r.err(m.get("fs_block_size"), "bad fs_block_size '" + r.scalar(m.get("fs_block_size"), "fs_block_size")
                        + "': expected 0 or a power of two from 512 to 4K");
            }
            fsb = (int) v;
        }
        Long minTtl = m.containsKey("lru_gen_min_ttl_ms")
                ? bounded(m.get("lru_gen_min_ttl_ms"), "lru_gen_min_ttl_ms", 0, MAX_MIN_TTL_MS, r) : null;
        Integer proactiveness = m.containsKey("compaction_proactiveness") ? (int) bounded(m.get("compaction_proactiveness"),
                "compaction_proactiveness", 0, org.pagelab.compaction.Compaction.MAX_PROACTIVENESS, r) : null;
        Integer maxSectorsKb = m.containsKey("max_sectors_kb")
                ? (int) bounded(m.get("max_sectors_kb"), "max_sectors_kb", MemSize.PAGE_SIZE / 1024, MAX_SECTORS_KB, r) : null;
        return new MachineSizing(memTotal, zones, minFree, wsf, kernelUsed, mode, ratio, kbytes, pageCluster,
                owner.getStartMark().getLine() + 1, pbo, wbf, kpb, brb, fsb, minTtl, proactiveness, maxSectorsKb);
    }

    private static long bounded(Node n, String what, long min, long max, Reader r) {
        long v = r.number(n, what);
        if (v < min || v > max) {
            throw r.err(n, "bad " + what + " '" + v + "': expected " + min + ".." + max);
        }
        return v;
    }

    /**
     * The machine's shape: {@code memory} bytes (when null, {@code defaultMemory}, or with a
     * memtotal the smallest memory that can have it), the zones, watermark settings and the
     * kernel reservation that makes MemTotal exact. Errors name {@code source} and the machine's line.
     */
    public PhysConfig physConfig(String source, Long memory, long defaultMemory, boolean dataMode) {
        PhysConfig.ZoneLayout layout = zones == null ? PhysConfig.ZoneLayout.DMA32_NORMAL : zones;
        long bytes = memory != null ? memory
                : memTotal != null ? PhysConfig.memoryForMemTotal(memTotal, layout) : defaultMemory;
        try {
            PhysConfig c = new PhysConfig(bytes, 0, dataMode, minFreeKbytes == null ? 0 : minFreeKbytes,
                    watermarkScaleFactor == null ? 10 : watermarkScaleFactor, 0, layout,
                    pageblockOrder == null ? PhysConfig.DEFAULT_PAGEBLOCK_ORDER : pageblockOrder,
                    watermarkBoostFactor == null ? PhysConfig.DEFAULT_WATERMARK_BOOST_FACTOR : watermarkBoostFactor);
            return memTotal == null ? c : c.withMemTotal(memTotal);
        } catch (IllegalArgumentException e) {
            throw line == 0 ? new ScenarioException(source + ": bad machine memory: " + e.getMessage())
                    : new ScenarioException(source, line, "bad machine: " + e.getMessage());
        }
    }

    /**
     * Applies the settings that act on a booted machine: the kernel memory in use, the
     * overcommit policy, page-cluster and min_ttl. Returns false when the machine cannot hold {@code kernel_used}.
     */
    public boolean apply(Machine machine) {
        if (lruGenMinTtlMs != null && machine.vmscan().policy() instanceof org.pagelab.mglru.MglruPolicy mglru) {
            mglru.setMinTtlNanos(lruGenMinTtlMs * 1_000_000L);
        }
        if (pageCluster != null) {
            machine.swap().readahead().setPageCluster(pageCluster);
        }
        if (compactionProactiveness != null) {
            machine.kcompactd().setProactiveness(compactionProactiveness);
        }
        if (blockRequestBytes != null) {
            machine.setBlockRequestBytes(blockRequestBytes);
        }
        if (maxSectorsKb != null) {
            machine.writebackIo().setMaxRequestPages(maxSectorsKb / (MemSize.PAGE_SIZE / 1024));
        }
        if (fsBlockSize != null) {
            machine.setFsBlockSize(fsBlockSize);
        }
        if (overcommitMemory != null) {
            machine.overcommit().setMode(org.pagelab.vma.Overcommit.Mode.of(overcommitMemory));
        }
        if (overcommitRatio != null) {
            machine.overcommit().setRatio(overcommitRatio);
        }
        if (overcommitKbytes != null) {
            machine.overcommit().setKbytes(overcommitKbytes);
        }
        if (kernelUsed == null) {
            return true;
        }
        try {
            return machine.holdKernelMemory(kernelUsed, kernelPageblocks == null ? 0 : kernelPageblocks);
        } catch (IllegalArgumentException e) {
            return false; // the pageblocks to spread it over are not free
        }
    }
}
