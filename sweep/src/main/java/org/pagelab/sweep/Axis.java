package org.pagelab.sweep;

import java.io.Serializable;
import java.util.List;

/**
 * One parameter of a sweep: a setting, and the canonical values it takes in the spec's order.
 * A cgroup setting also names its cgroup ({@code cgroup}, null for machine settings); the axis is
 * then called {@code /PATH/memory.max}, as the file is under /sys/fs/cgroup.
 *
 * @param name    the axis's name in the spec and the results' column
 * @param setting what it sets
 * @param cgroup  the cgroup path of a cgroup file, else null
 * @param values  canonical values, distinct, at least one
 * @param line    the spec line that declares it, for messages
 */
public record Axis(String name, Setting setting, String cgroup, List<String> values, int line) implements Serializable {
    public Axis {
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("axis " + name + " has no values");
        }
    }

    /** Whether every value has a number to chart (sizes and counts, "max" excepted). */
    public boolean numeric() {
        return values.stream().noneMatch(v -> Double.isNaN(setting.number(v)));
    }

    /** The x-axis position of {@code value}: its number on a numeric axis, else its index among the values. */
    public double x(String value) {
        return numeric() ? setting.number(value) : values.indexOf(value);
    }

    /** The label of the chart axis: the name, with the unit when there is one. */
    public String label() {
        String unit = setting.unit();
        return numeric() && unit != null && !unit.isEmpty() ? name + " (" + unit + ")" : name;
    }
}
