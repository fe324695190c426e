package org.pagelab.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.scenario.ScenarioRunner;

/**
 * The non-anonymous matrix of the kernel's cow.c as scenarios: pages in private mappings that are
 * shared without fork (the shared zero page, the huge zero page, page-cache pages of a memfd or a
 * file), each of its 3 tests ({@link Case}) on each of the 4 kinds pagelab has ({@link Backing}),
 * 12 scenarios. A write to the private mapping must not show in the other mapping of the same
 * page, and a read-only long-term pin taken before the write must see it. The huge zero page is
 * cow.c's run_with_huge_zeropage: two 2 MiB-aligned regions given MADV_HUGEPAGE, each read once so
 * that one PMD maps the huge zero page in both (a mark checks it was, as cow.c checks that the
 * read populated the next page too); the write and the pin then split the PMD and copy.
 */
class NonAnonCowMatrixTest {
    /** What the private mapping {@code mem} and the read-only mapping {@code smem} share. */
    enum Backing {
        ZEROPAGE, HUGE_ZEROPAGE, MEMFD, TMPFILE;

        /** The bytes of mem and smem. */
        String size() {
            return this == HUGE_ZEROPAGE ? "2M" : "4K";
        }

        String setup() {
            return switch (this) {
                case HUGE_ZEROPAGE -> """
                        processes:
                          - name: p
                            steps:
                              - mmap: { name: mem, size: 2M, prot: rw, align: 2M }
                              - mmap: { name: smem, size: 2M, prot: rw, align: 2M }
                              - madvise: { region: mem, advice: hugepage }
                              - madvise: { region: smem, advice: hugepage }
                        """;
                case ZEROPAGE -> """
                        processes:
                          - name: p
                            steps:
                              - mmap: { name: mem, size: 4K, prot: rw }
                              - mmap: { name: smem, size: 4K, prot: r }
                        """;
                case MEMFD, TMPFILE -> "files:\n  - { name: f, size: 4K" + (this == MEMFD ? ", memfd: true" : "") + " }\n"
                        + """
                        processes:
                          - name: p
                            steps:
                              - mmap: { name: mem, file: f, size: 4K, prot: rw, shared: false }
                              - mmap: { name: smem, file: f, size: 4K, prot: r, shared: true }
                        """;
            };
        }
    }

    /** cow.c's non_anon_test_cases (the GUP-fast variant runs the same pin). */
    enum Case { BASIC_COW, RO_LONGTERM_PIN, RO_LONGTERM_FAST_PIN }

    static String scenario(Case c, Backing b) {
        String len = "length: " + b.size();
        String steps = "      - read: { region: mem, length: 4K }\n      - read: { region: smem, length: 4K }\n"
                + "      - mark: setup\n"
                + switch (c) {
                    case BASIC_COW -> "      - write: { region: mem, " + len + ", fill: 0xff }\n"
                            + "      - expect: { region: smem, " + len + ", equals: 0 }\n";
                    case RO_LONGTERM_PIN, RO_LONGTERM_FAST_PIN -> "      - pin: { region: mem, write: false, longterm: true }\n"
                            + "      - write: { region: mem, " + len + ", fill: 0xff }\n"
                            + "      - expect: { region: mem, " + len + ", equals: 0xff, via: pin }\n"
                            + "      - expect: { region: smem, " + len + ", equals: 0 }\n";
                };
        return "# cow.c: " + c + " with " + b + "\nmachine: { memory: 64M }\n" + b.setup() + steps;
    }

    @ParameterizedTest(name = "{0} with {1}")
    @EnumProduct({Case.class, Backing.class})
    void aPrivateWriteStaysThereAndAReadPinSeesIt(Case c, Backing b, @TempDir Path dir) {
        String yaml = scenario(c, b);
        List<ScenarioRunner.Mark> marks = new ArrayList<>();
        ScenarioRunner.Failure f = ScenarioHarness.run(c + "-" + b + ".yaml", yaml, dir, marks::add);
        assertThat(f).as("%s with %s:\n%s", c, b, yaml).isNull();
        if (b == Backing.HUGE_ZEROPAGE) {
            ScenarioRunner.Mark setup = marks.stream().filter(m -> m.name().equals("setup")).findFirst().orElseThrow();
            assertThat(setup.counters().vmstat().get("thp_zero_page_alloc")).as("the huge zero page was mapped").isEqualTo(1);
            assertThat(setup.counters().vmstat().get("thp_fault_alloc")).isZero();
        }
    }
}
