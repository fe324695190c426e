package org.pagelab.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.scenario.ScenarioRunner;

/**
 * The anonymous-memory matrix of the kernel's tools/testing/selftests/mm/cow.c as scenarios: each
 * of its 14 tests ({@link Case}) on each memory setup pagelab can build ({@link Setup}), 140
 * scenarios generated here, run on a data-mode machine and checked byte for byte (every expect) and
 * by every invariant checker. A mark after the setup checks that the setup is what it claims (a
 * huge page was faulted; swapped pages went to swap), as cow.c skips a case whose setup did not
 * happen. What cow.c runs that pagelab cannot set up is listed in docs/semantics.md.
 */
class CowMatrixTest {
    private static final long THP_BYTES = 2L << 20;

    /** The memory setups of cow.c's run_with_* functions that pagelab can build. */
    enum Setup {
        BASE_PAGE, BASE_PAGE_SWAPPED, THP, THP_SWAPPED, PTE_MAPPED_THP, PTE_MAPPED_THP_SWAPPED, SINGLE_PTE_OF_THP,
        SINGLE_PTE_OF_THP_SWAPPED, PARTIALLY_MREMAPPED_THP, PARTIALLY_SHARED_THP;

        boolean huge() {
            return this != BASE_PAGE && this != BASE_PAGE_SWAPPED;
        }

        boolean swapped() {
            return name().endsWith("_SWAPPED");
        }

        /** The bytes of region mem the test runs on, from its start. */
        long size() {
            return switch (this) {
                case BASE_PAGE, BASE_PAGE_SWAPPED, SINGLE_PTE_OF_THP, SINGLE_PTE_OF_THP_SWAPPED -> 4096;
                case PARTIALLY_MREMAPPED_THP -> THP_BYTES / 2;
                default -> THP_BYTES;
            };
        }

        /** The parent's steps that build the setup: region mem holding 1 in every byte of {@link #size()}. */
        List<String> steps() {
            List<String> s = new ArrayList<>();
            if (!huge()) {
                s.add("mmap: { name: mem, size: 4K, prot: rw }");
                s.add("madvise: { region: mem, advice: nohugepage }");
                s.add("write: { region: mem, length: 4K, fill: 1 }");
            } else {
                s.add("mmap: { name: mem, size: 2M, prot: rw, align: 2M }");
                s.add("madvise: { region: mem, advice: hugepage }");
                s.add("write: { region: mem, length: 2M, fill: 1 }");
                s.add("mark: huge");
            }
            switch (this) {
                case PTE_MAPPED_THP, PTE_MAPPED_THP_SWAPPED -> {
                    s.add("mprotect: { region: mem, offset: 4K, length: 4K, prot: r }");
                    s.add("mprotect: { region: mem, offset: 4K, length: 4K, prot: rw }");
                }
                case SINGLE_PTE_OF_THP, SINGLE_PTE_OF_THP_SWAPPED ->
                        s.add("madvise: { region: mem, offset: 4K, length: 2044K, advice: dontneed }");
                case PARTIALLY_MREMAPPED_THP -> {
                    s.add("mmap: { name: target, size: 1M, prot: none, addr: 0x100000000, fixed: true }");
                    s.add("mremap: { region: mem, offset: 1M, length: 1M, move: true, addr: 0x100000000, name: moved }");
                }
                case PARTIALLY_SHARED_THP -> {
                    s.add("madvise: { region: mem, offset: 4K, length: 2044K, advice: dontfork }");
                    s.add("fork: { name: sharer, steps: [ { exit: {} } ] }");
                    s.add("sleep: { time: 5ms }");
                    s.add("madvise: { region: mem, offset: 4K, length: 2044K, advice: dofork }");
                }
                default -> {
                }
            }
            if (swapped()) {
                s.add("madvise: { region: mem, length: " + size() + ", advice: pageout }");
            }
            s.add("mark: setup");
            return s;
        }
    }

    /** The tests of cow.c's anon_test_cases, in its order (the GUP-fast variants run the same pin). */
    enum Case {
        COW_AFTER_FORK, COW_AFTER_FORK_MPROTECT, VMSPLICE_UNMAP_IN_CHILD, VMSPLICE_UNMAP_IN_CHILD_MPROTECT,
        VMSPLICE_BEFORE_FORK_UNMAP_IN_PARENT, VMSPLICE_UNMAP_IN_PARENT_AFTER_FORK, IOURING_RO_MAPPED, IOURING_FORK,
        RO_PIN_ON_SHARED, RO_FAST_PIN_ON_SHARED, RO_PIN_ON_PREVIOUSLY_SHARED, RO_FAST_PIN_ON_PREVIOUSLY_SHARED,
        RO_PIN_ON_RO_EXCLUSIVE, RO_FAST_PIN_ON_RO_EXCLUSIVE;

        /** The parent's steps after the setup, on the first {@code len} bytes of region mem. */
        List<String> steps(long len) {
            String range = "region: mem, length: " + len;
            String mprotect = "mprotect: { region: mem, length: " + len + ", prot: r }\nmprotect: { region: mem, length: "
                    + len + ", prot: rw }";
            String roExclusive = "mprotect: { region: mem, length: " + len + ", prot: r }\nclear_refs: 4\n"
                    + "mprotect: { region: mem, length: " + len + ", prot: rw }";
            String modify = "write: { " + range + ", fill: 0xff }";
            String roPin = "pin: { " + range + ", write: false, longterm: true }\n" + modify + "\n"
                    + "expect: { " + range + ", equals: 0xff, via: pin }";
            String childWrites = "fork: { name: child, steps: [ { sleep: { time: 5ms } }, { write: { " + range
                    + ", fill: 0xff } }, { exit: {} } ] }";
            String unmapAndCheckGet = "munmap: { " + range + " }\nsleep: { time: 20ms }\nexpect: { " + range
                    + ", equals: 1, via: get }";
            String text = switch (this) {
                case COW_AFTER_FORK, COW_AFTER_FORK_MPROTECT -> "fork: { name: child, steps: [ { sleep: { time: 10ms } },"
                        + " { expect: { " + range + ", equals: 1 } } ] }\n"
                        + (this == COW_AFTER_FORK_MPROTECT ? mprotect + "\n" : "") + modify + "\nsleep: { time: 20ms }";
                case VMSPLICE_UNMAP_IN_CHILD, VMSPLICE_UNMAP_IN_CHILD_MPROTECT -> "fork: { name: child, steps: [ { get: { "
                        + range + " } }, { munmap: { " + range + " } }, { sleep: { time: 10ms } }, { expect: { " + range
                        + ", equals: 1, via: get } } ] }\nsleep: { time: 5ms }\n"
                        + (this == VMSPLICE_UNMAP_IN_CHILD_MPROTECT ? mprotect + "\n" : "") + modify
                        + "\nsleep: { time: 20ms }";
                case VMSPLICE_BEFORE_FORK_UNMAP_IN_PARENT -> "get: { " + range + " }\n" + childWrites + "\n" + unmapAndCheckGet;
                case VMSPLICE_UNMAP_IN_PARENT_AFTER_FORK -> childWrites + "\nget: { " + range + " }\n" + unmapAndCheckGet;
                case IOURING_RO_MAPPED -> "pin: { " + range + ", write: true, longterm: true }\n" + roExclusive + "\n" + modify
                        + "\nexpect: { " + range + ", equals: 0xff, via: pin }";
                case IOURING_FORK -> "pin: { " + range + ", write: true, longterm: true }\n"
                        + "fork: { name: child, steps: [ { sleep: { time: 10ms } }, { exit: {} } ] }\n" + modify
                        + "\nexpect: { " + range + ", equals: 0xff, via: pin }";
                case RO_PIN_ON_SHARED, RO_FAST_PIN_ON_SHARED -> "fork: { name: child, steps: [ { sleep: { time: 10ms } },"
                        + " { exit: {} } ] }\n" + roPin;
                case RO_PIN_ON_PREVIOUSLY_SHARED, RO_FAST_PIN_ON_PREVIOUSLY_SHARED ->
                        "fork: { name: child, steps: [ { exit: {} } ] }\nsleep: { time: 5ms }\n" + roPin;
                case RO_PIN_ON_RO_EXCLUSIVE, RO_FAST_PIN_ON_RO_EXCLUSIVE -> roExclusive + "\n" + roPin;
            };
            return List.of(text.split("\n"));
        }
    }

    /** The scenario of one case on one setup. */
    static String scenario(Case c, Setup s) {
        StringBuilder b = new StringBuilder("# cow.c: ").append(c).append(" with ").append(s).append('\n')
                .append("machine: { memory: 64M, swap: 16M, transparent_hugepage: always }\n")
                .append("processes:\n  - name: parent\n    steps:\n");
        for (String step : s.steps()) {
            b.append("      - ").append(step).append('\n');
        }
        for (String step : c.steps(s.size())) {
            b.append("      - ").append(step).append('\n');
        }
        return b.toString();
    }

    @ParameterizedTest(name = "{0} with {1}")
    @EnumProduct({Case.class, Setup.class})
    void noLeakBetweenParentChildAndPins(Case c, Setup s, @TempDir Path dir) {
        String yaml = scenario(c, s);
        List<ScenarioRunner.Mark> marks = new ArrayList<>();
        ScenarioRunner.Failure f = ScenarioHarness.run(c + "-" + s + ".yaml", yaml, dir, marks::add);
        assertThat(f).as("%s with %s:\n%s", c, s, yaml).isNull();
        ScenarioRunner.Mark setup = marks.stream().filter(m -> m.name().equals("setup")).findFirst().orElseThrow();
        if (s.huge()) {
            assertThat(setup.counters().vmstat().get("thp_fault_alloc")).as("a huge page was faulted").isEqualTo(1);
        }
        if (s.swapped()) {
            assertThat(setup.counters().vmstat().get("pswpout")).as("the range went to swap")
                    .isGreaterThanOrEqualTo(s.size() / 4096);
        }
    }
}
