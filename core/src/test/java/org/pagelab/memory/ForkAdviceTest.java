package org.pagelab.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pagelab.machine.MachineTest;
import org.pagelab.vma.MapResult;
import org.pagelab.vma.VmFlags;

/** MADV_DONTFORK and MADV_WIPEONFORK through the Java API, and the VMA set they leave in a child. */
class ForkAdviceTest extends MachineTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final int PAGE = 4096;

    @Test
    void aChildLacksDontforkPagesAndReadsZerosInWipeonforkOnes() {
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, 3 * PAGE, RW, false).orThrow();
        for (int k = 0; k < 3; k++) {
            poke(p, a + (long) k * PAGE, 5);
        }
        assertThat(mm.madvise().advise(p, a, PAGE, Madvise.Advice.DONTFORK)).isInstanceOf(MapResult.Mapped.class);
        assertThat(mm.madvise().advise(p, a + PAGE, PAGE, Madvise.Advice.WIPEONFORK)).isInstanceOf(MapResult.Mapped.class);
        Process c = mm.fork(p);
        assertThat(c.mm().find(a)).isNull();
        assertThat(peek(c, a + PAGE)).isZero();
        assertThat(peek(c, a + 2 * PAGE)).isEqualTo(5);
        assertThat(peek(p, a + PAGE)).isEqualTo(5);
        assertThat(c.mm().find(a + PAGE).test(VmFlags.VM_WIPEONFORK)).as("the child keeps the advice").isTrue();
    }

    /**
     * Two neighbouring wipe-on-fork VMAs that could not merge in the parent (different anon_vmas)
     * have none in the child, so they merge there (the soak found them left apart).
     */
    @Test
    void wipedCopiesWithoutAnAnonVmaMergeInTheChild() {
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, PAGE, RW, false).orThrow();
        poke(p, a, 1);
        Process c = mm.fork(p);
        assertThat(mm.mmapAnon(c, a + PAGE, PAGE, RW, true).orThrow()).isEqualTo(a + PAGE);
        poke(c, a + PAGE, 2);
        assertThat(c.mm().find(a)).as("inherited and own anon_vmas keep them apart").isNotSameAs(c.mm().find(a + PAGE));
        assertThat(mm.madvise().advise(c, a, 2 * PAGE, Madvise.Advice.WIPEONFORK)).isInstanceOf(MapResult.Mapped.class);
        Process grandchild = mm.fork(c);
        assertThat(grandchild.mm().find(a)).isSameAs(grandchild.mm().find(a + PAGE));
        assertThat(peek(grandchild, a + PAGE)).isZero();
    }
}
