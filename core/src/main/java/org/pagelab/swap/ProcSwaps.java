package org.pagelab.swap;

import java.nio.charset.StandardCharsets;
import org.pagelab.phys.MemSize;

/**
 * The /proc/swaps file, as mm/swapfile.c swap_show prints it. A header line, then one line per
 * swap area in type order, areas whose swapoff has begun included:
 * <pre>
 *   name, escaped      the name with space, tab, newline and backslash written as \ooo (octal)
 *   padding            40 - len spaces when the escaped name is shorter than 40 bytes, else 1
 *   "file\t"           the type; a block device would print "partition" (never here)
 *   "\t" size          usable size in KiB (si->pages: the header page is not counted)
 *   "\t" ["\t"] used   KiB in use, the extra tab when size &lt; 10000000
 *   "\t" ["\t"] prio   the priority, the extra tab when used &lt; 10000000
 * </pre>
 */
public final class ProcSwaps {
    /** The first line, without its newline. */
    public static final String HEADER = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority";
    private static final String ESCAPED = " \t\n\\";
    private static final int KIB_SHIFT = MemSize.PAGE_SHIFT - 10;

    private final SwapDevices swaps;

    /** The /proc/swaps view of {@code swaps}; every call reads the devices' current state. */
    public ProcSwaps(SwapDevices swaps) {
        this.swaps = swaps;
    }

    /** The file's text, as {@code cat /proc/swaps} shows it. */
    public String render() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (SwapDevice si : swaps.devices()) {
            line(sb, si);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, SwapDevice si) {
        long bytes = si.pages() << KIB_SHIFT;
        long inuse = si.inusePages() << KIB_SHIFT;
        String path = escape(si.name());
        int len = path.getBytes(StandardCharsets.UTF_8).length;
        sb.append(path).append(" ".repeat(len < 40 ? 40 - len : 1))
                .append("file\t").append('\t').append(bytes)
                .append('\t').append(bytes < 10_000_000 ? "\t" : "").append(inuse)
                .append('\t').append(inuse < 10_000_000 ? "\t" : "").append(si.priority())
                .append('\n');
    }

    /** {@code name} with each space, tab, newline and backslash replaced by a backslash and three octal digits (mangle_path). */
    static String escape(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (ESCAPED.indexOf(c) >= 0) {
                sb.append('\\').append((char) ('0' + ((c >> 6) & 7))).append((char) ('0' + ((c >> 3) & 7)))
                        .append((char) ('0' + (c & 7)));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
