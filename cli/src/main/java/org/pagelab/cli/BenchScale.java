package org.pagelab.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;
import org.pagelab.machine.Machine;
import org.pagelab.memory.MemoryManager;
import org.pagelab.memory.Process;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.phys.Watermark;
import org.pagelab.phys.Zone;

/**
 * The scale step of {@code pagelab bench}: metadata-mode machines from one size to another,
 * doubling, each filled by one process that writes every page it can get (all free memory above
 * the zones' high watermarks, less room for its page tables). Per size it prints the time to boot
 * and to fill, and the heap the machine holds afterwards (live objects, from the class
 * histogram), per page and in total; then how time and heap per page grew from the smallest
 * machine to the largest.
 *
 * <p>It runs in a child JVM with a fixed heap ({@link #HEAP}), so the figure says whether a
 * machine of that size fits in that heap regardless of the launcher's JVM: {@link #runChild}
 * starts it, {@link #main} is the child.
 */
final class BenchScale {
    /** The child JVM's heap: the design's budget for a 64 GiB machine. */
    static final String HEAP = "-Xmx6g";

    /** One machine size measured. */
    record Row(long bytes, long frames, long touched, long bootNs, long fillNs, long heapBytes, boolean huge) {
        double nsPerPage() {
            return fillNs / (double) touched;
        }

        double bytesPerPage() {
            return heapBytes / (double) touched;
        }
    }

    private BenchScale() {
    }

    /** Child JVM: {@code BenchScale FROM_BYTES TO_BYTES}; prints the table on stdout. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        long from = Long.parseLong(args[0]);
        long to = Long.parseLong(args[1]);
        List<Row> rows = new ArrayList<>();
        measure(from >= (64L << 20) ? from : 64L << 20, false); // warm-up of the JIT on a small machine, not printed
        for (long size = from; size <= to; size *= 2) {
            rows.add(measure(size, false));
        }
        print(out, rows);
        // the same fill in 2 MiB folios at 1 Mi and 16 Mi frames (or the largest size asked for)
        for (long size : new long[] {4L << 30, 64L << 30}) {
            if (size >= from && size <= to || size == (4L << 30) && to < size) {
                Row r = measure(Math.min(size, to), true);
                out.printf(Locale.ROOT, "%-50s %12.1f %-10s (%s frames, %d resident in %d-page folios, memmap included)%n",
                        "metadata per resident page, 2 MiB folios, " + frames(r.frames()) + " frames", r.bytesPerPage(),
                        "bytes", frames(r.frames()), r.touched(), 512);
            }
        }
        out.flush();
    }

    /**
     * Boots a metadata machine of {@code bytes}, fills it, and measures time and heap: in order-0
     * pages, or with {@code huge} in 2 MiB folios (transparent huge pages always; the few ranges
     * a huge page cannot cover fall back to small pages).
     */
    static Row measure(long bytes, boolean huge) {
        long before = usedHeap();
        long t0 = System.nanoTime();
        try (Machine m = Machine.boot(PhysConfig.of(bytes, false))) {
            long t1 = System.nanoTime();
            long reserve = 0;
            for (Zone z : m.phys().zones()) {
                reserve += z.watermark(Watermark.HIGH);
            }
            long free = m.phys().freePages() - reserve;
            long n = free - free / 256 - 256; // page tables: one page per 512 mapped, and the upper levels
            MemoryManager mm = m.memory();
            mm.setTransparentHugepage(huge ? org.pagelab.memory.TransparentHugepage.ALWAYS
                    : org.pagelab.memory.TransparentHugepage.NEVER);
            Process p = mm.spawn("scale");
            long a = mm.mmapAnon(p, 0, n * BenchFigures.PAGE, BenchFigures.RW, false).orThrow();
            for (long i = 0; i < n; i++) {
                org.pagelab.memory.Access r = mm.touch(p, a + i * BenchFigures.PAGE, true);
                if (r != org.pagelab.memory.Access.OK) {
                    throw new IllegalStateException("scale: write of page " + i + " of " + n + " on a "
                            + MemSize.format(bytes) + " machine failed: " + r);
                }
            }
            long t2 = System.nanoTime();
            long heap = usedHeap() - before;
            if (p.rssAnon() != n) {
                throw new IllegalStateException("scale: expected " + n + " resident pages, got " + p.rssAnon());
            }
            if (huge && m.vmstat().get(org.pagelab.stat.VmItem.NR_ANON_TRANSPARENT_HUGEPAGES) == 0) {
                throw new IllegalStateException("scale: only " + m.vmstat().get(org.pagelab.stat.VmItem.NR_ANON_TRANSPARENT_HUGEPAGES)
                        + " huge pages for " + n + " pages");
            }
            return new Row(bytes, bytes / BenchFigures.PAGE, n, t1 - t0, t2 - t1, heap, huge);
        }
    }

    /**
     * Bytes of live objects on the heap, from the JVM's class histogram (which collects first),
     * less the GC's filler arrays: unlike used heap after a GC, it does not count the unused tails
     * of the regions that large arrays such as the memmap occupy.
     */
    static long usedHeap() {
        String histogram;
        try {
            histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IllegalStateException("cannot read the class histogram: " + e, e);
        }
        Matcher m = TOTAL.matcher(histogram);
        if (!m.find()) {
            throw new IllegalStateException("class histogram without a Total line");
        }
        long live = Long.parseLong(m.group(1));
        for (Matcher f = FILLER.matcher(histogram); f.find(); ) {
            live -= Long.parseLong(f.group(1));
        }
        return live;
    }

    private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)");
    /** The GC's filler arrays, which plug holes in regions and are counted in the histogram but hold nothing. */
    private static final Pattern FILLER = Pattern.compile("(?m)^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+\\S*FillerElement");

    private static void print(PrintWriter out, List<Row> rows) {
        out.printf(Locale.ROOT, "%-10s %10s %10s %9s %9s %9s %10s %11s%n", "# machine", "frames", "touched", "boot ms",
                "fill ms", "ns/page", "heap MiB", "bytes/page");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "%-10s %10d %10d %9.0f %9.0f %9.1f %10.1f %11.1f%n", "scale " + MemSize.format(r.bytes()),
                    r.frames(), r.touched(), r.bootNs() / 1e6, r.fillNs() / 1e6, r.nsPerPage(), r.heapBytes() / 1048576.0,
                    r.bytesPerPage());
        }
        Row first = rows.getFirst();
        Row last = rows.getLast();
        out.printf(Locale.ROOT, "%-50s %12.2f %-10s (size x%.0f: fill time x%.2f, heap x%.2f)%n",
                "scale growth per page, time " + MemSize.format(first.bytes()) + " -> " + MemSize.format(last.bytes()),
                last.nsPerPage() / first.nsPerPage(), "ratio", last.bytes() / (double) first.bytes(),
                last.fillNs() / (double) first.fillNs(), last.heapBytes() / (double) first.heapBytes());
        out.printf(Locale.ROOT, "%-50s %12.2f %-10s%n",
                "scale growth per page, heap " + MemSize.format(first.bytes()) + " -> " + MemSize.format(last.bytes()),
                last.bytesPerPage() / first.bytesPerPage(), "ratio");
        for (Row r : rows) {
            if (r.frames() == 1L << 20 || r.frames() == 1L << 24 || (r == last && last.frames() < 1L << 20)) {
                out.printf(Locale.ROOT, "%-50s %12.1f %-10s (%s frames, %d resident, memmap included)%n",
                        "metadata per resident order-0 page, " + frames(r.frames()) + " frames", r.bytesPerPage(), "bytes",
                        frames(r.frames()), r.touched());
            }
        }
    }

    private static String frames(long n) {
        return n >= 1L << 20 && n % (1L << 20) == 0 ? (n >> 20) + " Mi" : n % 1024 == 0 ? (n >> 10) + " Ki" : Long.toString(n);
    }

    /**
     * Runs the scale step in a child JVM of this JVM's {@code java} and class path with
     * {@link #HEAP} and compact object headers, and copies its table to {@code out}; throws
     * {@link IllegalStateException} with its error output when it fails.
     */
    static void runChild(PrintWriter out, long from, long to) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = List.of(java, HEAP, "-XX:+UseCompactObjectHeaders", "-cp", System.getProperty("java.class.path"),
                BenchScale.class.getName(), Long.toString(from), Long.toString(to));
        java.lang.Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder all = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                all.append(line).append('\n');
                if (line.startsWith("scale ") || line.startsWith("# machine") || line.startsWith("metadata ")) {
                    out.println(line);
                    out.flush();
                }
            }
        }
        if (!child.waitFor(10, TimeUnit.MINUTES) || child.exitValue() != 0) {
            child.destroyForcibly();
            throw new IllegalStateException("scale step failed (" + String.join(" ", cmd.subList(0, 3)) + "): " + all.toString().strip());
        }
    }
}
