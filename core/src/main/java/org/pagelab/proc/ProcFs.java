package org.pagelab.proc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.pagelab.machine.Machine;

/**
 * The /proc files of one machine, read by path as {@code cat} would read them.
 *
 * <p>The files are rendered at each read from the machine's current counters. The registry below
 * lists every file pagelab provides, in the order {@link #paths()} reports them.
 */
public final class ProcFs {
    private static final Map<String, Function<Machine, String>> FILES = registry();

    private final Machine machine;

    /** The /proc of {@code machine}. */
    public ProcFs(Machine machine) {
        this.machine = machine;
    }

    private static Map<String, Function<Machine, String>> registry() {
        Map<String, Function<Machine, String>> m = new LinkedHashMap<>();
        m.put("/proc/meminfo", mc -> new Meminfo(mc).render());
        m.put("/proc/vmstat", mc -> new Vmstat(mc).render());
        m.put("/proc/buddyinfo", mc -> new Buddyinfo(mc).render());
        m.put("/proc/zoneinfo", mc -> new Zoneinfo(mc).render());
        return m;
    }

    /** The paths of the files pagelab provides. */
    public static List<String> paths() {
        return List.copyOf(FILES.keySet());
    }

    /**
     * The text of the file at {@code path}. Throws {@link IllegalArgumentException} naming the path
     * and the known paths when pagelab has no such file.
     */
    public String read(String path) {
        Function<Machine, String> f = FILES.get(path);
        if (f == null) {
            throw new IllegalArgumentException("no such file '" + path + "' in pagelab's /proc; known files: "
                    + String.join(", ", FILES.keySet()));
        }
        return f.apply(machine);
    }
}
