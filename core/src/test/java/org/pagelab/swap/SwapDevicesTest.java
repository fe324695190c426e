package org.pagelab.swap;

import org.pagelab.desc.SwapEntry;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SwapDevicesTest {
    private final SwapDevices swaps = new SwapDevices();

    @AfterEach
    void invariantsHold() {
        swaps.check();
    }

    private SwapDevice on(String name, long pages) {
        return ((SwaponResult.Ok) swaps.swapon(name, new SyntheticSwap(pages))).device();
    }

    private SwapDevice on(String name, long pages, int prio) {
        return ((SwaponResult.Ok) swaps.swapon(name, prio, new SyntheticSwap(pages))).device();
    }

    private int nextType() {
        SwapEntry e = swaps.allocSwapEntry();
        assertThat(e).isNotNull();
        return e.type();
    }

    @Test
    void defaultPrioritiesStartAtMinusTwoAndCloseGapsOnSwapoff() {
        SwapDevice a = on("a", 10);
        SwapDevice b = on("b", 10);
        SwapDevice c = on("c", 10);
        assertThat(List.of(a.priority(), b.priority(), c.priority())).containsExactly(-2, -3, -4);
        assertThat(swaps.swapoff(a.type())).isEmpty();
        assertThat(List.of(b.priority(), c.priority())).containsExactly(-2, -3);
        SwapDevice d = on("d", 10);
        assertThat(d.priority()).isEqualTo(-4);
        assertThat(d.type()).as("lowest free type is reused").isEqualTo(a.type());
    }

    @Test
    void higherPriorityFillsFirst() {
        SwapDevice low = on("low", 100, 1);
        SwapDevice high = on("high", 11, 7);
        SwapDevice dflt = on("dflt", 100);
        List<SwapEntry> fromHigh = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            SwapEntry e = swaps.allocSwapEntry();
            assertThat(e.type()).isEqualTo(high.type());
            fromHigh.add(e);
        }
        assertThat(nextType()).isEqualTo(low.type());
        assertThat(swaps.cacheClear(fromHigh.get(3))).isTrue();
        assertThat(nextType()).as("a freed slot on the higher device is used first").isEqualTo(high.type());
        assertThat(nextType()).isEqualTo(low.type());
        assertThat(dflt.inusePages()).isZero();
    }

    @Test
    void equalPrioritiesTakeTurns() {
        SwapDevice a = on("a", 50, 5);
        SwapDevice b = on("b", 50, 5);
        SwapDevice c = on("c", 50, 5);
        SwapDevice lower = on("lower", 50, 4);
        List<Integer> types = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            types.add(nextType());
        }
        assertThat(types).containsExactly(a.type(), b.type(), c.type(), a.type(), b.type(), c.type(),
                a.type(), b.type(), c.type());
        assertThat(lower.inusePages()).isZero();
    }

    @Test
    void aFullDeviceDropsOutOfTheRotationAndRejoinsBehindItsEquals() {
        SwapDevice a = on("a", 3, 5);
        SwapDevice b = on("b", 100, 5);
        SwapEntry a1 = swaps.allocSwapEntry();
        swaps.allocSwapEntry();
        swaps.allocSwapEntry();
        assertThat(a.freePages()).isZero();
        assertThat(nextType()).isEqualTo(b.type());
        assertThat(nextType()).isEqualTo(b.type());
        swaps.cacheClear(a1);
        assertThat(nextType()).isEqualTo(b.type());
        assertThat(nextType()).isEqualTo(a.type());
    }

    @Test
    void allFullGivesNoEntry() {
        on("a", 3);
        on("b", 2);
        for (int i = 0; i < 3; i++) {
            assertThat(swaps.allocSwapEntry()).isNotNull();
        }
        assertThat(swaps.allocSwapEntry()).isNull();
        assertThat(swaps.freePages()).isZero();
        assertThat(new SwapDevices().allocSwapEntry()).isNull();
    }

    @Test
    void swaponRefusals() {
        on("dup", 10);
        assertThat(swaps.swapon("dup", new SyntheticSwap(10)))
                .isEqualTo(new SwaponResult.Failed(SwapErrno.EBUSY, "already a swap area: dup"));
        assertThat(swaps.swapon("tiny", new SyntheticSwap(1))).extracting(r -> ((SwaponResult.Failed) r).errno())
                .isEqualTo(SwapErrno.EINVAL);
        assertThat(swaps.swapon("neg", -1, new SyntheticSwap(10))).extracting(r -> ((SwaponResult.Failed) r).errno())
                .isEqualTo(SwapErrno.EINVAL);
        assertThat(swaps.swapon("big", 0x8000, new SyntheticSwap(10))).extracting(r -> ((SwaponResult.Failed) r).errno())
                .isEqualTo(SwapErrno.EINVAL);
        for (int i = 1; i < SwapDevices.MAX_SWAPFILES; i++) {
            on("s" + i, 2);
        }
        assertThat(swaps.swapon("one-too-many", new SyntheticSwap(10))).extracting(r -> ((SwaponResult.Failed) r).errno())
                .isEqualTo(SwapErrno.EPERM);
    }

    @Test
    void swapoffOnlyOfAnIdleDevice() {
        SwapDevice a = on("a", 10);
        SwapEntry e = swaps.allocSwapEntry();
        assertThat(swaps.duplicate(e)).isEqualTo(SwapResult.OK);
        assertThat(swaps.swapoff(a.type())).contains(SwapErrno.EBUSY);
        assertThat(swaps.swapoff(9)).contains(SwapErrno.EINVAL);
        assertThat(swaps.swapoff(-1)).contains(SwapErrno.EINVAL);
        swaps.stopAllocating(a.type());
        assertThat(swaps.totalPages()).isZero();
        assertThat(swaps.inusePages()).isEqualTo(1);
        assertThat(swaps.swapoff(a.type())).contains(SwapErrno.EBUSY);
        assertThat(swaps.swapCount(e)).isEqualTo(1);
        assertThat(swaps.free(e)).isFalse();
        assertThat(swaps.cacheClear(e)).isTrue();
        assertThat(swaps.swapoff(a.type())).isEmpty();
        assertThat(swaps.lookup(a.type())).isEmpty();
        assertThat(swaps.devices()).isEmpty();
    }

    @Test
    void resumedDefaultDeviceBecomesTheLowestDefault() {
        SwapDevice a = on("a", 10);
        SwapDevice b = on("b", 10);
        swaps.stopAllocating(a.type());
        assertThat(b.priority()).isEqualTo(-2);
        swaps.check();
        swaps.resumeAllocating(a.type());
        assertThat(a.priority()).isEqualTo(-3);
        assertThat(swaps.activeDevices()).containsExactly(b, a);
    }

    @Test
    void totalsCountUsablePagesOfActiveDevices() {
        on("a", 100);
        SwapDevice b = on("b", 51, 3);
        assertThat(swaps.totalPages()).isEqualTo(99 + 50);
        swaps.allocSwapEntry();
        swaps.allocSwapEntry();
        assertThat(swaps.freePages()).isEqualTo(99 + 50 - 2);
        assertThat(b.inusePages()).isEqualTo(2);
        swaps.stopAllocating(b.type());
        assertThat(swaps.totalPages()).isEqualTo(99);
        assertThat(swaps.freePages()).isEqualTo(99);
    }
}
