package org.pagelab.soak;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pagelab.phys.MemSize;
import org.pagelab.scenario.Scenario;
import org.pagelab.scenario.Step;
import org.pagelab.vma.VmFlags;

/**
 * The soak's reference model of what each process should read: its regions, which pages of them
 * are mapped and with what protection, and the bytes behind them, at granule resolution
 * ({@link Content}).
 *
 * <h2>What can be predicted</h2>
 * Processes run interleaved by the machine's scheduler, so only bytes whose value does not depend
 * on the interleaving are predicted:
 * <ul>
 *   <li>a private anonymous region: its bytes change only by its own process's writes and
 *       MADV_DONTNEED (zeros), and a forked child starts with a copy;</li>
 *   <li>a shared object (a shared anonymous mapping's shmem object, or a file) that exactly one
 *       process writes, as seen by that process.</li>
 * </ul>
 * Private file mappings and objects with several writers are never predicted. A page that
 * memory-failure was injected into is unknown from then on in every region that descends from
 * the same mmap (a page shared copy-on-write is one frame), and for the whole run, since a child
 * forked before the injection may run after it.
 *
 * <h2>Two passes</h2>
 * {@link #normalize} replays a whole scenario: a first pass applies every step to learn which
 * processes write each shared object and which pages were poisoned; a second pass replays again
 * and rewrites every {@code expect} step to the value the model predicts at that point, splitting
 * it where the value changes and dropping what cannot be predicted. The generator calls it once
 * when done; the reducer calls it on every candidate, so a smaller scenario never fails an expect
 * only because a write it depended on was removed.
 */
final class SoakModel {
    static final int PAGE = MemSize.PAGE_SIZE;

    /** How a region is backed. */
    enum Kind { PRIVATE_ANON, SHARED_ANON, FILE_SHARED, FILE_PRIVATE }

    /** A shared object: a shared anonymous mapping's shmem object or a file. */
    static final class SharedObj {
        final String id;
        final Content content;
        final Set<String> writers = new HashSet<>();

        SharedObj(String id, int pages) {
            this.id = id;
            this.content = new Content(pages);
        }

        int pages() {
            return content.granules() / Content.PER_PAGE;
        }
    }

    /** A named region of one process. */
    static final class Region {
        final String name;
        final Kind kind;
        final String lineage;
        final int pages;
        final int objOffsetPages;
        final Content priv;
        final SharedObj obj;
        final boolean[] mapped;
        final int[] prot;
        /** Pages under MADV_DONTFORK: a forked child does not have them. */
        final boolean[] dontfork;
        /** Pages under MADV_WIPEONFORK: a forked child has them zeroed (and keeps the advice). */
        final boolean[] wipe;
        /** Whether a fork happened while this region existed, so another process may share its frames. */
        boolean forked;

        Region(String name, Kind kind, String lineage, int pages, int objOffsetPages, Content priv, SharedObj obj, int prot) {
            this.name = name;
            this.kind = kind;
            this.lineage = lineage;
            this.pages = pages;
            this.objOffsetPages = objOffsetPages;
            this.priv = priv;
            this.obj = obj;
            this.mapped = new boolean[pages];
            this.prot = new int[pages];
            this.dontfork = new boolean[pages];
            this.wipe = new boolean[pages];
            java.util.Arrays.fill(mapped, true);
            java.util.Arrays.fill(this.prot, prot);
        }

        private Region(Region r) {
            this.name = r.name;
            this.kind = r.kind;
            this.lineage = r.lineage;
            this.pages = r.pages;
            this.objOffsetPages = r.objOffsetPages;
            this.priv = r.priv == null ? null : r.priv.copy();
            this.obj = r.obj;
            this.mapped = r.mapped.clone();
            this.prot = r.prot.clone();
            this.dontfork = r.dontfork.clone();
            this.wipe = r.wipe.clone();
            this.forked = r.forked;
        }

        /** The child's copy at fork: pages under MADV_DONTFORK left out, under MADV_WIPEONFORK zeroed. */
        Region forkCopy() {
            Region c = new Region(this);
            for (int k = 0; k < pages; k++) {
                if (dontfork[k]) {
                    c.mapped[k] = false;
                    c.dontfork[k] = false;
                } else if (wipe[k] && c.priv != null) {
                    c.priv.fill(k * Content.PER_PAGE, (k + 1) * Content.PER_PAGE, 0);
                }
            }
            return c;
        }

        Region copy() {
            return new Region(this);
        }

        boolean readable(int page) {
            return mapped[page] && (prot[page] & (VmFlags.VM_READ | VmFlags.VM_WRITE)) != 0;
        }

        boolean writable(int page) {
            return mapped[page] && (prot[page] & VmFlags.VM_WRITE) != 0;
        }

        /** The content granules of page {@code page} live in, and the granule of the page's start there; null when unpredicted. */
        Content contentOf() {
            return switch (kind) {
                case PRIVATE_ANON -> priv;
                case SHARED_ANON, FILE_SHARED -> obj.content;
                case FILE_PRIVATE -> null;
            };
        }

        int granuleOf(int page) {
            return (kind == Kind.PRIVATE_ANON ? page : objOffsetPages + page) * Content.PER_PAGE;
        }
    }

    /** One process's view while its steps are generated or replayed. */
    static final class Proc {
        final String name;
        final int depth;
        final Map<String, Region> regions = new LinkedHashMap<>();
        final Set<String> pinned = new HashSet<>();
        /** Regions a get step holds references in, until their put. */
        final Set<String> gotten = new HashSet<>();
        /** Regions this process mapped or wrote itself (a child's final check covers these). */
        final Set<String> own = new HashSet<>();
        boolean exited;

        Proc(String name, int depth) {
            this.name = name;
            this.depth = depth;
        }

        Proc fork(String child) {
            Proc c = new Proc(child, depth + 1);
            regions.forEach((k, v) -> {
                v.forked = true;
                c.regions.put(k, v.forkCopy());
            });
            return c;
        }

        long mappedPages() {
            long n = 0;
            for (Region r : regions.values()) {
                for (boolean m : r.mapped) {
                    n += m ? 1 : 0;
                }
            }
            return n;
        }
    }

    final Map<String, SharedObj> files = new LinkedHashMap<>();
    private final Map<String, SharedObj> sharedAnon = new HashMap<>();
    /** Poisoned pages by lineage (the mmap a region descends from): learnt by the first pass. */
    private final Map<String, Set<Integer>> poisoned;
    /** Writers of each shared object, learnt by the first pass; empty during generation. */
    private final Map<String, Set<String>> writersOf;

    SoakModel(List<Scenario.FileSpec> files) {
        this(files, new HashMap<>(), new HashMap<>());
    }

    private SoakModel(List<Scenario.FileSpec> fileSpecs, Map<String, Set<Integer>> poisoned, Map<String, Set<String>> writersOf) {
        for (Scenario.FileSpec f : fileSpecs) {
            files.put(f.name(), new SharedObj("file:" + f.name(), (int) (f.size() / PAGE)));
        }
        this.poisoned = poisoned;
        this.writersOf = writersOf;
    }

    /** Whether {@code p} alone writes the object, as far as is known (during generation: the generator's rule). */
    boolean soleWriter(Proc p, SharedObj o) {
        Set<String> w = writersOf.getOrDefault(o.id, o.writers);
        return w.isEmpty() || w.size() == 1 && w.contains(p.name);
    }

    /** Applies the effect of step {@code st} of process {@code p} to the model. */
    void apply(Proc p, Step st) {
        switch (st.kind()) {
            case "mmap" -> {
                int pages = (int) ((st.size() + PAGE - 1) / PAGE);
                String lineage = p.name + "/" + st.name();
                Region r;
                if (st.file() != null) {
                    boolean shared = Boolean.TRUE.equals(st.shared());
                    int off = st.offset() == null ? 0 : (int) (st.offset() / PAGE);
                    r = new Region(st.name(), shared ? Kind.FILE_SHARED : Kind.FILE_PRIVATE, lineage, pages, off, null,
                            files.get(st.file()), st.prot());
                } else if (Boolean.TRUE.equals(st.shared())) {
                    SharedObj o = sharedAnon.computeIfAbsent(lineage, k -> new SharedObj("anon:" + k, pages));
                    r = new Region(st.name(), Kind.SHARED_ANON, lineage, pages, 0, null, o, st.prot());
                } else {
                    r = new Region(st.name(), Kind.PRIVATE_ANON, lineage, pages, 0, new Content(pages), null, st.prot());
                }
                p.regions.put(st.name(), r);
                p.own.add(st.name());
            }
            case "munmap" -> {
                Region r = p.regions.get(st.region());
                if (r != null && firstPage(st) == 0 && endPage(st, r) == r.pages) {
                    p.regions.remove(st.region()); // the whole region, as the runner sees it: the name goes
                } else if (r != null) {
                    for (int k = firstPage(st); k < endPage(st, r); k++) {
                        r.mapped[k] = false;
                    }
                }
            }
            case "mprotect" -> {
                Region r = p.regions.get(st.region());
                if (r != null) {
                    for (int k = firstPage(st); k < endPage(st, r); k++) {
                        r.prot[k] = st.prot();
                    }
                }
            }
            case "madvise" -> {
                Region r = p.regions.get(st.region());
                if (r != null && st.advice().endsWith("fork")) {
                    for (int k = firstPage(st); k < endPage(st, r); k++) {
                        switch (st.advice()) {
                            case "dontfork" -> r.dontfork[k] = true;
                            case "dofork" -> r.dontfork[k] = false;
                            case "wipeonfork" -> r.wipe[k] = true;
                            default -> r.wipe[k] = false;
                        }
                    }
                }
                if (r != null && st.advice().equals("dontneed") && r.kind == Kind.PRIVATE_ANON) {
                    for (int k = firstPage(st); k < endPage(st, r); k++) {
                        if (r.mapped[k]) {
                            r.priv.fill(k * Content.PER_PAGE, (k + 1) * Content.PER_PAGE, 0);
                        }
                    }
                }
            }
            case "write" -> {
                Region r = p.regions.get(st.region());
                if (r == null) {
                    return;
                }
                p.own.add(r.name);
                int g0 = (int) (st.offset() / Content.GRANULE);
                int g1 = (int) ((st.offset() + st.length() + Content.GRANULE - 1) / Content.GRANULE);
                if (r.kind == Kind.SHARED_ANON || r.kind == Kind.FILE_SHARED) {
                    r.obj.writers.add(p.name);
                }
                Content c = r.contentOf();
                if (c != null) {
                    int base = r.granuleOf(0);
                    c.fill(base + g0, base + g1, st.fill());
                }
            }
            case "file_write" -> {
                SharedObj f = files.get(st.file());
                f.writers.add(p.name);
                int g0 = (int) (st.offset() / Content.GRANULE);
                int g1 = (int) ((st.offset() + st.length() + Content.GRANULE - 1) / Content.GRANULE);
                f.content.fill(g0, g1, st.fill());
            }
            case "poison" -> {
                Region r = p.regions.get(st.region());
                if (r != null) {
                    int page = (int) (st.offset() / PAGE);
                    poisoned.computeIfAbsent(r.kind == Kind.PRIVATE_ANON ? r.lineage : r.obj.id, k -> new HashSet<>())
                            .add(r.kind == Kind.PRIVATE_ANON ? page : r.objOffsetPages + page);
                }
            }
            case "pin" -> p.pinned.add(st.region());
            case "unpin" -> p.pinned.remove(st.region());
            case "get" -> p.gotten.add(st.region());
            case "put" -> p.gotten.remove(st.region());
            case "exit" -> p.exited = true;
            default -> {
            }
        }
    }

    static int firstPage(Step st) {
        return st.offset() == null ? 0 : (int) (st.offset() / PAGE);
    }

    static int endPage(Step st, Region r) {
        if (st.length() == null) {
            return r.pages;
        }
        return (int) Math.min(r.pages, (st.offset() == null ? 0 : st.offset() / PAGE) + (st.length() + PAGE - 1) / PAGE);
    }

    /** Whether page {@code page} of {@code r} was poisoned (by any process sharing its frames): touching it may raise SIGBUS. */
    boolean lost(Region r, int page) {
        Set<Integer> lost = poisoned.get(r.kind == Kind.PRIVATE_ANON ? r.lineage : r.obj.id);
        return lost != null && lost.contains(r.kind == Kind.PRIVATE_ANON ? page : r.objOffsetPages + page);
    }

    /**
     * The expect steps that check bytes {@code [offset, offset + length)} of region {@code r} of
     * {@code p} as the model knows them now: one step per run of equal bytes, nothing for what
     * cannot be predicted (unmapped, unreadable, poisoned, another writer's, a private file page).
     */
    List<Step> expects(Proc p, Region r, long offset, long length) {
        List<Step> out = new ArrayList<>();
        Content c = r.contentOf();
        if (c == null || r.obj != null && !soleWriter(p, r.obj)) {
            return out;
        }
        Set<Integer> lost = poisoned.getOrDefault(r.kind == Kind.PRIVATE_ANON ? r.lineage : r.obj.id, Set.of());
        int g = (int) (offset / Content.GRANULE);
        int end = (int) ((offset + length) / Content.GRANULE);
        int base = r.granuleOf(0);
        while (g < end) {
            int page = g / Content.PER_PAGE;
            int objPage = r.kind == Kind.PRIVATE_ANON ? page : r.objOffsetPages + page;
            if (!r.readable(page) || lost.contains(objPage) || c.get(base + g) == Content.UNKNOWN) {
                g = (page + 1) * Content.PER_PAGE;
                continue;
            }
            int pageEnd = Math.min(end, (page + 1) * Content.PER_PAGE);
            int runEnd = Math.min(pageEnd, c.runEnd(base + g, base + pageEnd) - base);
            int value = c.get(base + g);
            Step last = out.isEmpty() ? null : out.getLast();
            long from = (long) g * Content.GRANULE;
            long to = (long) runEnd * Content.GRANULE;
            if (last != null && last.equals() == value && last.offset() + last.length() == from) {
                out.set(out.size() - 1, SoakSteps.expect(r.name, last.offset(), to - last.offset(), value));
            } else {
                out.add(SoakSteps.expect(r.name, from, to - from, value));
            }
            g = runEnd;
        }
        return out;
    }

    /**
     * Replays {@code s} and returns it with every expect step rewritten to what the model
     * predicts there (see the class comment); the other steps are kept as they are.
     */
    static Scenario normalize(Scenario s) {
        SoakModel learn = new SoakModel(s.files());
        for (Scenario.ProcessSpec ps : s.processes()) {
            learn.replay(new Proc(ps.name(), 0), ps.steps(), false);
        }
        Map<String, Set<String>> writers = new HashMap<>();
        learn.files.values().forEach(o -> writers.put(o.id, o.writers));
        learn.sharedAnon.values().forEach(o -> writers.put(o.id, o.writers));
        SoakModel check = new SoakModel(s.files(), learn.poisoned, writers);
        List<Scenario.ProcessSpec> procs = new ArrayList<>();
        for (Scenario.ProcessSpec ps : s.processes()) {
            procs.add(new Scenario.ProcessSpec(ps.name(), check.replay(new Proc(ps.name(), 0), ps.steps(), true),
                    ps.line(), ps.oomScoreAdj(), ps.cgroup()));
        }
        return SoakSteps.withProcesses(s, procs);
    }

    private List<Step> replay(Proc p, List<Step> steps, boolean rewrite) {
        List<Step> out = new ArrayList<>();
        for (Step st : steps) {
            switch (st.kind()) {
                case "expect" -> {
                    Region r = p.regions.get(st.region());
                    if (rewrite && r != null) {
                        out.addAll(expects(p, r, st.offset(), st.length()));
                    }
                }
                case "fork" -> {
                    List<Step> child = replay(p.fork(st.name()), st.children(), rewrite);
                    out.add(SoakSteps.fork(st.name(), child));
                }
                default -> {
                    if (rewrite && dangling(p, st)) {
                        continue; // its region or pin went with a removed step: drop it too
                    }
                    apply(p, st);
                    out.add(st);
                }
            }
        }
        return out;
    }

    /** Whether {@code st} names a region {@code p} does not have, or unpins what it has not pinned. */
    private static boolean dangling(Proc p, Step st) {
        if (st.kind().equals("unpin")) {
            return !p.pinned.contains(st.region());
        }
        return st.region() != null && !p.regions.containsKey(st.region());
    }
}
