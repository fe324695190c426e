package org.pagelab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The native reference programs of {@code pagelab bench}: small C programs, shipped as resources
 * of this jar ({@code org/pagelab/cli/native/*.c}), that time the same events in the host's
 * kernel. {@link #build} compiles them with {@code gcc -O2} into a directory of the bench's
 * working directory; {@link #run} runs one and parses its line
 * {@code native NAME events=N minflt=F wall_ns=W cpu_ns=C}.
 *
 * <p>A missing or failing {@code gcc} is not an error of the bench: {@link #build} then returns
 * an instance whose {@link #unavailable()} says why, and the bench prints no native column.
 */
final class NativeBench {
    /** The programs, by the name each prints; the last two take a file to create. */
    static final List<String> PROGRAMS = List.of("anon_fault", "cow_fault", "file_fault", "pread");
    private static final String RESOURCES = "/org/pagelab/cli/native/";
    private static final Pattern LINE = Pattern.compile(
            "^native (\\w+) events=(\\d+) minflt=(-?\\d+) wall_ns=(\\d+) cpu_ns=(\\d+)$", Pattern.MULTILINE);
    private static final long TIMEOUT_S = 600;

    /** One run of a native program: events, minor faults, wall and CPU nanoseconds of its loop. */
    record Result(long events, long minflt, long wallNs, long cpuNs) {
    }

    private final Path dir;
    private final String unavailable;

    private NativeBench(Path dir, String unavailable) {
        this.dir = dir;
        this.unavailable = unavailable;
    }

    /** Why the native column is missing ("gcc not found", ...), or null when the programs are built. */
    String unavailable() {
        return unavailable;
    }

    /**
     * Writes the C sources into {@code dir} (created) and compiles each with {@code gcc -O2}; when gcc
     * is missing or a compilation fails, the result is {@link #unavailable()}.
     */
    static NativeBench build(Path dir) throws IOException {
        return build(dir, "gcc");
    }

    /** {@link #build(Path)} with the C compiler {@code cc} (a command on the PATH taking gcc's options). */
    static NativeBench build(Path dir, String cc) throws IOException {
        Files.createDirectories(dir);
        for (String name : List.of("nbench.h", "anon_fault.c", "cow_fault.c", "file_fault.c", "pread.c")) {
            try (InputStream in = NativeBench.class.getResourceAsStream(RESOURCES + name)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + RESOURCES + name + " is missing from the jar");
                }
                Files.write(dir.resolve(name), in.readAllBytes());
            }
        }
        for (String prog : PROGRAMS) {
            String failed;
            try {
                failed = exec(dir, List.of(cc, "-O2", "-o", prog, prog + ".c"), "cc");
            } catch (IOException e) {
                return new NativeBench(dir, cc + " not found (" + e.getMessage() + ")");
            }
            if (failed != null) {
                return new NativeBench(dir, cc + " failed on " + prog + ".c: " + failed);
            }
        }
        return new NativeBench(dir, null);
    }

    /** Runs {@code program} over {@code pages} pages and returns what it measured. Requires: available. */
    Result run(String program, int pages) throws IOException {
        if (unavailable != null) {
            throw new IllegalStateException("native programs are unavailable: " + unavailable);
        }
        List<String> cmd = program.equals("file_fault") || program.equals("pread")
                ? List.of(dir.resolve(program).toString(), Integer.toString(pages), dir.resolve(program + ".data").toString())
                : List.of(dir.resolve(program).toString(), Integer.toString(pages));
        Path out = dir.resolve(program + ".out");
        String failed = exec(dir, cmd, program, out);
        if (failed != null) {
            throw new IOException("native program " + program + " failed: " + failed);
        }
        return parse(program, Files.readString(out, StandardCharsets.UTF_8));
    }

    /** The result in {@code output} of {@code program}; throws {@link IOException} when its line is missing. */
    static Result parse(String program, String output) throws IOException {
        Matcher m = LINE.matcher(output);
        while (m.find()) {
            if (m.group(1).equals(program)) {
                return new Result(Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4)),
                        Long.parseLong(m.group(5)));
            }
        }
        throw new IOException("native program " + program + " printed no result line: " + output.strip());
    }

    private static String exec(Path dir, List<String> cmd, String what) throws IOException {
        return exec(dir, cmd, what, dir.resolve(what + ".log"));
    }

    /** Runs {@code cmd} in {@code dir} with stdout to {@code out}; returns null on status 0, else a description. */
    private static String exec(Path dir, List<String> cmd, String what, Path out) throws IOException {
        Path err = dir.resolve(what + ".err");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "no exit after " + TIMEOUT_S + " s";
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + what, e);
        }
        if (p.exitValue() == 0) {
            return null;
        }
        return "exit status " + p.exitValue() + ": " + Files.readString(err, StandardCharsets.UTF_8).strip();
    }
}
