package org.pagelab.semantics;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The matrix of the kernel's tools/testing/selftests/mm/gup_longterm.c as scenarios: each of its
 * 10 tests ({@link Case}: R/W and R/O long-term pins, plain and GUP-fast, in shared and private
 * file mappings, and io_uring fixed buffers) on each kind of file pagelab has ({@link Backing}),
 * 30 scenarios. As there, R/O pins and pins in private mappings always succeed, and a writable
 * long-term pin of a shared mapping succeeds only on tmpfs (memfd, a tmpfs file) and fails with
 * EFAULT on a file of a regular file system. Where a writable pin succeeds, the scenario also
 * writes through the mapping and reads the bytes back through the pin.
 */
class GupLongtermMatrixTest {
    /** What the file mapped is (the hugetlb memfd of gup_longterm.c is not modelled). */
    enum Backing {
        MEMFD("{ name: m, memfd: true, size: 4K }", "m", true),
        TMPFS_FILE("{ name: dev/shm/t, size: 4K }", "dev/shm/t", true),
        LOCAL_FILE("{ name: local.bin, size: 4K }", "local.bin", false);

        final String spec;
        final String name;
        final boolean tmpfs;

        Backing(String spec, String name, boolean tmpfs) {
            this.spec = spec;
            this.name = name;
            this.tmpfs = tmpfs;
        }
    }

    /** gup_longterm.c's test_cases, in its order (GUP-fast variants run the same pin). */
    enum Case {
        SHARED_RW_PIN(true, true, false), SHARED_RW_FAST_PIN(true, true, false), SHARED_RO_PIN(true, false, false),
        SHARED_RO_FAST_PIN(true, false, false), PRIVATE_RW_PIN(false, true, false), PRIVATE_RW_FAST_PIN(false, true, false),
        PRIVATE_RO_PIN(false, false, false), PRIVATE_RO_FAST_PIN(false, false, false), SHARED_IOURING(true, true, true),
        PRIVATE_IOURING(false, true, true);

        final boolean shared;
        final boolean rw;
        final boolean iouring;

        Case(boolean shared, boolean rw, boolean iouring) {
            this.shared = shared;
            this.rw = rw;
            this.iouring = iouring;
        }
    }

    static String scenario(Case c, Backing b) {
        boolean shouldWork = !c.shared || !c.rw || b.tmpfs;
        StringBuilder s = new StringBuilder("# gup_longterm.c: ").append(c).append(" with ").append(b).append('\n')
                .append("machine: { memory: 64M }\nfiles:\n  - ").append(b.spec).append('\n')
                .append("processes:\n  - name: p\n    steps:\n")
                .append("      - mmap: { name: mem, file: ").append(b.name).append(", size: 4K, prot: rw, shared: ")
                .append(c.shared).append(" }\n")
                .append("      - write: { region: mem, length: 4K, fill: 0 }\n");
        if (!c.rw) {
            s.append("      - mprotect: { region: mem, prot: r }\n");
        }
        s.append("      - pin: { region: mem, write: ").append(c.rw).append(", longterm: true")
                .append(shouldWork ? "" : ", errno: EFAULT").append(" }\n");
        if (shouldWork && c.rw) {
            s.append("      - write: { region: mem, length: 4K, fill: 0x5a }\n")
                    .append("      - expect: { region: mem, length: 4K, equals: 0x5a, via: pin }\n");
        }
        return s.toString();
    }

    @ParameterizedTest(name = "{0} with {1}")
    @EnumProduct({Case.class, Backing.class})
    void aLongtermPinWorksExactlyWhereTheKernelAllowsIt(Case c, Backing b, @TempDir Path dir) {
        ScenarioHarness.assertPasses(c, b, scenario(c, b), dir);
    }
}
