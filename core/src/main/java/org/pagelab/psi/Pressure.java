package org.pagelab.psi;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A /proc/pressure file of one machine (memory or io): the system-wide pressure stall information,
 * as kernel/sched/psi.c psi_show prints it. The same text is a cgroup's {@code memory.pressure} or
 * {@code io.pressure} when rendered from that cgroup's group.
 */
public final class Pressure {
    private final PsiGroup group;
    private final PsiResource resource;

    /**
     * The pressure file of {@code group} for {@code resource}: /proc/pressure/{@code resource} for the
     * system-wide group, a cgroup's {@code <resource>.pressure} for its group; every call reads the
     * current figures.
     */
    public Pressure(PsiGroup group, PsiResource resource) {
        this.group = group;
        this.resource = resource;
    }

    /**
     * The figures by line ("some", "full"), each keyed avg10, avg60, avg300 (percent with two
     * decimals, as the file prints them) and total (microseconds).
     */
    public Map<String, Map<String, Number>> fields() {
        Map<String, Map<String, Number>> m = new LinkedHashMap<>();
        for (boolean full : new boolean[] {false, true}) {
            Map<String, Number> line = new LinkedHashMap<>();
            for (int w = 0; w < PsiGroup.WINDOWS_S.size(); w++) {
                line.put("avg" + PsiGroup.WINDOWS_S.get(w), BigDecimal.valueOf(group.avgHundredths(resource, full, w), 2));
            }
            line.put("total", group.totalUs(resource, full));
            m.put(full ? "full" : "some", line);
        }
        return m;
    }

    /** The file's text, as {@code cat /proc/pressure/memory} shows it. */
    public String render() {
        return group.render(resource);
    }
}
