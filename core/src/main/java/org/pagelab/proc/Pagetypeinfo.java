package org.pagelab.proc;

import org.pagelab.desc.MemDesc;
import org.pagelab.machine.Machine;
import org.pagelab.phys.MigrateType;
import org.pagelab.phys.Zone;

/**
 * The /proc/pagetypeinfo file of one machine: the pageblock size, the free blocks of each order on
 * each migratetype's free list, and the pageblocks of each migratetype, per populated zone, laid out
 * as mm/vmstat.c pagetypeinfo_show prints them: one row and one column per
 * {@link MigrateType}, in the kernel's order.
 */
public final class Pagetypeinfo {
    private final Machine machine;

    /** The pagetypeinfo view of {@code machine}; every call reads the zones' current free lists. */
    public Pagetypeinfo(Machine machine) {
        this.machine = machine;
    }

    /** The file's text, as {@code cat /proc/pagetypeinfo} shows it. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        int pbOrder = machine.phys().config().pageblockOrder();
        sb.append("Page block order: ").append(pbOrder).append('\n');
        sb.append("Pages per block:  ").append(1L << pbOrder).append("\n\n");
        sb.append(Columns.padRight("Free pages count per migrate type at order", 43)).append(' ');
        for (int o = 0; o <= MemDesc.MAX_ORDER; o++) {
            sb.append(Columns.padLeft(Integer.toString(o), 6)).append(' ');
        }
        sb.append('\n');
        for (Zone z : machine.phys().zones()) {
            if (z.presentPages() == 0) {
                continue;
            }
            for (MigrateType t : MigrateType.values()) {
                freeRow(sb, z, t);
            }
        }
        sb.append('\n').append(Columns.padRight("Number of blocks type ", 23));
        for (MigrateType t : MigrateType.values()) {
            sb.append(Columns.padLeft(t.kernelName(), 12)).append(' ');
        }
        sb.append('\n');
        for (Zone z : machine.phys().zones()) {
            if (z.presentPages() == 0) {
                continue;
            }
            sb.append("Node 0, zone ").append(Columns.padLeft(z.type().kernelName(), 8)).append(' ');
            for (MigrateType t : MigrateType.values()) {
                sb.append(Columns.padLeft(Long.toString(z.nrBlocks(t)), 12)).append(' ');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** One "Node 0, zone ..., type ..." line: the free blocks of each order on {@code t}'s lists. */
    private static void freeRow(StringBuilder sb, Zone z, MigrateType t) {
        sb.append("Node    0, zone ").append(Columns.padLeft(z.type().kernelName(), 8)).append(", type ")
                .append(Columns.padLeft(t.kernelName(), 12)).append(' ');
        for (int o = 0; o <= MemDesc.MAX_ORDER; o++) {
            long n = z.nrFree(o, t);
            sb.append(Columns.padLeft(Long.toString(n), 6)).append(' ');
        }
        sb.append('\n');
    }
}
