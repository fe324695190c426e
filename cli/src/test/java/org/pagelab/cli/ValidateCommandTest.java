package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pagelab.cli.RunCommandTest.pagelab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pagelab.phys.PageAllocator;
import org.pagelab.phys.Watermark;
import org.pagelab.phys.Zone;
import org.pagelab.phys.ZoneType;
import org.pagelab.scenario.Scenario;

/**
 * {@code pagelab validate} on the kernel results recorded in pagelab. The comparison must run,
 * read every recorded file and report a tally for every workload; it is not required to be good
 * (the model is being changed to reach the kernel). What is asserted about the figures is only what
 * is true today, each in a test named for it.
 */
class ValidateCommandTest {
    static List<ValidationSuite.Workload> workloads() {
        return ValidationSuite.WORKLOADS;
    }

    /** pagelab's marks of each workload's scenario (deterministic, so computed once). */
    private static final java.util.Map<String, List<KernelRun.Mark>> PAGELAB = new java.util.concurrent.ConcurrentHashMap<>();

    private static List<KernelRun.Mark> pagelabMarks(ValidationSuite.Workload w) {
        return PAGELAB.computeIfAbsent(w.name(), n -> ValidationSuite.runPagelab(w));
    }

    @Test
    void theRecordedComparisonRunsAndTalliesEveryWorkloadInTextAndHtml(@TempDir Path tmp) throws IOException {
        Path page = tmp.resolve("v.html");
        RunCommandTest.Result r = pagelab("validate", "--recorded", "--report", page.toString());
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        String html = Files.readString(page);
        assertThat(html).contains("Tally per workload");
        for (ValidationSuite.Workload w : workloads()) {
            assertThat(html).contains(w.name() + ": " + HtmlReport.escape(w.description()));
        }
        for (ValidationSuite.Workload w : workloads()) {
            assertThat(r.out()).contains("== " + w.name() + ": ");
            assertThat(r.out()).containsPattern("(?m)^" + w.name() + " +\\d+ +\\d+ +\\d+ +\\d+ +\\d+ +\\d+ of \\d+$");
        }
        assertThat(r.out()).containsPattern("(?m)^all +\\d+ ");
        assertThat(r.out().lines().filter(l -> l.startsWith("tally: ")).count()).isEqualTo(workloads().size());
    }

    @ParameterizedTest
    @MethodSource("workloads")
    void everyRecordedFileParsesIntoFinishedRunsWithTheScenariosMarks(ValidationSuite.Workload w) {
        List<KernelRun> runs = ValidateCommand.recorded(w);
        assertThat(runs).hasSizeGreaterThanOrEqualTo(3);
        List<String> marks = pagelabMarks(w).stream().map(KernelRun.Mark::name).toList();
        for (KernelRun run : runs) {
            assertThat(run.done()).isTrue();
            assertThat(run.errors()).isEmpty();
            assertThat(run.markNames()).isEqualTo(marks);
            assertThat(run.marks().getFirst().counters()).containsKeys("vmstat/pgfault", "meminfo/MemTotal");
        }
    }

    @Test
    void jsonListsEveryWorkloadWithItsPairsAndTally() throws IOException {
        RunCommandTest.Result r = pagelab("validate", "--json", "--workload", "fork_cow,madv_pageout");
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("workloads")).hasSize(2);
        JsonNode w = root.get("workloads").get(0);
        assertThat(w.get("name").asText()).isEqualTo("fork_cow");
        assertThat(w.get("phases")).hasSize(3);
        JsonNode pair = w.get("pairs").get(0);
        assertThat(pair.get("kernel").get("runs")).hasSize(w.get("kernel_runs").asInt());
        assertThat(pair.has("band") && pair.has("tolerance") && pair.has("counted")).isTrue();
        int sum = root.get("workloads").get(0).get("tally").get("counted").asInt()
                + root.get("workloads").get(1).get("tally").get("counted").asInt();
        assertThat(root.get("tally").get("counted").asInt()).isEqualTo(sum);
    }

    /** The boot figures of a workload's recorded runs (they agree across runs). */
    private static KernelRun firstRun(ValidationSuite.Workload w) {
        return ValidateCommand.recorded(w).getFirst();
    }

    @ParameterizedTest
    @MethodSource("workloads")
    void theScenariosMachineIsTheGuestsMachine(ValidationSuite.Workload w) {
        Scenario s = Scenario.parse(w.name() + ".yaml", ValidationSuite.resource(w.name() + ".yaml"));
        PageAllocator pa = new PageAllocator(s.sizing().physConfig(s.source(), s.memory(), 0, false),
                new org.pagelab.stat.VmStat());
        KernelRun guest = firstRun(w);
        assertThat(pa.managedPages() * 4).isEqualTo(guest.marks().getFirst().counters().get("meminfo/MemTotal"));
        Zone normal = pa.zone(ZoneType.NORMAL);
        assertThat(pa.zone(ZoneType.DMA32).managedPages()).isZero();
        assertThat(normal.managedPages()).isEqualTo(guest.boot().get("zoneinfo/Normal/managed"));
        assertThat(normal.watermark(Watermark.MIN)).isEqualTo(guest.boot().get("zoneinfo/Normal/min"));
        assertThat(normal.watermark(Watermark.LOW)).isEqualTo(guest.boot().get("zoneinfo/Normal/low"));
        assertThat(normal.watermark(Watermark.HIGH)).isEqualTo(guest.boot().get("zoneinfo/Normal/high"));
        assertThat((long) pa.minFreeKbytes()).isEqualTo(guest.boot().get("sysctl/min_free_kbytes"));
    }

    @ParameterizedTest
    @MethodSource("workloads")
    void kernelUsedIsWhatTheGuestHasInUseBeforeTheWorkload(ValidationSuite.Workload w) {
        Scenario s = Scenario.parse(w.name() + ".yaml", ValidationSuite.resource(w.name() + ".yaml"));
        List<Long> used = new ArrayList<>();
        for (ValidationSuite.Workload any : workloads()) {
            for (KernelRun run : ValidateCommand.recorded(any)) {
                var m = run.marks().getFirst().counters();
                used.add((m.get("meminfo/MemTotal") - m.get("meminfo/MemFree") - m.get("meminfo/Cached")
                        - m.get("meminfo/Buffers") - m.get("meminfo/AnonPages")) * 1024);
            }
        }
        long median = (long) FidelityComparison.median(used.stream().mapToLong(Long::longValue).toArray());
        assertThat(s.sizing().kernelUsed()).as("the median over every recorded run")
                .isCloseTo(median, org.assertj.core.data.Offset.offset(256L << 10));
    }

    /**
     * The boot's commands (busybox, run several times by the guest's init script) leave most of the
     * programs' page cache on the active list before the workload starts: the scenario's programs
     * start split between the lists as the guest's are, so reclaim finds them where the kernel does.
     */
    @ParameterizedTest
    @MethodSource("workloads")
    void theProgramsPageCacheStartsOnTheListsTheGuestsBootLeftItOn(ValidationSuite.Workload w) {
        var guest = firstRun(w).marks().getFirst().counters();
        var model = pagelabMarks(w).getFirst().counters();
        assertThat((double) model.get("vmstat/nr_active_file")).as("%s nr_active_file", w.name())
                .isCloseTo(guest.get("vmstat/nr_active_file"), org.assertj.core.data.Percentage.withPercentage(10));
        assertThat(model.get("vmstat/nr_active_file")).as("%s: most of the programs' pages are active", w.name())
                .isGreaterThan(model.get("vmstat/nr_inactive_file"));
    }

    @Test
    void theHtmlPageRendersItsTablesInABrowser(@TempDir Path tmp) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require(tmp);
        Path page = tmp.resolve("v.html");
        RunCommandTest.Result r = pagelab("validate", "--workload", "fork_cow", "--report", page.toString());
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        String dom = chromium.dumpDom(page);
        assertThat(dom).contains("<body data-state=\"drawn\">").doesNotContain("<div id=\"pagelab-error\"");
        assertThat(dom.split("<table class=\"data\">", -1).length - 1).as("the tally and fork_cow's pairs").isEqualTo(2);
        assertThat(dom).contains("<td>vmstat/pgreuse</td>");
    }

    @Test
    void liveWithoutTheKernelIsExit2NamingThePackage(@TempDir Path tmp) {
        RunCommandTest.Result r = pagelab("validate", "--live", "--tools", tmp.toString(), "--workdir",
                tmp.resolve("w").toString());
        assertThat(r.status()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).isEqualTo("pagelab validate: --live: linux.uml not found: install it with"
                + " 'apt-get install user-mode-linux'");
    }

    @Test
    void aDynamicBusyboxIsRefusedNamingTheStaticPackage(@TempDir Path tmp) throws IOException {
        for (KernelOracle.Tool t : KernelOracle.TOOLS) {
            Path link = tmp.resolve(t.command());
            Files.createSymbolicLink(link, Path.of("/bin/sh"));
        }
        RunCommandTest.Result r = pagelab("validate", "--live", "--tools", tmp.toString(), "--workdir",
                tmp.resolve("w").toString());
        assertThat(r.status()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains("is dynamically linked").contains("apt-get install busybox-static");
    }

    @Test
    void badOptionsAreExit2NamingTheValue() {
        RunCommandTest.Result unknown = pagelab("validate", "--workload", "nope");
        assertThat(unknown.status()).isEqualTo(Main.EXIT_USAGE);
        assertThat(unknown.err()).contains("unknown workload 'nope'").contains("anon_twice");
        RunCommandTest.Result record = pagelab("validate", "--record", "/tmp");
        assertThat(record.status()).isEqualTo(Main.EXIT_USAGE);
        assertThat(record.err()).contains("--record needs --live");
        RunCommandTest.Result runs = pagelab("validate", "--live", "--runs", "0");
        assertThat(runs.status()).isEqualTo(Main.EXIT_USAGE);
        assertThat(runs.err()).contains("--runs must be 1..50, not 0");
        RunCommandTest.Result both = pagelab("validate", "--live", "--recorded");
        assertThat(both.status()).isEqualTo(Main.EXIT_USAGE);
    }

    // ---- what is already true of the model; the tally as a whole is not asserted ----

    private static FidelityComparison.Pair pair(String workload, String phase, String counter) {
        ValidationSuite.Workload w = ValidationSuite.byName(workload);
        FidelityComparison.Result r = FidelityComparison.compare(w, ValidateCommand.recorded(w), pagelabMarks(w),
                Tolerances.load());
        return r.pairs().stream().filter(p -> p.phase().equals(phase) && p.counter().equals(counter)).findFirst()
                .orElseThrow(() -> new AssertionError("no pair " + phase + " " + counter + " in " + workload));
    }

    @Test
    void oomOutcomesAgreeWithTheKernel() {
        assertThat(pair("global_oom", "oom", "vmstat/oom_kill").pagelab()).isEqualTo(1);
        assertThat(pair("global_oom", "oom", "vmstat/oom_kill").kernelMedian()).isEqualTo(1);
        assertThat(pair("memcg_oom", "oom", "vmstat/oom_kill").pagelab()).isEqualTo(1);
        assertThat(pair("memcg_oom", "oom", "memory.events/oom_kill").band()).isEqualTo(Tolerances.Band.WITHIN_2PCT);
        assertThat(pair("memcg_oom", "oom", "memory.events/oom").band()).isEqualTo(Tolerances.Band.WITHIN_2PCT);
    }

    @Test
    void firstTouchFaultsAgreeWithinTwoPercent() {
        for (String[] wp : new String[][] {{"anon_twice", "write1"}, {"fork_cow", "parent_write"},
            {"fork_cow", "child_cow"}, {"fork_cow", "parent_reuse"}, {"madv_pageout", "write"},
            {"memcg_limit", "anon1"}}) {
            assertThat(pair(wp[0], wp[1], "vmstat/pgfault").band()).as("%s %s pgfault", wp[0], wp[1])
                    .isEqualTo(Tolerances.Band.WITHIN_2PCT);
        }
    }

    @Test
    void swapInsOfASecondPassAgreeWithinTwoPercent() {
        for (String[] wp : new String[][] {{"anon_twice", "write2"}, {"shmem_twice", "write2"},
            {"memcg_limit", "anon2"}}) {
            assertThat(pair(wp[0], wp[1], "vmstat/pswpin").band()).as("%s %s pswpin", wp[0], wp[1])
                    .isEqualTo(Tolerances.Band.WITHIN_2PCT);
        }
    }

    /** file_twice fills its 1M write buffer in the write phase: 256 anonymous pages in the guest and in pagelab. */
    @Test
    void fileTwicesWriteBufferIsAnonymousMemoryFilledInTheWritePhase() {
        assertThat(pair("file_twice", "write", "vmstat/nr_anon_pages").band()).isEqualTo(Tolerances.Band.WITHIN_2PCT);
    }

    @Test
    void copyOnWriteReuseAgreesWithinTwoPercent() {
        assertThat(pair("fork_cow", "parent_reuse", "vmstat/pgreuse").band()).isEqualTo(Tolerances.Band.WITHIN_2PCT);
    }
}
