package org.pagelab.swap;

import org.pagelab.desc.SwapEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.testing.SeedSource;

/**
 * Random alloc, duplicate, free, cache-bit operations against a plain reference model: a map from
 * entry to reference count and cache bit, with the table's check after every step.
 */
class SwapRandomOpsTest {

    /** Reference model of one slot's usage byte. */
    private static final class Usage {
        int count;
        boolean cache;

        boolean free() {
            return count == 0 && !cache;
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({1, 2, 3, 17, 42, 1234, 0x5eed, 987654321})
    void operationsMatchAReferenceModel(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        String why = "seed " + seed;
        SwapDevices swaps = new SwapDevices();
        List<SwapDevice> devs = new ArrayList<>();
        devs.add(ok(swaps.swapon("/a", 3, new SyntheticSwap(300 + rnd.nextInt(400)))));
        devs.add(ok(swaps.swapon("/b", 3, new SyntheticSwap(2 + rnd.nextInt(300)))));
        devs.add(ok(swaps.swapon("/c", new SyntheticSwap(50 + rnd.nextInt(300)))));
        Map<SwapEntry, Usage> model = new HashMap<>();
        List<SwapEntry> known = new ArrayList<>();
        String at = why;
        try {
            for (int step = 0; step < 4000; step++) {
                at = why + " step " + step;
                int op = rnd.nextInt(100);
                if (op < 30) {
                    SwapEntry e = swaps.allocSwapEntry();
                    long free = devs.stream().filter(SwapDevice::writeok).mapToLong(SwapDevice::freePages).sum();
                    if (e == null) {
                        assertThat(free).as(at).isZero();
                        continue;
                    }
                    Usage u = model.computeIfAbsent(e, k -> new Usage());
                    assertThat(u.free()).as(at + ": allocated a slot in use").isTrue();
                    u.cache = true;
                    if (!known.contains(e)) {
                        known.add(e);
                    }
                    SwapDevice from = swaps.device(e);
                    int best = devs.stream().filter(d -> d.writeok() && (d.freePages() > 0 || d == from))
                            .mapToInt(SwapDevice::priority).max().orElseThrow();
                    assertThat(from.priority()).as(at + ": not the highest priority with room").isEqualTo(best);
                } else if (known.isEmpty()) {
                    continue;
                } else {
                    SwapEntry e = known.get(rnd.nextInt(known.size()));
                    Usage u = model.get(e);
                    if (op < 55) {
                        SwapResult expect = u.free() ? SwapResult.ENOENT
                                : u.count >= SwapDevice.SWAP_MAP_MAX ? SwapResult.COUNT_MAX : SwapResult.OK;
                        int times = rnd.nextInt(8) == 0 ? 70 : 1;
                        for (int i = 0; i < times && expect == SwapResult.OK; i++) {
                            assertThat(swaps.duplicate(e)).as(at).isEqualTo(expect);
                            u.count++;
                            expect = u.count >= SwapDevice.SWAP_MAP_MAX ? SwapResult.COUNT_MAX : SwapResult.OK;
                        }
                        assertThat(swaps.duplicate(e)).as(at).isEqualTo(expect);
                        if (expect == SwapResult.OK) {
                            u.count++;
                        }
                    } else if (op < 75) {
                        if (u.count == 0) {
                            assertThatThrownBy(() -> swaps.free(e)).as(at).isInstanceOf(IllegalStateException.class);
                        } else {
                            u.count--;
                            assertThat(swaps.free(e)).as(at).isEqualTo(u.free());
                        }
                    } else if (op < 88) {
                        SwapResult expect = u.cache ? SwapResult.EEXIST : u.count == 0 ? SwapResult.ENOENT : SwapResult.OK;
                        assertThat(swaps.cachePrepare(e)).as(at).isEqualTo(expect);
                        if (expect == SwapResult.OK) {
                            u.cache = true;
                        }
                    } else {
                        if (!u.cache) {
                            assertThatThrownBy(() -> swaps.cacheClear(e)).as(at).isInstanceOf(IllegalStateException.class);
                        } else {
                            u.cache = false;
                            assertThat(swaps.cacheClear(e)).as(at).isEqualTo(u.free());
                        }
                    }
                    assertThat(swaps.swapCount(e)).as(at).isEqualTo(u.count);
                    assertThat(swaps.device(e).hasCache(e.offset())).as(at).isEqualTo(u.cache);
                }
                swaps.check();
                long inuse = model.values().stream().filter(x -> !x.free()).count();
                assertThat(swaps.inusePages()).as(at).isEqualTo(inuse);
                assertThat(swaps.freePages()).as(at).isEqualTo(swaps.totalPages() - inuse);
            }
        } catch (RuntimeException e) {
            throw new AssertionError(at + ": " + e.getMessage(), e);
        }
        for (Map.Entry<SwapEntry, Usage> me : model.entrySet()) {
            Usage u = me.getValue();
            while (u.count > 0) {
                u.count--;
                swaps.free(me.getKey());
            }
            if (u.cache) {
                u.cache = false;
                swaps.cacheClear(me.getKey());
            }
        }
        swaps.check();
        for (SwapDevice d : devs) {
            assertThat(d.inusePages()).as(why).isZero();
            assertThat(swaps.swapoff(d.type())).as(why).isEmpty();
        }
        swaps.check();
    }

    private static SwapDevice ok(SwaponResult r) {
        return ((SwaponResult.Ok) r).device();
    }
}
