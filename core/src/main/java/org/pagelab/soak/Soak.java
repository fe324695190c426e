package org.pagelab.soak;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.pagelab.machine.Machine;
import org.pagelab.memory.Process;
import org.pagelab.scenario.Scenario;
import org.pagelab.scenario.ScenarioRunner;
import org.pagelab.scenario.Step;
import org.pagelab.sim.SimConfig;
import org.pagelab.stat.VmItem;

/**
 * One soak run: a generated scenario ({@link SoakGenerator}) executed by the ordinary scenario
 * runner on a fresh data-mode machine, with every invariant checker run every {@code checkEvery}
 * steps and at the end, every {@code expect} the model predicted checked byte for byte, and, once
 * every process has exited and every file is gone, the machine checked for what outlived its
 * owners: swap slots, swap-cache and page-cache pages, charges, page tables, memory.
 */
public final class Soak {
    /** What a run found: null {@link #failure} when it passed. */
    public record Result(long seed, long steps, long stepsRun, long expects, Failure failure, Map<String, Long> counters,
                         Map<String, Integer> started) {
        public boolean passed() {
            return failure == null;
        }
    }

    /**
     * Why a run failed: the kind (expect, step, invariant, leak, crash) and the message. Two
     * failures are "the same" for reduction when their {@link #signature()}s agree.
     */
    public record Failure(String kind, String message, Throwable cause) {
        /** A failure that no exception stands behind (an expect, a step, a leak). */
        public Failure(String kind, String message) {
            this(kind, message, null);
        }

        /** The kind and the message without numbers, so a smaller reproducer of the same defect matches. */
        public String signature() {
            String m = message.replaceAll("0x[0-9a-f]+|\\d+", "#");
            int cut = m.indexOf(':', Math.min(m.length(), 40));
            return kind + ": " + (cut < 0 ? m : m.substring(0, cut));
        }

        @Override
        public String toString() {
            return kind + ": " + message;
        }
    }

    private Soak() {
    }

    /** Generates the scenario of {@code seed} with about {@code ops} steps. */
    public static Scenario generate(long seed, long ops) {
        if (ops < 1) {
            throw new IllegalArgumentException("soak size must be at least 1 step, not " + ops);
        }
        return SoakGenerator.generate(seed, ops);
    }

    /** Steps in {@code s}, forks' children included. */
    public static long stepCount(Scenario s) {
        long n = 0;
        for (Scenario.ProcessSpec p : s.processes()) {
            n += count(p.steps());
        }
        return n;
    }

    private static long count(List<Step> steps) {
        long n = steps.size();
        for (Step st : steps) {
            if (st.children() != null) {
                n += count(st.children());
            }
        }
        return n;
    }

    private static long countExpects(List<Step> steps) {
        long n = 0;
        for (Step st : steps) {
            n += st.kind().equals("expect") ? 1 : 0;
            if (st.children() != null) {
                n += countExpects(st.children());
            }
        }
        return n;
    }

    /**
     * Runs {@code s} in a fresh machine whose files live in {@code workdir} (a new, empty
     * directory), checking every invariant each {@code checkEvery} steps; {@code progress} hears
     * the number of steps run so far every 1,000 steps.
     */
    public static Result run(Scenario s, Path workdir, int checkEvery, LongConsumer progress) {
        long seed = s.seed() == null ? 1 : s.seed();
        long expects = 0;
        for (Scenario.ProcessSpec p : s.processes()) {
            expects += countExpects(p.steps());
        }
        long[] ran = {0};
        Failure failure;
        Map<String, Long> counters = new LinkedHashMap<>();
        Map<String, Integer> started = new LinkedHashMap<>();
        SimConfig time = s.simConfig(2);
        try (Machine machine = Machine.boot(s.sizing().physConfig(s.source(), s.memory(), 128L << 20, true), workdir, time)) {
            long freeAtBoot = machine.phys().freePages();
            machine.addStepListener(() -> {
                ran[0]++;
                if (checkEvery > 0 && ran[0] % checkEvery == 0) {
                    machine.check();
                }
                if (ran[0] % 1000 == 0) {
                    progress.accept(ran[0]);
                }
            });
            failure = execute(machine, s, seed, started);
            if (failure == null) {
                failure = leaks(machine, s, freeAtBoot);
            }
            for (VmItem item : new VmItem[] {VmItem.PGFAULT, VmItem.PGMAJFAULT, VmItem.PSWPIN, VmItem.PSWPOUT,
                    VmItem.PGSTEAL_KSWAPD, VmItem.PGSTEAL_DIRECT, VmItem.WORKINGSET_REFAULT_ANON,
                    VmItem.WORKINGSET_REFAULT_FILE, VmItem.THP_FAULT_ALLOC, VmItem.THP_COLLAPSE_ALLOC, VmItem.THP_SPLIT_PAGE,
                    VmItem.THP_SWPOUT, VmItem.THP_SWPOUT_FALLBACK, VmItem.PGMIGRATE_SUCCESS, VmItem.OOM_KILL}) {
                counters.put(item.kernelName(), machine.vmstat().get(item));
            }
            long forksFailed = machine.memory().events().stream().filter(e -> e.contains("): fork of ") && e.endsWith("failed: ENOMEM")).count();
            if (forksFailed > 0) {
                counters.put("fork ENOMEM", forksFailed);
            }
            for (Process p : machine.memory().processes().values()) {
                if (p.state() == Process.State.KILLED) {
                    counters.merge("killed " + p.signal().replaceAll(" .*", "").toLowerCase(java.util.Locale.ROOT)
                            + (p.signal().contains("oom") ? " (oom)" : ""), 1L, Long::sum);
                }
            }
        } catch (RuntimeException e) {
            failure = new Failure("crash", describe(e), e);
        }
        return new Result(seed, stepCount(s), ran[0], expects, failure, counters, started);
    }

    private static Failure execute(Machine machine, Scenario s, long seed, Map<String, Integer> started) {
        try {
            ScenarioRunner.Failure f = ScenarioRunner.run(machine, s, seed, m -> { }, started);
            if (f != null) {
                return new Failure(f.kind().equals("expect") ? "expect" : "step", f.toString());
            }
            machine.check();
            return null;
        } catch (IllegalStateException e) {
            return new Failure("invariant", describe(e), e);
        }
    }

    /**
     * Ends every process, releases every file, and checks that nothing outlived its owner: no
     * swap slot in use, nothing in a swap cache or the page cache, no anon, shmem or page-table
     * page, nothing charged to any cgroup, and free memory back to what it was after boot.
     */
    private static Failure leaks(Machine machine, Scenario s, long freeAtBoot) {
        try {
            for (Process p : List.copyOf(machine.memory().processes().values())) {
                if (p.alive()) {
                    machine.memory().exit(p);
                }
            }
            for (Scenario.FileSpec f : s.files()) {
                if (!f.memfd()) {
                    machine.vfs().unlink(f.name());
                }
            }
            List<Scenario.CgroupSpec> cgroups = new ArrayList<>(s.cgroups());
            java.util.Collections.reverse(cgroups);
            for (Scenario.CgroupSpec c : cgroups) {
                machine.memcg().remove(c.path());
            }
            machine.vmscan().shrinkers().dropSlab(); // the huge zero page stays until its shrinker runs
            machine.check();
            List<String> left = new ArrayList<>();
            Poisoned poisoned = Poisoned.count(machine);
            if (poisoned.otherFolio() != null) {
                left.add("a folio nobody owns: " + poisoned.otherFolio());
            }
            note(left, "swap slots in use", machine.swap().devices().inusePages());
            note(left, "pages in swap caches", machine.swap().cachedPages());
            note(left, "nr_file_pages", machine.vmstat().get(VmItem.NR_FILE_PAGES));
            note(left, "nr_anon_pages", machine.vmstat().get(VmItem.NR_ANON_PAGES));
            note(left, "nr_shmem", machine.vmstat().get(VmItem.NR_SHMEM));
            note(left, "nr_page_table_pages", machine.vmstat().get(VmItem.NR_PAGE_TABLE_PAGES));
            for (org.pagelab.memcg.MemCgroup g : machine.memcg().all()) {
                // a poisoned folio is never freed, so never uncharged: it alone may keep a cgroup
                note(left, "pages charged to " + g.path() + " besides poisoned ones",
                        g.usagePages() - poisoned.chargedUnder(machine, g));
            }
            note(left, "free pages short of boot besides poisoned ones",
                    freeAtBoot - machine.phys().freePages() - poisoned.frames());
            return left.isEmpty() ? null : new Failure("leak", String.join(", ", left) + " after every owner is gone");
        } catch (RuntimeException e) {
            return new Failure("leak", "cleaning up: " + describe(e), e);
        }
    }

    /**
     * The frames poisoned user memory holds after every owner is gone (poisoned folios and
     * poisoned frames taken off the free lists), the charges of those folios by cgroup id, and
     * the first live folio that is not poisoned, if any (a leak).
     */
    private record Poisoned(long frames, Map<Integer, Long> charges, org.pagelab.desc.Folio otherFolio) {
        static Poisoned count(Machine machine) {
            var memmap = machine.phys().memmap();
            long frames = 0;
            Map<Integer, Long> charges = new java.util.HashMap<>();
            org.pagelab.desc.Folio other = null;
            int zero = machine.memory().zeroPfn();
            for (int pfn = 0; pfn < memmap.nrFrames(); ) {
                org.pagelab.desc.MemDesc d = memmap.owner(pfn);
                switch (d) {
                    case org.pagelab.desc.Folio f when f.test(org.pagelab.desc.FolioFlags.Flag.HWPOISON) -> {
                        frames += f.nrPages();
                        charges.merge(f.memcgId(), (long) f.nrPages(), Long::sum);
                    }
                    case org.pagelab.desc.Folio f when !f.contains(zero) -> other = other == null ? f : other;
                    case org.pagelab.desc.PoisonedFrame pf -> frames += pf.nrPages();
                    default -> {
                    }
                }
                pfn = d.pfn() + d.nrPages();
            }
            return new Poisoned(frames, charges, other);
        }

        /** Poisoned pages charged to {@code g} or a cgroup below it. */
        long chargedUnder(Machine machine, org.pagelab.memcg.MemCgroup g) {
            long n = 0;
            for (Map.Entry<Integer, Long> e : charges.entrySet()) {
                for (org.pagelab.memcg.MemCgroup c = machine.memcg().byId(e.getKey()); c != null; c = c.parent()) {
                    if (c == g) {
                        n += e.getValue();
                        break;
                    }
                }
            }
            return n;
        }
    }

    private static void note(List<String> left, String what, long n) {
        if (n != 0) {
            left.add(what + " " + n);
        }
    }

    private static String describe(RuntimeException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        StackTraceElement at = e.getStackTrace().length == 0 ? null : e.getStackTrace()[0];
        return e.getClass().getSimpleName() + ": " + m.replaceAll("\\s+", " ")
                + (at == null ? "" : " (at " + at.getClassName().replaceAll(".*\\.", "") + "." + at.getMethodName() + ")");
    }

    /** A new empty directory inside {@code parent} for one run. */
    public static Path freshDir(Path parent, String name) throws java.io.IOException {
        Path d = parent.resolve(name);
        if (Files.exists(d)) {
            Machine.deleteTree(d);
        }
        return Files.createDirectories(d);
    }
}
