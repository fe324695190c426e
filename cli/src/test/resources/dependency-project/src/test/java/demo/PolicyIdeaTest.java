package demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pagelab.api.Lab;
import org.pagelab.api.Proc;

/** A project of one's own that depends on pagelab-api and tests an idea on a simulated machine. */
class PolicyIdeaTest {
    @Test
    void aChildWritesItsOwnCopyAndACgroupLimitHolds() {
        try (Lab lab = Lab.builder().memory("64M").swap("64M").cgroup("/app", Map.of("max", "8M")).boot()) {
            Proc parent = lab.spawn("parent", "/app");
            long a = parent.mmapAnon(4096);
            parent.write(a, "hello".getBytes());
            Proc child = parent.fork();
            child.write(a, "HELLO".getBytes());
            assertEquals("hello", new String(parent.read(a, 5)));
            assertEquals("HELLO", new String(child.read(a, 5)));

            long big = parent.mmapAnon(16 << 20);
            parent.touch(big, 16 << 20, true);
            assertEquals(true, lab.memoryValue("/app", "memory.current") <= 8 << 20);
            lab.check();
        }
    }
}
