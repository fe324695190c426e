package org.pagelab.soak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.pagelab.memcg.MemoryCgroups;
import org.pagelab.memory.TransparentHugepage;
import org.pagelab.scenario.HugepageSpec;
import org.pagelab.scenario.Scenario;
import org.pagelab.scenario.Step;
import org.pagelab.vma.VmFlags;

/**
 * Makes a random, valid scenario of about {@code ops} steps from a seed: a machine under memory
 * pressure with swap and memory cgroups, files of every kind (host file, memfd, a dev/shm file),
 * and a few processes that map, unmap, protect and advise whole regions and parts of them, write,
 * read and touch them, fork (children inherit and exit), pin and unpin, write and read files,
 * change cgroup limits, move between cgroups, poison pages now and then, and check what they read
 * with {@code expect} steps that {@link SoakModel} predicts. The OOM killer may end any process
 * under the pressure, so the scenario allows undeclared kills ({@code kills: allowed}). Every process ends by checking every
 * byte it can predict. The same seed and size give the same scenario.
 */
final class SoakGenerator {
    private static final int PAGE = SoakModel.PAGE;
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final int[] PROTS = {RW, RW, RW, VmFlags.VM_READ, 0};
    private static final long[] REGION_SIZES = {16 << 10, 64 << 10, 256 << 10, 1 << 20, 2 << 20, 4 << 20};
    private static final String[] CGROUPS = {"/a", "/b", "/a/c"};
    private static final int TOP_PROCESSES = 3;
    private static final int MAX_FORK_DEPTH = 2;

    private final SplittableRandom rnd;
    private final SoakModel model;
    private final List<Scenario.FileSpec> files;
    private final long mappedCapPages;
    private int nextRegion = 1;
    private int nextChild = 1;
    private long emitted;

    private SoakGenerator(long seed, List<Scenario.FileSpec> files, long mappedCapPages) {
        this.rnd = new SplittableRandom(seed);
        this.files = files;
        this.model = new SoakModel(files);
        this.mappedCapPages = mappedCapPages;
    }

    /**
     * Multi-size THP and khugepaged for a soak machine, drawn apart from the rest of its shape:
     * each size below 2 MiB stays never or is set always, inherit or madvise; khugepaged often
     * scans every 100 ms to 1 s of simulated time with random max_ptes limits, so that collapses
     * happen within a run; half the machines' file systems take large page-cache folios.
     */
    private static HugepageSpec hugepages(long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x7419e5L);
        Map<Integer, org.pagelab.memory.MthpEnabled> sizes = new LinkedHashMap<>();
        for (int o = org.pagelab.memory.MthpSettings.MIN_ORDER; o < org.pagelab.memory.MthpSettings.MAX_ORDER; o++) {
            if (r.nextInt(3) == 0) {
                sizes.put(org.pagelab.memory.MthpSettings.sizeKb(o), org.pagelab.memory.MthpEnabled.values()[r.nextInt(3)]);
            }
        }
        Map<org.pagelab.memory.Khugepaged.Tunable, Long> khugepaged = new LinkedHashMap<>();
        if (r.nextInt(3) != 0) {
            khugepaged.put(org.pagelab.memory.Khugepaged.Tunable.SCAN_SLEEP_MILLISECS, 100L + r.nextInt(901));
            khugepaged.put(org.pagelab.memory.Khugepaged.Tunable.MAX_PTES_NONE, (long) r.nextInt(512));
            khugepaged.put(org.pagelab.memory.Khugepaged.Tunable.MAX_PTES_SWAP, (long) r.nextInt(512));
            khugepaged.put(org.pagelab.memory.Khugepaged.Tunable.MAX_PTES_SHARED, (long) r.nextInt(512));
        }
        return new HugepageSpec(sizes, khugepaged, null, r.nextBoolean()); // large page-cache folios for half the seeds
    }

    /** A scenario of about {@code ops} steps from {@code seed}; its expects already normalized. */
    static Scenario generate(long seed, long ops) {
        SplittableRandom shape = new SplittableRandom(seed ^ 0x5eed5eedL);
        long memory = (64L + 16 * shape.nextInt(7)) << 20;
        long swap = (64L + 32 * shape.nextInt(7)) << 20;
        int cpus = 1 + shape.nextInt(4);
        TransparentHugepage thp = TransparentHugepage.values()[shape.nextInt(TransparentHugepage.values().length)];
        int[] swappiness = {0, 10, 60, 100, 200};
        List<Scenario.FileSpec> files = List.of(
                new Scenario.FileSpec("f0.bin", (1 + shape.nextInt(8)) << 20, 0, false),
                new Scenario.FileSpec("f1.bin", (1 + shape.nextInt(4)) << 20, 0, false),
                new Scenario.FileSpec("ring", (1 + shape.nextInt(4)) << 20, 0, true),
                new Scenario.FileSpec("dev/shm/seg", (1 + shape.nextInt(4)) << 20, 0, false));
        List<Scenario.CgroupSpec> cgroups = new ArrayList<>();
        for (String path : CGROUPS) {
            cgroups.add(new Scenario.CgroupSpec(path, limits(shape, memory), 0));
        }
        long cap = memory / PAGE / 2 + memory / PAGE / 4 * shape.nextInt(4); // per process: together well beyond memory
        SoakGenerator g = new SoakGenerator(seed, files, cap);
        List<Scenario.ProcessSpec> procs = new ArrayList<>();
        for (int i = 0; i < TOP_PROCESSES; i++) {
            SoakModel.Proc p = new SoakModel.Proc("p" + i, 0);
            List<Step> steps = g.steps(p, ops / TOP_PROCESSES);
            procs.add(new Scenario.ProcessSpec(p.name, steps, 0, i == 0 ? 0 : 100 * i,
                    i == 0 ? null : CGROUPS[(i - 1) % CGROUPS.length]));
        }
        // vm.compaction_proactiveness: off, the kernel's 20, or 100 (compact whenever a timeout finds any
        // fragmentation, so that migration runs under everything else); drawn apart from the shape so
        // the other choices of a seed stay what they were before this key existed
        int proactiveness = new int[] {0, 20, 100}[(int) Long.remainderUnsigned(seed * 0x9E3779B97F4A7C15L >>> 7, 3)];
        Scenario s = new Scenario("soak seed " + seed, memory, true, seed, List.of(new Scenario.SwapSpec(swap, null, 0)),
                swappiness[shape.nextInt(swappiness.length)], shape.nextInt(4) != 0, cpus, null, null, thp, null, hugepages(seed), List.of(),
                files, procs, cgroups, new org.pagelab.scenario.MachineSizing(null, null, null, null, null, null, null, null,
                        null, 0, null, null, null, null, null, null, proactiveness, null), null, true);
        return SoakModel.normalize(s);
    }

    private static Map<String, Long> limits(SplittableRandom r, long memory) {
        Map<String, Long> m = new LinkedHashMap<>();
        long pages = memory / PAGE;
        m.put("max", r.nextInt(4) == 0 ? MemoryCgroups.UNLIMITED : pages / 4 + r.nextLong(pages / 2));
        if (r.nextBoolean()) {
            m.put("high", pages / 5 + r.nextLong(pages / 2));
        }
        if (r.nextInt(3) == 0) {
            m.put("low", r.nextLong(pages / 8));
        }
        if (r.nextInt(4) == 0) {
            m.put("swap_max", pages / 8 + r.nextLong(pages / 2));
        }
        return m;
    }

    /**
     * The steps of process {@code p} for a budget of {@code budget} steps (its children's
     * included).
     */
    private List<Step> steps(SoakModel.Proc p, long budget) {
        List<Step> out = new ArrayList<>();
        long stop = emitted + budget;
        while (emitted < stop && !p.exited) {
            choose(p, out, stop - emitted);
        }
        // the final check of every byte it can predict: a top-level process checks all its regions,
        // a child those it mapped or wrote and one it inherited (its parent checks the rest)
        for (SoakModel.Region r : List.copyOf(p.regions.values())) {
            if (p.depth == 0 || p.own.contains(r.name) || rnd.nextInt(p.regions.size()) == 0) {
                emit(p, out, model.expects(p, r, 0, (long) r.pages * PAGE));
            }
        }
        if (p.depth > 0 && !p.exited) {
            emit(p, out, List.of(SoakSteps.exit()));
        }
        return out;
    }

    private void emit(SoakModel.Proc p, List<Step> out, List<Step> steps) {
        for (Step st : steps) {
            model.apply(p, st);
            out.add(st);
            emitted++;
        }
    }

    private void choose(SoakModel.Proc p, List<Step> out, long left) {
        int op = rnd.nextInt(1000);
        List<SoakModel.Region> regions = List.copyOf(p.regions.values());
        if (regions.isEmpty() || op < 60 && p.mappedPages() < mappedCapPages && regions.size() < 24) {
            emit(p, out, List.of(mmap()));
            return;
        }
        SoakModel.Region r = regions.get(rnd.nextInt(regions.size()));
        if (op < 330) {
            emit(p, out, write(p, r));
        } else if (op < 400) {
            emit(p, out, readable(r, (off, len) -> SoakSteps.read(r.name, off, len)));
        } else if (op < 460) {
            long[] range = pageRange(r);
            String pattern = new String[] {"sequential", "random", "zipf"}[rnd.nextInt(3)];
            boolean write = rnd.nextBoolean() && allWritable(r, range);
            if (write || allReadable(r, range)) {
                emit(p, out, List.of(SoakSteps.touch(r.name, range[0], range[1], pattern, 1 + rnd.nextInt(64), write,
                        pattern.equals("zipf") ? 0.5 + rnd.nextDouble() : null)));
            }
        } else if (op < 520) {
            int first = rnd.nextInt(r.pages);
            int n = 1 + rnd.nextInt(Math.min(8, r.pages - first));
            emit(p, out, model.expects(p, r, (long) first * PAGE, (long) n * PAGE));
        } else if (op < 580) {
            emit(p, out, write(p, r));
        } else if (op < 620) {
            long[] range = partOrWhole(r);
            if (allMapped(r, range)) { // mprotect of a range with a hole fails with ENOMEM, as in the kernel
                emit(p, out, List.of(SoakSteps.ranged("mprotect", r.name, range[0], range[1], PROTS[rnd.nextInt(PROTS.length)], null)));
            }
        } else if (op < 700) {
            String advice = new String[] {"dontneed", "cold", "pageout", "pageout", "hugepage", "nohugepage", "collapse"}[rnd.nextInt(7)];
            long[] range = partOrWhole(r);
            if (allMapped(r, range)) { // so does madvise
                emit(p, out, List.of(SoakSteps.ranged("madvise", r.name, range[0], range[1], null, advice)));
            }
        } else if (op < 740) {
            long[] range = rnd.nextInt(3) == 0 ? new long[] {0, 0} : partOrWhole(r);
            // never across a hole: another region may have been mapped there since
            if (!p.pinned.contains(r.name) && allMapped(r, range)) {
                emit(p, out, List.of(SoakSteps.ranged("munmap", r.name, range[0], range[1], null, null)));
            }
        } else if (op < 790) {
            fileIo(p, out);
        } else if (op < 810) {
            pinOrUnpin(p, out, r);
        } else if (op < 830 && p.depth < MAX_FORK_DEPTH && left > 40) {
            String name = "c" + nextChild++;
            SoakModel.Proc child = p.fork(name);
            out.add(null); // the fork's place, filled in once the child's steps are made
            int at = out.size() - 1;
            emitted++;
            List<Step> childSteps = steps(child, Math.min(left / 4, 40 + rnd.nextInt(400)));
            out.set(at, SoakSteps.fork(name, childSteps));
        } else if (op < 845) {
            String path = CGROUPS[rnd.nextInt(CGROUPS.length)];
            emit(p, out, List.of(SoakSteps.cgroupSet(path, cgroupLimit())));
        } else if (op < 855) {
            emit(p, out, List.of(SoakSteps.cgroupMove(rnd.nextInt(4) == 0 ? "/" : CGROUPS[rnd.nextInt(CGROUPS.length)])));
        } else if (op < 870) {
            // one sleep in 40 outlasts kcompactd's 500 ms timeout, so proactive compaction gets its turns
            long ns = rnd.nextInt(40) == 0 ? 300_000_000 + rnd.nextLong(500_000_000) : 1_000 + rnd.nextLong(2_000_000);
            emit(p, out, List.of(SoakSteps.sleep(ns)));
        } else if (op < 872 && !r.forked && (r.kind == SoakModel.Kind.PRIVATE_ANON || r.kind == SoakModel.Kind.SHARED_ANON)) {
            // only memory no other process can share: one that ran before this step was made could touch it
            int page = rnd.nextInt(r.pages);
            if (r.readable(page) && !model.lost(r, page)) {
                emit(p, out, List.of(SoakSteps.poison(r.name, (long) page * PAGE)));
            }
        } else if (op < 873 && p.depth > 0) {
            emit(p, out, List.of(SoakSteps.exit()));
        } else if (op < 885) {
            semanticsStep(p, out, r);
        } else {
            emit(p, out, write(p, r));
        }
    }

    /**
     * One of the steps the mm selftests' cases use: a FOLL_GET reference and its release,
     * clear_refs, MADV_POPULATE_READ/WRITE, and the advices that change what fork copies.
     */
    private void semanticsStep(SoakModel.Proc p, List<Step> out, SoakModel.Region r) {
        long[] range = pageRange(r);
        switch (rnd.nextInt(5)) {
            case 0 -> {
                if (p.gotten.contains(r.name)) {
                    emit(p, out, List.of(SoakSteps.put(r.name)));
                } else if (allReadable(r, range)) {
                    boolean write = rnd.nextBoolean() && allWritable(r, range) && ownsShared(p, r);
                    emit(p, out, List.of(SoakSteps.get(r.name, range[0], Math.min(range[1], 16L * PAGE), write)));
                }
            }
            case 1 -> emit(p, out, List.of(SoakSteps.clearRefs(1 + rnd.nextInt(4))));
            case 2 -> {
                boolean write = rnd.nextBoolean();
                boolean shared = r.kind == SoakModel.Kind.SHARED_ANON || r.kind == SoakModel.Kind.FILE_SHARED;
                if (write ? allWritable(r, range) && (!shared || ownsShared(p, r) && model.soleWriter(p, r.obj))
                        : allReadable(r, range)) {
                    emit(p, out, List.of(SoakSteps.ranged("madvise", r.name, range[0], range[1], null,
                            write ? "populate_write" : "populate_read")));
                }
            }
            default -> {
                String advice = new String[] {"dontfork", "dofork", "wipeonfork", "keeponfork"}[rnd.nextInt(4)];
                boolean anonOnly = advice.equals("wipeonfork");
                if (allMapped(r, range) && (!anonOnly || r.kind == SoakModel.Kind.PRIVATE_ANON)) {
                    emit(p, out, List.of(SoakSteps.ranged("madvise", r.name, range[0], range[1], null, advice)));
                }
            }
        }
    }

    private Map<String, Long> cgroupLimit() {
        Map<String, Long> m = new LinkedHashMap<>();
        long pages = mappedCapPages;
        switch (rnd.nextInt(4)) {
            case 0 -> m.put("max", rnd.nextInt(3) == 0 ? MemoryCgroups.UNLIMITED : pages / 2 + rnd.nextLong(pages * 2));
            case 1 -> m.put("high", rnd.nextInt(3) == 0 ? MemoryCgroups.UNLIMITED : pages / 2 + rnd.nextLong(pages * 2));
            case 2 -> m.put("low", rnd.nextLong(pages / 2));
            default -> m.put("swap_max", rnd.nextInt(3) == 0 ? MemoryCgroups.UNLIMITED : pages / 4 + rnd.nextLong(pages));
        }
        return m;
    }

    private Step mmap() {
        String name = "r" + nextRegion++;
        long size = REGION_SIZES[rnd.nextInt(REGION_SIZES.length)];
        int kind = rnd.nextInt(100);
        int prot = rnd.nextInt(8) == 0 ? VmFlags.VM_READ : RW;
        if (kind < 60) {
            return SoakSteps.mmapAnon(name, size, prot, false);
        }
        if (kind < 70) {
            return SoakSteps.mmapAnon(name, size, prot, true);
        }
        Scenario.FileSpec f = files.get(rnd.nextInt(files.size()));
        long filePages = f.size() / PAGE;
        long pages = Math.min(size / PAGE, filePages);
        long off = rnd.nextLong(filePages - pages + 1) * PAGE;
        return SoakSteps.mmapFile(name, f.name(), off, pages * PAGE, prot, kind < 88);
    }

    /** A write to a writable run of {@code r} this process may write, or nothing. */
    private List<Step> write(SoakModel.Proc p, SoakModel.Region r) {
        boolean shared = r.kind == SoakModel.Kind.SHARED_ANON || r.kind == SoakModel.Kind.FILE_SHARED;
        if (shared && (!model.soleWriter(p, r.obj) || !ownsShared(p, r))) {
            return List.of();
        }
        int page = rnd.nextInt(r.pages);
        if (!r.writable(page) || model.lost(r, page)) {
            return List.of();
        }
        int endPage = page + 1;
        while (endPage < r.pages && endPage - page < 64 && r.writable(endPage) && !model.lost(r, endPage) && rnd.nextInt(8) != 0) {
            endPage++;
        }
        int g0 = page * Content.PER_PAGE + rnd.nextInt(Content.PER_PAGE);
        int g1 = Math.max(g0 + 1, endPage * Content.PER_PAGE - rnd.nextInt(Content.PER_PAGE));
        return List.of(SoakSteps.write(r.name, (long) g0 * Content.GRANULE, (long) (g1 - g0) * Content.GRANULE,
                rnd.nextInt(256)));
    }

    /**
     * Whether {@code p} may write shared region {@code r}: a shared anonymous object only by the
     * process that mapped it (its lineage starts with the process's name), a file only by its
     * owner ({@link #ownsFile}).
     */
    private boolean ownsShared(SoakModel.Proc p, SoakModel.Region r) {
        if (r.kind == SoakModel.Kind.SHARED_ANON) {
            return r.lineage.startsWith(p.name + "/");
        }
        if (r.kind == SoakModel.Kind.FILE_SHARED) {
            return ownsFile(p, r.obj.id.substring("file:".length()));
        }
        return true;
    }

    /** Whether {@code p} is the one process that writes file {@code name}: file i belongs to top-level process i mod 3. */
    private boolean ownsFile(SoakModel.Proc p, String name) {
        if (p.depth > 0) {
            return false;
        }
        int owner = Integer.parseInt(p.name.substring(1));
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).name().equals(name)) {
                return i % TOP_PROCESSES == owner;
            }
        }
        return false;
    }

    private void fileIo(SoakModel.Proc p, List<Step> out) {
        Scenario.FileSpec mine = files.get(rnd.nextInt(files.size()));
        if (ownsFile(p, mine.name()) && rnd.nextBoolean()) {
            Scenario.FileSpec f = mine;
            long[] range = byteRange(f.size());
            emit(p, out, List.of(rnd.nextInt(8) == 0 ? SoakSteps.fsync(f.name())
                    : SoakSteps.fileWrite(f.name(), range[0], range[1], rnd.nextInt(256))));
            return;
        }
        Scenario.FileSpec f = files.get(rnd.nextInt(files.size()));
        long[] range = byteRange(f.size());
        emit(p, out, List.of(SoakSteps.fileRead(f.name(), range[0], range[1])));
    }

    private long[] byteRange(long size) {
        long g = size / Content.GRANULE;
        long g0 = rnd.nextLong(g);
        long n = 1 + rnd.nextLong(Math.min(g - g0, 512));
        return new long[] {g0 * Content.GRANULE, n * Content.GRANULE};
    }

    private void pinOrUnpin(SoakModel.Proc p, List<Step> out, SoakModel.Region r) {
        if (p.pinned.contains(r.name)) {
            emit(p, out, List.of(SoakSteps.unpin(r.name)));
            return;
        }
        long[] range = pageRange(r);
        range[1] = Math.min(range[1], 16L * PAGE);
        boolean write = rnd.nextBoolean() && allWritable(r, range) && ownsShared(p, r);
        // a writable long-term pin of a shared mapping of a file on disk is refused (EFAULT): the
        // file system could not write the page back while a device may write to it
        boolean hostFile = r.kind == SoakModel.Kind.FILE_SHARED && files.stream()
                .anyMatch(f -> r.obj.id.equals("file:" + f.name()) && !f.memfd() && !f.name().startsWith("dev/shm/"));
        boolean longterm = rnd.nextBoolean() && !(write && hostFile);
        if (write || allReadable(r, range)) {
            emit(p, out, List.of(SoakSteps.pin(r.name, range[0], range[1], write, longterm)));
        }
    }

    private interface RangeStep {
        Step at(long offset, long length);
    }

    private List<Step> readable(SoakModel.Region r, RangeStep make) {
        long[] range = pageRange(r);
        return allReadable(r, range) ? List.of(make.at(range[0], range[1])) : List.of();
    }

    /** A random page-aligned range of {@code r}: offset and length in bytes, up to 64 pages. */
    private long[] pageRange(SoakModel.Region r) {
        int first = rnd.nextInt(r.pages);
        int n = 1 + rnd.nextInt(Math.min(64, r.pages - first));
        return new long[] {(long) first * PAGE, (long) n * PAGE};
    }

    /** A part of {@code r} (offset and length) or, a third of the time, the whole ({0, 0}). */
    private long[] partOrWhole(SoakModel.Region r) {
        return rnd.nextInt(3) == 0 ? new long[] {0, 0} : pageRange(r);
    }

    /** Whether every page of {@code range} ({0, 0}: the whole region) is mapped. */
    private static boolean allMapped(SoakModel.Region r, long[] range) {
        long from = range[1] == 0 ? 0 : range[0] / PAGE;
        long to = range[1] == 0 ? r.pages : (range[0] + range[1]) / PAGE;
        for (long k = from; k < to; k++) {
            if (!r.mapped[(int) k]) {
                return false;
            }
        }
        return true;
    }

    private boolean allReadable(SoakModel.Region r, long[] range) {
        for (long k = range[0] / PAGE; k < (range[0] + range[1]) / PAGE; k++) {
            if (!r.readable((int) k) || model.lost(r, (int) k)) {
                return false;
            }
        }
        return true;
    }

    private boolean allWritable(SoakModel.Region r, long[] range) {
        for (long k = range[0] / PAGE; k < (range[0] + range[1]) / PAGE; k++) {
            if (!r.writable((int) k) || model.lost(r, (int) k)) {
                return false;
            }
        }
        return true;
    }
}
