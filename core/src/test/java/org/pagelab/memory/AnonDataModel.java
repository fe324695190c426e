package org.pagelab.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The reference model of the randomized anonymous-memory tests: for one process, the bytes each
 * page of its region at {@code base} must read back (pages never written read as zeros), and the
 * operations that change them, applied to the process and the model together.
 */
public final class AnonDataModel {
    public static final int PAGE = 4096;

    public final Process p;
    private final long base;
    private final Map<Integer, byte[]> pages = new HashMap<>();

    public AnonDataModel(Process p, long base) {
        this.p = p;
        this.base = base;
    }

    /**
     * Writes 64 random bytes at a random offset of each of pages {@code [page, page + n)}; stops
     * at the first access that is not OK (the process died) and returns it, else OK.
     */
    public Access writeRandom(MemoryManager mm, SplittableRandom rnd, int page, int n) {
        for (int k = 0; k < n; k++) {
            byte[] data = pages.computeIfAbsent(page + k, x -> new byte[PAGE]);
            int off = rnd.nextInt(PAGE - 64);
            byte[] b = new byte[64];
            rnd.nextBytes(b);
            System.arraycopy(b, 0, data, off, b.length);
            Access a = mm.write(p, base + (long) (page + k) * PAGE + off, b, 0, b.length);
            if (a != Access.OK) {
                return a;
            }
        }
        return Access.OK;
    }

    /** Reads {@code page} and, when the read succeeds, checks every byte against the model; returns the access. */
    public Access readAndCheck(MemoryManager mm, int page, String where) {
        byte[] got = new byte[PAGE];
        Access a = mm.read(p, base + (long) page * PAGE, got, 0, PAGE);
        if (a == Access.OK) {
            int at = Arrays.mismatch(got, pages.getOrDefault(page, new byte[PAGE]));
            assertThat(at).as("%s pid %d page %d: first wrong byte at offset %d", where, p.pid(), page, at).isEqualTo(-1);
        }
        return a;
    }

    /** Pages {@code [page, page + n)} were dropped or remapped: they read as zeros again. */
    public void forget(int page, int n) {
        for (int k = 0; k < n; k++) {
            pages.remove(page + k);
        }
    }

    /** The model of {@code child}, just forked from this process: a copy of every page. */
    public AnonDataModel fork(Process child) {
        AnonDataModel c = new AnonDataModel(child, base);
        pages.forEach((k, v) -> c.pages.put(k, v.clone()));
        return c;
    }

    /**
     * Reads back and checks every page the model knows; returns the first access that was not
     * OK (the process was killed on the way), else OK.
     */
    public Access checkAll(MemoryManager mm, String where) {
        for (int page : pages.keySet()) {
            Access a = readAndCheck(mm, page, where);
            if (a != Access.OK) {
                return a;
            }
        }
        return Access.OK;
    }
}
