package org.pagelab.semantics;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The non-anonymous matrix of the kernel's cow.c as scenarios: pages in private mappings that are
 * shared without fork (the shared zero page, page-cache pages of a memfd or a file), each of its
 * 3 tests ({@link Case}) on each of the 3 kinds pagelab has ({@link Backing}), 9 scenarios. A
 * write to the private mapping must not show in the other mapping of the same page, and a
 * read-only long-term pin taken before the write must see it.
 */
class NonAnonCowMatrixTest {
    /** What the private mapping {@code mem} and the read-only mapping {@code smem} share. */
    enum Backing {
        ZEROPAGE, MEMFD, TMPFILE;

        String setup() {
            return switch (this) {
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
        String steps = "      - read: { region: mem, length: 4K }\n      - read: { region: smem, length: 4K }\n"
                + switch (c) {
                    case BASIC_COW -> "      - write: { region: mem, length: 4K, fill: 0xff }\n"
                            + "      - expect: { region: smem, length: 4K, equals: 0 }\n";
                    case RO_LONGTERM_PIN, RO_LONGTERM_FAST_PIN -> "      - pin: { region: mem, write: false, longterm: true }\n"
                            + "      - write: { region: mem, length: 4K, fill: 0xff }\n"
                            + "      - expect: { region: mem, length: 4K, equals: 0xff, via: pin }\n"
                            + "      - expect: { region: smem, length: 4K, equals: 0 }\n";
                };
        return "# cow.c: " + c + " with " + b + "\nmachine: { memory: 64M }\n" + b.setup() + steps;
    }

    @ParameterizedTest(name = "{0} with {1}")
    @EnumProduct({Case.class, Backing.class})
    void aPrivateWriteStaysThereAndAReadPinSeesIt(Case c, Backing b, @TempDir Path dir) {
        ScenarioHarness.assertPasses(c, b, scenario(c, b), dir);
    }
}
