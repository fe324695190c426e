package org.pagelab.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.pagelab.machine.Machine;
import org.pagelab.phys.PhysConfig;

class ArrayTraceReaderTest {
    @Test
    void readsPagesAtTheBaseWithOddRecordsWritten() {
        ArrayTraceReader r = new ArrayTraceReader("t", 1L << 32, new long[] {3, 0, 3});
        assertThat(r.stream()).containsExactly(new Access(Access.Kind.MEMORY, (1L << 32) + 3 * 4096, false, 0),
                new Access(Access.Kind.MEMORY, 1L << 32, true, 0), new Access(Access.Kind.MEMORY, (1L << 32) + 3 * 4096, false, 0));
        assertThatThrownBy(() -> new ArrayTraceReader("t", 100, new long[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void replayOnAMachineWritesEveryOtherRecordsPage() {
        try (Machine m = Machine.boot(PhysConfig.of(64L << 20, false))) {
            long[] pages = {0, 1, 2, 3, 4, 5, 6, 7};
            Replay.Result res = new Replay(m).run(new ArrayTraceReader("t", 1L << 32, pages), null);
            assertThat(res.records()).isEqualTo(8);
            assertThat(res.memoryAccesses()).isEqualTo(8);
            assertThat(m.memory().processes().values().iterator().next().rssAnon()).isEqualTo(4); // pages 1, 3, 5, 7
            m.check();
        }
    }
}
