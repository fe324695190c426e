package org.pagelab.trace;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Opens traces named by a spec {@code FORMAT[,KEY=VALUE...]:PATH}, and converts any trace to
 * pagelab's binary format.
 *
 * <p>Examples: {@code lackey:ls.trace.gz}, {@code lackey,instructions=true:ls.trace},
 * {@code cachesim-csv,obj-id-col=5,obj-size-col=4,time-col=2:cloudPhysicsIO.csv},
 * {@code oracle:w01.oracleGeneral.zst}. The file may be plain, gzip, zstd or xz, told apart by its
 * first bytes.
 */
public final class TraceSource {

    private TraceSource() {
    }

    /**
     * Opens the trace {@code spec} names.
     *
     * @throws TraceException naming the spec when the format is unknown, an option is unknown or
     *                        bad, or the file is missing or unreadable; the first bytes of a
     *                        pagelab trace are checked here too
     */
    public static TraceReader open(String spec) {
        Parsed p = parse(spec);
        TraceInput input = TraceInput.open(Path.of(p.file()), spec);
        try {
            return p.opener().open(input, p.file());
        } catch (RuntimeException e) {
            input.close();
            throw e;
        }
    }

    /**
     * Checks {@code spec} before a run, as {@link #open} would, without taking anything from a
     * file that can be read only once ({@link #readOnce}): of a pipe only the format, the options
     * and that it exists are checked, so the run still gets every byte.
     *
     * @throws TraceException as {@link #open} does
     */
    public static void check(String spec) {
        Parsed p = parse(spec);
        if (!readOnce(spec)) {
            open(spec).close();
        } else if (!Files.exists(Path.of(p.file()))) {
            throw TraceException.of(spec, "no such file");
        }
    }

    /**
     * Whether the file {@code spec} names exists and is not a regular file (a pipe, standard input,
     * a device): it can be read only once, so a command that needs two passes over it must refuse
     * it rather than find it empty the second time.
     */
    public static boolean readOnce(String spec) {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            return false;
        }
        Path path = Path.of(spec.substring(colon + 1));
        return Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path);
    }

    /** How to read a spec's file, and which file. */
    private record Parsed(TraceFormat.Opener opener, String file) {
    }

    private static Parsed parse(String spec) {
        int colon = spec.indexOf(':');
        if (colon <= 0 || colon == spec.length() - 1) {
            throw TraceException.of(spec, "not a trace spec: expected FORMAT:PATH, FORMAT one of "
                    + formatNames());
        }
        String[] head = spec.substring(0, colon).split(",", -1);
        TraceFormat format = TraceFormat.byLabel(head[0]);
        if (format == null) {
            throw TraceException.of(spec, "unknown trace format '" + head[0] + "' (one of "
                    + formatNames() + ")");
        }
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 1; i < head.length; i++) {
            int eq = head[i].indexOf('=');
            String key = eq < 0 ? head[i] : head[i].substring(0, eq);
            if (!format.options().contains(key)) {
                throw TraceException.of(spec, "unknown option '" + head[i] + "' for format "
                        + format.label() + (format.options().isEmpty() ? " (it takes none)"
                        : " (one of " + String.join(", ", format.options().stream().sorted().toList())
                        + ")"));
            }
            opts.put(key, eq < 0 ? "true" : head[i].substring(eq + 1));
        }
        return new Parsed(format.opener(opts, spec), spec.substring(colon + 1));
    }

    /**
     * Copies every remaining access of {@code source} to {@code out} in pagelab's binary format,
     * then closes {@code out}; returns how many accesses were copied.
     */
    public static long convert(TraceReader source, OutputStream out) {
        PagelabWriter w = new PagelabWriter(out);
        try {
            while (source.next()) {
                w.write(source.kind(), source.key(), source.write(), source.pid());
            }
        } catch (RuntimeException e) {
            try {
                out.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        w.close();
        return w.count();
    }

    /**
     * Converts the trace {@code spec} names into the pagelab file {@code out}; on a bad trace the
     * partial output is deleted (it has no end record, so it could not be read anyway).
     */
    public static long convert(String spec, Path out) {
        try (TraceReader r = open(spec)) {
            return convert(r, Files.newOutputStream(out));
        } catch (TraceException e) {
            try {
                Files.deleteIfExists(out);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String formatNames() {
        return Arrays.stream(TraceFormat.values()).map(TraceFormat::label)
                .collect(Collectors.joining(", "));
    }
}
