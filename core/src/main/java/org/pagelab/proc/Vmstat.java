package org.pagelab.proc;

import java.util.Map;
import org.pagelab.machine.Machine;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;

/**
 * The /proc/vmstat file of one machine: one "name value" line per counter pagelab maintains, in
 * the kernel's order (mm/vmstat.c, vmstat_show over vmstat_text).
 */
public final class Vmstat {
    private final VmStat vmstat;

    /** The vmstat view of {@code machine}; every call reads the machine's current counters. */
    public Vmstat(Machine machine) {
        this.vmstat = machine.vmstat();
    }

    /** The counters in the kernel's order, keyed by kernel name. */
    public Map<String, Long> fields() {
        return vmstat.snapshot();
    }

    /** The file's text, as {@code cat /proc/vmstat} shows it. */
    public String render() {
        StringBuilder sb = new StringBuilder(VmItem.values().length * 24);
        for (VmItem i : VmItem.values()) {
            sb.append(i.kernelName()).append(' ').append(vmstat.get(i)).append('\n');
        }
        return sb.toString();
    }
}
