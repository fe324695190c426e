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
        TraceFormat.Opener opener = format.opener(opts, spec);
        String file = spec.substring(colon + 1);
        TraceInput input = TraceInput.open(Path.of(file), spec);
        try {
            return opener.open(input, file);
        } catch (RuntimeException e) {
            input.close();
            throw e;
        }
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
