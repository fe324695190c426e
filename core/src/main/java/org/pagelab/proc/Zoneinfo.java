package org.pagelab.proc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pagelab.machine.Machine;
import org.pagelab.phys.Watermark;
import org.pagelab.phys.Zone;
import org.pagelab.phys.ZoneType;
import org.pagelab.stat.VmItem;

/**
 * The /proc/zoneinfo file of one machine, limited to the fields pagelab keeps, in the layout of
 * mm/vmstat.c zoneinfo_show_print.
 *
 * <p>Per zone: the "Node 0, zone" header with the name right-aligned in 8 columns; in the first
 * populated zone, the node's state counters ("per-node stats"); the free pages, watermarks and
 * sizes; the "protection" line, which lists the zone's lowmem_reserve against each zone of the node;
 * the zone's state counters; and the first pfn. Lines pagelab has nothing behind (watermark boost,
 * CMA, the per-CPU pagesets, node_unreclaimable) are left out.
 */
public final class Zoneinfo {

    /**
     * One zone's figures, in pages.
     *
     * @param free       free pages (nr_free_pages of the zone)
     * @param min        the min watermark
     * @param low        the low watermark
     * @param high       the high watermark
     * @param spanned    frames between the zone's first and last pfn
     * @param present    frames that exist in the zone
     * @param managed    frames the buddy allocator manages
     * @param protection lowmem_reserve against each zone of the node, lowest first
     * @param startPfn   the zone's first pfn
     */
    public record ZoneFields(long free, long min, long low, long high, long spanned, long present, long managed,
                             List<Long> protection, long startPfn) {
    }

    private final Machine machine;

    /** The zoneinfo view of {@code machine}; every call reads the zones' current state. */
    public Zoneinfo(Machine machine) {
        this.machine = machine;
    }

    /** vm.min_free_kbytes in force, from which the watermarks derive. */
    public int minFreeKbytes() {
        return machine.phys().minFreeKbytes();
    }

    /** Per zone, lowest first, keyed by kernel zone name. */
    public Map<String, ZoneFields> fields() {
        Map<String, ZoneFields> m = new LinkedHashMap<>();
        for (Zone z : machine.phys().zones()) {
            m.put(z.type().kernelName(), new ZoneFields(z.freePages(), z.watermark(Watermark.MIN),
                    z.watermark(Watermark.LOW), z.watermark(Watermark.HIGH), z.spannedPages(), z.presentPages(),
                    z.managedPages(), protection(z), z.startPfn()));
        }
        return m;
    }

    /** The file's text, as {@code cat /proc/zoneinfo} shows it. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        boolean nodeStatsShown = false;
        for (Zone z : machine.phys().zones()) {
            sb.append("Node 0, zone ").append(Columns.padLeft(z.type().kernelName(), 8));
            if (!nodeStatsShown && z.presentPages() > 0) {
                nodeStatsShown = true;
                sb.append("\n  per-node stats");
                for (VmItem i : VmItem.values()) {
                    if (i.kind() == VmItem.Kind.NODE) {
                        stat(sb, i.kernelName(), machine.vmstat().get(i));
                    }
                }
            }
            sb.append("\n  pages free     ").append(z.freePages())
                    .append("\n        min      ").append(z.watermark(Watermark.MIN))
                    .append("\n        low      ").append(z.watermark(Watermark.LOW))
                    .append("\n        high     ").append(z.watermark(Watermark.HIGH))
                    .append("\n        spanned  ").append(z.spannedPages())
                    .append("\n        present  ").append(z.presentPages())
                    .append("\n        managed  ").append(z.managedPages());
            sb.append("\n        protection: (");
            List<Long> protection = protection(z);
            for (int i = 0; i < protection.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(protection.get(i));
            }
            sb.append(')');
            if (z.presentPages() == 0) {
                sb.append('\n');
                continue;
            }
            stat(sb, VmItem.NR_FREE_PAGES.kernelName(), z.freePages());
            sb.append("\n  start_pfn:           ").append(z.startPfn());
            sb.append('\n');
        }
        return sb.toString();
    }

    /** One counter line of a stats block: "%-12s %lu" indented by six spaces. */
    private static void stat(StringBuilder sb, String name, long value) {
        sb.append("\n      ").append(Columns.padRight(name, 12)).append(' ').append(value);
    }

    private static List<Long> protection(Zone z) {
        List<Long> p = new ArrayList<>(ZoneType.values().length);
        for (ZoneType t : ZoneType.values()) {
            p.add(z.lowmemReserve(t));
        }
        return Collections.unmodifiableList(p);
    }
}
