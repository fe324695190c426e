package org.pagelab.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of a validation workload in a real kernel, read from what the workload printed (see
 * the comment at the top of {@code validate/pl.h}): its boot figures, its marks with every counter,
 * how its children ended, and whether it finished.
 *
 * <p>Counters are named {@code FILE/KEY}: {@code vmstat/pgfault}, {@code meminfo/MemFree} (kB),
 * {@code memory.stat/anon}, {@code memory.events/max} (the workload's cgroup). The same reader takes
 * the console output of a live run and the compact form {@link #compact} writes for the
 * repository: there the first mark lists every counter and each later one only the counters that
 * changed since the mark before; every other counter carries over.
 *
 * @param marks    the marks in the order printed
 * @param boot     the boot's figures: {@code sysctl/NAME} and {@code zoneinfo/ZONE/KEY}
 * @param statuses how each waited-for child ended, "signal 9" or "exit 0", in order
 * @param errors   the messages of "@error" lines
 * @param done     whether the workload printed "@done"
 */
record KernelRun(List<Mark> marks, Map<String, Long> boot, List<String> statuses, List<String> errors, boolean done) {

    /** A snapshot: its name, CLOCK_MONOTONIC in nanoseconds, and every counter. */
    record Mark(String name, long timeNs, Map<String, Long> counters) {
    }

    /** Malformed kernel output: the message names the source and line. */
    static final class FormatException extends Exception {
        FormatException(String source, int line, String message) {
            super(source + ":" + line + ": " + message);
        }
    }

    /** Files whose lines a mark holds, as the workload prefixes them. */
    static final List<String> FILES = List.of("vmstat", "meminfo", "memory.stat", "memory.events");

    private static final Pattern COUNTER = Pattern.compile("(vmstat|meminfo|memory\\.stat|memory\\.events) (\\S+) (\\d+)");
    private static final Pattern BOOT = Pattern.compile("(sysctl (\\S+)|zoneinfo (\\S+) (\\S+)) (\\d+)");
    private static final Pattern MARK = Pattern.compile("@mark ([A-Za-z0-9_.:-]+) (\\d+)");

    /**
     * The runs in {@code text}: runs start at "@run N" lines (a text without them is one run).
     * Throws naming {@code source} and the line when a mark is malformed or left open.
     */
    static List<KernelRun> parseAll(String source, String text) throws FormatException {
        List<KernelRun> runs = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        int start = 0;
        for (int i = 0; i <= lines.length; i++) {
            if (i == lines.length || (lines[i].startsWith("@run ") && i > start)) {
                if (i > start || runs.isEmpty()) {
                    runs.add(parse(source, lines, start, i));
                }
                start = i;
            }
        }
        return runs;
    }

    /** The run in lines {@code [from, to)} of {@code lines} (1-based line numbers in errors). */
    private static KernelRun parse(String source, String[] lines, int from, int to) throws FormatException {
        List<Mark> marks = new ArrayList<>();
        Map<String, Long> boot = new LinkedHashMap<>();
        List<String> statuses = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        boolean done = false;
        Map<String, Long> current = null;
        Map<String, Long> carried = new LinkedHashMap<>();
        String open = null;
        long openNs = 0;
        boolean inBoot = false;
        for (int i = from; i < to; i++) {
            String line = lines[i].strip();
            int no = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            if (inBoot) {
                Matcher b = BOOT.matcher(line);
                if (line.equals("@end boot")) {
                    inBoot = false;
                } else if (b.matches()) {
                    boot.put(b.group(2) != null ? "sysctl/" + b.group(2) : "zoneinfo/" + b.group(3) + "/" + b.group(4),
                            Long.parseLong(b.group(5)));
                } else {
                    throw new FormatException(source, no, "malformed boot line '" + line + "'");
                }
            } else if (open != null) {
                Matcher c = COUNTER.matcher(line);
                if (line.equals("@end " + open)) {
                    carried.putAll(current);
                    marks.add(new Mark(open, openNs, Collections.unmodifiableMap(new LinkedHashMap<>(carried))));
                    open = null;
                } else if (c.matches()) {
                    current.put(c.group(1) + "/" + c.group(2), Long.parseLong(c.group(3)));
                } else {
                    throw new FormatException(source, no, "malformed line '" + line + "' in mark " + open);
                }
            } else if (line.equals("@boot")) {
                inBoot = true;
            } else if (line.startsWith("@mark")) {
                Matcher m = MARK.matcher(line);
                if (!m.matches()) {
                    throw new FormatException(source, no, "malformed mark line '" + line + "'");
                }
                open = m.group(1);
                openNs = Long.parseLong(m.group(2));
                current = new LinkedHashMap<>();
            } else if (line.startsWith("@status ")) {
                statuses.add(line.substring(8));
            } else if (line.startsWith("@error ")) {
                errors.add(line.substring(7));
            } else if (line.equals("@done")) {
                done = true;
            }
        }
        if (open != null || inBoot) {
            throw new FormatException(source, to, (open != null ? "mark " + open : "boot figures") + " not ended");
        }
        return new KernelRun(List.copyOf(marks), Collections.unmodifiableMap(boot), List.copyOf(statuses),
                List.copyOf(errors), done);
    }

    /** The names of the marks, in order. */
    List<String> markNames() {
        return marks.stream().map(Mark::name).toList();
    }

    /**
     * {@code runs} in the compact form of the repository: "@run N" before each, the boot figures,
     * the first mark whole and each later mark with only the counters that changed. {@link #parseAll}
     * reads it back into the same runs.
     */
    static String compact(List<KernelRun> runs) {
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < runs.size(); r++) {
            KernelRun run = runs.get(r);
            sb.append("@run ").append(r + 1).append('\n');
            sb.append("@boot\n");
            run.boot.forEach((k, v) -> {
                String[] p = k.split("/");
                sb.append(p[0]).append(' ').append(String.join(" ", java.util.Arrays.copyOfRange(p, 1, p.length)))
                        .append(' ').append(v).append('\n');
            });
            sb.append("@end boot\n");
            Map<String, Long> before = null;
            for (Mark m : run.marks) {
                sb.append("@mark ").append(m.name()).append(' ').append(m.timeNs()).append('\n');
                for (Map.Entry<String, Long> e : m.counters().entrySet()) {
                    if (before == null || !e.getValue().equals(before.get(e.getKey()))) {
                        int slash = e.getKey().indexOf('/');
                        sb.append(e.getKey(), 0, slash).append(' ').append(e.getKey().substring(slash + 1)).append(' ')
                                .append(e.getValue()).append('\n');
                    }
                }
                sb.append("@end ").append(m.name()).append('\n');
                before = m.counters();
            }
            for (String s : run.statuses) {
                sb.append("@status ").append(s).append('\n');
            }
            for (String e : run.errors) {
                sb.append("@error ").append(e).append('\n');
            }
            if (run.done) {
                sb.append("@done\n");
            }
        }
        return sb.toString();
    }
}
