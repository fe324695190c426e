package org.pagelab.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.scenario.Scenario;
import org.pagelab.scenario.ScenarioWriter;
import org.pagelab.scenario.Step;
import org.pagelab.testing.SeedSource;
import org.pagelab.testing.Seeds;

/**
 * The soak: generated workloads pass on the model with every checker and every predicted byte,
 * the same seed gives the same scenario, a generated scenario survives being written and read
 * back, and a failure is reduced to a small scenario that fails the same way. Seeds come from
 * {@code -Dpagelab.seed=N -Dpagelab.seeds=K} (N, N+1, ...; {@link Seeds}) and are in every failure message.
 */
class SoakTest {
    private static final long OPS = Long.getLong("pagelab.soakOps", 6000);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @SeedSource(first = 20261204L, count = 4)
    void aGeneratedWorkloadKeepsEveryInvariantEveryByteAndLeavesNothingBehind(long seed) throws Exception {
        Scenario s = Soak.generate(seed, OPS);
        Soak.Result r = Soak.run(s, Soak.freshDir(dir, "run"), 500, n -> { });
        System.out.printf("SoakTest seed %d: %d steps, %d run, %d expects, %s%n", seed, r.steps(), r.stepsRun(),
                r.expects(), r.counters());
        assertThat(r.failure()).as("seed %d", seed).isNull();
        assertThat(r.expects()).as("seed %d: bytes were checked", seed).isPositive();
        assertThat(r.stepsRun()).as("seed %d: most steps ran", seed).isGreaterThan(r.steps() / 4);
    }

    /**
     * Seeds of the soak campaign that found defects, at the size they were found at: 6120007
     * (a process the OOM killer chose in the middle of allocating a page table had that table
     * counted out of nr_page_table_pages without its having been counted in) and 6120061 (a
     * read(2) whose asynchronous readahead reclaimed the very folio it was about to copy from).
     */
    @ParameterizedTest(name = "seed {0}")
    @org.junit.jupiter.params.provider.ValueSource(longs = {6120007L, 6120061L})
    void seedsThatFoundDefectsPass(long seed) throws Exception {
        Soak.Result r = Soak.run(Soak.generate(seed, 100_000), Soak.freshDir(dir, "run"), 1000, n -> { });
        assertThat(r.failure()).as("seed %d (replay: pagelab soak --seed %d)", seed, seed).isNull();
    }

    @ParameterizedTest(name = "seed {0}")
    @SeedSource(first = 20261204L, count = 4)
    void theSameSeedGivesTheSameScenarioAndItSurvivesWritingAndReading(long seed) {
        Scenario a = Soak.generate(seed, 2000);
        Scenario b = Soak.generate(seed, 2000);
        String text = ScenarioWriter.write(a, List.of("seed " + seed));
        assertThat(ScenarioWriter.write(b, List.of("seed " + seed))).isEqualTo(text);
        Scenario back = Scenario.parse("soak-" + seed + ".yaml", text);
        assertThat(withoutLines(back)).as("seed %d: parse(write(s)) == s", seed).isEqualTo(withoutLines(a));
    }

    /**
     * A generated scenario with one step added that must fail (rmdir of the cgroup its process
     * is in): the reducer cuts it down to a few steps that still fail the same way.
     */
    @Test
    void aFailureIsReducedToAFewStepsThatFailTheSameWay() throws Exception {
        Scenario s = Soak.generate(7, 3000);
        Scenario.ProcessSpec victim = s.processes().get(1);
        List<Step> steps = new ArrayList<>(victim.steps());
        steps.add(steps.size() / 2, new Step("cgroup_remove", 0, victim.cgroup(), null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null));
        List<Scenario.ProcessSpec> procs = new ArrayList<>(s.processes());
        procs.set(1, new Scenario.ProcessSpec(victim.name(), steps, 0, victim.oomScoreAdj(), victim.cgroup()));
        Scenario bad = SoakSteps.withProcesses(s, procs);
        Soak.Result r = Soak.run(bad, Soak.freshDir(dir, "run"), 0, n -> { });
        assertThat(r.failure()).isNotNull();
        assertThat(r.failure().kind()).isEqualTo("step");
        assertThat(r.failure().message()).contains("cgroup_remove");
        SoakReducer.Reduced red = SoakReducer.reduce(bad, r, dir, 0, 60_000_000_000L);
        System.out.printf("reduced %d steps to %d in %d runs%n", r.steps(), red.steps(), red.runs());
        assertThat(red.failure().signature()).isEqualTo(r.failure().signature());
        assertThat(red.steps()).as("reduced from %d", r.steps()).isLessThanOrEqualTo(3);
        Soak.Result again = Soak.run(Scenario.parse("reduced.yaml", ScenarioWriter.write(red.scenario(), List.of())),
                Soak.freshDir(dir, "again"), 0, n -> { });
        assertThat(again.failure()).as("the written reproducer fails the same way").isNotNull();
        assertThat(again.failure().signature()).isEqualTo(r.failure().signature());
    }

    private static Scenario withoutLines(Scenario s) {
        List<Scenario.CgroupSpec> cgroups = s.cgroups().stream().map(c -> new Scenario.CgroupSpec(c.path(), c.limits(), 0)).toList();
        List<Scenario.FileSpec> files = s.files().stream().map(f -> new Scenario.FileSpec(f.name(), f.size(), 0, f.memfd())).toList();
        List<Scenario.ProcessSpec> procs = s.processes().stream()
                .map(p -> new Scenario.ProcessSpec(p.name(), strip(p.steps()), 0, p.oomScoreAdj(), p.cgroup())).toList();
        List<Scenario.SwapSpec> swap = s.swap() == null ? null
                : s.swap().stream().map(a -> new Scenario.SwapSpec(a.bytes(), a.priority(), 0)).toList();
        return new Scenario("", s.memory(), s.dataMode(), s.seed(), swap, s.swappiness(), s.workingset(), s.cpus(),
                s.fsDevice(), s.swapDevice(), s.transparentHugepage(), s.thpDefrag(), s.hugepages(), s.tmpfs(), files, procs, cgroups,
                new org.pagelab.scenario.MachineSizing(s.sizing().memTotal(), s.sizing().zones(), s.sizing().minFreeKbytes(),
                        s.sizing().watermarkScaleFactor(), s.sizing().kernelUsed(), s.sizing().overcommitMemory(),
                        s.sizing().overcommitRatio(), s.sizing().overcommitKbytes(), 0), s.costs(), s.killsAllowed());
    }

    private static List<Step> strip(List<Step> steps) {
        return steps.stream().map(st -> new Step(st.kind(), 0, st.name(), st.region(), st.file(), st.offset(), st.length(),
                st.size(), st.prot(), st.shared(), st.fill(), st.pattern(), st.count(), st.write(), st.alpha(), st.equals(),
                st.advice(), st.children() == null ? null : strip(st.children()), st.timeNs(), st.longterm(), st.limits()))
                .toList();
    }
}
