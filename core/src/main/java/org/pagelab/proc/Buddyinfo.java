package org.pagelab.proc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pagelab.desc.MemDesc;
import org.pagelab.machine.Machine;
import org.pagelab.phys.Zone;

/**
 * The /proc/buddyinfo file of one machine: per zone, the number of free blocks of each order
 * 0..{@value MemDesc#MAX_ORDER}, as mm/vmstat.c frag_show_print prints them: "Node 0, zone", the
 * zone name right-aligned in 8 columns and a space, then each count right-aligned in 6 columns and
 * followed by a space.
 */
public final class Buddyinfo {
    private final Machine machine;

    /** The buddyinfo view of {@code machine}; every call reads the zones' current free lists. */
    public Buddyinfo(Machine machine) {
        this.machine = machine;
    }

    /** Per zone, lowest first, keyed by kernel zone name: the free block counts of orders 0..10. */
    public Map<String, List<Long>> fields() {
        Map<String, List<Long>> m = new LinkedHashMap<>();
        for (Zone z : machine.phys().zones()) {
            List<Long> counts = new ArrayList<>(MemDesc.MAX_ORDER + 1);
            for (int o = 0; o <= MemDesc.MAX_ORDER; o++) {
                counts.add(z.nrFree(o));
            }
            m.put(z.type().kernelName(), Collections.unmodifiableList(counts));
        }
        return m;
    }

    /** The file's text, as {@code cat /proc/buddyinfo} shows it. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (Zone z : machine.phys().zones()) {
            sb.append("Node 0, zone ").append(Columns.padLeft(z.type().kernelName(), 8)).append(' ');
            for (int o = 0; o <= MemDesc.MAX_ORDER; o++) {
                sb.append(Columns.padLeft(Long.toString(z.nrFree(o)), 6)).append(' ');
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
