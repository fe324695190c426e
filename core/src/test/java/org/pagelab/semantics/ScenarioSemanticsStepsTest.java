package org.pagelab.semantics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.scenario.Scenario;
import org.pagelab.scenario.ScenarioException;
import org.pagelab.scenario.ScenarioRunner;

/** The semantics steps fail a run when what they declare is not so, and refuse bad input with its line. */
class ScenarioSemanticsStepsTest {
    @TempDir
    Path dir;

    private ScenarioRunner.Failure run(String steps) {
        return ScenarioHarness.run("t.yaml", "machine: { memory: 64M, swap: 16M }\nprocesses:\n  - name: p\n    steps:\n"
                + steps.indent(6), dir);
    }

    private static final String PAGE = "- mmap: { name: buf, size: 8K, prot: rw }\n- write: { region: buf, length: 8K, fill: 1 }\n";

    @Test
    void expectKillOfALiveProcessFails() {
        ScenarioRunner.Failure f = run(PAGE + "- expect_kill: SIGBUS\n");
        assertThat(f).isNotNull();
        assertThat(f.kind()).isEqualTo("expect_kill");
        assertThat(f.message()).contains("alive");
    }

    @Test
    void aKilledProcessWithAnExpectAheadFailsTheRun() {
        ScenarioRunner.Failure f = run(PAGE + "- munmap: { region: buf, offset: 4K, length: 4K }\n"
                + "- read: { region: buf, offset: 4K, length: 1 }\n- expect: { region: buf, length: 4K, equals: 1 }\n");
        assertThat(f).isNotNull();
        assertThat(f.message()).contains("killed by SIGSEGV").contains("expect at line");
    }

    @Test
    void aScenarioThatAllowsKillsLetsAKilledProcessSkipItsExpects() {
        String steps = PAGE + "- munmap: { region: buf, offset: 4K, length: 4K }\n"
                + "- read: { region: buf, offset: 4K, length: 1 }\n- expect: { region: buf, length: 4K, equals: 1 }\n";
        assertThat(ScenarioHarness.run("t.yaml", "machine: { memory: 64M }\nkills: allowed\nprocesses:\n  - name: p\n"
                + "    steps:\n" + steps.indent(6), dir)).isNull();
    }

    @Test
    void anExpectWhoseReadKillsTheProcessFailsUnlessTheKillIsDeclared() {
        String steps = PAGE + "- poison: { region: buf, offset: 0 }\n- expect: { region: buf, length: 4K, equals: 1 }\n";
        ScenarioRunner.Failure f = run(steps);
        assertThat(f).isNotNull();
        assertThat(f.message()).contains("killed by SIGBUS while its expect at line");
        assertThat(run(steps + "- expect_kill: SIGBUS\n")).isNull();
    }

    @Test
    void expectKillOfTheWrongSignalFails() {
        ScenarioRunner.Failure f = run(PAGE + "- munmap: { region: buf, offset: 4K, length: 4K }\n"
                + "- read: { region: buf, offset: 4K, length: 1 }\n- expect_kill: SIGBUS\n");
        assertThat(f).isNotNull();
        assertThat(f.message()).isEqualTo("killed by SIGSEGV, expected SIGBUS");
    }

    @Test
    void anExpectThroughAPinComparesTheHeldFrame() {
        assertThat(run(PAGE + "- pin: { region: buf, write: true }\n- write: { region: buf, length: 8K, fill: 9, via: pin }\n"
                + "- expect: { region: buf, length: 8K, equals: 9 }\n")).isNull();
        ScenarioRunner.Failure f = run(PAGE + "- get: { region: buf, length: 4K }\n- expect: { region: buf, length: 4K, equals: 2, via: get }\n");
        assertThat(f).isNotNull();
        assertThat(f.message()).contains("through the get is 0x01, expected 0x02");
        f = run(PAGE + "- get: { region: buf, length: 4K }\n- expect: { region: buf, offset: 4K, length: 4K, equals: 1, via: get }\n");
        assertThat(f.message()).contains("is not held by a get");
        f = run(PAGE + "- get: { region: buf, length: 4K }\n- write: { region: buf, length: 4K, fill: 1, via: get }\n");
        assertThat(f.message()).contains("held read-only");
    }

    @Test
    void anErrnoThePinDoesNotReturnFails() {
        ScenarioRunner.Failure f = run(PAGE + "- pin: { region: buf, write: true, longterm: true, errno: EFAULT }\n");
        assertThat(f).isNotNull();
        assertThat(f.message()).contains("succeeded, expected it to fail with EFAULT");
    }

    @Test
    void wipeonforkOfASharedMappingIsEinval() {
        ScenarioRunner.Failure f = run("- mmap: { name: s, size: 4K, prot: rw, shared: true }\n- madvise: { region: s, advice: wipeonfork }\n");
        assertThat(f.message()).isEqualTo("madvise failed: EINVAL");
    }

    @Test
    void mremapWithoutMoveGrowsInPlaceOrFails() {
        assertThat(run(PAGE + "- mremap: { region: buf, size: 16K }\n- expect: { region: buf, offset: 8K, length: 8K, equals: 0 }\n"
                + "- mremap: { region: buf, size: 4K }\n- expect: { region: buf, length: 4K, equals: 1 }\n")).isNull();
        ScenarioRunner.Failure f = run(PAGE + "- mmap: { name: next, size: 4K, prot: rw, addr: 0x200000000, fixed: true }\n"
                + "- mmap: { name: b2, size: 4K, prot: rw, addr: 0x1ffffe000, fixed: true }\n- mremap: { region: b2, size: 16K }\n");
        assertThat(f.message()).isEqualTo("mremap failed: ENOMEM");
    }

    @Test
    void mmapAlignPlacesTheRegionOnTheBoundary() {
        assertThat(run("- mmap: { name: a, size: 4K, prot: rw }\n- mmap: { name: h, size: 2M, prot: rw, align: 2M }\n"
                + "- mmap: { name: fixedhere, size: 4K, prot: rw, addr: 0x40000000, fixed: true }\n"
                + "- write: { region: h, length: 2M, fill: 4 }\n- expect: { region: h, length: 2M, equals: 4 }\n")).isNull();
    }

    @Test
    void badInputNamesItsLine() {
        assertThatThrownBy(() -> Scenario.parse("t.yaml", "processes:\n  - name: p\n    steps:\n"
                + "      - mmap: { name: b, size: 4K, prot: rw }\n      - mremap: { region: b, addr: 0x100000000 }\n"))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("t.yaml:5").hasMessageContaining("needs 'move: true'");
        assertThatThrownBy(() -> Scenario.parse("t.yaml", "processes:\n  - name: p\n    steps:\n"
                + "      - expect_kill: SIGBUS\n      - exit: {}\n"))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("t.yaml:5").hasMessageContaining("could never run");
        assertThatThrownBy(() -> Scenario.parse("t.yaml", "processes:\n  - name: p\n    steps:\n"
                + "      - mmap: { name: b, size: 4K, prot: rw, align: 3K }\n"))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("t.yaml:4").hasMessageContaining("power of two");
        assertThatThrownBy(() -> Scenario.parse("t.yaml", "processes:\n  - name: p\n    steps:\n      - clear_refs: 7\n"))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("t.yaml:4");
    }
}
