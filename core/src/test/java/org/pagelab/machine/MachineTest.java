package org.pagelab.machine;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.memory.MemoryManager;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.testing.Seeds;

/**
 * The fixture most whole-machine tests share: a fresh 32 MiB data-mode machine whose files live
 * in a temporary directory, and every invariant checker run after each test before the machine
 * is closed (by {@link org.pagelab.testing.MachineChecks}, as for every machine a test boots). A test may replace {@link #machine} (and {@link #mm}) with another it boots.
 */
@ExtendWith(Seeds.class)
public abstract class MachineTest {
    @TempDir
    protected Path dir;
    protected Machine machine;
    protected MemoryManager mm;

    @BeforeEach
    final void bootMachine() {
        machine = Machine.boot(PhysConfig.of(MemSize.parse("32M"), true), dir);
        mm = machine.memory();
    }

    /** The machine's /proc/vmstat counter {@code item}. */
    protected long vm(org.pagelab.stat.VmItem item) {
        return machine.vmstat().get(item);
    }

    /** {@code len} random bytes from {@code seed} ({@link Seeds#derive}: they change with -Dpagelab.seed). */
    protected static byte[] random(long seed, int len) {
        byte[] b = new byte[len];
        new java.util.SplittableRandom(Seeds.derive(seed)).nextBytes(b);
        return b;
    }

    /** Writes byte {@code v} at {@code a} of {@code p}, which must succeed. */
    protected void poke(org.pagelab.memory.Process p, long a, int v) {
        org.assertj.core.api.Assertions.assertThat(mm.write(p, a, new byte[] {(byte) v}, 0, 1))
                .isEqualTo(org.pagelab.memory.Access.OK);
    }

    /** The byte at {@code a} of {@code p}, whose read must succeed. */
    protected int peek(org.pagelab.memory.Process p, long a) {
        byte[] b = new byte[1];
        org.assertj.core.api.Assertions.assertThat(mm.read(p, a, b, 0, 1)).isEqualTo(org.pagelab.memory.Access.OK);
        return b[0];
    }

    /** Closes the machine; its checkers ran when the test returned ({@link org.pagelab.testing.MachineChecks}). */
    @AfterEach
    final void closeMachine() {
        machine.close();
    }
}
