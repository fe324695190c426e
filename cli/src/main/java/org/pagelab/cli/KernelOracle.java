package org.pagelab.cli;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real kernel of {@code pagelab validate --live}: Debian's user-mode Linux (Linux 6.1 as an
 * ordinary process), booted once per run of a workload.
 *
 * <p>Each run builds, inside the working directory: a root file system (an ext4 image made by
 * {@code mke2fs -d} from a directory holding the static busybox, the workload compiled with
 * {@code gcc -static}, and an init script that mounts proc, sysfs and cgroup2, turns swap on,
 * runs the workload and powers off), a swap image ({@code mkswap} on a sparse file) for the second
 * block device, and boots {@code linux.uml} under {@code setarch -R} (no address randomization:
 * with it the usable memory differs from boot to boot) with the console on its standard output.
 * Nothing is downloaded and nothing is written outside the working directory.
 */
final class KernelOracle {
    /** The guest's memory (the kernel's mem=). */
    static final String GUEST_MEMORY = "64M";
    /** The guest's swap device: a sparse file of this many MiB. */
    static final int SWAP_MIB = 256;
    /** The guest's root file system: an ext4 image of this many MiB. */
    static final int ROOT_MIB = 256;
    private static final long RUN_TIMEOUT_S = 900;

    /** A tool the live run needs and the Debian package that has it. */
    record Tool(String command, String pkg) {
    }

    static final List<Tool> TOOLS = List.of(new Tool("linux.uml", "user-mode-linux"), new Tool("busybox", "busybox-static"),
            new Tool("gcc", "gcc"), new Tool("mke2fs", "e2fsprogs"), new Tool("mkswap", "util-linux"),
            new Tool("setarch", "util-linux"));

    /** Why the kernel cannot be run: a tool is missing (the message names the package). */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    private final Path dir;
    private final Map<String, Path> tools;

    private KernelOracle(Path dir, Map<String, Path> tools) {
        this.dir = dir;
        this.tools = tools;
    }

    /**
     * An oracle working in {@code dir} (created), with every tool found on {@code path} (the
     * PATH's directories); {@link Unavailable} names the first missing one and its package, or a
     * busybox that is not static.
     */
    static KernelOracle open(Path dir, List<Path> path) throws Unavailable, IOException {
        Map<String, Path> found = new java.util.LinkedHashMap<>();
        for (Tool t : TOOLS) {
            Path p = path.stream().map(d -> d.resolve(t.command())).filter(Files::isExecutable).findFirst().orElse(null);
            if (p == null) {
                throw new Unavailable(t.command() + " not found: install it with 'apt-get install " + t.pkg() + "'");
            }
            found.put(t.command(), p);
        }
        if (hasInterpreter(found.get("busybox"))) {
            throw new Unavailable(found.get("busybox") + " is dynamically linked and cannot run in the guest:"
                    + " install the static one with 'apt-get install busybox-static'");
        }
        Files.createDirectories(dir);
        return new KernelOracle(dir, found);
    }

    /** The directories of the PATH environment variable. */
    static List<Path> systemPath() {
        String p = System.getenv("PATH");
        List<Path> out = new ArrayList<>();
        for (String d : (p == null ? "/usr/bin:/bin:/usr/sbin:/sbin" : p + ":/usr/sbin:/sbin").split(":")) {
            if (!d.isEmpty()) {
                out.add(Path.of(d));
            }
        }
        return out;
    }

    /** Whether ELF file {@code f} names a program interpreter (PT_INTERP): it is dynamically linked. */
    static boolean hasInterpreter(Path f) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
            byte[] head = new byte[64];
            raf.readFully(head);
            if (head[0] != 0x7f || head[1] != 'E' || head[2] != 'L' || head[3] != 'F' || head[4] != 2) {
                throw new IOException(f + " is not a 64-bit ELF file");
            }
            ByteBuffer b = ByteBuffer.wrap(head).order(head[5] == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            long phoff = b.getLong(0x20);
            int phentsize = Short.toUnsignedInt(b.getShort(0x36));
            int phnum = Short.toUnsignedInt(b.getShort(0x38));
            byte[] ph = new byte[4];
            for (int i = 0; i < phnum; i++) {
                raf.seek(phoff + (long) i * phentsize);
                raf.readFully(ph);
                int type = ByteBuffer.wrap(ph).order(b.order()).getInt();
                if (type == 3) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Compiles workload {@code name} with {@code gcc -static}; returns the program. */
    Path compile(String name) throws IOException {
        Path src = dir.resolve("src");
        Files.createDirectories(src);
        Files.writeString(src.resolve(ValidationSuite.HEADER), ValidationSuite.resource(ValidationSuite.HEADER));
        Files.writeString(src.resolve(name + ".c"), ValidationSuite.resource(name + ".c"));
        Path out = src.resolve(name);
        exec(List.of(tools.get("gcc").toString(), "-static", "-O2", "-Wall", "-o", out.toString(), name + ".c"), src,
                src.resolve(name + ".cc.log"), 300);
        return out;
    }

    /** The guest's init: mounts, swap on, the workload, power off. */
    static final String INIT = """
            #!/bin/busybox sh
            /bin/busybox mount -t proc proc /proc
            /bin/busybox mount -t sysfs sys /sys
            /bin/busybox mount -t cgroup2 none /sys/fs/cgroup
            /bin/busybox swapon /dev/ubdb
            /bin/workload
            echo "@exit $?"
            /bin/busybox sync
            /bin/busybox poweroff -f
            """;

    /**
     * Boots the kernel once with {@code program} as the workload and returns what its console
     * printed. The images are removed afterwards.
     */
    String boot(Path program, int run) throws IOException {
        Path rd = dir.resolve("run" + run);
        org.pagelab.machine.Machine.deleteTree(rd);
        Path root = rd.resolve("root");
        for (String d : List.of("bin", "proc", "sys", "dev", "tmp", "data")) {
            Files.createDirectories(root.resolve(d));
        }
        Files.copy(tools.get("busybox"), root.resolve("bin/busybox"));
        Files.copy(program, root.resolve("bin/workload"));
        Path init = root.resolve("init");
        Files.writeString(init, INIT);
        init.toFile().setExecutable(true);
        root.resolve("bin/busybox").toFile().setExecutable(true);
        root.resolve("bin/workload").toFile().setExecutable(true);
        Path rootImg = rd.resolve("root.img");
        Path swapImg = rd.resolve("swap.img");
        exec(List.of(tools.get("mke2fs").toString(), "-q", "-t", "ext4", "-d", root.toString(), rootImg.toString(),
                ROOT_MIB + "M"), rd, rd.resolve("mke2fs.log"), 120);
        try (RandomAccessFile f = new RandomAccessFile(swapImg.toFile(), "rw")) {
            f.setLength((long) SWAP_MIB << 20);
        }
        exec(List.of(tools.get("mkswap").toString(), swapImg.toString()), rd, rd.resolve("mkswap.log"), 120);
        Path umlDir = Files.createDirectories(rd.resolve("uml"));
        Path console = rd.resolve("console.txt");
        ProcessBuilder pb = new ProcessBuilder(tools.get("setarch").toString(), "-R", tools.get("linux.uml").toString(),
                "mem=" + GUEST_MEMORY, "ubd0=" + rootImg, "ubd1=" + swapImg, "root=/dev/ubda", "rw", "init=/init",
                "loglevel=1", "con=null", "con0=null,fd:1", "uml_dir=" + umlDir)
                .directory(rd.toFile()).redirectOutput(console.toFile()).redirectError(rd.resolve("uml.err").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("TMPDIR", umlDir.toString());
        wait(pb.start(), "linux.uml", RUN_TIMEOUT_S);
        String out = Files.readString(console, StandardCharsets.ISO_8859_1);
        Files.deleteIfExists(rootImg);
        Files.deleteIfExists(swapImg);
        return out;
    }

    /** Runs {@code cmd} in {@code cwd}, output to {@code log}; throws naming it when it fails. */
    private static void exec(List<String> cmd, Path cwd, Path log, long timeoutS) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        int status = wait(p, cmd.getFirst(), timeoutS);
        if (status != 0) {
            throw new IOException(String.join(" ", cmd) + " failed with status " + status + ": "
                    + Files.readString(log, StandardCharsets.ISO_8859_1).strip());
        }
    }

    private static int wait(Process p, String what, long timeoutS) throws IOException {
        try {
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(what + " did not finish in " + timeoutS + " s");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + what, e);
        }
    }
}
