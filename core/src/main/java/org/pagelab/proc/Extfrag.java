package org.pagelab.proc;

import org.pagelab.compaction.Compaction;
import org.pagelab.desc.MemDesc;
import org.pagelab.machine.Machine;
import org.pagelab.phys.Zone;

/**
 * The debugfs files /sys/kernel/debug/extfrag/extfrag_index and unusable_index of one machine:
 * per populated zone, the fragmentation index and the unusable free space index of each order
 * 0..{@value MemDesc#MAX_ORDER} ({@link Compaction#fragmentationIndex},
 * {@link Compaction#unusableIndex}), printed as mm/vmstat.c extfrag_show_print and
 * unusable_show_print print them: "Node 0, zone", the zone name right-aligned in 8 columns and a
 * space, then each index in thousandths as {@code %2d.%03d } (extfrag) or {@code %d.%03d }
 * (unusable); an order with a free block has the extfrag index -1.000.
 */
public final class Extfrag {
    private Extfrag() {
    }

    /** The text of extfrag_index when {@code extfrag}, else of unusable_index. */
    public static String render(Machine machine, boolean extfrag) {
        StringBuilder sb = new StringBuilder();
        for (Zone z : machine.phys().zones()) {
            if (z.managedPages() == 0) {
                continue;
            }
            sb.append("Node 0, zone ").append(Columns.padLeft(z.type().kernelName(), 8)).append(' ');
            for (int o = 0; o <= MemDesc.MAX_ORDER; o++) {
                int index = extfrag ? Compaction.fragmentationIndex(z, o) : Compaction.unusableIndex(z, o);
                String whole = Integer.toString(index / 1000);
                sb.append(extfrag ? Columns.padLeft(whole, 2) : whole).append('.')
                        .append(String.format(java.util.Locale.ROOT, "%03d", Math.abs(index % 1000))).append(' ');
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
