package org.pagelab.sweep;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import org.pagelab.scenario.ScenarioException;
import org.pagelab.scenario.YamlNodes;

/**
 * A sweep: one workload run at many points of a space of machine settings. Read from a YAML spec
 * file (docs/sweeps.md) by {@link #load}, which checks everything before any point runs: the base
 * scenario or traces, every axis value, the declared points, the report's axes and metrics.
 *
 * @param source      the spec file, for messages
 * @param name        the sweep's title
 * @param seed        the sweep's seed, from which each point's seed derives ({@link Point})
 * @param workload    what each point runs
 * @param axes        the parameters, in spec order
 * @param points      the points to run, in order: the cross product of the axes (the first axis
 *                    varying slowest), or the spec's list
 * @param seedAxes    the axes whose values enter a point's seed
 * @param reportX     the axes the report charts against
 * @param reportMetrics the report's metrics, each a metric name or a sum of them ("pswpin+pswpout")
 * @param fingerprint a digest of what makes results comparable: workload, seed, axis names, seed axes
 */
public record SweepSpec(String source, String name, long seed, Workload workload, List<Axis> axes, List<Point> points,
                        List<String> seedAxes, List<String> reportX, List<String> reportMetrics, String fingerprint)
        implements Serializable {
    /** The most points a sweep may have. */
    public static final int MAX_POINTS = 1_000_000;

    public SweepSpec {
        axes = List.copyOf(axes);
        points = List.copyOf(points);
        seedAxes = List.copyOf(seedAxes);
        reportX = List.copyOf(reportX);
        reportMetrics = List.copyOf(reportMetrics);
    }

    /** Reads and checks the spec file {@code path}; relative paths in it resolve against its directory. */
    public static SweepSpec load(Path path) {
        String text;
        try {
            text = YamlNodes.read(path, "sweep spec", "a sweep spec");
        } catch (ScenarioException e) {
            throw new SweepException(e.getMessage());
        }
        Path dir = path.toAbsolutePath().getParent();
        return new SpecParser(path.toString(), dir).parse(text);
    }

    /** Parses spec {@code text}, whose errors name {@code source} and whose relative paths resolve against {@code dir}. */
    public static SweepSpec parse(String source, String text, Path dir) {
        return new SpecParser(source, dir).parse(text);
    }

    /** The index of the axis called {@code name}, or -1. */
    public int axisIndex(String name) {
        for (int i = 0; i < axes.size(); i++) {
            if (axes.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The key of point {@code p}: {@code name=value} of every axis. */
    public String key(Point p) {
        return p.key(axes);
    }

    /** This sweep with another workload (the same traces at other paths, on another host). */
    public SweepSpec withWorkload(Workload w) {
        return new SweepSpec(source, name, seed, w, axes, points, seedAxes, reportX, reportMetrics, fingerprint);
    }
}
