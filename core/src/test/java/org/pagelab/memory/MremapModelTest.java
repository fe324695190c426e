package org.pagelab.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pagelab.machine.MachineTest;
import org.pagelab.swap.SwaponResult;
import org.pagelab.vma.MapResult;
import org.pagelab.vma.VmFlags;

/**
 * mremap against a reference model: random writes, page-outs, forks and mremaps (shrink, grow in
 * place or moved, move, MREMAP_FIXED over other mappings) of parts of a process's anonymous
 * memory, with huge pages on; every page the model knows reads back its bytes, in the process and
 * in every child forked on the way (which keep what they saw at the fork), and every checker
 * passes every 25 operations. Seeds come from {@code -Dpagelab.seed} and are in every message.
 */
class MremapModelTest extends MachineTest {
    private static final int PAGE = 4096;
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final long ARENA = 0x2_0000_0000L;
    private static final int ARENA_PAGES = 8192;

    static long[] seeds() {
        long base = Long.getLong("pagelab.seed", 20261205L);
        long[] s = new long[12];
        for (int i = 0; i < s.length; i++) {
            s[i] = base + i;
        }
        return s;
    }

    /** The bytes of each mapped page, by address (absent: never written, reads zeros); the key set is what is mapped. */
    private static final class View {
        final Process p;
        final Map<Long, byte[]> pages = new HashMap<>();

        View(Process p) {
            this.p = p;
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyPageReadsBackThroughMovesGrowthShrinkingAndForks(long seed) {
        assertThat(machine.swap().swapon("swapfile", 8192, null)).isInstanceOf(SwaponResult.Ok.class);
        SplittableRandom rnd = new SplittableRandom(seed);
        View v = new View(mm.spawn("p"));
        long first = ARENA + (long) rnd.nextInt(4) * 512 * PAGE;
        int n0 = 512 + rnd.nextInt(1024);
        assertThat(mm.mmapAnon(v.p, first, (long) n0 * PAGE, RW, true).orThrow()).isEqualTo(first);
        for (int k = 0; k < n0; k++) {
            v.pages.put(first + (long) k * PAGE, null);
        }
        List<View> children = new ArrayList<>();
        for (int op = 0; op < 300; op++) {
            List<Long> mapped = new ArrayList<>(v.pages.keySet());
            mapped.sort(null);
            if (mapped.isEmpty()) {
                break;
            }
            long at = mapped.get(rnd.nextInt(mapped.size()));
            int len = 1 + rnd.nextInt(rnd.nextInt(8) == 0 ? 600 : 40);
            int r = rnd.nextInt(100);
            String where = "seed " + seed + " op " + op;
            if (r < 40) {
                for (long a = at; a < at + (long) len * PAGE && v.pages.containsKey(a); a += PAGE) {
                    byte[] b = v.pages.get(a) == null ? new byte[PAGE] : v.pages.get(a);
                    int off = rnd.nextInt(PAGE - 16);
                    byte[] d = new byte[16];
                    rnd.nextBytes(d);
                    System.arraycopy(d, 0, b, off, 16);
                    v.pages.put(a, b);
                    assertThat(mm.write(v.p, a + off, d, 0, 16)).as(where).isEqualTo(Access.OK);
                }
            } else if (r < 50) {
                mm.madviseColdOrPageout(v.p, at, (long) len * PAGE, true);
            } else if (r < 55 && children.size() < 4) {
                View c = new View(mm.fork(v.p));
                v.pages.forEach((a, b) -> c.pages.put(a, b == null ? null : b.clone()));
                children.add(c);
            } else if (v.p.mm().within(at, at + (long) len * PAGE) != null) {
                remap(v, rnd, at, len, where);
            }
            if (op % 25 == 24) {
                machine.check();
                check(v, where);
            }
        }
        check(v, "seed " + seed + " end");
        for (View c : children) {
            check(c, "seed " + seed + " child " + c.p.pid());
        }
    }

    private void remap(View v, SplittableRandom rnd, long at, int len, String where) {
        long oldLen = (long) len * PAGE;
        int kind = rnd.nextInt(4);
        long newLen = kind == 0 ? (long) (1 + rnd.nextInt(len)) * PAGE : (long) (len + rnd.nextInt(64)) * PAGE;
        Long fixed = null;
        if (kind == 3) {
            fixed = ARENA + (long) rnd.nextInt(ARENA_PAGES) * PAGE;
            if (fixed < at + oldLen && at < fixed + newLen) {
                return; // overlapping source and target: EINVAL, as in the kernel
            }
        }
        MapResult res = mm.mremap(v.p, at, oldLen, newLen, kind != 1 || rnd.nextBoolean(), fixed);
        if (res instanceof MapResult.MapFailed f) {
            assertThat(kind).as(where + ": only a grow without move may fail, got " + f.errno()).isEqualTo(1);
            return;
        }
        long to = res.orThrow();
        if (fixed != null) {
            assertThat(to).as(where).isEqualTo(fixed);
        }
        Map<Long, byte[]> moved = new HashMap<>();
        for (long k = 0; k < oldLen / PAGE; k++) {
            long a = at + k * PAGE;
            byte[] b = v.pages.remove(a);
            if (k * PAGE < newLen) {
                moved.put(to + k * PAGE, b);
            }
        }
        for (long a = to; a < to + newLen; a += PAGE) {
            v.pages.remove(a); // MREMAP_FIXED replaced what was there; growth reads zeros
            v.pages.put(a, moved.get(a));
        }
    }

    private void check(View v, String where) {
        byte[] got = new byte[PAGE];
        for (Map.Entry<Long, byte[]> e : v.pages.entrySet()) {
            assertThat(mm.read(v.p, e.getKey(), got, 0, PAGE)).as(where + " at 0x" + Long.toHexString(e.getKey()))
                    .isEqualTo(Access.OK);
            byte[] want = e.getValue() == null ? new byte[PAGE] : e.getValue();
            assertThat(Arrays.mismatch(got, want)).as(where + " at 0x" + Long.toHexString(e.getKey())).isEqualTo(-1);
        }
    }
}
