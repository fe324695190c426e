package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed scenarios, each a distinct input: {@code pagelab run} refuses every one with exit
 * status 2 and one line {@code FILE:LINE: message}, naming the offending value, within
 * {@link BadInput#LIMIT}.
 */
class ScenarioBadInputTest {
    @TempDir
    Path tmp;

    /** A scenario file's bytes, the line its error must name, and a fragment of the message. */
    record Case(String name, byte[] bytes, int line, String fragment) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String STEP_HEAD = """
            machine: { memory: 64M }
            files:
              - { name: f, size: 8K }
            cgroups:
              - { path: /g }
            processes:
              - name: p
                steps:
                  - mmap: { name: b, size: 64K, prot: rw }
            """;

    private static Case yaml(String name, int line, String fragment, String text) {
        return new Case(name, text.getBytes(StandardCharsets.UTF_8), line, fragment);
    }

    private static Case machine(String name, String fragment, String keys) {
        return yaml(name, 1, fragment, "machine: { " + keys + " }\nprocesses: []\n");
    }

    private static Case file(String name, String fragment, String entry) {
        return yaml(name, 2, fragment, "files:\n  - " + entry + "\nprocesses: []\n");
    }

    /** A step on line 10, after a mapped 64K region b, a file f and a cgroup /g, on a data machine. */
    private static Case step(String name, String fragment, String step) {
        return yaml(name, 10, fragment, STEP_HEAD + "      - " + step + "\n");
    }

    /** The same on a metadata machine. */
    private static Case metaStep(String name, String fragment, String step) {
        return yaml(name, 10, fragment, STEP_HEAD.replace("memory: 64M", "memory: 64M, mode: metadata") + "      - " + step + "\n");
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // ---- the file and its YAML ----
        c.add(yaml("empty file", 1, "empty scenario", ""));
        c.add(yaml("only a comment", 1, "empty scenario", "# nothing here\n"));
        c.add(yaml("top level is a list", 1, "scenario must be a mapping", "- processes\n"));
        c.add(yaml("top level is a scalar", 1, "scenario must be a mapping", "hello\n"));
        c.add(yaml("unknown top-level key", 2, "unknown key 'proceses'", "machine: {}\nproceses: []\n"));
        c.add(yaml("no processes", 1, "is missing 'processes'", "machine: { memory: 64M }\n"));
        c.add(yaml("processes is a mapping", 1, "processes must be a list", "processes: { a: 1 }\n"));
        c.add(yaml("duplicate top-level key", 2, "duplicate key 'processes'", "processes: []\nprocesses: []\n"));
        c.add(yaml("unclosed flow list", 2, "invalid YAML", "processes: [\n"));
        c.add(yaml("unclosed quote", 2, "invalid YAML", "processes: \"abc\n"));
        c.add(yaml("tab indentation", 3, "invalid YAML", "processes:\n  - name: a\n\t steps: []\n"));
        c.add(yaml("two documents", 2, "invalid YAML", "processes: []\n---\nprocesses: []\n"));
        c.add(yaml("undefined alias", 1, "invalid YAML", "processes: *nothing\n"));
        c.add(yaml("a 70000-character comment line", 2, "line of 70000 characters is too long, at most 65536",
                "processes: []\n#" + "x".repeat(69_999) + "\n"));
        c.add(yaml("nesting 60 deep", 1, "nested too deeply: more than 50",
                "processes: " + "[".repeat(60) + "]".repeat(60) + "\n"));
        c.add(yaml("51 aliases", 3, "too many YAML aliases", "x: &a [1]\nprocesses:\n  - [" + "*a, ".repeat(50) + "*a]\n"));
        c.add(yaml("recursive alias", 1, "recursive structure", "processes: &a [ *a ]\n"));
        c.add(new Case("byte 0xff on line 3", "processes:\n  - name: a\n  \u00ff\n".getBytes(StandardCharsets.ISO_8859_1), 3,
                "not UTF-8 text: byte 0xff at offset"));
        c.add(new Case("UTF-16 file", "processes: []\n".getBytes(StandardCharsets.UTF_16), 1, "not UTF-8 text: byte 0xfe"));
        c.add(new Case("cut UTF-8 sequence", new byte[] {'p', ':', ' ', (byte) 0xe6, (byte) 0x97}, 1, "byte 0xe6 at offset 3"));
        c.add(new Case("Latin-1 name", "processes:\n  - name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1), 2,
                "byte 0xe9"));
        // ---- machine ----
        c.add(yaml("machine is a list", 1, "machine must be a mapping", "machine: [ 1 ]\nprocesses: []\n"));
        c.add(machine("unknown machine key", "unknown key 'memroy'", "memroy: 64M"));
        c.add(machine("memory not a size", "bad memory: invalid size '1X'", "memory: 1X"));
        c.add(machine("memory too large", "bad memory '99T': memory size 99T is too large, at most 8T", "memory: 99T"));
        c.add(machine("memory too small", "is too small, at least 16M", "memory: 1M"));
        c.add(machine("memory not whole pages", "not a multiple of 4K", "memory: 16777217"));
        c.add(machine("memory with 20 digits", "too large, at most 9223372036854775807 bytes", "memory: 99999999999999999999G"));
        c.add(machine("memory overflowing T", "too large, at most", "memory: 9999999T"));
        c.add(machine("memory negative", "bad memory: invalid size '-64M'", "memory: -64M"));
        c.add(machine("mode unknown", "bad mode 'fast'", "mode: fast"));
        c.add(machine("seed not a number", "bad seed 'abc'", "seed: abc"));
        c.add(machine("seed beyond 64 bits", "bad seed '99999999999999999999'", "seed: 99999999999999999999"));
        c.add(machine("swap not a size", "bad machine.swap: invalid size 'lots'", "swap: lots"));
        c.add(machine("swap below 8K", "bad machine.swap '4K': a swap area needs at least 8K", "swap: 4K"));
        c.add(machine("swap too large", "bad machine.swap '99T': too large, at most 2147483639 pages", "swap: 99T"));
        c.add(machine("swap area without size", "swap area is missing 'size'", "swap: [ { priority: 1 } ]"));
        c.add(machine("swap area unknown key", "unknown key 'prio'", "swap: [ { size: 1M, prio: 1 } ]"));
        c.add(machine("swap priority too high", "bad priority '40000'", "swap: [ { size: 1M, priority: 40000 } ]"));
        c.add(machine("swap priority negative", "bad priority '-1'", "swap: [ { size: 1M, priority: -1 } ]"));
        c.add(machine("33 swap areas", "bad machine.swap: 33 swap areas, at most 32", "mode: metadata, swap: [" + "{ size: 1M }, ".repeat(32)
                + "{ size: 1M } ]"));
        c.add(machine("swappiness 201", "bad swappiness '201'", "swappiness: 201"));
        c.add(machine("swappiness negative", "bad swappiness '-1'", "swappiness: -1"));
        c.add(machine("workingset maybe", "bad workingset 'maybe'", "workingset: maybe"));
        c.add(machine("cpus zero", "bad cpus '0'", "cpus: 0"));
        c.add(machine("cpus 5000", "bad cpus '5000'", "cpus: 5000"));
        c.add(machine("cpus in words", "bad cpus 'two'", "cpus: two"));
        c.add(machine("fs_device bad latency", "bad fs_device 'latency=abc'", "fs_device: \"latency=abc\""));
        c.add(machine("swap_device unknown key", "bad swap_device 'speed=1G'", "swap_device: \"speed=1G\""));
        c.add(machine("thp sometimes", "sometimes", "transparent_hugepage: sometimes"));
        c.add(machine("tmpfs not a list", "tmpfs must be a list", "tmpfs: scratch"));
        c.add(machine("tmpfs leaving the directory", "bad tmpfs mount point: file name '../x'", "tmpfs: [ \"../x\" ]"));
        c.add(machine("tmpfs absolute", "must be relative", "tmpfs: [ /mnt ]"));
        // ---- files: names that leave the directory or are not names ----
        c.add(yaml("files is a mapping", 1, "files must be a list", "files: { a: 1 }\nprocesses: []\n"));
        c.add(file("file without a name", "file is missing 'name'", "{ size: 4K }"));
        c.add(file("name ../x", "bad file name '../x': it has a '..' component", "{ name: ../x }"));
        c.add(file("name a/../x", "bad file name 'a/../x'", "{ name: a/../x }"));
        c.add(file("name a/../../x", "bad file name 'a/../../x'", "{ name: a/../../x }"));
        c.add(file("name a/b/../../../x", "bad file name 'a/b/../../../x'", "{ name: a/b/../../../x }"));
        c.add(file("name a/b/c/..", "'..' component", "{ name: a/b/c/.. }"));
        c.add(file("name ..", "bad file name '..'", "{ name: .. }"));
        c.add(file("absolute name", "bad file name '/tmp/x': it must be relative", "{ name: /tmp/x }"));
        c.add(file("absolute /etc/passwd", "'/etc/passwd'", "{ name: /etc/passwd }"));
        c.add(file("empty name", "bad file name '': it is empty", "{ name: \"\" }"));
        c.add(file("name .", "bad file name '.'", "{ name: . }"));
        c.add(file("name ./a", "empty or '.' component", "{ name: ./a }"));
        c.add(file("name a//b", "bad file name 'a//b'", "{ name: a//b }"));
        c.add(file("name with trailing slash", "bad file name 'a/'", "{ name: a/ }"));
        c.add(file("name with NUL", "bad file name 'a\\x00b': it contains a NUL byte", "{ name: \"a\\0b\" }"));
        c.add(file("name with newline", "bad file name 'a\\nb': it contains a control character", "{ name: \"a\\nb\" }"));
        c.add(file("name with tab", "'a\\tb'", "{ name: \"a\\tb\" }"));
        c.add(file("name with escape", "'a\\x1b[31mb'", "{ name: \"a\\e[31mb\" }"));
        c.add(file("name with DEL", "'a\\x7fb'", "{ name: \"a\\x7fb\" }"));
        c.add(file("component of 256 bytes", "a component of 256 bytes, at most 255", "{ name: " + "x".repeat(256) + " }"));
        c.add(file("name of 1100 bytes", "is too long: 1100 bytes, at most 1024", "{ name: " + "abcd/".repeat(219) + "xxxxx }"));
        c.add(file("file named dev/shm", "'dev/shm' is a tmpfs mount point", "{ name: dev/shm }"));
        c.add(file("file named dev", "'dev/shm' is a tmpfs mount point", "{ name: dev }"));
        c.add(yaml("file over a tmpfs mount", 3, "'scratch' is a tmpfs mount point",
                "machine: { tmpfs: [ scratch ] }\nfiles:\n  - { name: scratch }\nprocesses: []\n"));
        c.add(yaml("file under a file", 3, "file 'a' is not a directory", "files:\n  - { name: a }\n  - { name: a/b }\nprocesses: []\n"));
        c.add(yaml("file over a directory of a file", 3, "it is the directory of file 'a/b'",
                "files:\n  - { name: a/b }\n  - { name: a }\nprocesses: []\n"));
        c.add(yaml("duplicate file", 3, "duplicate file 'a'", "files:\n  - { name: a }\n  - { name: a }\nprocesses: []\n"));
        c.add(file("file size not a size", "bad size: invalid size 'big'", "{ name: a, size: big }"));
        c.add(file("file size 17T", "bad size '17T': too large, at most 16T", "{ name: a, size: 17T }"));
        c.add(file("memfd name with slash", "bad memfd name 'a/b'", "{ name: a/b, memfd: true }"));
        c.add(file("memfd name of 250 bytes", "at most 249", "{ name: " + "m".repeat(250) + ", memfd: true }"));
        c.add(file("memfd flag not a bool", "bad memfd 'perhaps'", "{ name: a, memfd: perhaps }"));
        c.add(file("unknown file key", "unknown key 'mode'", "{ name: a, mode: rw }"));
        // ---- cgroups and processes ----
        c.add(yaml("cgroup path without slash", 2, "bad cgroup path 'web'", "cgroups:\n  - { path: web }\nprocesses: []\n"));
        c.add(yaml("cgroup parent missing", 2, "its parent '/a' is not declared", "cgroups:\n  - { path: /a/b }\nprocesses: []\n"));
        c.add(yaml("cgroup twice", 3, "duplicate cgroup '/a'", "cgroups:\n  - { path: /a }\n  - { path: /a }\nprocesses: []\n"));
        c.add(yaml("cgroup max not a size", 2, "bad max: invalid size 'lots'", "cgroups:\n  - { path: /a, max: lots }\nprocesses: []\n"));
        c.add(yaml("cgroup oom_group not a bool", 2, "bad oom_group 'sure'", "cgroups:\n  - { path: /a, oom_group: sure }\nprocesses: []\n"));
        c.add(yaml("cgroup unknown key", 2, "unknown key 'limit'", "cgroups:\n  - { path: /a, limit: 1M }\nprocesses: []\n"));
        c.add(yaml("process in unknown cgroup", 2, "unknown cgroup '/nope'", "processes:\n  - { name: p, cgroup: /nope }\n"));
        c.add(yaml("process is a scalar", 2, "process must be a mapping", "processes:\n  - p\n"));
        c.add(yaml("process without name", 2, "process is missing 'name'", "processes:\n  - { steps: [] }\n"));
        c.add(yaml("duplicate process", 3, "duplicate process name 'p'", "processes:\n  - { name: p }\n  - { name: p }\n"));
        c.add(yaml("unknown process key", 2, "unknown key 'stepz'", "processes:\n  - { name: p, stepz: [] }\n"));
        c.add(yaml("oom_score_adj 2000", 2, "bad oom_score_adj '2000'", "processes:\n  - { name: p, oom_score_adj: 2000 }\n"));
        c.add(yaml("oom_score_adj word", 2, "bad oom_score_adj 'low'", "processes:\n  - { name: p, oom_score_adj: low }\n"));
        c.add(yaml("steps is a mapping", 2, "steps must be a list", "processes:\n  - { name: p, steps: { a: 1 } }\n"));
        // ---- steps ----
        c.add(step("step with two keys", "exactly one key", "{ read: { region: b, length: 4K }, write: {} }"));
        c.add(step("unknown step", "unknown step 'jump'", "jump: {}"));
        c.add(step("step body is a list", "read step must be a mapping", "read: [ 1 ]"));
        c.add(step("unknown key in a step", "unknown key 'speed'", "touch: { region: b, speed: 9 }"));
        c.add(step("mmap without size", "mmap step is missing 'size'", "mmap: { name: c, prot: rw }"));
        c.add(step("mmap size zero", "bad size '0': must be positive", "mmap: { name: c, size: 0, prot: rw }"));
        c.add(step("mmap bad prot", "bad prot 'rwz'", "mmap: { name: c, size: 4K, prot: rwz }"));
        c.add(step("mmap without prot", "mmap step is missing 'prot'", "mmap: { name: c, size: 4K }"));
        c.add(step("mmap offset without file", "'offset' needs 'file'", "mmap: { name: c, size: 4K, prot: r, offset: 4K }"));
        c.add(step("mmap of an undeclared file", "unknown file 'g'", "mmap: { name: c, size: 4K, prot: r, file: g }"));
        c.add(step("write to an unknown region", "unknown region 'c' (known: b)", "write: { region: c, length: 4K, fill: 1 }"));
        c.add(step("write without fill", "write step is missing 'fill'", "write: { region: b, length: 4K }"));
        c.add(step("write fill 256", "bad fill '256'", "write: { region: b, length: 4K, fill: 256 }"));
        c.add(step("write fill negative", "bad fill '-1'", "write: { region: b, length: 4K, fill: -1 }"));
        c.add(step("write without length", "write step is missing 'length'", "write: { region: b, fill: 1 }"));
        c.add(step("write offset not a size", "bad offset: invalid size 'x'", "write: { region: b, offset: x, length: 4K, fill: 1 }"));
        c.add(step("write of 3G in data mode", "write of 3221225472 bytes is too large, at most 2147483639",
                "write: { region: b, length: 3G, fill: 1 }"));
        c.add(step("read of 5T pages", "bad length '5T': too large, at most 1073741824 pages", "read: { region: b, length: 5T }"));
        c.add(step("expect without equals", "expect step is missing 'equals'", "expect: { region: b, length: 4K }"));
        c.add(step("expect equals 0x100", "bad equals '0x100'", "expect: { region: b, length: 4K, equals: 0x100 }"));
        c.add(metaStep("expect on a metadata machine", "expect needs data mode", "expect: { region: b, length: 4K, equals: 0 }"));
        c.add(step("touch count 2^63-1", "bad count '9223372036854775807': too large, at most 1073741824 touches",
                "touch: { region: b, count: 9223372036854775807 }"));
        c.add(step("touch count 2^30+1", "bad count '1073741825'", "touch: { region: b, count: 1073741825 }"));
        c.add(step("touch count beyond 64 bits", "bad count '99999999999999999999'", "touch: { region: b, count: 99999999999999999999 }"));
        c.add(step("touch count negative", "bad count '-5'", "touch: { region: b, count: -5 }"));
        c.add(step("touch pattern unknown", "bad pattern 'spiral'", "touch: { region: b, pattern: spiral }"));
        c.add(step("touch alpha without zipf", "needs pattern zipf", "touch: { region: b, alpha: 1.5 }"));
        c.add(step("touch alpha zero", "bad alpha '0'", "touch: { region: b, pattern: zipf, alpha: 0 }"));
        c.add(step("touch alpha NaN", "bad alpha 'NaN'", "touch: { region: b, pattern: zipf, alpha: NaN }"));
        c.add(step("touch alpha word", "bad alpha 'steep'", "touch: { region: b, pattern: zipf, alpha: steep }"));
        c.add(step("touch length of 5T", "bad length '5T'", "touch: { region: b, length: 5T }"));
        c.add(yaml("touch of a 100T region without count", 6, "spans 26843545600 pages, too many for one step",
                "machine: { memory: 64M, mode: metadata }\nprocesses:\n  - name: p\n    steps:\n"
                        + "      - mmap: { name: b, size: 100T, prot: r }\n      - touch: { region: b }\n"));
        c.add(yaml("pin of a 100T region", 6, "too many for one step",
                "machine: { memory: 64M, mode: metadata }\nprocesses:\n  - name: p\n    steps:\n"
                        + "      - mmap: { name: b, size: 100T, prot: r }\n      - pin: { region: b }\n"));
        c.add(step("mprotect without prot", "mprotect step is missing 'prot'", "mprotect: { region: b }"));
        c.add(step("mprotect prot word", "bad prot 'all'", "mprotect: { region: b, prot: all }"));
        c.add(step("madvise unknown advice", "bad advice 'forget'", "madvise: { region: b, advice: forget }"));
        c.add(step("madvise without advice", "madvise step is missing 'advice'", "madvise: { region: b }"));
        c.add(step("munmap unknown region", "unknown region 'zz'", "munmap: { region: zz }"));
        c.add(step("fork without name", "fork step is missing 'name'", "fork: { steps: [] }"));
        c.add(step("fork with taken name", "duplicate process name 'p'", "fork: { name: p }"));
        c.add(step("file_write to an unknown file", "unknown file 'g'", "file_write: { file: g, length: 4K, fill: 1 }"));
        c.add(step("file_write of 3G", "bad length '3G': too large, at most 2147483639 bytes", "file_write: { file: f, length: 3G, fill: 1 }"));
        c.add(step("file_read without length", "file_read step is missing 'length'", "file_read: { file: f }"));
        c.add(step("fsync of an unknown file", "unknown file 'g'", "fsync: { file: g }"));
        c.add(step("sleep bad time", "bad time '5 parsecs'", "sleep: { time: 5 parsecs }"));
        c.add(step("sleep without time", "sleep step is missing 'time'", "sleep: {}"));
        c.add(step("poison of an unknown region", "unknown region 'q'", "poison: { region: q }"));
        c.add(step("pin write not a bool", "bad write 'often'", "pin: { region: b, write: often }"));
        c.add(step("cgroup_set of an unknown cgroup", "unknown cgroup '/h'", "cgroup_set: { path: /h, max: 1M }"));
        c.add(step("cgroup_set of nothing", "sets nothing", "cgroup_set: { path: /g }"));
        c.add(step("cgroup_move to an unknown cgroup", "unknown cgroup '/h'", "cgroup_move: { path: /h }"));
        c.add(step("cgroup_remove of the root", "the root cgroup cannot be removed", "cgroup_remove: { path: / }"));
        c.add(step("exit with keys", "unknown key 'code'", "exit: { code: 1 }"));
        c.add(step("a child naming a region mapped after the fork", "unknown region 'late'",
                "fork: { name: c, steps: [ { read: { region: late, length: 4K } } ] }\n      - mmap: { name: late, size: 4K, prot: r }"));
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedWithFileLineAndValue(Case c) throws IOException {
        Path f = Files.write(tmp.resolve("bad.yaml"), c.bytes());
        String line = BadInput.refused("run", f.toString());
        assertThat(line).startsWith(f + ":" + c.line() + ": ").contains(c.fragment());
    }

    @Test
    void aTwentyMegabyteScenarioIsRefusedWithoutBeingRead() throws IOException {
        Path f = tmp.resolve("huge.yaml");
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(20L << 20);
        }
        assertThat(BadInput.refused("run", f.toString())).isEqualTo("pagelab run: cannot read scenario file '" + f
                + "': 20971520 bytes is too large, at most 1048576 (1M)");
    }

    @Test
    void aScenarioOfExactlyTheLimitsIsRead() throws IOException {
        String head = "processes: []\n";
        String line = "#".repeat(org.pagelab.input.Limits.MAX_SCENARIO_LINE) + "\n";
        StringBuilder sb = new StringBuilder(head);
        while (sb.length() + line.length() <= org.pagelab.input.Limits.MAX_SCENARIO_BYTES) {
            sb.append(line);
        }
        String text = sb + "#".repeat(org.pagelab.input.Limits.MAX_SCENARIO_BYTES - sb.length() - 1) + "\n";
        Path f = Files.writeString(tmp.resolve("max.yaml"), text);
        assertThat(Files.size(f)).isEqualTo(org.pagelab.input.Limits.MAX_SCENARIO_BYTES);
        RunCommandTest.Result r = RunCommandTest.pagelab("run", "--memory", "32M", "--mode", "metadata", f.toString());
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
    }

    @Test
    void thereAreAtLeastAHundredAndTwentyDistinctScenarios() {
        List<Case> all = cases();
        assertThat(all).hasSizeGreaterThanOrEqualTo(120);
        assertThat(all.stream().map(k -> new String(k.bytes(), StandardCharsets.ISO_8859_1)).distinct()).hasSameSizeAs(all);
        assertThat(all.stream().map(Case::name).distinct()).hasSameSizeAs(all);
    }
}
