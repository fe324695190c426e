package org.pagelab.sweep;

import java.util.List;
import org.pagelab.memcg.MemoryCgroups;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.reclaim.ReclaimPolicies;

/**
 * A machine setting a sweep can vary: what its values look like, their canonical text, and the
 * number a chart puts on its x axis. Canonical texts make a point's key independent of how the
 * spec spelt a value ({@code 65536K} and {@code 64M} are the same point).
 *
 * <p>The cgroup settings are the cgroup v2 files of one cgroup, named in a spec as
 * {@code /PATH/memory.max}; their values are sizes or {@code max}.
 */
public enum Setting {
    /** Machine memory: a size from 16M to 8T, a multiple of 4K. */
    MEMORY("memory", "MiB"),
    /** One swap file of this size; 0 for none. */
    SWAP("swap", "MiB"),
    /** vm.swappiness, 0..200. */
    SWAPPINESS("swappiness", ""),
    /** Simulated CPUs, 1..4096. */
    CPUS("cpus", ""),
    /** Workingset refault detection: on or off. */
    WORKINGSET("workingset", null),
    /**
     * /sys/kernel/mm/transparent_hugepage/enabled (always, madvise or never) and the per-size
     * hugepages-&lt;N&gt;kB/enabled files, as {@link ThpSettings} text: "never", "never 64K=always".
     */
    TRANSPARENT_HUGEPAGE("transparent_hugepage", null),
    /** The machine's reclaim policy, by its registered name. */
    POLICY("policy", null),
    /** data (frames hold bytes) or metadata. */
    MODE("mode", null),
    /** A cgroup's memory.max. */
    CGROUP_MAX("memory.max", "MiB"),
    /** A cgroup's memory.high. */
    CGROUP_HIGH("memory.high", "MiB"),
    /** A cgroup's memory.low. */
    CGROUP_LOW("memory.low", "MiB"),
    /** A cgroup's memory.min. */
    CGROUP_MIN("memory.min", "MiB"),
    /** A cgroup's memory.swap.max. */
    CGROUP_SWAP_MAX("memory.swap.max", "MiB");

    private final String key;
    /** The unit of the chart axis: "MiB" for sizes, "" for plain numbers, null for named values. */
    private final String unit;

    Setting(String key, String unit) {
        this.key = key;
        this.unit = unit;
    }

    /** The name in a spec: "memory", "swappiness", or a cgroup file name such as "memory.max". */
    public String key() {
        return key;
    }

    /** Whether this is a file of a cgroup. */
    public boolean cgroupFile() {
        return key.startsWith("memory.");
    }

    /** The settings a spec names directly, without a cgroup path. */
    static List<Setting> machineSettings() {
        return List.of(MEMORY, SWAP, SWAPPINESS, CPUS, WORKINGSET, TRANSPARENT_HUGEPAGE, POLICY, MODE);
    }

    /** The setting a spec key names, or null: a machine setting's name, or a cgroup file name. */
    static Setting byKey(String key) {
        for (Setting s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        return null;
    }

    /** What the values look like, for error messages. */
    String expected() {
        return switch (this) {
            case MEMORY -> "a size from " + MemSize.format(PhysConfig.MIN_MEMORY) + ", a multiple of 4K (64M, 1G)";
            case SWAP -> "a size of at least 8K, or 0 for none";
            case SWAPPINESS -> "a whole number 0..200";
            case CPUS -> "a whole number 1..4096";
            case WORKINGSET -> "on or off";
            case TRANSPARENT_HUGEPAGE -> ThpSettings.EXPECTED;
            case POLICY -> "a reclaim policy, one of " + String.join(", ", ReclaimPolicies.names());
            case MODE -> "data or metadata";
            default -> "a size (64M) or max";
        };
    }

    /**
     * The canonical text of {@code raw}; throws {@link IllegalArgumentException} whose message says
     * what a value of this setting looks like.
     */
    String canonical(String raw) {
        String v = raw.trim();
        return switch (this) {
            case MEMORY -> {
                long b = size(v);
                try {
                    PhysConfig.of(b, false);
                } catch (IllegalArgumentException e) {
                    throw bad(v);
                }
                yield MemSize.format(b);
            }
            case SWAP -> {
                long b = size(v);
                if (b != 0 && b < 2 * MemSize.PAGE_SIZE) {
                    throw bad(v);
                }
                yield MemSize.format(b);
            }
            case SWAPPINESS -> Long.toString(whole(v, 0, 200));
            case CPUS -> Long.toString(whole(v, 1, 4096));
            case WORKINGSET -> switch (v) {
                case "on", "true" -> "on";
                case "off", "false" -> "off";
                default -> throw bad(v);
            };
            case TRANSPARENT_HUGEPAGE -> {
                try {
                    yield ThpSettings.parse(v).canonical();
                } catch (IllegalArgumentException e) {
                    if (v.isEmpty() || v.matches("[^\\s,=]+")) {
                        throw bad(v);
                    }
                    throw new IllegalArgumentException("bad " + key + " '" + v + "': " + e.getMessage());
                }
            }
            case POLICY -> {
                if (!ReclaimPolicies.names().contains(v)) {
                    throw bad(v);
                }
                yield v;
            }
            case MODE -> switch (v) {
                case "data", "metadata" -> v;
                default -> throw bad(v);
            };
            default -> v.equals("max") ? "max" : MemSize.format(size(v));
        };
    }

    /** The x-axis number of canonical value {@code v}, in this setting's chart unit, or NaN when it is a name. */
    double number(String v) {
        if (unit == null || v.equals("max")) {
            return Double.NaN;
        }
        return unit.equals("MiB") ? MemSize.parse(v) / (double) (1 << 20) : Long.parseLong(v);
    }

    /** The unit of the chart axis ("MiB", "" for counts, null for named values). */
    String unit() {
        return unit;
    }

    /** Pages of cgroup limit {@code v} ("max": unlimited), rounded up as a cgroup file rounds a byte count. */
    static long cgroupPages(String v) {
        return v.equals("max") ? MemoryCgroups.UNLIMITED : (MemSize.parse(v) + MemSize.PAGE_SIZE - 1) / MemSize.PAGE_SIZE;
    }

    private long size(String v) {
        try {
            return MemSize.parse(v);
        } catch (IllegalArgumentException e) {
            throw bad(v);
        }
    }

    private long whole(String v, long min, long max) {
        try {
            long x = Long.parseLong(v);
            if (x >= min && x <= max) {
                return x;
            }
        } catch (NumberFormatException e) {
            // the message below says what was expected
        }
        throw bad(v);
    }

    private IllegalArgumentException bad(String v) {
        return new IllegalArgumentException("bad " + key + " '" + v + "': expected " + expected());
    }
}
