package org.pagelab.memcg;

/**
 * A process as the memory controller sees it: what memcontrol.c reads and writes of a
 * task_struct (its pid and name, whether it lives, the cgroup it is in, the pages it charged
 * over a memory.high since it last returned to user space, and what the OOM killer asks of it).
 * Memory's Process implements it; the controller never names Process, so memcg does not depend
 * on the memory package.
 */
public interface MemcgTask {
    /** The process id. */
    int pid();

    /** The process's name, for messages. */
    String name();

    /** Whether the process is running (not exited, not killed). */
    boolean alive();

    /** The memory cgroup the process belongs to (0: the root cgroup). */
    int memcgId();

    /** Moves the process's membership to cgroup {@code id}. */
    void setMemcgId(int id);

    /** Whether an OOM killer chose the process during an allocation; it dies on its way back to user space. */
    boolean oomKillPending();

    /** Pages charged beyond a memory.high since the process last returned to user space. */
    long pagesOverHigh();

    /** Sets the pages charged beyond a memory.high. */
    void setPagesOverHigh(long pages);

    /** /proc/pid/oom_score_adj: -1000 (never OOM-killed) to 1000 (killed first). */
    int oomScoreAdj();
}
