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
 * is closed. A test may replace {@link #machine} (and {@link #mm}) with another it boots.
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

    @AfterEach
    final void checkAndCloseMachine() {
        machine.check();
        machine.close();
    }
}
