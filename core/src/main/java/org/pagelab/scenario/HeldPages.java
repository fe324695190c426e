package org.pagelab.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pagelab.gup.Gup;
import org.pagelab.memory.Process;
import org.pagelab.phys.FrameContents;
import org.pagelab.phys.MemSize;
import org.pagelab.scenario.ScenarioProcess.Region;

/**
 * The pages that pin and get steps hold (get_user_pages with FOLL_PIN or FOLL_GET): taken by
 * {@code pin} and {@code get}, given back by {@code unpin} and {@code put}, read and written by
 * {@code expect} and {@code write} steps with {@code via} as a device doing DMA would, and all
 * given back when the run ends.
 */
final class HeldPages {
    private static final int PAGE = MemSize.PAGE_SIZE;

    /**
     * Pages a pin or get step holds: the pages from offset {@code firstOffset} of its region, taken
     * for writing or not.
     */
    private record Holding(long firstOffset, List<Gup.Held> pages, boolean write) {
    }

    private final Gup gup;
    private final FrameContents contents;
    private final String source;
    /** Pins held, by "pid/region", in the order taken. */
    private final Map<String, List<Holding>> pins = new LinkedHashMap<>();
    /** References held by get steps, by "pid/region", in the order taken. */
    private final Map<String, List<Holding>> gets = new LinkedHashMap<>();

    /** {@code source} names the scenario in errors of input found only while running. */
    HeldPages(Gup gup, FrameContents contents, String source) {
        this.gup = gup;
        this.contents = contents;
        this.source = source;
    }

    /** A pin or get step: takes the pages of its range, or fails as the step declares. */
    void take(ScenarioProcess p, Step st) {
        Process proc = p.process;
        Region r = p.region(st);
        long off = st.offset() == null ? 0 : st.offset();
        long len = st.length() == null ? r.len() - off : st.length();
        if (off < 0 || len <= 0 || off + len > r.len()) {
            throw new StepFailed("range " + off + "+" + len + " is outside region '" + st.region() + "' of "
                    + r.len() + " bytes");
        }
        long first = (r.addr() + off) & -PAGE;
        int nr = (int) StepLimits.withinEventLimit(source, st, (r.addr() + off + len - first + PAGE - 1) / PAGE);
        boolean write = Boolean.TRUE.equals(st.write());
        boolean pin = st.kind().equals("pin");
        Gup.Result res = !pin ? gup.get(proc, first, nr, write)
                : Boolean.TRUE.equals(st.longterm())
                ? gup.pinLongterm(proc, first, nr, write)
                : gup.pin(proc, first, nr, write);
        if (res instanceof Gup.Failed && !proc.alive()) {
            return; // the fault killed the process (the OOM killer chose it): killCheck decides
        }
        if (st.options().errno() != null) {
            if (res instanceof Gup.Got got) {
                (pin ? pins : gets).computeIfAbsent(proc.pid() + "/" + st.region(), k -> new ArrayList<>())
                        .add(new Holding(first - r.addr(), got.pages(), write));
                throw new StepFailed(st.kind() + " succeeded, expected it to fail with " + st.options().errno());
            }
            var f = (Gup.Failed) res;
            if (!f.errno().name().equals(st.options().errno())) {
                throw new StepFailed(st.kind() + " failed with " + f.errno() + ", expected " + st.options().errno());
            }
            return;
        }
        switch (res) {
            case Gup.Got got -> (pin ? pins : gets).computeIfAbsent(proc.pid() + "/" + st.region(),
                    k -> new ArrayList<>()).add(new Holding(first - r.addr(), got.pages(), write));
            case Gup.Failed f -> throw new StepFailed(st.kind() + " failed with " + f.errno()
                    + " at 0x" + Long.toHexString(f.addr()));
        }
    }

    /** An unpin or put step: gives back every pin or reference the region holds. */
    void release(ScenarioProcess p, Step st) {
        boolean pin = st.kind().equals("unpin");
        List<Holding> held = (pin ? pins : gets).remove(p.process.pid() + "/" + st.region());
        if (held == null) {
            throw new StepFailed("region '" + st.region() + "' has no " + (pin ? "pins" : "references") + " to release");
        }
        for (Holding h : held) {
            if (pin) {
                gup.unpin(h.pages());
            } else {
                gup.put(h.pages());
            }
        }
    }

    /**
     * An expect or write step with {@code via}: compares or writes the bytes {@code or} (offset,
     * length in the region) in the frames that the process's pins or gets of the region hold, as a
     * device doing DMA would, not through the page tables. Every page of the range must be held;
     * a write needs a pin or get taken for writing, and never writes the shared zero page.
     */
    void access(ScenarioProcess p, Step st, boolean write) {
        String via = st.options().via();
        long[] or = {st.offset() == null ? 0 : st.offset(), st.length()};
        List<Holding> held = (via.equals("pin") ? pins : gets).getOrDefault(p.process.pid() + "/" + st.region(), List.of());
        byte[] one = new byte[1];
        for (long off = or[0]; off < or[0] + or[1]; ) {
            long pageOff = off & -PAGE;
            int n = (int) Math.min(or[0] + or[1] - off, pageOff + PAGE - off);
            Holding h = null;
            for (int k = held.size() - 1; k >= 0 && h == null; k--) {
                Holding c = held.get(k);
                if (pageOff >= c.firstOffset() && pageOff < c.firstOffset() + (long) c.pages().size() * PAGE) {
                    h = c;
                }
            }
            if (h == null) {
                throw new StepFailed("offset " + off + " of region '" + st.region() + "' is not held by a " + via);
            }
            Gup.Held page = h.pages().get((int) ((pageOff - h.firstOffset()) / PAGE));
            long phys = ((long) page.pfn() << MemSize.PAGE_SHIFT) + (off - pageOff);
            if (write) {
                if (!h.write() || page instanceof Gup.Held.ZeroPage) {
                    throw new StepFailed("offset " + off + " of region '" + st.region() + "' is held read-only by its "
                            + via + (page instanceof Gup.Held.ZeroPage ? " (the shared zero page)" : ""));
                }
                byte[] buf = new byte[n];
                java.util.Arrays.fill(buf, (byte) (int) st.fill());
                contents.write(phys, buf, 0, n);
            } else {
                for (int i = 0; i < n; i++) {
                    contents.read(phys + i, one, 0, 1);
                    if ((one[0] & 0xff) != st.equals()) {
                        throw new StepFailed(String.format("region '%s' byte at offset %d through the %s is 0x%02x,"
                                + " expected 0x%02x", st.region(), off + i, via, one[0] & 0xff, st.equals()));
                    }
                }
            }
            off += n;
        }
    }

    /** The end of the run releases what is still pinned or referenced. */
    void releaseAll() {
        for (List<Holding> held : pins.values()) {
            held.forEach(h -> gup.unpin(h.pages()));
        }
        for (List<Holding> held : gets.values()) {
            held.forEach(h -> gup.put(h.pages()));
        }
        pins.clear();
        gets.clear();
    }
}
