package org.pagelab.machine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pagelab.memory.MemoryManager;
import org.pagelab.memory.Process;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.proc.ProcFs;
import org.pagelab.vma.VmFlags;

/** The README's Java API example, kept compiling and true. */
class ReadmeExampleTest {
    @Test
    void readmeExampleRunsAndTheParentKeepsItsBytes() {
        try (Machine m = Machine.boot(PhysConfig.of(MemSize.parse("64M"), true))) {
            MemoryManager mm = m.memory();
            Process parent = mm.spawn("parent");
            long a = mm.mmapAnon(parent, 0, 4 * 4096, VmFlags.VM_READ | VmFlags.VM_WRITE, false).orThrow();
            mm.write(parent, a, "hello".getBytes(), 0, 5);
            Process child = mm.fork(parent);
            mm.write(child, a, "HELLO".getBytes(), 0, 5);
            String meminfo = new ProcFs(m).read("/proc/meminfo");
            m.check();
            byte[] b = new byte[5];
            mm.read(parent, a, b, 0, 5);
            assertThat(new String(b)).isEqualTo("hello");
            mm.read(child, a, b, 0, 5);
            assertThat(new String(b)).isEqualTo("HELLO");
            assertThat(meminfo).contains("AnonPages:             8 kB");
        }
    }
}
