package org.pagelab.memory;

import org.pagelab.pgtable.PageTable;
import org.pagelab.vma.Mm;

/**
 * A simulated process: its pid, its address space (VMA set and page table) and its fate. A process
 * that takes a fatal signal is killed; the machine and the other processes go on.
 */
public final class Process implements org.pagelab.memcg.MemcgTask {
    /** Where a process is in its life. */
    public enum State { RUNNING, EXITED, KILLED }

    private final int pid;
    private final String name;
    private final Mm mm;
    private final PageTable pageTable;
    private State state = State.RUNNING;
    private String signal;
    private long rssAnon;
    private long rssFile;
    private long rssShmem;
    private long swapEnts;
    /** Page-table pages of this process that nr_page_table_pages counts (see MemoryManager.syncTables). */
    private long tablesCounted;
    private int oomScoreAdj;
    private int memcgId;
    private boolean oomKillPending;
    private long pagesOverHigh;

    Process(int pid, String name, Mm mm, PageTable pageTable) {
        this.pid = pid;
        this.name = name;
        this.mm = mm;
        this.pageTable = pageTable;
    }

    public int pid() {
        return pid;
    }

    public String name() {
        return name;
    }

    public Mm mm() {
        return mm;
    }

    public PageTable pageTable() {
        return pageTable;
    }

    public State state() {
        return state;
    }

    public boolean alive() {
        return state == State.RUNNING;
    }

    /** The signal that killed the process ("SIGSEGV"), or null. */
    public String signal() {
        return signal;
    }

    /** Resident anonymous pages (RssAnon / 4 KiB). */
    public long rssAnon() {
        return rssAnon;
    }

    void addRssAnon(long delta) {
        rssAnon += delta;
    }

    /** Resident file pages mapped (RssFile / 4 KiB). */
    public long rssFile() {
        return rssFile;
    }

    void addRssFile(long delta) {
        rssFile += delta;
    }

    /** /proc/pid/oom_score_adj: -1000 (never OOM-killed) to 1000 (killed first). */
    /** The memory cgroup the process belongs to (0: the root cgroup). */
    public int memcgId() {
        return memcgId;
    }

    public void setMemcgId(int id) {
        this.memcgId = id;
    }

    /**
     * Whether a memory cgroup's OOM killer chose this process while it was allocating: it dies
     * on its way back to user space (the kernel's SIGKILL is handled there too).
     */
    public boolean oomKillPending() {
        return oomKillPending;
    }

    public void setOomKillPending(boolean pending) {
        this.oomKillPending = pending;
    }

    /** Pages charged beyond a memory.high since the process last returned to user space. */
    public long pagesOverHigh() {
        return pagesOverHigh;
    }

    public void setPagesOverHigh(long pages) {
        this.pagesOverHigh = pages;
    }

    public int oomScoreAdj() {
        return oomScoreAdj;
    }

    /** Sets oom_score_adj; IllegalArgumentException outside -1000..1000, as the kernel returns EINVAL. */
    public void setOomScoreAdj(int adj) {
        if (adj < -1000 || adj > 1000) {
            throw new IllegalArgumentException("oom_score_adj " + adj + " not in -1000..1000");
        }
        this.oomScoreAdj = adj;
    }

    /** Swap entries in the page table (VmSwap / 4 KiB, the kernel's MM_SWAPENTS). */
    public long swapEnts() {
        return swapEnts;
    }

    void addSwapEnts(long delta) {
        swapEnts += delta;
    }

    /** The page-table pages nr_page_table_pages counts for this process. */
    long tablesCounted() {
        return tablesCounted;
    }

    void countTables(long delta) {
        tablesCounted += delta;
    }

    /** Resident shmem pages mapped (RssShmem / 4 KiB), shared anonymous memory included. */
    public long rssShmem() {
        return rssShmem;
    }

    void addRssShmem(long delta) {
        rssShmem += delta;
    }

    void setState(State s, String signal) {
        this.state = s;
        this.signal = signal;
    }

    @Override
    public String toString() {
        return "pid " + pid + " (" + name + ") " + state + (signal == null ? "" : " by " + signal);
    }
}
