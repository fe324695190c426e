package org.pagelab.soak;

import java.util.List;
import java.util.Map;
import org.pagelab.scenario.Scenario;
import org.pagelab.scenario.Step;

/**
 * Makers of the scenario steps the soak generates, so that a generated run is an ordinary
 * {@link Scenario}: the same runner executes it, and the same writer prints its reproducer.
 * Lines are 0: a generated step has no source line.
 */
final class SoakSteps {
    private SoakSteps() {
    }

    private static Step step(String kind, String name, String region, String file, Long offset, Long length, Long size,
                             Integer prot, Boolean shared, Integer fill) {
        return new Step(kind, 0, name, region, file, offset, length, size, prot, shared, fill, null, null, null, null,
                null, null, null, null, null, null);
    }

    static Step mmapAnon(String name, long size, int prot, boolean shared) {
        return step("mmap", name, null, null, null, null, size, prot, shared ? true : null, null);
    }

    static Step mmapFile(String name, String file, long offset, long size, int prot, boolean shared) {
        return step("mmap", name, null, file, offset == 0 ? null : offset, null, size, prot, shared, null);
    }

    static Step write(String region, long offset, long length, int fill) {
        return step("write", null, region, null, offset, length, null, null, null, fill);
    }

    static Step read(String region, long offset, long length) {
        return step("read", null, region, null, offset, length, null, null, null, null);
    }

    static Step expect(String region, long offset, long length, int value) {
        return new Step("expect", 0, null, region, null, offset, length, null, null, null, null, null, null, null, null,
                value, null, null, null, null, null);
    }

    static Step touch(String region, long offset, long length, String pattern, long count, boolean write, Double alpha) {
        return new Step("touch", 0, null, region, null, offset, length, null, null, null, null, pattern, count, write, alpha,
                null, null, null, null, null, null);
    }

    /** An mprotect, madvise or munmap of part of a region ({@code length} 0: the whole region). */
    static Step ranged(String kind, String region, long offset, long length, Integer prot, String advice) {
        return new Step(kind, 0, null, region, null, length == 0 ? null : offset, length == 0 ? null : length, null, prot,
                null, null, null, null, null, null, null, advice, null, null, null, null);
    }

    static Step fileWrite(String file, long offset, long length, int fill) {
        return step("file_write", null, null, file, offset, length, null, null, null, fill);
    }

    static Step fileRead(String file, long offset, long length) {
        return step("file_read", null, null, file, offset, length, null, null, null, null);
    }

    static Step fsync(String file) {
        return step("fsync", null, null, file, null, null, null, null, null, null);
    }

    static Step pin(String region, long offset, long length, boolean write, boolean longterm) {
        return new Step("pin", 0, null, region, null, offset, length, null, null, null, null, null, null, write, null, null,
                null, null, null, longterm, null);
    }

    /** get_user_pages of a range (a vmsplice-style reference), released by {@link #put}. */
    static Step get(String region, long offset, long length, boolean write) {
        return new Step("get", 0, null, region, null, offset, length, null, null, null, null, null, null, write, null, null,
                null, null, null, null, null);
    }

    static Step put(String region) {
        return step("put", null, region, null, null, null, null, null, null, null);
    }

    static Step clearRefs(int value) {
        return new Step("clear_refs", 0, null, null, null, null, null, null, null, null, null, null, (long) value, null,
                null, null, null, null, null, null, null);
    }

    static Step unpin(String region) {
        return step("unpin", null, region, null, null, null, null, null, null, null);
    }

    static Step poison(String region, long offset) {
        return step("poison", null, region, null, offset, null, null, null, null, null);
    }

    static Step sleep(long ns) {
        return new Step("sleep", 0, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, ns, null, null);
    }

    static Step cgroupSet(String path, Map<String, Long> limits) {
        return new Step("cgroup_set", 0, path, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, limits);
    }

    static Step cgroupMove(String path) {
        return step("cgroup_move", path, null, null, null, null, null, null, null, null);
    }

    static Step fork(String name, List<Step> children) {
        return new Step("fork", 0, name, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                List.copyOf(children), null, null, null);
    }

    /** Fork step {@code fork} with its child's steps replaced by {@code children}, the same object kept identical otherwise. */
    static Step refork(Step fork, List<Step> children) {
        return new Step(fork.kind(), fork.line(), fork.name(), fork.region(), fork.file(), fork.offset(), fork.length(),
                fork.size(), fork.prot(), fork.shared(), fork.fill(), fork.pattern(), fork.count(), fork.write(), fork.alpha(),
                fork.equals(), fork.advice(), List.copyOf(children), fork.timeNs(), fork.longterm(), fork.limits());
    }

    static Step exit() {
        return step("exit", null, null, null, null, null, null, null, null, null);
    }

    /** {@code s} with its processes replaced by {@code procs}. */
    static Scenario withProcesses(Scenario s, List<Scenario.ProcessSpec> procs) {
        return new Scenario(s.source(), s.memory(), s.dataMode(), s.seed(), s.swap(), s.swappiness(), s.workingset(),
                s.cpus(), s.fsDevice(), s.swapDevice(), s.transparentHugepage(), s.thpDefrag(), s.hugepages(), s.tmpfs(), s.files(), List.copyOf(procs),
                s.cgroups(), s.sizing(), s.costs(), s.killsAllowed());
    }
}
