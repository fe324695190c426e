package org.pagelab.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * I/O errors injected into the simulated devices, as the kernel's block-layer fault injection
 * (fail_make_request) or a dm-error target makes a device fail: each {@link Rule} names a
 * device (a swap area by its type, or a file by its name), reads or writes, a range of pages, the
 * simulated time from which it applies and how many errors it gives. The code that reads or
 * writes a page asks {@link #fail} first; a page that fails behaves as a failed device I/O does in
 * the kernel:
 * <ul>
 *   <li>swap write (swap_writepage): the folio stays in the swap cache, dirty, so reclaim tries
 *       again later and no byte is lost;</li>
 *   <li>swap read (swap_readpage): the folio is not uptodate; the faulting process gets SIGBUS;</li>
 *   <li>file read: read(2) returns EIO and a fault on the page raises SIGBUS;</li>
 *   <li>file writeback: the page is written no more (it is clean, PG_error), and the error is
 *       recorded in the file's errseq, which fsync reports once to every opener.</li>
 * </ul>
 * Rules only make pages fail; what a failure means is the caller's.
 */
public final class IoFaults {
    /** Reads or writes. */
    public enum Op { READ, WRITE }

    /**
     * Errors for {@code op} of pages {@code [firstPage, firstPage + pages)} of {@code device}
     * ("swap" and a swap type, e.g. "swap0", or a file's name), from simulated time
     * {@code fromNs} on, {@code count} of them ({@link #UNLIMITED} for every matching I/O).
     */
    public record Rule(String device, Op op, long firstPage, long pages, long fromNs, long count) {
        public Rule {
            if (device == null || device.isEmpty() || op == null || firstPage < 0 || pages <= 0 || fromNs < 0
                    || count <= 0 && count != UNLIMITED) {
                throw new IllegalArgumentException("bad I/O fault rule " + device + " " + op + " pages " + firstPage
                        + "+" + pages + " from " + fromNs + "ns count " + count);
            }
        }
    }

    /** A rule's count that never runs out. */
    public static final long UNLIMITED = -1;

    private final List<Rule> rules = new ArrayList<>();
    private final List<long[]> left = new ArrayList<>();
    private final LongSupplier clock;
    private long injected;

    /** Rules judged at the simulated time {@code clock} gives, in nanoseconds. */
    public IoFaults(LongSupplier clock) {
        this.clock = clock;
    }

    /** Adds {@code rule}. */
    public void add(Rule rule) {
        rules.add(rule);
        left.add(new long[] {rule.count()});
    }

    /** Removes every rule. */
    public void clear() {
        rules.clear();
        left.clear();
    }

    /** The name a swap area of type {@code type} has in a rule. */
    public static String swapDevice(int type) {
        return "swap" + type;
    }

    /**
     * Whether {@code op} of page {@code page} of {@code device} fails now; a rule that fails it
     * uses up one of its errors.
     */
    public boolean fail(String device, Op op, long page) {
        if (rules.isEmpty()) {
            return false;
        }
        long now = clock.getAsLong();
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            long[] n = left.get(i);
            if (n[0] != 0 && r.op() == op && r.device().equals(device) && now >= r.fromNs()
                    && page >= r.firstPage() && page - r.firstPage() < r.pages()) {
                if (n[0] > 0) {
                    n[0]--;
                }
                injected++;
                return true;
            }
        }
        return false;
    }

    /** Errors given so far. */
    public long injected() {
        return injected;
    }
}
